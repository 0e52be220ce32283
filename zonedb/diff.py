"""What re-seeding would change: the rows of validated seeds against the database's.

Ids and offsets are not compared (ids are positions in seed order, offsets move
with the text, whose change shows as the source's sha256); foreign keys are
compared by slug. Rows with a slug are matched by slug. Indicators are matched
in passes, tightest key first: the same row; the same (zone, metric, period,
source, role, links, as_written); the same number phrase of the same quote (a
corrected period or metric); the same (zone, metric, period, source, role,
links). So an edited number shows as ``value 45 -> 50`` and a corrected period
as ``period None -> 2024``, rather than a removal and an addition.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zonedb.db import Reader, _sqlite_message, _uri_path, statement_timeout
from zonedb.errors import DatabaseError
from zonedb.seeds import SeedSet

Row = dict[str, Any]
_FKS = {"source_id": "sources", "parent_id": "sources", "zone_id": "zones",
        "metric_id": "metrics", "firm_id": "firms", "fund_id": "funds",
        "project_id": "projects"}
_SKIP = {"id", "text", "quote_start", "quote_end", "written_start", "written_end",
         "seed_file", "seed_line", "parent_start", "parent_end"}
_LINKS = ("zone", "metric", "period", "source", "role", "firm", "fund", "project")
_KEYS: dict[str, list[tuple[str, ...]]] = {
    # the same figure of the same quote, with its period or metric corrected, before the
    # loosest pass (same zone/metric/period/links, a different number)
    "indicators": [(*_LINKS, "as_written"), ("zone", "source", "quote", "as_written", "role"),
                   _LINKS],
    "ignored_mentions": [("source", "as_written")],
}


@dataclass
class Change:
    table: str
    change: str  # added | removed | changed
    row: str  # a label a curator recognises: slug, or zone/metric/period
    field: str | None = None
    old: Any = None
    new: Any = None


@dataclass
class Diff:
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)
    database_exists: bool = True

    def summary(self) -> str:
        """One line: ``indicators +2 -1 ~1, sources +1`` or ``no changes``."""
        if not self.database_exists:
            return "new database"
        parts = []
        for table, c in self.counts.items():
            marks = [f"{sign}{c[k]}" for k, sign in (("added", "+"), ("removed", "-"),
                                                     ("changed", "~")) if c[k]]
            if marks:
                parts.append(f"{table} {' '.join(marks)}")
        return ", ".join(parts) if parts else "no changes"

    def as_dict(self) -> dict[str, Any]:
        return {"summary": self.summary(), "counts": self.counts,
                "changes": [c.__dict__ for c in self.changes]}


def _comparable(tables: dict[str, list[Row]]) -> dict[str, list[Row]]:
    """Rows without ids and offsets, foreign keys replaced by slugs."""
    slugs = {t: {r["id"]: r.get("slug") for r in tables.get(t, [])} for t in set(_FKS.values())}
    out: dict[str, list[Row]] = {}
    for table in tables:
        rows = []
        for r in tables.get(table, []):
            row: Row = {}
            for k, v in r.items():
                if k in _SKIP:
                    continue
                if k in _FKS:
                    row[k.removesuffix("_id")] = slugs[_FKS[k]].get(v) if v is not None else None
                else:
                    row[k] = v
            rows.append(row)
        out[table] = rows
    return out


def _label(table: str, row: Row) -> str:
    if "slug" in row:
        return str(row["slug"])
    if table == "indicators":
        return "/".join(str(row.get(k) or "-") for k in ("zone", "metric", "period")) + \
            (f" ({row['role']})" if row.get("role") else "")
    return f"{row.get('source')}: {row.get('as_written')}"


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        try:
            return a is not None and b is not None and abs(float(a) - float(b)) <= \
                1e-9 * max(1.0, abs(float(a)))
        except (TypeError, ValueError):
            return False
    return bool(a == b)


def _match(old: list[Row], new: list[Row], key: Callable[[Row], Any]
           ) -> tuple[list[tuple[Row, Row]], list[Row], list[Row]]:
    """Pair rows with equal keys, in order; return pairs and the unpaired of each side."""
    waiting: dict[Any, list[Row]] = {}
    for r in old:
        waiting.setdefault(key(r), []).append(r)
    pairs, left_new = [], []
    for r in new:
        bucket = waiting.get(key(r))
        if bucket:
            pairs.append((bucket.pop(0), r))
        else:
            left_new.append(r)
    left_old = [r for bucket in waiting.values() for r in bucket]
    return pairs, left_old, left_new


def _by(keys: tuple[str, ...]) -> Callable[[Row], tuple[Any, ...]]:
    return lambda r: tuple(r.get(k) for k in keys)


def _fields(old: Row, new: Row) -> list[str]:
    return [k for k in new if k in old and not _same(old[k], new[k])]


def compare(old_tables: dict[str, list[Row]], new_tables: dict[str, list[Row]]) -> Diff:
    """The changes that turn ``old_tables`` into ``new_tables`` (raw rows, as in the DB)."""
    old_c, new_c = _comparable(old_tables), _comparable(new_tables)
    diff = Diff()
    for table in dict.fromkeys([*new_tables, *old_tables]):
        old, new = old_c.get(table, []), new_c.get(table, [])
        common = [k for k in (new[0] if new else old[0] if old else {})
                  if (not old or k in old[0]) and (not new or k in new[0])]

        def whole(r: Row, common: list[str] = common) -> tuple[Any, ...]:
            return tuple(round(v, 9) if isinstance(v, float) else v
                         for v in (r.get(k) for k in common))

        keys: list[Callable[[Row], Any]] = [whole]
        if old and "slug" in old[0]:
            keys = [_by(("slug",))]
        keys += [_by(ks) for ks in _KEYS.get(table, [])]
        pairs: list[tuple[Row, Row]] = []
        for key in keys:
            found, old, new = _match(old, new, key)
            pairs += found
        changed = 0
        for a, b in pairs:
            fields = [k for k in _fields(a, b) if k in common]
            if fields:
                changed += 1
                diff.changes += [Change(table, "changed", _label(table, b), k, a[k], b[k])
                                 for k in fields]
        diff.changes += [Change(table, "removed", _label(table, r)) for r in old]
        diff.changes += [Change(table, "added", _label(table, r),
                                "value" if "value" in r else None, None, r.get("value"))
                         for r in new]
        diff.counts[table] = {"added": len(new), "removed": len(old), "changed": changed,
                              "unchanged": len(pairs) - changed}
    return diff


def database_rows(reader: Reader, tables: list[str]) -> dict[str, list[Row]]:
    """The rows of ``tables`` in the database (the sources' texts are not read)."""
    out: dict[str, list[Row]] = {}
    for table in tables:
        cols = [c for c in reader.execute(f"SELECT * FROM {table} WHERE 1 = 0").columns
                if c != "text"]
        out[table] = list(reader.execute(f"SELECT {', '.join(cols)} FROM {table} "
                                         "ORDER BY id").dicts())
    return out


def diff_database(db: str | None, seedset: SeedSet) -> Diff:
    """Compare validated seeds with the database ``db``; a missing SQLite file counts as
    an empty database."""
    from zonedb.db import resolve_url, sqlite_path

    url = resolve_url(db)
    path = sqlite_path(url)
    if (path is not None and not path.exists()) or (path is None and _never_migrated(url)):
        result = compare({}, seedset.tables)
        result.database_exists = False
        return result
    with Reader(url) as reader:
        return compare(database_rows(reader, list(seedset.tables)), seedset.tables)


def _never_migrated(url: str) -> bool:
    """A server database without zonedb's tables yet: new, like a missing SQLite file."""
    from zonedb.migrate import current_revision

    return current_revision(url) is None


def rows(diff: Diff) -> tuple[list[str], list[tuple[Any, ...]]]:
    """The changes as columns and rows for ``zonedb.render``."""
    columns = ["table", "change", "row", "field", "old", "new"]
    return columns, [(c.table, c.change, c.row, c.field, c.old, c.new) for c in diff.changes]


def summarise_files(new: Path, old: Path, tables: list[str]) -> Diff:
    """The counts of ``compare`` (what ``zonedb seed`` prints), computed by SQLite with the
    old database attached to the new one: no row enters Python, so re-seeding a million
    facts needs no more memory than seeding a new file. Each table's comparable rows
    (foreign keys as slugs) go to temporary tables on disk; the passes of ``compare`` pair
    the k-th row of a key on one side with the k-th on the other by window functions."""
    columns = _old_columns(old, tables)  # the Reader's words for locked, corrupt, older files
    timeout = min(5.0, statement_timeout())
    conn = sqlite3.connect(f"file:{_uri_path(new)}?mode=ro", uri=True, timeout=timeout,
                           isolation_level=None)
    try:
        conn.execute("PRAGMA temp_store = FILE")
        conn.execute("ATTACH DATABASE ? AS old", (f"file:{_uri_path(old)}?mode=ro",))
        conn.execute("BEGIN")  # one snapshot of the old file for every table
        diff = Diff()
        for table in tables:
            new_cols = [r[1] for r in conn.execute(f"PRAGMA main.table_info({table})")]
            diff.counts[table] = _table_counts(conn, table, columns[table], new_cols)
        conn.execute("COMMIT")
        return diff
    except sqlite3.Error as exc:
        raise DatabaseError(_sqlite_message(exc, timeout)) from exc
    finally:
        conn.close()


def _old_columns(old: Path, tables: list[str]) -> dict[str, list[str]]:
    with Reader("sqlite:///" + str(old)) as reader:
        return {t: reader.execute(f"SELECT * FROM {t} WHERE 1 = 0").columns for t in tables}


def _table_counts(conn: sqlite3.Connection, table: str, old_cols: list[str],
                  new_cols: list[str]) -> dict[str, int]:
    """One table's added/removed/changed/unchanged, as ``compare`` counts them."""
    def comparable(cols: list[str]) -> dict[str, str]:
        return {c.removesuffix("_id") if c in _FKS else c: c for c in cols if c not in _SKIP}

    oc, nc = comparable(old_cols), comparable(new_cols)
    common = [k for k in nc if k in oc]
    has_old = conn.execute(f"SELECT EXISTS (SELECT 1 FROM old.{table})").fetchone()[0]
    whole = [f"CASE WHEN typeof({_q(k)}) = 'real' THEN round({_q(k)}, 9) ELSE {_q(k)} END"
             for k in common]
    passes = [[_q("slug")]] if has_old and "slug" in oc else [whole]
    passes += [[_q(k) for k in keys] for keys in _KEYS.get(table, [])]
    needed = list(dict.fromkeys([*common, *(k for keys in _KEYS.get(table, []) for k in keys),
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
    if column in _FKS:
        return f"(SELECT slug FROM {schema}.{_FKS[column]} WHERE id = t.{_q(column)})"
    return f"t.{_q(column)}"


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def seed_summary(db: str | None, seedset: SeedSet) -> str:
    """The one-line summary ``zonedb seed`` prints; a database that cannot be read (corrupt,
    older schema, unreachable) does not stop the seeding, it is only said."""
    from zonedb.errors import ZonedbError

    try:
        return diff_database(db, seedset).summary()
    except ZonedbError as exc:
        return f"not compared with the current database ({str(exc).splitlines()[0]})"
