"""Incremental re-seeding: redo only what the edited seed files touch.

Every seeding stores a fingerprint of each seed file (``seed_files``: size, mtime, sha256,
and for facts/ and ignore/ files how many rows they gave). The next seeding compares the
folder with them: a file whose size and mtime match is unchanged; otherwise its sha256
decides (a copied folder has new mtimes, the same bytes). Changed files of facts/ or
ignore/ (nothing refers to those rows) are read and validated against the zones, metrics,
sources ... the database holds, and their rows replaced in one transaction, later rows'
ids shifted so that the ids are exactly the ones a full rebuild gives (ids follow seed
order). When anything else changed (a source text and its manifest entry, zones.yaml,
metrics, firms ...), every file but facts/ and ignore/ is read again (they are small
beside the statements), the rows that differ are updated in place, and the facts/ and
ignore/ files with a row pointing at one of them are re-read too (a quote re-checked
against its edited text, a unit against its edited metric). A problem in those files, no
fingerprints, another zonedb version or schema revision: a full rebuild
(``zonedb.store.load``), which reports the problems exactly as before.
"""

from __future__ import annotations

import bisect
import hashlib
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zonedb.errors import SeedError
from zonedb.seeds.context import TABLE_OF, folder_files
from zonedb.seeds.read import FOLDERS, STATEMENTS, Known, read_changed, read_references
from zonedb.store.search import (
    ALIGNED,
    FTS_PREFIX,
    SEARCHED,
    aligned_mark,
    row_text,
    table_range,
    tokens,
)
from zonedb.store.tables import LOAD_ORDER

INCREMENTAL = STATEMENTS  # folders whose rows nothing refers to
STATEMENT_TABLES = tuple(TABLE_OF[f] for f in STATEMENTS)
REFERENCES = tuple(t for t in LOAD_ORDER if t not in STATEMENT_TABLES)
# A statement's columns that point at a referenced row (its search text repeats the labels
# of those marked True).
POINTERS = {"source_id": ("sources", False), "zone_id": ("zones", True),
            "metric_id": ("metrics", True), "firm_id": ("firms", True),
            "fund_id": ("funds", True), "project_id": ("projects", True)}
Row = dict[str, Any]


class NotIncremental(Exception):
    """The edit cannot be applied in place: the caller rebuilds in full."""


@dataclass(frozen=True)
class Stamp:
    size: int
    mtime_ns: int


@dataclass
class Stored:
    sha256: str
    stamp: Stamp
    tbl: str | None
    n_rows: int | None


@dataclass
class Plan:
    """What an incremental re-seed redoes; ``full`` says why it cannot (then nothing else)."""

    full: str | None = None
    changed: list[str] = field(default_factory=list)  # added or edited, in facts/ or ignore/
    removed: list[str] = field(default_factory=list)
    touched: dict[str, tuple[str, Stamp]] = field(default_factory=dict)  # new stamp, same bytes
    stored: dict[str, Stored] = field(default_factory=dict)
    current: dict[str, Stamp] = field(default_factory=dict)
    digests: dict[str, str] = field(default_factory=dict)  # of changed files, before reading
    total: int = 0
    references: list[str] = field(default_factory=list)  # changed or removed, outside those
    reread: int = 0  # files read again for the references (all but facts/ and ignore/)
    elsewhere: str | None = None  # the folder of the last seeding, when it was another


def seed_paths(seeds_dir: Path) -> Iterator[tuple[str, str]]:
    """Every file a seeding may read: zones.yaml and other top-level YAML, sources/ (manifest
    and texts), and each per-kind folder's YAML; as (path inside the folder, path). Strings
    and os.scandir: Path objects and their sorting cost 2 s at 20,000 source texts."""
    top = str(seeds_dir)
    for child in sorted(os.scandir(top), key=lambda e: e.name):
        if child.name.startswith((".", "_")):
            continue
        if child.is_file() and child.name.endswith((".yaml", ".yml")):
            yield child.name, child.path
        elif child.is_dir() and child.name == "sources":
            yield from sorted(_files_below(child.path, "sources"))
        elif child.is_dir() and child.name in FOLDERS:
            for path in folder_files(seeds_dir, child.name):
                yield f"{child.name}/{path.name}", str(path)


def _files_below(folder: str, rel: str) -> Iterator[tuple[str, str]]:
    for entry in os.scandir(folder):
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            yield from _files_below(entry.path, f"{rel}/{entry.name}")
        elif entry.is_file():
            yield f"{rel}/{entry.name}", entry.path


def stamp(path: str | Path) -> Stamp:
    st = os.stat(path)
    return Stamp(st.st_size, st.st_mtime_ns)


def sha256(path: str | Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def state(revision: str, seeds_dir: Path) -> dict[str, str]:
    """What the fingerprints hold for: this zonedb and this schema; and, to say so when it
    changes, the folder. The folder does not decide: rows keep paths inside it, so a moved
    or copied folder gives the same rows, and the fingerprints alone say which files differ."""
    from importlib.metadata import version

    return {"version": version("zonedb"), "revision": revision,
            "seeds": str(seeds_dir.resolve())}


def fingerprint(seeds_dir: Path) -> list[tuple[str, str, int, int]]:
    """(path, sha256, size, mtime_ns) of every seed file, taken BEFORE the files are read: a
    file edited during the seeding then looks changed next time, never the reverse."""
    out = []
    for rel, path in seed_paths(seeds_dir):
        st = stamp(path)
        out.append((rel, sha256(path), st.size, st.mtime_ns))
    return out


def write_fingerprints(execute: Callable[[str, Sequence[Any]], None],
                       prints: list[tuple[str, str, int, int]], file_rows: dict[str, int],
                       revision: str, seeds_dir: Path) -> None:
    """Replace the stored fingerprints (inside the seeding's transaction)."""
    execute("DELETE FROM seed_files", [])
    execute("DELETE FROM seed_state", [])
    rows = [(rel, digest, size, mtime, *_placed(rel, file_rows))
            for rel, digest, size, mtime in prints]
    if rows:
        execute("INSERT INTO seed_files (path, sha256, size, mtime_ns, tbl, n_rows) "
                "VALUES (?, ?, ?, ?, ?, ?)", rows)
    execute("INSERT INTO seed_state (key, value) VALUES (?, ?)",
            list(state(revision, seeds_dir).items()))


def is_statement_file(rel: str) -> bool:
    """A file of facts/ or ignore/ (``rel`` inside the seeds folder): its rows are replaced
    on their own; any other file's edit goes through the references."""
    return "/" in rel and rel.split("/", 1)[0] in INCREMENTAL


def _placed(rel: str, file_rows: dict[str, int]) -> tuple[str | None, int | None]:
    folder = rel.split("/", 1)[0]
    if folder in INCREMENTAL and rel in file_rows:
        return TABLE_OF.get(folder, folder), file_rows[rel]
    return None, None


def plan(query: Callable[[str], list[tuple[Any, ...]]], seeds_dir: Path,
         revision: str) -> Plan:
    """Compare the seeds folder with the stored fingerprints."""
    try:
        saved = dict(query("SELECT key, value FROM seed_state"))
        rows = query("SELECT path, sha256, size, mtime_ns, tbl, n_rows FROM seed_files")
    except Exception:  # an older schema without the tables: sqlite3 or SQLAlchemy error
        return Plan(full="the database has no seed fingerprints")
    want = state(revision, seeds_dir)
    if not saved:
        return Plan(full="the database has no seed fingerprints")
    if saved.get("version") != want["version"] or saved.get("revision") != want["revision"]:
        return Plan(full="the database was seeded by another zonedb version")
    result = Plan(stored={r[0]: Stored(r[1], Stamp(r[2], r[3]), r[4], r[5]) for r in rows})
    if saved.get("seeds") != want["seeds"]:
        result.elsewhere = saved.get("seeds", "").split("\n")[0] or "an unknown folder"
    result.current = {rel: stamp(path) for rel, path in seed_paths(seeds_dir)}
    result.total = len(result.current)
    for rel in sorted({*result.stored, *result.current}):
        old, now = result.stored.get(rel), result.current.get(rel)
        if old is not None and now is not None and old.stamp == now:
            continue
        if now is not None:
            digest = result.digests[rel] = sha256(seeds_dir / rel)
            if old is not None and digest == old.sha256:
                result.touched[rel] = (digest, now)
                continue
        if not is_statement_file(rel):
            result.references.append(rel)
            continue
        if now is None:
            result.removed.append(rel)
        else:
            result.changed.append(rel)
    return result


class Database:
    """The few statements the re-seed needs, on SQLite (sqlite3) or PostgreSQL (the
    SQLAlchemy connection's driver); SQL is written with ``?`` marks."""

    def __init__(self, run: Callable[[str, Sequence[Any]], list[tuple[Any, ...]]],
                 many: Callable[[str, Sequence[Sequence[Any]]], None], postgres: bool) -> None:
        self.run, self.many, self.postgres = run, many, postgres

    def q(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        return self.run(sql, params)


def known(db: Database) -> Known:
    ids = {t: dict(db.q(f"SELECT slug, id FROM {t}")) for t in
           ("sources", "zones", "metrics", "firms", "funds", "projects")}
    units = dict(db.q("SELECT slug, unit FROM metrics"))

    def text(slug: str) -> str:
        return str(db.q("SELECT text FROM sources WHERE slug = ?", slug)[0][0])

    return Known(ids, units, text)


@dataclass
class Layout:
    """A table's files in id order with their row counts, before and after the edit."""

    table: str
    old: list[tuple[str, int]]
    new: list[tuple[str, int]]


def consistent(db: Database, p: Plan) -> bool:
    """The stored row counts still place every row (no ``sql --write`` added or removed
    facts since): ids run 1..n in each table."""
    for table in (TABLE_OF[f] for f in INCREMENTAL):
        n = sum(s.n_rows or 0 for s in p.stored.values() if s.tbl == table)
        count, top = db.q(f"SELECT count(*), coalesce(max(id), 0) FROM {table}")[0]
        if count != n or top != n:
            return False
    return True


def apply(db: Database, seeds_dir: Path, p: Plan) -> tuple[Any, dict[str, list[Row]]]:
    """Re-read the changed files, replace their rows, shift later ids, keep the search
    index and the fingerprints in step; returns the ``Diff`` of what changed and the re-read
    rows by file. The caller holds the transaction and commits."""
    from zonedb.store.diff import compare

    edit = _update_references(db, seeds_dir, p) if p.references else None
    files = [(rel.split("/", 1)[0], seeds_dir / rel) for rel in p.changed]
    files.sort(key=lambda f: (INCREMENTAL.index(f[0]), str(f[1])))
    new_rows = read_changed(seeds_dir, files, known(db))
    old_tables: dict[str, list[Row]] = {}
    new_tables: dict[str, list[Row]] = {}
    for folder in INCREMENTAL:
        table = TABLE_OF[folder]
        layout = _layout(seeds_dir, folder, table, p, new_rows)
        if layout is None:
            continue
        old, new = _replace(db, layout, set(p.changed) | set(p.removed), new_rows)
        old_tables[table], new_tables[table] = old, new
    if edit is not None:
        edit.finish(db)
    _store_prints(db, seeds_dir, p, new_rows)
    refs = _reference_rows(db)
    if edit is not None:
        old_tables.update(edit.old)
        new_tables.update(edit.new)
        refs = {t: r for t, r in refs.items() if t not in edit.old}
    result = compare({**refs, **old_tables}, {**refs, **new_tables})
    counts = {}
    for table in LOAD_ORDER:  # as a full comparison counts: every table, unchanged rows too
        c = result.counts.get(table) or {"added": 0, "removed": 0, "changed": 0, "unchanged": 0}
        if table not in refs:
            total = int(db.q(f"SELECT count(*) FROM {table}")[0][0])
            c["unchanged"] += total - len(new_tables.get(table, []))
        counts[table] = c
    result.counts = counts
    return result, new_rows


def _layout(seeds_dir: Path, folder: str, table: str, p: Plan,
            new_rows: dict[str, list[Row]]) -> Layout | None:
    old = [(r, n or 0) for r, n in _stored_order(p, table)]
    new = [f.relative_to(seeds_dir).as_posix() for f in folder_files(seeds_dir, folder)]
    if not any(r in p.changed or r in p.removed for r in (*(r for r, _ in old), *new)):
        return None
    counts = dict(old)
    return Layout(table, old, [(r, len(new_rows[r]) if r in new_rows else counts[r])
                               for r in new])


def _replace(db: Database, lay: Layout, redone: set[str], new_rows: dict[str, list[Row]]
             ) -> tuple[list[Row], list[Row]]:
    table = lay.table
    searched = table in SEARCHED
    old_first, first = {}, 1
    for rel, n in lay.old:
        old_first[rel] = first
        first += n
    cols = [c for c in _columns(db, table) if c != "text"]
    old_rows: list[Row] = []
    moves: list[tuple[int, int, int]] = []  # old first id, last id, shift
    pos = 1
    inserts: list[Row] = []
    new_first: dict[str, int] = {}
    for rel, n in lay.new:
        if rel in redone:
            new_first[rel] = pos
            for i, row in enumerate(new_rows[rel]):
                row["id"] = pos + i
            inserts += new_rows[rel]
        elif pos != old_first[rel] and n:
            moves.append((old_first[rel], old_first[rel] + n - 1, pos - old_first[rel]))
        pos += n
    kept: set[int] = set()
    gone: list[int] = []
    by_id = {r["id"]: r for r in inserts}
    for rel, n in lay.old:
        if rel in redone and n:
            a, b = old_first[rel], old_first[rel] + n - 1
            rows = [dict(zip(cols, r, strict=True)) for r in db.q(
                f"SELECT {', '.join(cols)} FROM {table} WHERE id BETWEEN ? AND ? ORDER BY id",
                a, b)]
            old_rows += rows
            stays = new_first.get(rel) == a  # the file's ids did not move: keep equal rows
            for row in rows:
                new = by_id.get(row["id"]) if stays else None
                if new is not None and all(new.get(c) == row[c] for c in cols):
                    kept.add(row["id"])
                else:
                    gone.append(row["id"])
    if gone:
        if searched:
            _unindex(db, table, gone)
        db.many(f"DELETE FROM {table} WHERE id = ?", [(i,) for i in gone])
    written = [r for r in inserts if r["id"] not in kept]
    for a, b, shift in _merged(moves):  # negative first, so no id is ever taken twice
        db.q(f"UPDATE {table} SET id = -(id + ?) WHERE id BETWEEN ? AND ?", shift, a, b)
        if searched:
            db.q("UPDATE search_rows SET row_id = -(row_id + ?) WHERE tbl = ? AND "
                 "row_id BETWEEN ? AND ?", shift, table, a, b)
    if moves:
        db.q(f"UPDATE {table} SET id = -id WHERE id < 0")
        if searched:
            db.q("UPDATE search_rows SET row_id = -row_id WHERE tbl = ? AND row_id < 0", table)
            _unalign(db, table)  # the FTS rowids stay: no longer low + row id
    if written:
        names = list(written[0])
        db.many(f"INSERT INTO {table} ({', '.join(names)}) VALUES "
                f"({', '.join('?' for _ in names)})", [tuple(r[c] for c in names)
                                                      for r in written])
        if searched:
            _index(db, table, [r["id"] for r in written])
    return old_rows, [{c: r.get(c) for c in cols} for r in inserts]


def _merged(moves: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    out: list[tuple[int, int, int]] = []
    for a, b, s in moves:
        if out and out[-1][2] == s and out[-1][1] + 1 == a:
            out[-1] = (out[-1][0], b, s)
        else:
            out.append((a, b, s))
    return out


def _columns(db: Database, table: str) -> list[str]:
    if db.postgres:
        return [r[0] for r in db.q("SELECT column_name FROM information_schema.columns "
                                   "WHERE table_name = ? ORDER BY ordinal_position", table)]
    return [r[1] for r in db.q(f"PRAGMA table_info({table})")]


def _unindex(db: Database, table: str, ids: list[int]) -> None:
    """Take rows out of the search index (FTS5 needs a contentless row's tokens back)."""
    for lo in range(0, len(ids), 500):
        chunk = ids[lo:lo + 500]
        marks = ", ".join("?" for _ in chunk)
        where = f"tbl = ? AND row_id IN ({marks})"
        if not db.postgres:
            found = db.q(f"SELECT id, text FROM search_rows WHERE {where}", table, *chunk)
            if found:
                db.many(f"INSERT INTO {FTS_PREFIX} ({FTS_PREFIX}, rowid, tokens) "
                        "VALUES ('delete', ?, ?)", [(i, tokens(t)) for i, t in found])
        db.q(f"DELETE FROM search_rows WHERE {where}", table, *chunk)


def _aligned(db: Database, table: str) -> bool:
    return not db.postgres and bool(db.q(
        f"SELECT count(*) FROM {FTS_PREFIX} WHERE {FTS_PREFIX} MATCH ? AND rowid = ?",
        f'"{ALIGNED}"', aligned_mark(table))[0][0])


def _unalign(db: Database, table: str) -> None:
    """Take out the mark saying ``table``'s FTS rowids are low + row id (zonedb.store.search);
    searches then read the row ids from search_rows, until the next full seeding."""
    if _aligned(db, table):
        db.q(f"INSERT INTO {FTS_PREFIX} ({FTS_PREFIX}, rowid, tokens) VALUES ('delete', ?, ?)",
             aligned_mark(table), ALIGNED)


def _index(db: Database, table: str, ids: list[int]) -> None:
    view, columns = SEARCHED[table]
    low, high = table_range(table)
    aligned = _aligned(db, table)
    if db.postgres:
        start = int(db.q("SELECT coalesce(max(id), 0) FROM search_rows")[0][0]) + 1
    else:  # the next free id of the table's range: one table is one range of the index
        start = int(db.q("SELECT coalesce(max(id), ?) FROM search_rows WHERE id BETWEEN ? "
                         "AND ?", low, low, high)[0][0]) + 1
    rows: list[tuple[int, str, int, str]] = []
    for lo in range(0, len(ids), 500):
        chunk = ids[lo:lo + 500]
        marks = ", ".join("?" for _ in chunk)
        if aligned and db.q(f"SELECT count(*) FROM search_rows WHERE id IN ({marks})",
                            *[low + i for i in chunk])[0][0]:
            _unalign(db, table)  # an id it would take is taken: the next free ones instead
            aligned = False
        for r in db.q(f"SELECT id, {', '.join(columns)} FROM {view} WHERE id IN ({marks}) "
                      "ORDER BY id", *chunk):
            new_id = low + r[0] if aligned else start
            start = max(start, new_id + 1)
            rows.append((new_id, table, r[0], row_text(r[1:])))
    db.many("INSERT INTO search_rows (id, tbl, row_id, text) VALUES (?, ?, ?, ?)", rows)
    if not db.postgres:
        db.many(f"INSERT INTO {FTS_PREFIX} (rowid, tokens) VALUES (?, ?)",
                [(r[0], tokens(r[3])) for r in rows])


def _store_prints(db: Database, seeds_dir: Path, p: Plan,
                  new_rows: dict[str, list[Row]]) -> None:
    if p.elsewhere is not None:
        db.q("DELETE FROM seed_state WHERE key = 'seeds'")
        db.q("INSERT INTO seed_state (key, value) VALUES ('seeds', ?)", str(seeds_dir.resolve()))
    for rel in p.removed:
        db.q("DELETE FROM seed_files WHERE path = ?", rel)
    for rel, (_same_bytes, st) in p.touched.items():
        db.q("UPDATE seed_files SET size = ?, mtime_ns = ? WHERE path = ?",
             st.size, st.mtime_ns, rel)
    for rel in p.references:
        db.q("DELETE FROM seed_files WHERE path = ?", rel)
        if rel in p.current:
            st = p.current[rel]
            db.q("INSERT INTO seed_files (path, sha256, size, mtime_ns, tbl, n_rows) "
                 "VALUES (?, ?, ?, ?, NULL, NULL)", rel, p.digests[rel], st.size, st.mtime_ns)
    for rel in p.changed:
        db.q("DELETE FROM seed_files WHERE path = ?", rel)
        # the stamp taken before reading: a file edited meanwhile is re-read next time
        st = p.current[rel]
        folder = rel.split("/", 1)[0]
        db.q("INSERT INTO seed_files (path, sha256, size, mtime_ns, tbl, n_rows) "
             "VALUES (?, ?, ?, ?, ?, ?)", rel, p.digests[rel], st.size, st.mtime_ns,
             TABLE_OF.get(folder, folder), len(new_rows[rel]))


def _reference_rows(db: Database) -> dict[str, list[Row]]:
    """The slugs the compared rows' foreign keys point to (unchanged on both sides)."""
    return {t: [{"id": i, "slug": s} for i, s in db.q(f"SELECT id, slug FROM {t}")]
            for t in ("sources", "zones", "metrics", "firms", "funds", "projects", "people",
                      "reforms")}


@dataclass
class ReferenceEdit:
    """The referenced rows as they were and are (``text`` left out), and the ids of those
    that changed or went away, by table."""

    old: dict[str, list[Row]] = field(default_factory=dict)
    new: dict[str, list[Row]] = field(default_factory=dict)
    changed: dict[str, list[int]] = field(default_factory=dict)
    removed: dict[str, list[int]] = field(default_factory=dict)

    def finish(self, db: Database) -> None:
        """After the statements are replaced: drop the rows that went away (nothing points
        at them any more) and re-index the statements whose search text repeats a label
        that changed."""
        for table in reversed(REFERENCES):
            if self.removed.get(table):
                db.many(f"DELETE FROM {table} WHERE id = ?", [(i,) for i in self.removed[table]])
        for table in STATEMENT_TABLES:
            if table not in SEARCHED:
                continue
            pointers = [c for c in _columns(db, table) if c in POINTERS and POINTERS[c][1]]
            ids = _pointing(db, table, pointers, self.changed)
            _unindex(db, table, ids)
            _index(db, table, ids)


def _update_references(db: Database, seeds_dir: Path, p: Plan) -> ReferenceEdit:
    """Read every file but facts/ and ignore/, write the referenced rows that differ, and
    add to ``p.changed`` the statement files with a row pointing at one of them."""
    try:
        tables = read_references(seeds_dir)
    except SeedError as exc:  # the full rebuild reports it, with the statements' problems
        raise NotIncremental("the seeds have problems") from exc
    edit = ReferenceEdit()
    for table in REFERENCES:
        cols = [c for c in _columns(db, table) if c != "text"]
        old = [dict(zip(cols, r, strict=True)) for r in
               db.q(f"SELECT {', '.join(cols)} FROM {table} ORDER BY id")]
        new = tables.get(table, [])
        if [r["id"] for r in old] != list(range(1, len(old) + 1)):
            raise NotIncremental(f"{table} ids have gaps")  # written to since the seeding
        changed = [n for n, o in zip(new, old, strict=False)
                   if any(n.get(c) != o[c] for c in cols)]
        edit.old[table] = old
        edit.new[table] = [{c: r.get(c) for c in cols} for r in new]
        edit.changed[table] = [r["id"] for r in changed]
        edit.removed[table] = [r["id"] for r in old[len(new):]]
        _write(db, table, changed, new[len(old):], edit.removed[table] if "slug" in cols else [])
        if table in SEARCHED and (changed or len(new) != len(old)):
            _unindex(db, table, edit.changed[table] + edit.removed[table])
            _index(db, table, edit.changed[table] + [r["id"] for r in new[len(old):]])
    hit = {t: edit.changed[t] + edit.removed[t] for t in REFERENCES}
    for table in STATEMENT_TABLES:
        pointers = [c for c in _columns(db, table) if c in POINTERS]
        ids = _pointing(db, table, pointers, hit)
        first = 1
        for rel, n in _stored_order(p, table):
            last = first + (n or 0)  # the file's rows are ids first .. last - 1
            if rel in p.current and rel not in p.changed and rel not in p.removed and \
                    bisect.bisect_left(ids, first) < bisect.bisect_left(ids, last):
                p.changed.append(rel)
                p.digests[rel] = p.stored[rel].sha256
                p.touched.pop(rel, None)
            first = last
    p.reread = sum(1 for rel in p.current if not is_statement_file(rel))
    return edit


def _write(db: Database, table: str, changed: list[Row], added: list[Row],
           removed: list[int]) -> None:
    """Update rows in place and append the new ones. The slugs of the changed rows and of
    those going away (``removed``) are first moved aside, so a slug may pass to another
    row."""
    aside = [r["id"] for r in changed if "slug" in r] + removed
    if aside:
        db.many(f"UPDATE {table} SET slug = ? WHERE id = ?", [(f" reseed {i}", i) for i in aside])
    if changed:
        names = [c for c in changed[0] if c != "id"]
        db.many(f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in names)} WHERE id = ?",
                [(*(r[c] for c in names), r["id"]) for r in changed])
    if added:
        names = list(added[0])
        db.many(f"INSERT INTO {table} ({', '.join(names)}) VALUES "
                f"({', '.join('?' for _ in names)})", [tuple(r[c] for c in names) for r in added])


def _pointing(db: Database, table: str, pointers: list[str], hit: dict[str, list[int]]
              ) -> list[int]:
    """Ids of ``table``'s rows whose ``pointers`` point at a row of ``hit``."""
    found: set[int] = set()
    for column in pointers:
        targets = hit.get(POINTERS[column][0]) or []
        for lo in range(0, len(targets), 500):
            chunk = targets[lo:lo + 500]
            found.update(r[0] for r in db.q(
                f"SELECT id FROM {table} WHERE {column} IN ({', '.join('?' for _ in chunk)})",
                *chunk))
    return sorted(found)


def _stored_order(p: Plan, table: str) -> list[tuple[str, int | None]]:
    """A statement table's files in the order their ids were given, with their row counts."""
    rels = sorted((r for r, s in p.stored.items() if s.tbl == table),
                  key=lambda r: (not r.endswith(".yaml"), r))
    return [(r, p.stored[r].n_rows) for r in rels]
