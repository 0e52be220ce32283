"""What re-seeding changed, counted by SQLite: the new file with the old one attached.

The same matching passes as ``zonedb.diff.compare`` (whose docstring says how rows are
paired), written as SQL over temporary tables on disk, so no row enters Python and
re-seeding a million facts needs no more memory than seeding a new file.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from zonedb.store.db import Reader, sqlite_error, statement_timeout, uri_path
from zonedb.store.diff import FKS, KEYS, SKIP, Diff


def summarise_files(new: Path, old: Path, tables: list[str]) -> Diff:
    """The counts of ``compare`` (what ``zonedb seed`` prints), computed by SQLite with the
    old database attached to the new one: no row enters Python, so re-seeding a million
    facts needs no more memory than seeding a new file. Each table's comparable rows
    (foreign keys as slugs) go to temporary tables on disk; the passes of ``compare`` pair
    the k-th row of a key on one side with the k-th on the other by window functions."""
    columns = _old_columns(old, tables)  # the Reader's words for locked, corrupt, older files
    timeout = min(5.0, statement_timeout())
    conn = sqlite3.connect(f"file:{uri_path(new)}?mode=ro", uri=True, timeout=timeout,
                           isolation_level=None)
    try:
        conn.execute("PRAGMA temp_store = FILE")
        conn.execute("ATTACH DATABASE ? AS old", (f"file:{uri_path(old)}?mode=ro",))
        conn.execute("BEGIN")  # one snapshot of the old file for every table
        diff = Diff()
        for table in tables:
            new_cols = [r[1] for r in conn.execute(f"PRAGMA main.table_info({table})")]
            diff.counts[table] = _table_counts(conn, table, columns[table], new_cols)
        conn.execute("COMMIT")
        return diff
    except sqlite3.Error as exc:
        raise sqlite_error(exc, timeout) from exc
    finally:
        conn.close()


def _old_columns(old: Path, tables: list[str]) -> dict[str, list[str]]:
    with Reader("sqlite:///" + str(old)) as reader:
        return {t: reader.execute(f"SELECT * FROM {t} WHERE 1 = 0").columns for t in tables}


def _table_counts(conn: sqlite3.Connection, table: str, old_cols: list[str],
                  new_cols: list[str]) -> dict[str, int]:
    """One table's added/removed/changed/unchanged, as ``compare`` counts them."""
    def comparable(cols: list[str]) -> dict[str, str]:
        return {c.removesuffix("_id") if c in FKS else c: c for c in cols if c not in SKIP}

    oc, nc = comparable(old_cols), comparable(new_cols)
    common = [k for k in nc if k in oc]
    has_old = conn.execute(f"SELECT EXISTS (SELECT 1 FROM old.{table})").fetchone()[0]
    whole = [f"CASE WHEN typeof({_q(k)}) = 'real' THEN round({_q(k)}, 9) ELSE {_q(k)} END"
             for k in common]
    passes = [[_q("slug")]] if has_old and "slug" in oc else [whole]
    passes += [[_q(k) for k in keys] for keys in KEYS.get(table, [])]
    needed = list(dict.fromkeys([*common, *(k for keys in KEYS.get(table, []) for k in keys),
                                 *(["slug"] if "slug" in oc else [])]))
    for side, schema, cols in (("o", "old", oc), ("n", "main", nc)):
        conn.execute(f"DROP TABLE IF EXISTS temp.{side}")
        conn.execute(f"CREATE TEMP TABLE {side} (id INTEGER PRIMARY KEY, pos INTEGER, "
                     f"done INTEGER, {', '.join(_q(k) for k in needed)})")
        values = [_value(schema, cols.get(k)) for k in needed]
        conn.execute(f"INSERT INTO temp.{side} SELECT t.id, t.id, 0, {', '.join(values)} "
                     f"FROM {schema}.{table} AS t")
    conn.execute("DROP TABLE IF EXISTS temp.m")
    conn.execute("CREATE TEMP TABLE m (pass INTEGER, o_id INTEGER, n_id INTEGER)")
    same = 0  # pairs of the whole-row pass: equal in every column, so unchanged
    for number, keys in enumerate(passes):
        if not _left(conn, "o") or not _left(conn, "n"):
            break
        last = number == len(passes) - 1
        if keys is whole:
            same = _pair_whole(conn, keys, last=last)
        else:
            _pair(conn, number, keys, last=last)
    differs = " OR ".join(
        f"CASE WHEN typeof(o.{c}) = 'real' OR typeof(n.{c}) = 'real' THEN NOT coalesce("
        f"abs(o.{c} - n.{c}) <= 1e-9 * max(1.0, abs(o.{c})), 0) ELSE o.{c} IS NOT n.{c} END"
        for c in map(_q, common)) or "0"
    pairs, changed = conn.execute(
        f"SELECT count(*), coalesce(sum({differs}), 0) FROM temp.m JOIN temp.o AS o "
        "ON o.id = m.o_id JOIN temp.n AS n ON n.id = m.n_id").fetchone()
    counts = {"added": _left(conn, "n"), "removed": _left(conn, "o"), "changed": changed,
              "unchanged": same + pairs - changed}
    for name in ("o", "n", "m"):
        conn.execute(f"DROP TABLE temp.{name}")
    return counts


def _pair_whole(conn: sqlite3.Connection, keys: list[str], *, last: bool) -> int:
    """The whole-row pass, in one sort: of ``a`` old and ``b`` new rows equal in every
    column, the first min(a, b) of each side pair (which with which does not matter, they
    are equal); returns how many pairs."""
    ks = ", ".join(f"k{i}" for i in range(len(keys)))
    exprs = ", ".join(f"{e} AS k{i}" for i, e in enumerate(keys))
    window = (f"OVER (PARTITION BY {ks} ORDER BY side, pos ROWS BETWEEN UNBOUNDED "
              "PRECEDING AND UNBOUNDED FOLLOWING)")
    conn.execute("DROP TABLE IF EXISTS temp.w")
    conn.execute("CREATE TEMP TABLE w (side INTEGER, id INTEGER, paired INTEGER, grp INTEGER)")
    conn.execute(
        f"INSERT INTO temp.w SELECT side, id, CASE side WHEN 0 THEN rn <= total - olds "
        f"ELSE rn - olds <= olds END, grp FROM (SELECT side, id, row_number() OVER (PARTITION "
        f"BY {ks} ORDER BY side, pos) AS rn, sum(1 - side) {window} AS olds, count(*) "
        f"{window} AS total, min(CASE side WHEN 0 THEN pos END) {window} AS grp FROM ("
        f"SELECT 0 AS side, id, pos, {exprs} FROM temp.o WHERE NOT done UNION ALL "
        f"SELECT 1, id, pos, {exprs} FROM temp.n WHERE NOT done))")
    for side, name in ((0, "o"), (1, "n")):
        conn.execute(f"UPDATE temp.{name} SET done = 1 FROM temp.w WHERE w.side = {side} "
                     f"AND w.paired AND w.id = {name}.id")
    if not last and _left(conn, "o") and _left(conn, "n"):  # the first pass: pos is id
        conn.execute("UPDATE temp.o SET pos = r.p FROM (SELECT id, row_number() OVER (ORDER "
                     "BY grp, id) AS p FROM temp.w WHERE side = 0 AND NOT paired) AS r "
                     "WHERE r.id = o.id")
    pairs = conn.execute("SELECT count(*) FROM temp.w WHERE side = 0 AND paired").fetchone()[0]
    conn.execute("DROP TABLE temp.w")
    return int(pairs)


def _pair(conn: sqlite3.Connection, number: int, keys: list[str], *, last: bool) -> None:
    """One pass of ``_match``: pair the rows left whose ``keys`` agree, in order, and put
    the old rows left in the order ``_match`` leaves them (grouped by this pass's key)."""
    ks = ", ".join(f"k{i}" for i in range(len(keys)))
    exprs = ", ".join(f"{e} AS k{i}" for i, e in enumerate(keys))
    conn.execute(
        f"INSERT INTO temp.m SELECT {number}, max(CASE side WHEN 0 THEN id END), "
        f"max(CASE side WHEN 1 THEN id END) FROM (SELECT side, id, {ks}, row_number() OVER "
        f"(PARTITION BY side, {ks} ORDER BY pos) AS rn FROM (SELECT 0 AS side, id, pos, "
        f"{exprs} FROM temp.o WHERE NOT done UNION ALL SELECT 1, id, pos, {exprs} FROM "
        f"temp.n WHERE NOT done)) GROUP BY {ks}, rn HAVING count(*) = 2")
    conn.execute(f"UPDATE temp.n SET done = 1 WHERE id IN "
                 f"(SELECT n_id FROM temp.m WHERE pass = {number})")
    if not last and _left(conn, "n") and _left(conn, "o") > conn.execute(
            f"SELECT count(*) FROM temp.m WHERE pass = {number}").fetchone()[0]:
        conn.execute("DROP TABLE IF EXISTS temp.r")
        conn.execute("CREATE TEMP TABLE r (id INTEGER PRIMARY KEY, p INTEGER)")
        conn.execute(
            f"INSERT INTO temp.r SELECT id, row_number() OVER (ORDER BY grp, pos) FROM (SELECT "
            f"id, pos, min(pos) OVER (PARTITION BY {', '.join(keys)}) AS grp FROM temp.o "
            f"WHERE NOT done) WHERE id NOT IN (SELECT o_id FROM temp.m WHERE pass = {number})")
        conn.execute("UPDATE temp.o SET pos = r.p FROM temp.r WHERE r.id = o.id")
        conn.execute("DROP TABLE temp.r")
    conn.execute(f"UPDATE temp.o SET done = 1 WHERE id IN "
                 f"(SELECT o_id FROM temp.m WHERE pass = {number})")


def _left(conn: sqlite3.Connection, side: str) -> int:
    return int(conn.execute(f"SELECT count(*) FROM temp.{side} WHERE NOT done").fetchone()[0])


def _value(schema: str, column: str | None) -> str:
    if column is None:
        return "NULL"
    if column in FKS:
        return f"(SELECT slug FROM {schema}.{FKS[column]} WHERE id = t.{_q(column)})"
    return f"t.{_q(column)}"


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
