"""Incremental re-seeding: redo only what the edited seed files touch.

Every seeding stores a fingerprint of each seed file (``seed_files``: size, mtime, sha256,
and for facts/ and ignore/ files how many rows they gave). The next seeding compares the
folder with them: a file whose size and mtime match is unchanged; otherwise its sha256
decides (a copied folder has new mtimes, the same bytes). When only files of facts/ or
ignore/ changed (nothing refers to those rows), just those files are read and validated,
against the zones, metrics, sources ... the database holds, and their rows are replaced in
one transaction, later rows' ids shifted so that the ids are exactly the ones a full
rebuild gives (ids follow seed order). Anything else (a source text, the manifest,
zones.yaml, metrics, firms ...), no fingerprints, another seeds folder, zonedb version or
schema revision: a full rebuild (``zonedb.store.load``).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zonedb.seeds.context import TABLE_OF, folder_files
from zonedb.seeds.read import FOLDERS, Known, read_changed
from zonedb.store.models import LOAD_ORDER
from zonedb.store.search import (
    ALIGNED,
    FTS_PREFIX,
    SEARCHED,
    aligned_mark,
    row_text,
    table_range,
    tokens,
)

INCREMENTAL = ("facts", "ignore")  # folders whose rows nothing refers to
Row = dict[str, Any]


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


def seed_paths(seeds_dir: Path) -> Iterator[tuple[str, Path]]:
    """Every file a seeding may read: zones.yaml and other top-level YAML, sources/ (manifest
    and texts), and each per-kind folder's YAML; as (path inside the folder, path)."""
    for child in sorted(seeds_dir.iterdir()):
        if child.name.startswith((".", "_")):
            continue
        if child.is_file() and child.suffix in (".yaml", ".yml"):
            yield child.name, child
        elif child.is_dir() and child.name == "sources":
            for path in sorted(child.rglob("*")):
                rel = path.relative_to(seeds_dir)
                if path.is_file() and not any(p.startswith(".") for p in rel.parts):
                    yield rel.as_posix(), path
        elif child.is_dir() and child.name in FOLDERS:
            for path in folder_files(seeds_dir, child.name):
                yield path.relative_to(seeds_dir).as_posix(), path


def stamp(path: Path) -> Stamp:
    st = path.stat()
    return Stamp(st.st_size, st.st_mtime_ns)


def sha256(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def state(seeds_dir: Path, revision: str) -> dict[str, str]:
    """What the fingerprints hold for: this folder (as found and as shown, since rows keep
    the shown path), this zonedb and this schema."""
    from importlib.metadata import version

    shown = os.path.relpath(seeds_dir) if not os.path.relpath(seeds_dir).startswith("..") \
        else str(seeds_dir.absolute())
    return {"seeds": f"{seeds_dir.resolve()}\n{shown}", "version": version("zonedb"),
            "revision": revision}


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
                       seeds_dir: Path, revision: str) -> None:
    """Replace the stored fingerprints (inside the seeding's transaction)."""
    execute("DELETE FROM seed_files", [])
    execute("DELETE FROM seed_state", [])
    rows = [(rel, digest, size, mtime, *_placed(rel, file_rows))
            for rel, digest, size, mtime in prints]
    if rows:
        execute("INSERT INTO seed_files (path, sha256, size, mtime_ns, tbl, n_rows) "
                "VALUES (?, ?, ?, ?, ?, ?)", rows)
    execute("INSERT INTO seed_state (key, value) VALUES (?, ?)",
            list(state(seeds_dir, revision).items()))


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
    want = state(seeds_dir, revision)
    if not saved:
        return Plan(full="the database has no seed fingerprints")
    if saved.get("seeds") != want["seeds"]:
        return Plan(full="the database was seeded from another seeds folder")
    if saved.get("version") != want["version"] or saved.get("revision") != want["revision"]:
        return Plan(full="the database was seeded by another zonedb version")
    result = Plan(stored={r[0]: Stored(r[1], Stamp(r[2], r[3]), r[4], r[5]) for r in rows})
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
        if rel.split("/", 1)[0] not in INCREMENTAL or "/" not in rel:
            return Plan(full=f"{rel} changed")
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
    _store_prints(db, seeds_dir, p, new_rows)
    refs = _reference_rows(db)
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
    def order(rels: list[str]) -> list[str]:
        return sorted(rels, key=lambda r: (not r.endswith(".yaml"), r))

    old = order([r for r, s in p.stored.items() if s.tbl == table])
    new = [p.relative_to(seeds_dir).as_posix() for p in folder_files(seeds_dir, folder)]
    if not any(r in p.changed or r in p.removed for r in (*old, *new)):
        return None
    counts = {r: p.stored[r].n_rows or 0 for r in old}
    return Layout(table, [(r, counts[r]) for r in old],
                  [(r, len(new_rows[r]) if r in new_rows else counts[r]) for r in new])


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
    for rel in p.removed:
        db.q("DELETE FROM seed_files WHERE path = ?", rel)
    for rel, (_same_bytes, st) in p.touched.items():
        db.q("UPDATE seed_files SET size = ?, mtime_ns = ? WHERE path = ?",
             st.size, st.mtime_ns, rel)
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
