"""Building a database from validated seeds, all or nothing.

SQLite: the new database is built in a temporary file beside the target, checked,
and moved over the old one with ``os.replace``, so readers see either the old
file or the complete new one. PostgreSQL: the schema is migrated, then every
table is emptied and refilled in one transaction.
"""

from __future__ import annotations

import contextlib
import gc
import os
import shutil
import signal
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zonedb.errors import DatabaseBusy, DatabaseError, Refused
from zonedb.interrupts import install as note_interrupts
from zonedb.interrupts import stop_if_interrupted
from zonedb.seeds.read import SeedSet, read_seeds
from zonedb.store.db import (
    Result,
    display,
    make_engine,
    not_zonedb,
    resolve_url,
    sqlite_path,
)
from zonedb.store.migrate import upgrade
from zonedb.store.reseed import (
    Database,
    NotIncremental,
    Plan,
    apply,
    consistent,
    fingerprint,
    plan,
    write_fingerprints,
)
from zonedb.store.search import rebuild as rebuild_search
from zonedb.store.tables import LOAD_ORDER

TMP_MARK = ".zonedb-tmp-"
LOCK_TIMEOUT_S = 30.0  # PostgreSQL: how long a seeding waits for another session's writes


@dataclass
class SeedReport:
    target: str
    counts: dict[str, int]
    changes: str | None = None  # with ``summarise``: the one-line summary of what changed
    how: str | None = None  # how the seeding went about it, when worth saying (incremental)


def seed(db: str | None = None, seeds_dir: Path | str | None = None, *,
         summarise: bool = False, full: bool = False, force: bool = False) -> SeedReport:
    """Validate the seeds, then replace the database's contents with them; with
    ``summarise``, also say what changed (``zonedb.store.diff``). Only the seed files that
    changed since the last seeding are read again (``zonedb.store.reseed``) unless ``full``.
    An existing SQLite file that is not a zonedb database is refused unless ``force``: it
    may be anything."""
    path = sqlite_path(resolve_url(db))
    if path is not None and not force:
        refuse_foreign_file(path)
    handler = signal.getsignal(signal.SIGINT) if _main_thread() else None
    note_interrupts()  # the console script did at its start, if it runs this
    try:
        with _collector_paused():
            return _seed(resolve_url(db), seeds_dir, summarise, full)
    finally:
        if handler is not None:  # _swap_in ignored Ctrl-C once the new file was in place
            signal.signal(signal.SIGINT, handler)


def refuse_foreign_file(path: Path) -> None:
    """Refused (nothing written) when ``path`` exists and is not a zonedb database
    (``zonedb.store.db.not_zonedb``)."""
    why = not_zonedb(path)
    if why:
        raise Refused(f"{path} {why}; `zonedb seed` replaces only a zonedb database. "
                      "Choose another --db, or add --force to replace this file")


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def _swap_in(tmp: Path, path: Path) -> None:
    """Replace the old file with the new one. A Ctrl-C caught before the swap stops the
    seeding here (the old file stays); one that arrives during or after it is dropped until
    ``seed`` returns, since by then "nothing was changed" would be false."""
    if not _main_thread():  # signals are the main thread's business
        os.replace(tmp, path)
        return
    # CPython runs pending signal handlers when the mask changes: a Ctrl-C already
    # received raises KeyboardInterrupt here, before anything is replaced.
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        stop_if_interrupted()
        os.replace(tmp, path)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a blocked, pending one is discarded
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic collector off while seeding: the reader keeps hundreds of thousands
    of long-lived objects (slug maps, source indexes, row batches) and makes few cycles,
    and each full collection walked them all again (a fifth of a 100k-fact seeding)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _seed(url: str, seeds_dir: Path | str | None, summarise: bool, full: bool) -> SeedReport:
    from zonedb.seeds.read import default_seeds_dir
    from zonedb.store.revisions import head_revision

    directory = Path(seeds_dir) if seeds_dir is not None else default_seeds_dir()
    if not directory.is_dir():
        read_seeds(directory)  # raises the usual SeedError
    head = head_revision()
    path = sqlite_path(url)
    why = None
    if path is not None and not full and path.exists():
        _remove_stale_temporaries(path)
        done, why = _incremental_sqlite(path, directory, head)
        if done is not None:
            return done.report(display(url), summarise)
    if path is not None:  # stream: rows reach the new file in batches, then are compared
        def fill(conn: Any) -> dict[str, int]:
            prints = fingerprint(directory)
            seedset = read_seeds(directory, sink=_inserter(conn))
            rebuild_search(conn)
            write_fingerprints(_executor(conn), prints, seedset.file_rows, head,
                               directory)
            return seedset.counts()

        counts, changes = _load_sqlite_file(path, fill, summarise)
        return SeedReport(display(url), counts, changes, why)
    if not full:
        done, why = _incremental_server(url, directory, head)
        if done is not None:
            return done.report(display(url), summarise)
    prints = fingerprint(directory)
    seedset = read_seeds(directory)
    changes = load_server(url, seedset, summarise,
                          lambda conn: write_fingerprints(_executor(conn), prints,
                                                          seedset.file_rows, head, directory))
    return SeedReport(display(url), seedset.counts(), changes, why)


_SAID = ("the database was seeded by another zonedb version",)


@dataclass
class Outcome:
    """What an incremental re-seed did (or, not committed, would do)."""

    counts: dict[str, int]
    diff: Any  # zonedb.store.diff.Diff
    how: str
    rows: dict[str, list[dict[str, Any]]]  # the re-read files' rows

    def report(self, target: str, summarise: bool) -> SeedReport:
        return SeedReport(target, self.counts, self.diff.summary() if summarise else None,
                          self.how)


def preview(db: str | None, seeds_dir: Path | str | None) -> Outcome | None:
    """The incremental re-seed validated and applied, then rolled back: what ``zonedb diff``
    and ``zonedb seed --check`` report at the cost of the edit. None when a re-seed would be
    a full rebuild (or the database cannot take the trial), so the caller reads everything."""
    from zonedb.seeds.read import default_seeds_dir
    from zonedb.store.revisions import head_revision

    url = resolve_url(db)
    directory = Path(seeds_dir) if seeds_dir is not None else default_seeds_dir()
    path = sqlite_path(url)
    if not directory.is_dir() or (path is not None and not path.exists()):
        return None
    head = head_revision()
    with _collector_paused():
        if path is not None:
            return _incremental_sqlite(path, directory, head, commit=False)[0]
        return _incremental_server(url, directory, head, commit=False)[0]


def _how(p: Plan) -> str:
    moved = "" if p.elsewhere is None else (
        f"; the last seeding read {p.elsewhere}, so the files were compared by content")
    return (f"re-read {len(p.changed) + p.reread} of {p.total} seed files, the others are "
            f"unchanged since the last seeding{moved} (--full reads all)")


def _incremental_sqlite(path: Path, directory: Path, head: str, commit: bool = True
                        ) -> tuple[Outcome | None, str | None]:
    """Re-seed in place when only facts/ or ignore/ files changed: one IMMEDIATE
    transaction, in WAL mode from the second re-seed on (the first switches the file after
    its commit), so readers keep the old snapshot until the commit; a second seeding waits.
    Returns (outcome, None), or (None, why a full rebuild is needed when worth saying).
    Not ``commit``: rolled back, the file untouched."""
    from zonedb.store.db import statement_timeout

    try:
        conn = sqlite3.connect(path, timeout=statement_timeout(), isolation_level=None)
    except sqlite3.Error:
        return None, None
    try:
        db = _sqlite_db(conn)
        try:  # a file locked by another writer is rebuilt beside it, as before
            p = _plan_sqlite(db, directory, head)
            if p.full is None and not commit:
                conn.execute("BEGIN")  # a trial: a write lock only for its own writes
        except sqlite3.OperationalError:
            return None, None
        if p.full is not None:
            return None, p.full if p.full in _SAID else None
        if commit:
            conn.execute(f"PRAGMA busy_timeout = {int(LOCK_TIMEOUT_S * 1000)}")
            conn.execute("BEGIN IMMEDIATE")  # a second seeding waits here
        p = _plan_sqlite(db, directory, head)  # again under the lock: another seeding may
        if p.full is not None or not consistent(db, p):  # have committed meanwhile
            conn.execute("ROLLBACK")
            return None, None
        try:
            result, rows = apply(db, directory, p)
        except NotIncremental:
            conn.execute("ROLLBACK")
            return None, None
        counts = {t: int(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0])
                  for t in LOAD_ORDER}
        stop_if_interrupted()
        conn.execute("COMMIT" if commit else "ROLLBACK")
        if commit:  # after success only: a refused re-seed leaves the file byte for byte
            with contextlib.suppress(sqlite3.OperationalError):  # readers: next time
                conn.execute("PRAGMA journal_mode = WAL")
        return Outcome(counts, result, _how(p), rows), None
    except sqlite3.OperationalError as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        if not commit:  # read-only file, busy: the caller reads everything instead
            return None, None
        if exc.sqlite_errorname in ("SQLITE_BUSY", "SQLITE_LOCKED"):
            raise DatabaseBusy(f"{path} is busy: another seeding or writer has held it for "
                               f"{LOCK_TIMEOUT_S:g} seconds; nothing was changed, try again "
                               "when it has finished") from exc
        raise DatabaseError(f"re-seeding {path} failed: {exc}; nothing was changed") from exc
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    finally:
        conn.close()


def _incremental_server(url: str, directory: Path, head: str, commit: bool = True
                        ) -> tuple[Outcome | None, str | None]:
    """PostgreSQL: the same re-seed in one transaction, under the EXCLUSIVE lock a full
    seeding takes (readers go on reading the old rows until the commit)."""
    _check_server(url)
    engine = make_engine(url)
    try:
        with engine.connect() as conn, conn.begin() as transaction:
            if not conn.exec_driver_sql(
                    "SELECT to_regclass('seed_state') IS NOT NULL").scalar():
                return None, None
            conn.exec_driver_sql(f"SET LOCAL lock_timeout = {int(LOCK_TIMEOUT_S * 1000)}")
            names = ", ".join((*LOAD_ORDER, "search_rows", "seed_files", "seed_state"))
            conn.exec_driver_sql(f"LOCK TABLE {names} IN EXCLUSIVE MODE")
            db = _server_db(conn)
            revision = [r[0] for r in db.q("SELECT version_num FROM alembic_version")]
            p = plan(lambda sql: db.q(sql), directory, head) if revision == [head] else \
                Plan(full="the database has another schema revision")
            if p.full is not None or not consistent(db, p):
                return None, p.full if p.full in _SAID else None
            try:
                result, rows = apply(db, directory, p)
            except NotIncremental:
                transaction.rollback()
                return None, None
            for name in LOAD_ORDER:
                conn.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                    f"coalesce((SELECT max(id) FROM {name}), 0) + 1, false)")
            counts = {t: int(db.q(f"SELECT count(*) FROM {t}")[0][0]) for t in LOAD_ORDER}
            stop_if_interrupted()
            if not commit:
                transaction.rollback()
    except Exception as exc:
        if isinstance(exc, _sqlalchemy_error()):
            if _lock_timeout(exc):
                raise DatabaseBusy(
                    f"{display(url)} is busy: another session has been writing to it for "
                    f"{LOCK_TIMEOUT_S:g} seconds; nothing was changed, try again when it has "
                    "finished") from exc
            raise DatabaseError(f"re-seeding {display(url)} failed: "
                                f"{str(getattr(exc, 'orig', exc)).strip()}") from exc
        raise
    finally:
        engine.dispose()
    return Outcome(counts, result, _how(p), rows), None


def _server_db(conn: Any) -> Database:
    def run(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        cur = conn.exec_driver_sql(sql.replace("?", "%s"), tuple(params)) if params else \
            conn.exec_driver_sql(sql)
        return [tuple(r) for r in cur.fetchall()] if cur.returns_rows else []

    def many(sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            conn.exec_driver_sql(sql.replace("?", "%s"), [tuple(r) for r in rows])

    return Database(run, many, postgres=True)


def _sqlite_db(conn: sqlite3.Connection) -> Database:
    def many(sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            conn.executemany(sql, rows)

    return Database(lambda sql, params: conn.execute(sql, params).fetchall(), many,
                    postgres=False)


def _plan_sqlite(db: Database, directory: Path, head: str) -> Plan:
    try:
        revision = db.q("SELECT version_num FROM alembic_version")
    except sqlite3.Error:
        return Plan(full="the database could not be read")
    if [r[0] for r in revision] != [head]:
        return Plan(full="the database has another schema revision")
    return plan(lambda sql: db.q(sql), directory, head)


def _executor(conn: Any) -> Callable[[str, Sequence[Any]], None]:
    """``execute(sql with ? marks, rows)`` on the seeding's SQLAlchemy connection."""
    postgres = conn.dialect.name == "postgresql"

    def execute(sql: str, rows: Sequence[Any]) -> None:
        if postgres:
            sql = sql.replace("?", "%s")
        if rows:
            conn.exec_driver_sql(sql, list(rows))
        else:
            conn.exec_driver_sql(sql)

    return execute


def _insert_all(connection: object, seedset: SeedSet) -> None:
    """PostgreSQL only: SQLite files are filled by the streaming ``_inserter``."""
    from sqlalchemy import Connection

    from zonedb.store.models import Base

    assert isinstance(connection, Connection)
    for name in LOAD_ORDER:
        rows = seedset.tables.get(name) or []
        if rows:
            connection.execute(Base.metadata.tables[name].insert(), rows)


def _inserter(connection: object) -> Callable[[str, list[dict[str, Any]]], None]:
    """Bulk inserts through the DBAPI's executemany: no per-row SQLAlchemy work."""
    def insert(table: str, rows: list[dict[str, Any]]) -> None:
        columns = list(rows[0])
        sql = (f"INSERT INTO {table} ({', '.join(columns)}) "
               f"VALUES ({', '.join(':' + c for c in columns)})")
        connection.exec_driver_sql(sql, rows)  # type: ignore[attr-defined]

    return insert


def _load_sqlite_file(path: Path, fill: Callable[[object], dict[str, int]],
                      summarise: bool = False) -> tuple[dict[str, int], str | None]:
    """Build a new file with ``fill(connection)`` inside one transaction, check it, compare
    it with the old one (``summarise``), swap it in."""
    directory = path.parent
    if not directory.is_dir():
        raise DatabaseError(f"cannot create {path}: folder {directory} does not exist")
    _remove_stale_temporaries(path)
    tmp = directory / f"{path.name}{TMP_MARK}{os.getpid()}"
    try:
        os.close(os.open(tmp, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o644))  # writable?
        url = "sqlite:///" + str(tmp)
        engine = make_engine(url)
        try:
            with engine.begin() as conn:
                conn.exec_driver_sql("PRAGMA journal_mode = OFF")
                conn.exec_driver_sql("PRAGMA synchronous = OFF")
            with engine.begin() as conn:
                upgrade(conn, url)
                result = fill(conn)
        finally:
            engine.dispose()
        _verify(tmp)
        changes = _summary(tmp, path, list(result)) if summarise else None
        _durable(tmp, path)
        _checkpoint(path)
        _swap_in(tmp, path)
        _forget_wal(path)
        return result, changes
    except PermissionError as exc:
        raise DatabaseError(f"cannot write the database in {directory}: {exc.strerror}") from exc
    except OSError as exc:
        raise DatabaseError(f"cannot write {path}: {exc.strerror or exc}") from exc
    except Exception as exc:  # SQLAlchemy wraps sqlite3's errors (disk full, I/O error)
        if not isinstance(exc, _sqlalchemy_error()):
            raise
        raise DatabaseError(f"cannot build the new database beside {path}: "
                            f"{getattr(exc, 'orig', exc)}; the old database was left in "
                            "place") from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _checkpoint(path: Path) -> None:
    """Empty the old file's write-ahead log before the swap, so that no connection opening
    the new file in between could read the old file's pages from it."""
    if not Path(f"{path}-wal").exists():
        return
    with contextlib.suppress(sqlite3.Error):
        conn = sqlite3.connect(path, timeout=1.0)
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()


def _forget_wal(path: Path) -> None:
    """The old file's -wal and -shm belong to it (readers still on it keep them open),
    never to the new one that replaced it."""
    for suffix in ("-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(f"{path}{suffix}")


def _sqlalchemy_error() -> type[Exception]:
    from sqlalchemy.exc import SQLAlchemyError  # loaded already: the seeding used it

    return SQLAlchemyError


def _summary(new: Path, old: Path, tables: list[str]) -> str:
    """What the new file changes against the old one; a database that cannot be read
    (corrupt, older schema, locked) does not stop the seeding, it is only said."""
    from zonedb.errors import UnreadableDatabase, ZonedbError
    from zonedb.store.diff_sql import summarise_files

    if not old.exists():
        return "new database"
    try:
        return summarise_files(new, old, tables).summary()
    except UnreadableDatabase:  # corrupt, not SQLite, older schema: not "run `zonedb seed`"
        return "replaced a file that could not be read as a zonedb database"
    except ZonedbError as exc:  # only busy or slow: say why there is no comparison
        return f"not compared with the current database ({str(exc).splitlines()[0]})"


def _verify(path: Path) -> None:
    """Integrity and foreign-key checks on the finished file before it replaces the old one."""
    conn = sqlite3.connect(path)
    try:
        ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
        bad_fk = conn.execute("PRAGMA foreign_key_check").fetchall()
        conn.execute("PRAGMA journal_mode = DELETE")
    finally:
        conn.close()
    if ok != "ok" or bad_fk:
        raise DatabaseError(f"the new database failed its integrity check ({ok}, {bad_fk[:3]}); "
                            "the old database was left in place")


def _durable(tmp: Path, path: Path) -> None:
    """Keep the old file's permissions, and flush the new one to disk before the rename."""
    with contextlib.suppress(OSError):
        shutil.copymode(path, tmp)
    fd = os.open(tmp, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove_stale_temporaries(path: Path) -> None:
    """Temporary files left by a seeding that was killed half-way."""
    for stale in path.parent.glob(f"{path.name}{TMP_MARK}*"):
        pid = stale.name.split(TMP_MARK, 1)[1].split("-")[0]  # "123" or "123-journal"
        if pid.isdigit() and _alive(int(pid)):
            continue
        with contextlib.suppress(OSError):
            stale.unlink()


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def load_server(url: str, seedset: SeedSet, summarise: bool = False,
                after: Callable[[Any], None] | None = None) -> str | None:
    """Migrate, empty and refill in one transaction. DELETE rather than TRUNCATE: TRUNCATE
    takes an ACCESS EXCLUSIVE lock that would block readers, while DELETE lets other
    sessions keep reading the old rows until the commit. EXCLUSIVE mode stops a second
    seeding (or any writer) from interleaving. With ``summarise``, the ``Changes:`` line is
    computed under that lock on the same connection, so a seeding that committed while
    this one waited is counted as the state being replaced."""
    _check_server(url)
    engine = make_engine(url)
    changes = None
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(f"SET LOCAL lock_timeout = {int(LOCK_TIMEOUT_S * 1000)}")
            existed = conn.exec_driver_sql(
                "SELECT to_regclass('alembic_version') IS NOT NULL").scalar()
            upgrade(conn, url)
            names = ", ".join(LOAD_ORDER)
            conn.exec_driver_sql(f"LOCK TABLE {names} IN EXCLUSIVE MODE")
            if summarise:
                changes = _locked_summary(conn, seedset, bool(existed))
            for name in reversed(LOAD_ORDER):
                conn.exec_driver_sql(f"DELETE FROM {name}")
            _insert_all(conn, seedset)
            rebuild_search(conn)
            if after is not None:
                after(conn)
            for name in LOAD_ORDER:
                conn.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                    f"coalesce((SELECT max(id) FROM {name}), 0) + 1, false)")
            stop_if_interrupted()  # before the COMMIT that leaving this block makes
    except Exception as exc:
        if isinstance(exc, _sqlalchemy_error()):
            reason = str(getattr(exc, "orig", exc)).strip()
            if _lock_timeout(exc):
                raise DatabaseBusy(
                    f"{display(url)} is busy: another session has been writing to it for "
                    f"{LOCK_TIMEOUT_S:g} seconds; nothing was changed, try again when it has "
                    "finished") from exc
            raise DatabaseError(f"seeding {display(url)} failed: {reason}") from exc
        raise
    finally:
        engine.dispose()
    return changes


class _ConnReader:
    """``database_rows`` reads through this: the seeding's own connection, inside its lock."""

    def __init__(self, conn: Any) -> None:
        self._conn = conn

    def execute(self, sql: str) -> Result:
        cur = self._conn.exec_driver_sql(sql)
        return Result(list(cur.keys()), [tuple(r) for r in cur.fetchall()])


def _locked_summary(conn: Any, seedset: SeedSet, existed: bool) -> str:
    """The summary of what this seeding replaces, read after the lock is held."""
    from zonedb.store.diff import compare, database_rows

    if not existed:
        result = compare({}, seedset.tables)
        result.database_exists = False
        return result.summary()
    return compare(database_rows(_ConnReader(conn), list(seedset.tables)),
                   seedset.tables).summary()


def _lock_timeout(exc: BaseException) -> bool:
    from psycopg import errors

    return isinstance(getattr(exc, "orig", None), errors.LockNotAvailable)


def _check_server(url: str) -> None:
    """Reachable, and UTF8: zonedb stores Chinese text (SQL_ASCII would hand back bytes)."""
    from zonedb.store.db import Reader

    with Reader(url) as reader:
        encoding = reader.execute("SHOW server_encoding").rows[0][0]
    if isinstance(encoding, bytes):
        encoding = encoding.decode("ascii", "replace")
    if str(encoding).upper() not in ("UTF8", "UTF-8"):
        raise DatabaseError(f"{display(url)} uses the {encoding} encoding; zonedb stores Chinese "
                            "text and needs a UTF8 database (CREATE DATABASE ... ENCODING 'UTF8' "
                            "TEMPLATE template0)")
