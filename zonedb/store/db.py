"""Database URLs, engines for writing, and light read-only connections for querying.

The read path uses the standard library's sqlite3 directly (or psycopg for PostgreSQL)
so that a query starts as fast as a plain script: no SQLAlchemy, no Alembic.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import re
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zonedb.errors import (
    DatabaseBusy,
    DatabaseError,
    MissingDriverError,
    NoDatabase,
    OldSchema,
    ReadOnly,
    RefusedStatement,
    ResultTooLarge,
    StatementTimeout,
    UnreadableDatabase,
)

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

DEFAULT_DB = "zonedb.db"
ENV_VAR = "ZONEDB_DB"
STATEMENT_TIMEOUT_S = 10.0
TIMEOUT_ENV_VAR = "ZONEDB_STATEMENT_TIMEOUT"
MAX_TIMEOUT_S = 86_400.0  # a day: past that a limit is no limit (and inf breaks the server's)
READER_ROLE = "zonedb_reader"  # the NOLOGIN role read sessions switch to (db grant-reader)
MAX_VALUE_BYTES = 64 * 2**20  # SQLite's length limit on read connections: one value, 64 MiB
# SQLite functions a read connection refuses: memory pointers (fts3_tokenizer, fts5),
# extensions, and the shell's file functions should a build carry them.
_SQLITE_REFUSED = {"fts3_tokenizer", "fts5", "load_extension", "readfile", "writefile",
                   "edit", "fts5_source_id"}
_SQLITE_READ_PRAGMAS = {"table_info", "table_xinfo", "index_list", "index_info", "index_xinfo",
                        "foreign_key_list", "foreign_key_check", "integrity_check",
                        "quick_check", "pragma_list", "function_list", "collation_list",
                        "database_list", "module_list", "compile_options", "user_version",
                        "schema_version", "page_count", "page_size", "encoding",
                        "freelist_count", "data_version", "application_id"}


def resolve_url(db: str | None) -> str:
    """Turn ``--db`` / ``ZONEDB_DB`` / the default into an SQLAlchemy URL."""
    raw = db or os.environ.get(ENV_VAR) or DEFAULT_DB
    if "://" in raw:
        # zonedb speaks to PostgreSQL through psycopg 3 only, whatever driver the URL names.
        return re.sub(r"^postgres(ql)?(\+\w+)?://", "postgresql+psycopg://", raw)
    return "sqlite:///" + str(Path(raw).expanduser().absolute())


def sqlite_path(url: str) -> Path | None:
    """The file of an SQLite URL, or None for other databases."""
    if not url.startswith("sqlite:///"):
        return None
    return Path(url[len("sqlite:///"):])


def not_zonedb(path: Path) -> str | None:
    """Why the file at ``path`` is not a zonedb database (as "is ..."), or None when it may
    be one: no file, an empty file, or SQLite holding zonedb's tables. Commands that write
    (seed without --force, db upgrade|downgrade) refuse such a file: it may be anything."""
    if not path.exists() and not path.is_symlink():
        return None
    if path.is_symlink() or not path.is_file():
        return "is not a regular file"
    with path.open("rb") as fh:
        head = fh.read(16)
    if not head:
        return None
    if head != b"SQLite format 3\x00":
        return "is not an SQLite database"
    try:
        with contextlib.closing(sqlite3.connect(f"file:{uri_path(path)}?mode=ro",
                                                uri=True)) as conn:
            tables = {n for n, in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.Error:  # a damaged database, most likely zonedb's own: replaced
        return None
    if not tables & {"alembic_version", "sources", "zones"}:
        return "is an SQLite database that zonedb did not make"
    return None


def no_database(path: Path) -> NoDatabase:
    """The error for an SQLite path with no file: reads and `db current` never create one."""
    return NoDatabase(f"no database at {path}: run `zonedb seed --db {path}` first")


def is_postgres(url: str) -> bool:
    return url.startswith("postgresql")


def display(url: str) -> str:
    """The URL as shown to users: a plain path for SQLite, no password otherwise."""
    path = sqlite_path(url)
    if path is not None:
        return str(path)
    return re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", url)


def statement_timeout() -> float:
    """Seconds a read may run before it is cancelled: ``ZONEDB_STATEMENT_TIMEOUT`` or 10."""
    raw = os.environ.get(TIMEOUT_ENV_VAR, "").strip()
    try:
        value = float(raw) if raw else STATEMENT_TIMEOUT_S
    except ValueError:
        raise DatabaseError(f"{TIMEOUT_ENV_VAR}={raw!r} is not a number of seconds") from None
    if value != value or value > MAX_TIMEOUT_S:  # NaN, inf, 1e300
        raise DatabaseError(f"{TIMEOUT_ENV_VAR}={raw!r}: give a number of seconds up to "
                            f"{MAX_TIMEOUT_S:g} (a day)")
    return value if value > 0 else STATEMENT_TIMEOUT_S


def require_psycopg() -> None:
    try:
        import psycopg  # noqa: F401
    except ImportError as exc:
        raise MissingDriverError(
            "PostgreSQL needs the psycopg driver: pip install 'zonedb[postgres]'"
        ) from exc


def make_engine(url: str) -> Engine:
    """A SQLAlchemy engine for writing (seeding, migrations)."""
    from sqlalchemy import create_engine, event

    if is_postgres(url):
        require_psycopg()
    engine = create_engine(url)
    if sqlite_path(url) is not None:
        @event.listens_for(engine, "connect")
        def _fk_on(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.execute("PRAGMA foreign_keys = ON")
    return engine


STREAM_CHUNK = 1000  # rows per fetch of a streamed SQLite result


@dataclass
class Stream:
    """A statement's columns and its rows as they are fetched (``Reader.stream``): read
    them while the reader is open, once."""

    columns: list[str]
    rows: Iterator[tuple[Any, ...]]


@dataclass
class Result:
    columns: list[str]
    rows: list[tuple[Any, ...]]

    def dicts(self) -> Iterator[dict[str, Any]]:
        for row in self.rows:
            yield dict(zip(self.columns, row, strict=True))


class Reader:
    """A read-only connection: ``execute(sql, params)`` with ``:name`` parameters."""

    def __init__(self, url: str, *, write: bool = False,
                 timeout_s: float | None = None) -> None:
        self.url = url
        self.postgres = is_postgres(url)
        self._conn: Any
        timeout_s = statement_timeout() if timeout_s is None else timeout_s
        if self.postgres:
            self._conn = _pg_connect(url, write=write, timeout_s=timeout_s)
        else:
            self._conn = _sqlite_connect(url, write=write, busy_s=min(5.0, timeout_s))
            self._conn.set_progress_handler(self._past_deadline, 10_000)
            if not write:
                self._conn.set_authorizer(self._authorize)
        self._timeout_s = timeout_s
        self._deadline = 0.0
        self._denied = ""
        self._streams = 0  # server-side cursors opened (PostgreSQL): each needs a name

    def _authorize(self, action: int, arg1: str | None, arg2: str | None, _db: str | None,
                   _trigger: str | None) -> int:
        """SQLite asks this while preparing each statement of a read connection: no
        function of _SQLITE_REFUSED, no ATTACH/DETACH, no PRAGMA that sets a value (writes
        are query_only's to refuse)."""
        if action == sqlite3.SQLITE_FUNCTION:
            if (arg2 or "").lower() not in _SQLITE_REFUSED:
                return sqlite3.SQLITE_OK
            self._denied = f"the function {arg2}()"
        elif action == sqlite3.SQLITE_PRAGMA:
            if arg2 is None or (arg1 or "").lower() in _SQLITE_READ_PRAGMAS:
                return sqlite3.SQLITE_OK
            self._denied = f"PRAGMA {arg1} with a value"
        elif action in _SQLITE_ACTIONS:
            self._denied = _SQLITE_ACTIONS[action]
        else:  # reads; writes are refused by query_only, with its own message (ReadOnly)
            return sqlite3.SQLITE_OK
        return sqlite3.SQLITE_DENY

    def _past_deadline(self) -> int:
        """SQLite calls this during long statements; non-zero cancels the statement."""
        return 1 if self._deadline and time.monotonic() > self._deadline else 0

    def execute(self, sql: str, params: dict[str, Any] | None = None, *,
                max_rows: int | None = None, max_bytes: int | None = None) -> Result:
        """Rows of one statement. With ``max_rows``/``max_bytes``, rows are fetched a few at
        a time and ResultTooLarge stops the fetch past either cap, so memory stays bounded
        whatever the statement makes; the time limit covers the fetch as well."""
        capped = max_rows is not None or max_bytes is not None
        try:
            if self.postgres and capped and self._conn.read_only:
                # stream(): the extended protocol (one statement), rows as they come (in
                # chunks where libpq 17+ allows, single rows otherwise); leaving it early
                # cancels the statement on the server.
                cur = self._conn.cursor()
                rows = _capped(cur.stream(_to_pyformat(sql) if params else sql, params or None,
                                          size=_stream_size()), max_rows, max_bytes)
            elif self.postgres:
                # prepare=True: the extended protocol runs exactly one statement, whatever
                # the text hides behind quotes the guard might misread (issues 15, 20).
                cur = self._conn.execute(_to_pyformat(sql) if params else sql, params or None,
                                         prepare=True)
                rows = cur.fetchall() if cur.description else []
            else:
                self._deadline = time.monotonic() + self._timeout_s
                self._denied = ""
                cur = self._conn.execute(sql, params or {})
                if not cur.description:
                    rows = []
                elif capped:
                    rows = _capped(iter(lambda: cur.fetchmany(500), []), max_rows, max_bytes,
                                   chunks=True)
                else:
                    rows = cur.fetchall()
            columns = [d[0] for d in cur.description] if cur.description else []
            self._deadline = 0.0
        except ResultTooLarge:
            self._deadline = 0.0
            self._rollback()
            raise
        except Exception as exc:
            if (error := self._error(exc)) is exc:
                raise
            raise error from exc
        return Result(columns, rows if isinstance(rows, list) else list(rows))

    def stream(self, sql: str, params: dict[str, Any] | None = None) -> Stream:
        """Rows of one statement as they come, for writing out: memory holds a chunk, not
        the result (a CSV of a million rows). On SQLite the time limit holds for each fetch
        of a chunk, not for the whole stream, whose pace is that of the output's reader; on
        PostgreSQL it is the server's, for the statement."""
        try:
            if self.postgres:  # a server-side cursor: DECLARE, then a FETCH per chunk
                self._streams += 1
                cur = self._conn.cursor(name=f"zonedb_stream_{self._streams}")
                cur.itersize = STREAM_CHUNK
                cur.execute(_to_pyformat(sql) if params else sql, params or None)
                rows: Iterator[Any] = _closing(cur)
                first: list[Any] = []
            else:
                self._denied = ""
                self._deadline = time.monotonic() + self._timeout_s
                cur = self._conn.execute(sql, params or {})
                self._deadline = 0.0
                rows, first = self._sqlite_rows(cur) if cur.description else iter(()), []
            columns = [d[0] for d in cur.description] if cur.description else []
        except Exception as exc:
            if (error := self._error(exc)) is exc:
                raise
            raise error from exc
        return Stream(columns, self._guarded(itertools.chain(first, rows)))

    def _sqlite_rows(self, cur: sqlite3.Cursor) -> Iterator[tuple[Any, ...]]:
        while True:
            self._deadline = time.monotonic() + self._timeout_s
            chunk = cur.fetchmany(STREAM_CHUNK)
            self._deadline = 0.0
            if not chunk:
                return
            yield from chunk

    def _guarded(self, rows: Iterator[Any]) -> Iterator[tuple[Any, ...]]:
        try:
            yield from rows
        except Exception as exc:
            if (error := self._error(exc)) is exc:
                raise
            raise error from exc

    def _error(self, exc: Exception) -> Exception:
        """The ZonedbError a driver's error means; any other exception as it is."""
        self._deadline = 0.0
        if isinstance(exc, sqlite3.Error):
            if self._denied and "not authorized" in str(exc):
                return RefusedStatement(
                    f"refused: {self._denied or 'this statement'} is not available to "
                    "read-only SQL (zonedb reads its own tables only: no ATTACH, no PRAGMA "
                    "that sets a value, no fts3_tokenizer or load_extension); nothing was "
                    "run")
            if getattr(exc, "sqlite_errorname", "") == "SQLITE_TOOBIG":
                return ResultTooLarge(f"refused: a value would be larger than "
                                      f"{MAX_VALUE_BYTES // 2**20} MiB, the limit for one "
                                      "value on a read connection; nothing was printed")
            old = self._old_schema(exc)
            return OldSchema(old) if old else sqlite_error(exc, self._timeout_s)
        if not self.postgres or not isinstance(exc, _psycopg_error()):
            return exc
        self._rollback()
        old = self._old_schema(exc)
        return OldSchema(old) if old else _pg_error(exc, self._timeout_s)

    def _old_schema(self, exc: BaseException) -> str | None:
        """For a missing table or view, a message offering `zonedb db upgrade` when the
        database's schema revision is not this zonedb's (a typo in a name gets None)."""
        match = re.search(r'no such table: (?:main\.)?(\w+)|relation "(\w+)" does not exist',
                          str(exc))
        if match is None:
            return None
        try:
            row = self._conn.execute("SELECT version_num FROM alembic_version").fetchone()
        except Exception:  # no alembic_version table: made by something else, or empty
            self._rollback()
            row = None
        revision = str(row[0]) if row else None
        from zonedb.store.revisions import head_revision

        if revision == head_revision():
            return None
        if revision is None and self._foreign():  # not zonedb's: no advice to seed over it
            return (f"{display(self.url)} is not a zonedb database (no table "
                    f"{match.group(1) or match.group(2)}, no schema revision); check the "
                    "path, or pass --db with the database zonedb made")
        path = sqlite_path(self.url)
        where = f" --db {path}" if path is not None else ""
        return (f"{display(self.url)} has no table {match.group(1) or match.group(2)}: its "
                f"schema (revision {revision or 'none'}) is not this zonedb's; run `zonedb db "
                f"upgrade{where}`, or `zonedb seed{where}` to rebuild it")

    def _foreign(self) -> bool:
        """Tables, none of them zonedb's (an empty database or an older zonedb is not)."""
        sql = ("SELECT table_name FROM information_schema.tables WHERE table_schema = "
               "current_schema()" if self.postgres else
               "SELECT name FROM sqlite_master WHERE type = 'table'")
        try:
            names = {str(r[0]) for r in self._conn.execute(sql).fetchall()}
        except Exception:  # cannot tell: say the careful thing
            self._rollback()
            return True
        return bool(names) and not names & {"sources", "zones", "alembic_version"}

    def commit(self) -> None:
        self._conn.commit()

    def _rollback(self) -> None:
        with contextlib.suppress(Exception):  # nothing more to do on a broken connection
            self._conn.rollback()

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Reader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Writer(Reader):
    """A connection that may change the database (``zonedb sql --write``): the same
    ``execute`` as Reader, without the read-only guard on the connection."""

    def __init__(self, url: str, *, timeout_s: float | None = None) -> None:
        super().__init__(url, write=True, timeout_s=timeout_s)

    def commit(self) -> None:
        """Commit, dropping the seeds' fingerprints first: rows written by hand no longer
        follow the seeds, so the next ``zonedb seed`` rebuilds everything."""
        exists = ("SELECT to_regclass('seed_state') IS NOT NULL" if self.postgres else
                  "SELECT count(*) FROM sqlite_master WHERE name = 'seed_state'")
        if self.execute(exists).rows[0][0]:
            self.execute("DELETE FROM seed_state")
        super().commit()


def _sqlite_connect(url: str, *, write: bool, busy_s: float = 5.0) -> sqlite3.Connection:
    path = sqlite_path(url)
    if path is None:
        raise NoDatabase(f"not a database URL zonedb understands: {display(url)}")
    if not path.exists():
        raise no_database(path)
    if path.is_dir():
        raise UnreadableDatabase(f"{path} is a folder, not a database file; pass --db with "
                                 "the database zonedb made")
    mode = "rw" if write else "ro"
    try:
        conn = sqlite3.connect(f"file:{uri_path(path)}?mode={mode}", uri=True,
                               timeout=busy_s, isolation_level=None)
        if hasattr(conn, "enable_load_extension"):  # off by default; keep it off
            conn.enable_load_extension(False)
        if not write:
            conn.execute("PRAGMA query_only = ON")
            conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
            conn.setlimit(sqlite3.SQLITE_LIMIT_ATTACHED, 0)
            if hasattr(conn, "setconfig"):  # Python 3.12+
                conn.setconfig(sqlite3.SQLITE_DBCONFIG_DEFENSIVE, True)  # type: ignore[attr-defined]
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        error = sqlite_error(exc)
        if isinstance(error, DatabaseBusy):
            raise error from exc
        if getattr(exc, "sqlite_errorname", "") == "SQLITE_CORRUPT":  # a damaged database
            raise UnreadableDatabase(f"{path} is not a zonedb database ({exc}); run `zonedb "
                                     f"seed --db {path}` to rebuild it") from exc
        # No advice to seed over it: the file may be anything the user keeps (issue 15).
        raise UnreadableDatabase(f"{path} is not a zonedb database ({exc}); check the "
                                 "path, or pass --db with the database zonedb made") from exc
    return conn


_SQLITE_ACTIONS = {sqlite3.SQLITE_ATTACH: "ATTACH", sqlite3.SQLITE_DETACH: "DETACH"}


def _closing(cursor: Any) -> Iterator[Any]:
    """A server-side cursor's rows; closed once read (or left: a generator's close)."""
    try:
        yield from cursor
    finally:
        cursor.close()


def _stream_size() -> int:
    """Rows per chunk of a streamed PostgreSQL result: 500 with libpq 17+ (chunked mode;
    single-row mode costs a result object per row: 100,000 rows took 2-4 s), else 1."""
    import psycopg

    return 500 if psycopg.pq.version() >= 170000 else 1


def _capped(rows: Iterator[Any], max_rows: int | None, max_bytes: int | None, *,
            chunks: bool = False) -> list[Any]:
    """Rows until a cap is passed (then ResultTooLarge, before the next fetch)."""
    try:
        return _take(rows, max_rows, max_bytes, chunks=chunks)
    finally:  # a psycopg stream holds the connection's lock until closed: cancel it now
        close = getattr(rows, "close", None)
        if close is not None:
            close()


def _take(rows: Iterator[Any], max_rows: int | None, max_bytes: int | None, *,
          chunks: bool) -> list[Any]:
    out: list[Any] = []
    size = 0
    for item in rows:
        for row in (item if chunks else (item,)):
            out.append(row)
            size += sum(len(v) if isinstance(v, str | bytes | bytearray) else 8 for v in row)
            if max_rows is not None and len(out) > max_rows:
                raise ResultTooLarge(f"the result has more than {max_rows:,} rows, the cap "
                                     "for `zonedb sql`; nothing was printed (add LIMIT, or "
                                     "raise the cap with --max-rows)")
            if max_bytes is not None and size > max_bytes:
                raise ResultTooLarge(f"the result holds more than {max_bytes // 2**20:,} MiB "
                                     "of values, the cap for `zonedb sql`; nothing was printed "
                                     "(select fewer columns or rows, or raise it with --max-mb)")
    return out


def uri_path(path: Path) -> str:
    from urllib.parse import quote

    return quote(str(path))


def _pg_connect(url: str, *, write: bool, timeout_s: float) -> Any:
    require_psycopg()
    import psycopg

    conninfo = re.sub(r"^postgresql(\+psycopg)?://", "postgresql://", url)
    try:
        conn = psycopg.connect(conninfo, autocommit=False, connect_timeout=10)
    except psycopg.Error as exc:
        raise DatabaseError(f"cannot connect to {display(url)}: {_pg_message(exc)}") from exc
    conn.adapters.register_loader("numeric", _numeric_loader())
    conn.read_only = not write
    if not write:  # one snapshot for all of a command's queries, even if a seeding commits
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
    conn.execute(f"SET statement_timeout = {max(1, int(timeout_s * 1000))}")
    conn.execute("SET standard_conforming_strings = on")  # the quoting sqlguard reads
    if not write:
        # Least privilege: switch to the SELECT-only role when `zonedb db grant-reader` made
        # it for this database (it may read its tables), whoever connected (a superuser too).
        row = conn.execute(
            "SELECT (SELECT pg_has_role(current_user, r.oid, 'MEMBER') AND EXISTS (SELECT 1 "
            "FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace AND "
            "c.relname = 'alembic_version' AND has_table_privilege(r.oid, c.oid, 'SELECT')) "
            "FROM pg_roles r WHERE r.rolname = %s)", [READER_ROLE]).fetchone()
        if row and row[0]:
            conn.execute(f"SET ROLE {READER_ROLE}")
    conn.commit()  # a rollback after a failed statement must not undo the timeout
    return conn


def grant_reader(url: str, login_role: str | None = None) -> str:
    """Create the NOLOGIN role READER_ROLE (if missing) with SELECT on this database's
    schema (tables made later too), and grant it to ``login_role``; read sessions then
    switch to it. What was done, as a sentence."""
    if not is_postgres(url):
        raise DatabaseError("grant-reader is for PostgreSQL; an SQLite file is protected by "
                            "its read-only connection and authorizer")
    require_psycopg()
    import psycopg
    from psycopg import sql

    conninfo = re.sub(r"^postgresql(\+psycopg)?://", "postgresql://", url)
    role = sql.Identifier(READER_ROLE)
    try:
        with psycopg.connect(conninfo, autocommit=True, connect_timeout=10) as conn:
            exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s",
                                  [READER_ROLE]).fetchone()
            if not exists:
                conn.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(role))
            current = conn.execute("SELECT current_schema()").fetchone()
            schema = sql.Identifier(str(current[0] if current else "public"))
            for statement in ("GRANT USAGE ON SCHEMA {s} TO {r}",
                              "GRANT SELECT ON ALL TABLES IN SCHEMA {s} TO {r}",
                              "ALTER DEFAULT PRIVILEGES IN SCHEMA {s} GRANT SELECT ON TABLES "
                              "TO {r}"):
                conn.execute(sql.SQL(statement).format(s=schema, r=role))
            if login_role:
                conn.execute(sql.SQL("GRANT {} TO {}").format(role, sql.Identifier(login_role)))
    except psycopg.Error as exc:
        raise DatabaseError(f"grant-reader on {display(url)}: {_pg_message(exc)}") from exc
    made = "created" if not exists else "updated"
    return (f"{made} the NOLOGIN role {READER_ROLE} with SELECT on the zonedb tables of "
            f"{display(url)}" + (f", granted to {login_role}" if login_role else "")
            + "; read commands now switch to it")


def _numeric_loader() -> type:
    """A psycopg loader giving NUMERIC (avg/sum of integers, decimal literals in ad-hoc SQL)
    as int when written whole, else float: the types SQLite gives, which every output
    format knows; a Decimal would be printed differently or break JSON."""
    from psycopg.adapt import Loader

    class NumericAsNumber(Loader):
        def load(self, data: Any) -> int | float:
            text = bytes(data).decode("ascii")
            return int(text) if text.lstrip("-").isdigit() else float(text)

    return NumericAsNumber


def _to_pyformat(sql: str) -> str:
    return re.sub(r"(?<![:\w]):([A-Za-z_]\w*)", r"%(\1)s", sql.replace("%", "%%"))


def _cancelled(timeout_s: float) -> str:
    unit = "second" if timeout_s == 1 else "seconds"
    return (f"query cancelled: it ran longer than {timeout_s:g} {unit} "
            f"(set {TIMEOUT_ENV_VAR} to allow more)")


_READ_ONLY = ("the database is opened read-only: this statement would change it "
              "(use --write to allow writes)")
_SQLITE_ERRORS: dict[str, type[DatabaseError]] = {
    "SQLITE_READONLY": ReadOnly, "SQLITE_BUSY": DatabaseBusy, "SQLITE_LOCKED": DatabaseBusy,
    "SQLITE_NOTADB": UnreadableDatabase, "SQLITE_CORRUPT": UnreadableDatabase,
}


def sqlite_error(exc: sqlite3.Error, timeout_s: float = STATEMENT_TIMEOUT_S) -> DatabaseError:
    """The zonedb error for one of sqlite3's, told apart by SQLite's result code."""
    name = str(getattr(exc, "sqlite_errorname", ""))
    if name == "SQLITE_INTERRUPT":  # the progress handler cancelled it
        return StatementTimeout(_cancelled(timeout_s))
    kind = _SQLITE_ERRORS.get("_".join(name.split("_")[:2]), DatabaseError)  # *_SNAPSHOT too
    if kind is ReadOnly:
        return ReadOnly(_READ_ONLY)
    if kind is DatabaseBusy:
        return DatabaseBusy("the database is locked by another process; try again in a moment")
    return kind(str(exc))


def _psycopg_error() -> type[Exception]:
    import psycopg

    return psycopg.Error


def _pg_message(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _pg_error(exc: BaseException, timeout_s: float = STATEMENT_TIMEOUT_S) -> DatabaseError:
    """The zonedb error for one of psycopg's, told apart by the server's SQLSTATE."""
    from psycopg import errors

    if isinstance(exc, errors.QueryCanceled):
        return StatementTimeout(_cancelled(timeout_s))
    if isinstance(exc, errors.ReadOnlySqlTransaction):
        return ReadOnly(_READ_ONLY)
    if isinstance(exc, errors.LockNotAvailable):
        return DatabaseBusy(_pg_message(exc))
    return DatabaseError(_pg_message(exc))
