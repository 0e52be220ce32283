"""The SQL half of the attack catalogue (issues 15 and 20): every case goes through the real
CLI, is refused with a message (or, for the harmless ones, runs as one read), and leaves the
database as it was and no marker file behind. PostgreSQL runs as the superuser the tests
connect as, without and with the reader role, and as a plain login role."""

from __future__ import annotations

import contextlib
import hashlib
import shutil
import sqlite3
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import (
    BOUND_MB,
    BOUND_S,
    _pg_copy,
    assert_bounded_refusals,
    query_rows,
    run_bounded_batch,
)
from zonedb.errors import DatabaseError
from zonedb.store.db import Reader, resolve_url
from zonedb.store.sqlguard import run_sql

MARKER = Path("/tmp") / f"zonedb-attack-{uuid.uuid4().hex[:8]}"

SQLITE_ATTACKS = [
    "SELECT 1; DELETE FROM zones",
    "SELECT ';'; DELETE FROM zones",
    "SELECT 1 /* ; */; DROP TABLE zones",
    "SELECT 1 -- x\n; DELETE FROM zones",
    "SELECT 1 AS [;]; DELETE FROM zones",
    "SELECT 1 AS `;`; DELETE FROM zones",
    "SELECT 1 AS \";\"; DELETE FROM zones",
    "DELETE FROM zones",
    "WITH x AS (SELECT 1) DELETE FROM zones",
    "REPLACE INTO zones (id, slug) VALUES (1, 'x')",
    f"ATTACH '{MARKER}' AS x",
    f"VACUUM INTO '{MARKER}'",
    "PRAGMA writable_schema = 1",
    "PRAGMA journal_mode(WAL)",
    "PRAGMA main.user_version = 7",
    "SELECT fts3_tokenizer('simple')",
    "SELECT \"FTS3_TOKENIZER\"('simple')",
    f"SELECT load_extension('{MARKER}')",
    "SELECT 1 /* unterminated",
    "SELECT 'unterminated",
    "BEGIN IMMEDIATE",
]

PG_ATTACKS = [
    f"SELECT $$'$$; COPY (SELECT 'x') TO PROGRAM 'touch {MARKER}'; SELECT 1 --'",
    "SELECT $$'$$; SET statement_timeout = 0; SELECT pg_sleep(13) --'",
    "SELECT $$'$$; COMMIT; BEGIN READ WRITE; DELETE FROM ignored_mentions; COMMIT; --'",
    "SELECT E'\\''; COMMIT; BEGIN READ WRITE; INSERT INTO zones (slug) VALUES ('x'); --'",
    "SELECT $t$;$t$; DELETE FROM zones",
    "SELECT /* /* */ ; */ 1; DELETE FROM zones",
    "SELECT E'\\'', pg_read_file('/etc/passwd') --'",
    "SELECT pg_read_file('/etc/passwd')",
    "SELECT pg_read_binary_file('/etc/passwd')",
    "SELECT * FROM pg_ls_dir('.')",
    "SELECT \"pg_read_file\"('/etc/passwd')",
    "SELECT pg_catalog.PG_READ_FILE('/etc/passwd')",
    "SELECT U&\"\\0070g_read_file\"('/etc/passwd')",
    "SELECT lo_import('/etc/passwd')",
    f"SELECT lo_export(1, '{MARKER}')",
    "SELECT pg_create_physical_replication_slot('zonedb_attack')",
    "SELECT pg_cancel_backend(pid) FROM pg_stat_activity",
    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity",
    "SELECT pg_reload_conf()",
    "SELECT pg_switch_wal()",
    "SELECT pg_stat_reset()",
    "SELECT set_config('statement_timeout', '0', false), pg_sleep(12)",
    "SELECT set_config('role', 'postgres', false)",
    "SELECT query_to_xml('DELETE FROM zones RETURNING 1', true, false, '')",
    "SELECT ts_stat('DELETE FROM zones')",
    "SELECT dblink_exec('dbname=postgres', 'DELETE FROM zones')",
    f"COPY zones TO '{MARKER}'",
    "DO $$BEGIN DELETE FROM zones; END$$",
    "SET ROLE postgres",
    "RESET ROLE",
    "SELECT $$unterminated",
]

HARMLESS = {  # statement -> what it prints (as csv), on the engines listed
    "VALUES(1)": ("sqlite", "postgresql"),
    "SELECT(1)": ("sqlite", "postgresql"),
    "SELECT ';' AS x": ("sqlite", "postgresql"),
    "SELECT 1 AS x -- ;": ("sqlite", "postgresql"),
    "(SELECT 1)": ("postgresql",),
    "SELECT $$;$$": ("postgresql",),
    "SELECT /* /* ; */ ; */ 1": ("postgresql",),
    "SELECT [a;b] FROM (SELECT 1 AS [a;b])": ("sqlite",),
}


_TABLES: dict[str, list[str]] = {}


def _fingerprint(db: str, *, full: bool = False) -> object:
    """The database's state: the file's bytes (SQLite); every table's rows as an md5
    computed by the server (``full``; else their counts), the replication slots and large
    objects (PostgreSQL)."""
    if "://" not in db:
        return hashlib.sha256(Path(db).read_bytes()).hexdigest()
    if db not in _TABLES:
        _TABLES[db] = [n for n, in query_rows(db, "SELECT table_name FROM information_schema."
                                                  "tables WHERE table_schema = 'public' AND "
                                                  "table_type = 'BASE TABLE' ORDER BY 1")]
    tables = _TABLES[db]
    digest = "md5(string_agg(r::text, ',' ORDER BY r::text))" if full else "''"
    digests = " UNION ALL ".join(f"SELECT '{t}', count(*), {digest} FROM \"{t}\" r"
                                 for t in tables)
    return query_rows(db, f"{digests} UNION ALL SELECT 'slots+lo', "
                          "(SELECT count(*) FROM pg_replication_slots) + "
                          "(SELECT count(*) FROM pg_largeobject_metadata), ''")


@pytest.fixture(scope="module")
def sqlite_db(tmp_path_factory: pytest.TempPathFactory, seeded_template: Path) -> Iterator[str]:
    path = tmp_path_factory.mktemp("attacks") / "zonedb.db"
    shutil.copy(seeded_template, path)
    before = _fingerprint(str(path))
    yield str(path)
    assert _fingerprint(str(path)) == before


@pytest.fixture(scope="module")
def pg_url(pg_server, pg_template: str) -> Iterator[str]:  # type: ignore[no-untyped-def]
    name = f"zonedb_attack_{uuid.uuid4().hex[:6]}"
    url = _pg_copy(pg_server, pg_template, name)
    before = _fingerprint(url, full=True)
    yield url
    assert _fingerprint(url, full=True) == before
    pg_server.drop_database(name)


def _attack(cli, db: str, statement: str) -> None:  # type: ignore[no-untyped-def]
    before = _fingerprint(db)
    started = time.monotonic()
    result = cli("sql", statement, "--db", db, "-f", "csv")
    took = time.monotonic() - started
    assert result.exit_code in (1, 2), (statement, result.stdout, result.stderr)
    assert result.stderr.startswith("Error: ") and "Traceback" not in result.stderr
    assert len(result.stderr) < 1000 and result.stdout == ""
    assert took < 9, f"{statement!r} took {took:.1f} s"
    assert not MARKER.exists(), f"{statement!r} left {MARKER}"
    assert _fingerprint(db) == before, f"{statement!r} changed the database"


_MILLION = ("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT {n}) "
            "SELECT x, 'padding padding' AS y FROM c")
# Result-size and time bombs: (statement, format, environment, what the message says).
BOMBS = {
    "sqlite": [("SELECT zeroblob(1e9)", "csv", None, "larger than 64 MiB"),
               ("SELECT zeroblob(1e9)", "json", None, "larger than 64 MiB"),
               ("SELECT randomblob(500000000)", "table", None, "larger than 64 MiB"),
               (_MILLION.format(n=10_000_000), "csv", None, "more than 100,000 rows"),
               (_MILLION.format(n=1_000_000), "table", None, "--max-rows"),
               ("SELECT 1", "csv", {"ZONEDB_STATEMENT_TIMEOUT": "inf"},
                "ZONEDB_STATEMENT_TIMEOUT")],
    "postgresql": [("SELECT generate_series(1, 20000000)", "table", None, "--max-rows"),
                   ("SELECT repeat('x', 40000000) FROM generate_series(1, 2)", "json", None,
                    "64 MiB"),
                   ("SELECT pg_sleep(30)", "csv", {"ZONEDB_STATEMENT_TIMEOUT": "0.3"},
                    "ran longer than 0.3 seconds"),
                   ("SELECT 1", "csv", {"ZONEDB_STATEMENT_TIMEOUT": "1e300"},
                    "ZONEDB_STATEMENT_TIMEOUT")],
}


# What some refusals must say (the rest: any message), on the engine that runs them.
SAID = {"SELECT fts3_tokenizer('simple')": "fts3_tokenizer() is not available to read-only SQL",
        "SELECT pg_read_file('/etc/passwd')": "zonedb db grant-reader"}
ATTACK_BOUND_S = 9  # under the 10 s statement timeout: no trick may sleep past it


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_attacks_and_bombs_are_refused_in_bounded_time_and_memory(  # type: ignore[no-untyped-def]
        request, engine: str, tmp_path: Path) -> None:
    """Every attack of the catalogue and every result bomb, through the real CLI in one
    child process per engine (PostgreSQL as the superuser the tests connect as): each is
    refused with a message, each case's wall time and the child's peak RSS are asserted,
    no marker file appears and the database is unchanged (every row's md5 on PostgreSQL).
    (zeroblob(1e9) -f csv took 38 s and 4.9 GB, then crashed; 20M rows on PostgreSQL 75 s;
    `SET statement_timeout = 0` behind a dollar quote slept past the limit.)"""
    db = request.getfixturevalue("sqlite_db" if engine == "sqlite" else "pg_url")
    attacks = SQLITE_ATTACKS if engine == "sqlite" else PG_ATTACKS + SQLITE_ATTACKS[:4]
    cases = [(["sql", sql, "--db", db, "-f", "csv"], None) for sql in attacks] + \
        [(["sql", sql, "--db", db, "-f", fmt], env) for sql, fmt, env, _ in BOMBS[engine]]
    before = _fingerprint(db, full=True)
    results, peak = run_bounded_batch(cases, tmp_path)
    assert_bounded_refusals(results, peak)
    slow = [(r.args[1], round(r.took, 1)) for r in results[:len(attacks)]
            if r.took > ATTACK_BOUND_S]
    assert not slow, slow
    said = [*(SAID.get(sql, "") for sql in attacks), *(s for *_, s in BOMBS[engine])]
    missing = [(r.args[1], want, r.stderr) for r, want in zip(results, said, strict=True)
               if want not in r.stderr]
    assert not missing, missing
    assert not MARKER.exists(), f"an attack left {MARKER}"
    assert _fingerprint(db, full=True) == before


def test_a_huge_value_prints_as_a_short_cell(sqlite_db: str, tmp_path: Path) -> None:
    """A 5-million-character text in a table cell: cut before it is formatted (a 200 MB
    text took 206 s and 9.5 GB); CSV still gives it whole."""
    big = tmp_path / "big.db"
    shutil.copy(sqlite_db, big)
    with contextlib.closing(sqlite3.connect(big)) as conn:
        conn.execute("UPDATE sources SET text = ? WHERE id = 1", ["园区" * 2_500_000])
        conn.commit()
    sql = "SELECT id, text FROM sources WHERE id = 1"
    (table, csv), peak = run_bounded_batch(
        [(["sql", sql, "--db", str(big)], None),
         (["sql", sql, "--db", str(big), "-f", "csv"], None)], tmp_path)
    assert table.code == 0 and table.stdout_len < 20_000 and table.took < BOUND_S
    assert csv.code == 0 and csv.stdout_len > 5_000_000 and csv.took < BOUND_S
    assert peak < BOUND_MB


@pytest.mark.parametrize("statement", list(HARMLESS))
@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_harmless_statements_run(cli, request, engine: str, statement: str) -> None:  # type: ignore[no-untyped-def]
    if engine not in HARMLESS[statement]:
        pytest.skip(f"not {engine} syntax")
    db = request.getfixturevalue("sqlite_db" if engine == "sqlite" else "pg_url")
    result = cli("sql", statement, "--db", db, "-f", "csv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[1] in ("1", ";")


def test_max_rows_raises_the_cap(cli, sqlite_db: str) -> None:  # type: ignore[no-untyped-def]
    statement = ("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 1500) "
                 "SELECT x FROM c")
    assert cli("sql", statement, "--db", sqlite_db, "--max-rows", "1000").exit_code == 1
    result = cli("sql", statement, "--db", sqlite_db, "-f", "csv", "--max-rows", "2000")
    assert result.exit_code == 0 and result.stdout.splitlines()[-1] == "1500"


@pytest.fixture(scope="module")
def plain_role(pg_server) -> str:  # type: ignore[no-untyped-def]
    """A login role with no privileges of its own (trust authentication on the test server)."""
    name = f"plain_{uuid.uuid4().hex[:6]}"
    pg_server.admin(f"CREATE ROLE {name} LOGIN")
    return name


def test_reader_role_gives_least_privilege(cli, pg_url: str, plain_role: str) -> None:  # type: ignore[no-untyped-def]
    plain_url = pg_url.replace("://postgres@", f"://{plain_role}@")
    assert cli("sql", "SELECT count(*) FROM zones", "--db", plain_url).exit_code == 1
    # as superuser, before the reader role exists: catalogues only superusers may read
    superuser = cli("sql", "SELECT current_user, count(*) FROM pg_authid", "--db", pg_url,
                    "-f", "csv")
    assert superuser.exit_code == 0 and superuser.stdout.splitlines()[1].startswith("postgres,")
    made = cli("db", "grant-reader", plain_role, "--db", pg_url)
    assert made.exit_code == 0 and "zonedb_reader" in made.stderr
    for url in (pg_url, plain_url):  # both switch to the reader role
        who = cli("sql", "SELECT current_user, count(*) FROM zones", "--db", url, "-f", "csv")
        assert who.exit_code == 0 and who.stdout.splitlines()[1].startswith("zonedb_reader,")
        denied = cli("sql", "SELECT count(*) FROM pg_authid", "--db", url)
        assert denied.exit_code == 1 and "permission denied" in denied.stderr
        for statement in PG_ATTACKS[:2] + PG_ATTACKS[7:8]:
            _attack(cli, url, statement)
    assert cli("query", "zones", "--db", plain_url, "-f", "csv").exit_code == 0


def test_timeout_values_are_checked(cli, sqlite_db: str) -> None:  # type: ignore[no-untyped-def]
    for raw in ("nan", "abc"):
        result = cli("sql", "SELECT 1", "--db", sqlite_db,
                     env={"ZONEDB_STATEMENT_TIMEOUT": raw})
        assert result.exit_code == 1 and "ZONEDB_STATEMENT_TIMEOUT" in result.stderr


_FRAGMENTS = ["SELECT 1", " ", "'", "''", "\\'", "E'", "$$", "$t$", "\"", "[", "]", "`",
              ";", "--", "\n", "/*", "*/", "DELETE FROM zones", "x", "(", ")"]


@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(_FRAGMENTS), min_size=1, max_size=12))
def test_random_quoting_is_refused_or_one_read(sqlite_db: str, parts: list[str]) -> None:
    """Random text of quotes, comments and semicolons: refused, or run as one statement
    that the engine agrees is one (sqlite3 raises if more follow) and that only reads."""
    text = "".join(parts)
    before = _fingerprint(sqlite_db)
    try:
        run_sql(Reader(resolve_url(sqlite_db)), text)
    except DatabaseError as exc:
        assert "one statement at a time" not in str(exc.__cause__ or ""), text
        assert not isinstance(exc.__cause__, sqlite3.ProgrammingError), text
    assert _fingerprint(sqlite_db) == before


_PG_FRAGMENTS = [*_FRAGMENTS, "$t$", "E'\\'", "U&'", "COMMIT", "BEGIN READ WRITE"]


@pytest.fixture(scope="module")
def pg_reader(pg_url: str) -> Iterator[tuple[Reader, object]]:
    """One read connection for the Hypothesis examples (a connection each cost ~50 ms), and
    the database's fingerprint before any of them ran."""
    before = _fingerprint(pg_url)
    with Reader(resolve_url(pg_url)) as reader:
        yield reader, before


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(_PG_FRAGMENTS), min_size=1, max_size=12))
def test_random_quoting_on_postgres_is_refused_or_one_read(
        pg_url: str, pg_reader: tuple[Reader, object], parts: list[str]) -> None:
    """The same on PostgreSQL, with dollar quotes, E'' strings and transaction words: the
    guard refuses, or the server runs one statement (extended protocol) that changes
    nothing (the module's fixture compares every row's md5 at the end too)."""
    reader, before = pg_reader
    text = "".join(parts)
    with contextlib.suppress(DatabaseError):
        run_sql(reader, text)
    assert _fingerprint(pg_url) == before, text
