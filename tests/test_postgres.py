"""zonedb on PostgreSQL: seeding, isolation, read-only SQL, migrations, and output identical
to SQLite's. Runs against the throwaway server of tests/pgserver.py (skipped without one,
a failure when CI is set)."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from zonedb.errors import DatabaseError, SeedError
from zonedb.seeds.read import read_seeds
from zonedb.store.db import Reader, Writer, resolve_url
from zonedb.store.load import load_server, seed
from zonedb.store.tables import LOAD_ORDER as TABLES

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"

Cli = Callable[..., Any]


@pytest.fixture(scope="module")
def pg_shared(pg_server: Any, pg_template: str) -> str:
    """One seeded copy shared by the tests of this module that only read."""
    return str(pg_server.create_database("zonedb_shared", template=pg_template))


def snapshot(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in id order."""
    with Reader(resolve_url(url)) as reader:
        return {t: reader.execute(f"SELECT * FROM {t} ORDER BY id").rows for t in TABLES}


def counts(url: str) -> dict[str, int]:
    with Reader(resolve_url(url)) as reader:
        return {t: reader.execute(f"SELECT count(*) FROM {t}").rows[0][0] for t in TABLES}


# -- seeding ---------------------------------------------------------------------------------

def test_seeding_postgres_gives_the_same_rows_as_sqlite(pg_db: str, db: Path) -> None:
    expected = read_seeds(SEEDS).counts()
    assert counts(pg_db) == counts(str(db)) == {t: expected.get(t, 0) for t in TABLES}
    assert snapshot(pg_db) == snapshot(str(db))


def test_reseeding_is_idempotent(pg_db: str, cli: Cli) -> None:
    before = snapshot(pg_db)
    result = cli("seed", "--db", pg_db, "--seeds", str(SEEDS))
    assert result.exit_code == 0, result.stderr
    assert "Seeded postgresql+psycopg://" in result.stderr
    assert snapshot(pg_db) == before
    # sequences follow the explicit ids, so a later insert does not collide
    with Writer(pg_db) as writer:
        writer.execute("INSERT INTO metrics (slug, label_zh, label_en, description) "
                       "VALUES ('x', 'x', 'x', 'x')")
        new_id = writer.execute("SELECT id FROM metrics WHERE slug = 'x'").rows[0][0]
    assert new_id == max(r[0] for r in before["metrics"]) + 1


def test_bad_seeds_leave_the_database_untouched(pg_db: str, seeds_copy: Path,
                                                cli: Cli) -> None:
    before = snapshot(pg_db)
    facts = seeds_copy / "facts" / "ganzhou-etdz-reform.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace(
        "quote: 目前,已培育工业企业1300余家", "quote: 目前,已培育工业企业9999余家", 1),
        encoding="utf-8")
    result = cli("seed", "--db", pg_db, "--seeds", str(seeds_copy))
    assert result.exit_code == 1
    assert "ganzhou-etdz-reform.yaml:" in result.stderr
    assert "the database was not changed" in result.stderr
    with pytest.raises(SeedError):
        seed(pg_db, seeds_copy)
    assert snapshot(pg_db) == before


def test_a_failure_while_inserting_rolls_everything_back(pg_db: str) -> None:
    before = snapshot(pg_db)
    seedset = copy.deepcopy(read_seeds(SEEDS))
    seedset.tables["zones"][0]["name_en"] = "Renamed by a seeding that fails"
    seedset.tables["indicators"][-1]["metric_id"] = 999_999  # no such metric: FK violation
    with pytest.raises(DatabaseError, match="seeding .* failed: .*foreign key"):
        load_server(resolve_url(pg_db), seedset)
    assert snapshot(pg_db) == before


def test_seeding_gives_up_on_a_busy_database(pg_db: str, pg_server: Any,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Another session in the middle of a write: the seeding waits LOCK_TIMEOUT_S, then
    says so instead of hanging."""
    import psycopg

    from zonedb.store import load

    monkeypatch.setattr(load, "LOCK_TIMEOUT_S", 0.3)
    before = snapshot(pg_db)
    with psycopg.connect(pg_server.conninfo(pg_db.rsplit("/", 1)[1])) as other:
        other.execute("UPDATE zones SET city = city WHERE id = 1")  # open, uncommitted
        with pytest.raises(DatabaseError, match="is busy: another session .* nothing was "
                                                "changed"):
            seed(pg_db, SEEDS)
        other.rollback()
    assert snapshot(pg_db) == before


def test_changes_summary_is_read_under_the_seedings_lock(pg_db: str, pg_server: Any) -> None:
    """Another session deletes rows and commits while the seeding waits for its lock: the
    summary counts them as re-added (it used to be computed before the wait: 'no changes')."""
    import psycopg

    dbname = pg_db.rsplit("/", 1)[1]
    expected = read_seeds(SEEDS).counts()["ignored_mentions"]
    out: list[Any] = []
    with psycopg.connect(pg_server.conninfo(dbname)) as other:
        other.execute("DELETE FROM ignored_mentions")  # open, uncommitted: holds the rows
        worker = threading.Thread(target=lambda: out.append(seed(pg_db, SEEDS, summarise=True)))
        worker.start()
        deadline = time.monotonic() + 10
        with psycopg.connect(pg_server.conninfo(dbname), autocommit=True) as admin:
            while time.monotonic() < deadline:  # until the seeding waits for the lock
                waiting = admin.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = %s "
                    "AND wait_event_type = 'Lock'", (dbname,)).fetchone()
                if waiting and waiting[0]:
                    break
                time.sleep(0.02)
            else:
                pytest.fail("the seeding never waited for the lock")
        other.commit()
        worker.join(30)
    assert out and out[0].changes is not None
    assert f"ignored_mentions +{expected}" in out[0].changes, out[0].changes
    assert counts(pg_db)["ignored_mentions"] == expected


def test_non_utf8_database_is_refused(pg_server: Any) -> None:
    pg_server.admin("CREATE DATABASE zonedb_ascii ENCODING 'SQL_ASCII' TEMPLATE template0 "
                    "LC_COLLATE 'C' LC_CTYPE 'C'")
    try:
        with pytest.raises(DatabaseError, match="needs a UTF8 database"):
            seed(pg_server.url("zonedb_ascii"), SEEDS)
    finally:
        pg_server.drop_database("zonedb_ascii")


def test_readers_see_the_old_data_until_the_seeding_commits(pg_db: str, pg_server: Any) -> None:
    """A trigger makes the seeding wait, mid-transaction, on an advisory lock the test holds;
    meanwhile another session reads."""
    import psycopg

    dbname = pg_db.rsplit("/", 1)[1]
    with psycopg.connect(pg_server.conninfo(dbname), autocommit=True) as admin:
        admin.execute("UPDATE zones SET name_en = 'old data' WHERE id = 1")
        admin.execute("CREATE FUNCTION wait_for_test() RETURNS trigger LANGUAGE plpgsql AS $$ "
                      "BEGIN PERFORM pg_advisory_xact_lock_shared(4242); RETURN NULL; END $$")
        admin.execute("CREATE TRIGGER hold AFTER INSERT ON ignored_mentions FOR EACH STATEMENT "
                      "EXECUTE FUNCTION wait_for_test()")
        admin.execute("SELECT pg_advisory_lock(4242)")
        errors: list[BaseException] = []

        def run() -> None:
            try:  # full: the admin session changed rows behind the seeds' back, which
                seed(pg_db, SEEDS, full=True)  # fingerprints cannot see
            except BaseException as exc:  # handed to the main thread
                errors.append(exc)

        worker = threading.Thread(target=run)
        worker.start()
        try:
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:  # until the seeding waits inside the trigger
                waiting = admin.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = %s "
                    "AND wait_event = 'advisory'", (dbname,)).fetchone()
                if waiting and waiting[0]:
                    break
                time.sleep(0.02)
            else:
                pytest.fail("the seeding never reached the trigger")
            with Reader(pg_db, timeout_s=3) as reader:  # not blocked, and sees the old rows
                rows = reader.execute("SELECT name_en FROM zones WHERE id = 1").rows
                n = reader.execute("SELECT count(*) FROM v_indicators").rows[0][0]
            assert rows == [("old data",)]
            assert n == read_seeds(SEEDS).counts()["indicators"]
        finally:
            admin.execute("SELECT pg_advisory_unlock(4242)")
            worker.join(30)
    assert not errors
    with Reader(pg_db) as reader:
        assert reader.execute("SELECT name_en FROM zones WHERE id = 1").rows != [("old data",)]


def test_a_command_reads_one_snapshot(pg_db: str) -> None:
    """Commands such as ``show`` run several queries; a seeding that commits between them
    must not mix old and new rows."""
    with Writer(pg_db) as writer:
        writer.execute("UPDATE zones SET name_en = 'old data' WHERE id = 1")
        writer.commit()
    with Reader(pg_db) as reader:
        assert reader.execute("SELECT name_en FROM zones WHERE id = 1").rows == [("old data",)]
        seed(pg_db, SEEDS)
        assert reader.execute("SELECT name_en FROM zones WHERE id = 1").rows == [("old data",)]
    with Reader(pg_db) as reader:
        assert reader.execute("SELECT name_en FROM zones WHERE id = 1").rows != [("old data",)]


# -- read-only SQL ---------------------------------------------------------------------------

@pytest.mark.parametrize("statement", [
    "DELETE FROM zones",
    "WITH gone AS (DELETE FROM zones RETURNING id) SELECT count(*) FROM gone",
    "SELECT nextval(pg_get_serial_sequence('zones', 'id'))",
])
def test_sql_refuses_writes_on_postgres(pg_db: str, cli: Cli, statement: str) -> None:
    before = snapshot(pg_db)
    result = cli("sql", statement, "--db", pg_db)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ")
    assert "read-only" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(pg_db) == before


def test_sql_write_flag_changes_postgres(pg_db: str, cli: Cli) -> None:
    result = cli("sql", "UPDATE zones SET city = upper(city)", "--write", "--db", pg_db)
    assert result.exit_code == 0, result.stderr
    result = cli("sql", "SELECT city FROM zones ORDER BY id", "--db", pg_db, "-f", "csv")
    assert result.stdout.splitlines()[1] == "GANZHOU"


def test_sql_long_query_is_cancelled(pg_shared: str, cli: Cli) -> None:
    started = time.monotonic()
    result = cli("sql", "SELECT pg_sleep(30)", "--db", pg_shared,
                 env={"ZONEDB_STATEMENT_TIMEOUT": "0.3"})
    assert time.monotonic() - started < 5
    assert result.exit_code == 1
    assert "query cancelled: it ran longer than 0.3 seconds" in result.stderr


@pytest.mark.parametrize("text", [
    "SELECT $$'$$; COMMIT; BEGIN READ WRITE; DELETE FROM ignored_mentions; COMMIT; --'",
    "SELECT $$'$$; COPY (SELECT 'x') TO PROGRAM 'touch {marker}'; SELECT 1 --'",
    "SELECT E'\\''; SET statement_timeout = 0; SELECT pg_sleep(20); --'",
])
def test_stacked_statements_never_reach_postgres(pg_db: str, cli: Cli, tmp_path: Path,
                                                 text: str) -> None:
    """Whatever the guard makes of the quotes, the extended protocol runs one statement."""
    marker = tmp_path / "marker"
    before = snapshot(pg_db)
    started = time.monotonic()
    result = cli("sql", text.format(marker=marker), "--db", pg_db)
    assert time.monotonic() - started < 15
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ")
    assert "Traceback" not in result.stderr
    assert not marker.exists()
    assert snapshot(pg_db) == before


def test_statement_timeout_survives_a_failed_statement(pg_shared: str) -> None:
    with Reader(pg_shared, timeout_s=0.3) as reader:
        with pytest.raises(DatabaseError):
            reader.execute("SELECT * FROM no_such_table")
        assert reader.execute("SHOW statement_timeout").rows == [("300ms",)]


# -- migrations ------------------------------------------------------------------------------

def test_db_commands_on_postgres(pg_empty: str, cli: Cli) -> None:
    from zonedb.store.revisions import head_revision

    head = head_revision()
    assert "revision none" in cli("db", "current", "--db", pg_empty).stdout
    result = cli("db", "upgrade", "--db", pg_empty)
    assert result.exit_code == 0, result.stderr
    assert f"is now at revision {head}" in result.stderr
    assert "(up to date)" in cli("db", "current", "--db", pg_empty).stdout
    assert cli("query", "indicators", "--db", pg_empty, "-f", "csv").stdout.startswith("id,")
    result = cli("db", "downgrade", "base", "--db", pg_empty)
    assert result.exit_code == 0, result.stderr
    assert "base (empty)" in result.stderr
    with Reader(pg_empty) as reader:
        left = reader.execute("SELECT table_name FROM information_schema.tables "
                              "WHERE table_schema = 'public'").rows
    assert left == [("alembic_version",)]
    assert cli("seed", "--db", pg_empty).exit_code == 0
    assert counts(pg_empty)["indicators"] == read_seeds(SEEDS).counts()["indicators"]


def test_a_new_server_database_is_a_new_database(pg_empty: str, cli: Cli) -> None:
    result = cli("diff", "--db", pg_empty, "--seeds", str(SEEDS), "-f", "json")
    assert result.exit_code == 0, result.stderr
    result = cli("seed", "--db", pg_empty, "--seeds", str(SEEDS))
    assert result.exit_code == 0, result.stderr
    assert "new database" in result.stderr


def test_db_current_reports_an_unreachable_server(pg_server: Any, cli: Cli) -> None:
    url = pg_server.url("no_such_database")
    result = cli("db", "current", "--db", url)
    assert result.exit_code == 1
    assert "cannot connect to" in result.stderr and "no_such_database" in result.stderr


def test_alembic_cli_from_repo_root_on_postgres(pg_empty: str) -> None:
    env = {**os.environ, "ZONEDB_DB": pg_empty.replace("postgresql+psycopg://", "postgresql://")}
    for args in (["upgrade", "head"], ["check"], ["downgrade", "base"]):
        done = subprocess.run([sys.executable, "-m", "alembic", *args], cwd=REPO, env=env,
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stderr


def test_column_types_on_postgres(pg_shared: str) -> None:
    with Reader(pg_shared) as reader:
        types = dict(reader.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_name = 'v_indicators'").rows)
        value, count = reader.execute("SELECT value, count FROM v_indicators "
                                      "WHERE count IS NOT NULL LIMIT 1").rows[0]
    assert types["value"] == "double precision"
    assert types["quote"] == "text"
    assert isinstance(value, float) and isinstance(count, int)


# -- the same answers on both engines --------------------------------------------------------

@pytest.mark.parametrize("args", [
    ["indicators"], ["reforms"], ["firms"], ["funds"], ["projects"], ["people"], ["zones"],
    ["metrics"], ["sources"],
    ["indicators", "--zone", "赣州经济技术开发区", "--metric", "ABOVE_SCALE_*"],
    ["indicators", "--period", "2024", "--sort", "-value"],
    ["indicators", "--sort", "period,-unit"],
    ["firms", "--sort", "-name_en"],
    ["reforms", "--search", "Reform", "--sort", "category"],
])
def test_json_output_is_identical_on_both_engines(seeded_template: Path, pg_shared: str,
                                                  cli: Cli, args: list[str]) -> None:
    on_sqlite = cli("query", *args, "--db", str(seeded_template), "-f", "json")
    on_postgres = cli("query", *args, "--db", pg_shared, "-f", "json")
    assert on_sqlite.exit_code == on_postgres.exit_code == 0, on_postgres.stderr
    assert on_sqlite.stdout.count("\n") > 2  # not two empty lists
    assert on_postgres.stdout == on_sqlite.stdout


@pytest.mark.parametrize("args", [
    ["show", "ganzhou", "-f", "json", "--all"],
    ["show", "赣州经开区", "-f", "markdown"],
    ["cite", "1", "-f", "json"],
    ["cite", "reform:3", "-f", "json", "-C", "40"],
    ["compare", "above_scale_industrial_firms", "-f", "json"],
    ["compare", "above_scale_industrial_firms", "-f", "table"],
    ["coverage", "-f", "json", "--all"],
    ["diff", "-f", "json", "--seeds", str(SEEDS)],
    ["sql", "SELECT zone, count(*) AS n, sum(value) AS total FROM v_indicators "
            "GROUP BY zone ORDER BY zone", "-f", "json"],
    ["query", "people", "--search", "主任", "-f", "markdown"],
])
def test_every_read_command_answers_alike_on_both_engines(seeded_template: Path,
                                                         pg_shared: str, cli: Cli,
                                                         args: list[str]) -> None:
    """The SQLite answers are checked in detail elsewhere; PostgreSQL must give the same."""
    env = {"COLUMNS": "120"}
    on_sqlite = cli(*args, "--db", str(seeded_template), env=env)
    on_postgres = cli(*args, "--db", pg_shared, env=env)
    assert on_sqlite.exit_code == on_postgres.exit_code == 0, on_postgres.stderr
    assert on_sqlite.stdout.strip()
    assert on_postgres.stdout == on_sqlite.stdout


def test_export_is_identical_on_both_engines(seeded_template: Path, pg_shared: str, cli: Cli,
                                             tmp_path: Path) -> None:
    for fmt in ("csv", "json"):
        lite, pg = tmp_path / f"lite-{fmt}", tmp_path / f"pg-{fmt}"
        assert cli("export", str(lite), "-f", fmt, "--db", str(seeded_template)).exit_code == 0
        result = cli("export", str(pg), "-f", fmt, "--db", pg_shared)
        assert result.exit_code == 0, result.stderr
        files = sorted(p.name for p in lite.iterdir())
        assert files == sorted(p.name for p in pg.iterdir()) and len(files) > 5
        for name in files:
            assert (pg / name).read_bytes() == (lite / name).read_bytes(), name


def test_sorting_ignores_the_servers_collation(seeded_template: Path, pg_server: Any,
                                               cli: Cli) -> None:
    """A server whose default collation is Chinese (ICU) still sorts text by code point,
    as SQLite does."""
    pg_server.admin("CREATE DATABASE zonedb_icu TEMPLATE template0 LOCALE_PROVIDER icu "
                    "ICU_LOCALE 'zh' LOCALE 'C.UTF-8'")
    try:
        url = pg_server.url("zonedb_icu")
        seed(url, SEEDS)
        for args in (["zones", "--sort", "name_zh"], ["firms", "--sort", "-name_zh,name_en"],
                     ["people", "--sort", "role_en"]):
            on_sqlite = cli("query", *args, "--db", str(seeded_template), "-f", "csv").stdout
            assert cli("query", *args, "--db", url, "-f", "csv").stdout == on_sqlite
    finally:
        pg_server.drop_database("zonedb_icu")


def test_search_is_case_insensitive(any_db: str, cli: Cli) -> None:
    outputs = [cli("query", "indicators", "--db", any_db, "-f", "csv", "--search", term).stdout
               for term in ("industrial FIRMS", "Industrial firms", "INDUSTRIAL FIRMS")]
    assert len(outputs[0].splitlines()) > 1
    assert outputs[0] == outputs[1] == outputs[2]


def test_chinese_quotes_and_offsets(any_db: str) -> None:
    with Reader(resolve_url(any_db)) as reader:
        texts = dict(reader.execute("SELECT id, text FROM sources").rows)
        rows = reader.execute("SELECT source_id, quote, quote_start, quote_end "
                              "FROM indicators").rows
        found = reader.execute("SELECT count(*) FROM v_indicators "
                               "WHERE quote LIKE :q", {"q": "%工业企业%"}).rows[0][0]
    assert rows and found
    for source_id, quote, start, end in rows:
        assert texts[source_id][start:end] == quote


def test_zonedb_db_environment_variable(pg_shared: str, seeded_template: Path,
                                       cli: Cli) -> None:
    on_env = cli("query", "zones", "-f", "csv", env={"ZONEDB_DB": pg_shared})
    assert on_env.exit_code == 0, on_env.stderr
    assert on_env.stdout == cli("query", "zones", "-f", "csv", "--db",
                                str(seeded_template)).stdout


# -- without a server ------------------------------------------------------------------------

@pytest.mark.parametrize("raw", ["postgres://u@h/d", "postgresql://u@h/d",
                                 "postgresql+psycopg2://u@h/d", "postgresql+psycopg://u@h/d"])
def test_postgres_urls_use_psycopg(raw: str) -> None:
    assert resolve_url(raw) == "postgresql+psycopg://u@h/d"


_NO_PSYCOPG = """
import sys
sys.modules["psycopg"] = None  # as if the postgres extra were not installed
from zonedb.cli import main
url = "postgresql+psycopg://nobody@127.0.0.1:9/nowhere"
for args in (["query", "indicators"], ["sql", "SELECT 1"], ["seed"], ["db", "upgrade"],
             ["db", "current"]):
    sys.argv = ["zonedb", *args, "--db", url]
    try:
        main()
    except SystemExit as exc:
        print(exc.code)
"""


def test_postgres_without_psycopg_is_one_clear_line() -> None:
    done = subprocess.run([sys.executable, "-c", _NO_PSYCOPG], capture_output=True, text=True,
                          cwd=REPO, timeout=60)
    assert done.stdout.split() == ["1"] * 5, done.stderr
    assert done.stderr.splitlines() == [
        "Error: PostgreSQL needs the psycopg driver: pip install 'zonedb[postgres]'"] * 5


def test_db_rows_reads_both_engines_directly(any_db: str, db_rows: Callable[..., Any]) -> None:
    assert db_rows(any_db, "SELECT slug FROM zones WHERE id = ?", 1) == [("ganzhou",)]


def test_readme_psql_example(pg_shared: str, pg_server: Any) -> None:
    """The ``$ psql zonedb ...`` lines of README's PostgreSQL section, run on a seeded copy."""
    import re
    import shlex
    import shutil

    psql = shutil.which("psql") or str(pg_server.bindir / "psql")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Running on PostgreSQL", 1)[1].split("\n## ", 1)[0]
    examples = re.findall(r"^\$ (psql .*)\n((?:(?!\$ |```).*\n)*)", section, re.M)
    assert examples
    env = {**os.environ, "PGHOST": "127.0.0.1", "PGPORT": str(pg_server.port),
           "PGUSER": "postgres"}
    for command, shown in examples:
        args = [pg_shared.rsplit("/", 1)[1] if a == "zonedb" else a
                for a in shlex.split(command)[1:]]
        done = subprocess.run([psql, *args], capture_output=True, text=True, env=env)
        assert done.returncode == 0, done.stderr
        got = [" ".join(line.split()) for line in done.stdout.splitlines()]
        for line in shown.splitlines():
            assert " ".join(line.split()) in got, line
