"""Queries and SQL when things go wrong: writes refused by `zonedb sql`, runaway queries
stopped, and a missing, corrupt, outdated, locked or unwritable database each giving one
clear message, exit status 1 and never a traceback."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

import pytest

from conftest import SEEDS


def _error(result) -> str:  # type: ignore[no-untyped-def]
    """The one-line message of a failed command (exit 1, no traceback, nothing on stdout)."""
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "Traceback" not in result.stderr
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("Error: ")
    return lines[0].removeprefix("Error: ")


REFUSED = [
    "INSERT INTO zones (slug, name_zh, name_en) VALUES ('x', 'x', 'x')",
    "update zones set name_en = 'x'",
    "DELETE FROM indicators",
    "DROP TABLE zones",
    "drop view v_indicators",
    "ALTER TABLE zones ADD COLUMN x TEXT",
    "CREATE TABLE t (x)",
    "create temp table t (x)",
    "ATTACH DATABASE 'other.db' AS other",
    "PRAGMA user_version = 7",
    "pragma user_version(7)",
    "PRAGMA journal_mode = WAL",
    "VACUUM",
    "REPLACE INTO zones (id, slug) VALUES (1, 'x')",
    "REINDEX",
    "select 1; drop table zones",
    "SELECT 1;DELETE FROM zones;",
    "/* harmless */ DrOp TaBlE zones",
    "-- just a comment\nDELETE FROM zones",
    "/* ; */ delete from zones",
    "select 1 -- ; \n; update zones set slug = 'x'",
    "select ';' ; delete from zones",
    "WITH x AS (SELECT 1) DELETE FROM zones",
    "with x as (select 1) insert into zones (slug) select 'y' from x",
    "  \n\tdelete\nfrom\nzones  ",
    "BEGIN; DELETE FROM zones; COMMIT",
]


@pytest.mark.parametrize("statement", REFUSED)
def test_sql_refuses_writes(cli, db: Path, statement: str) -> None:
    before = db.read_bytes()
    message = _error(cli("sql", "--db", str(db), "--", statement))
    assert any(word in message for word in ("refused", "read-only", "one statement")), message
    assert "--write" in message or "one statement" in message, message
    assert db.read_bytes() == before
    assert sorted(p.name for p in db.parent.iterdir()) == [db.name]  # no journal, no other.db


def test_sql_reads_still_work(cli, db: Path) -> None:
    before = db.read_bytes()
    for statement in ("select count(*) from v_indicators",
                      "/* c */ SELECT 'a;b' AS x -- trailing",
                      "WITH z AS (SELECT slug FROM zones) SELECT * FROM z",
                      "PRAGMA table_info(zones)", "explain select 1"):
        result = cli("sql", statement, "--db", str(db), "-f", "csv")
        assert result.exit_code == 0, (statement, result.output)
        assert result.stdout.strip()
    assert db.read_bytes() == before


def test_runaway_query_is_stopped_by_the_timeout(cli, db: Path) -> None:
    runaway = ("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
               "SELECT count(*) FROM c")
    started = time.monotonic()
    message = _error(cli("sql", runaway, "--db", str(db),
                         env={"ZONEDB_STATEMENT_TIMEOUT": "0.5"}))
    elapsed = time.monotonic() - started
    assert message.startswith("query cancelled: it ran longer than 0.5 seconds"), message
    assert "ZONEDB_STATEMENT_TIMEOUT" in message
    assert 0.4 < elapsed < 5


def test_bad_timeout_setting(cli, db: Path) -> None:
    message = _error(cli("sql", "select 1", "--db", str(db),
                         env={"ZONEDB_STATEMENT_TIMEOUT": "soon"}))
    assert "ZONEDB_STATEMENT_TIMEOUT" in message and "soon" in message


@pytest.mark.parametrize("command", [("query", "indicators"), ("sql", "select 1"),
                                     ("query", "zones"), ("db", "current"),
                                     ("db", "downgrade", "base")])
def test_missing_database(cli, tmp_path: Path, command: tuple[str, ...]) -> None:
    path = tmp_path / "nothing.db"
    message = _error(cli(*command, "--db", str(path)))
    assert message == f"no database at {path}: run `zonedb seed --db {path}` first"
    assert not path.exists()  # reading never creates a database


@pytest.mark.parametrize("command", [("query", "indicators"), ("sql", "select 1"),
                                     ("show", "ganzhou")])
def test_a_folder_is_not_a_database(cli, tmp_path: Path, command: tuple[str, str]) -> None:
    message = _error(cli(*command, "--db", str(tmp_path)))
    assert message == (f"{tmp_path} is a folder, not a database file; pass --db with the "
                       "database zonedb made")
    assert list(tmp_path.iterdir()) == []  # nothing written into it


@pytest.mark.parametrize("command", [("query", "indicators"), ("sql", "select 1"),
                                     ("db", "current"), ("db", "upgrade")])
def test_garbage_file(cli, tmp_path: Path, command: tuple[str, str]) -> None:
    path = tmp_path / "garbage.db"
    garbage = bytes(range(256)) * 64
    path.write_bytes(garbage)
    message = _error(cli(*command, "--db", str(path)))
    assert str(path) in message and "not a zonedb database" in message, message
    assert "check the path" in message and "to rebuild it" not in message  # issue 15
    assert path.read_bytes() == garbage


def test_truncated_database(cli, db: Path) -> None:
    """The first pages of a real database: SQLite opens it, then finds it malformed."""
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 3])
    message = _error(cli("query", "indicators", "--db", str(db)))
    assert "malformed" in message or "not a zonedb database" in message, message
    assert "zonedb seed" in message


def test_seeding_replaces_a_corrupt_file(cli, tmp_path: Path) -> None:
    path = tmp_path / "garbage.db"
    path.write_bytes(b"\x00garbage" * 1000)
    refused = cli("seed", "--db", str(path), "--seeds", str(SEEDS))  # not SQLite: not ours
    assert refused.exit_code == 1 and path.read_bytes() == b"\x00garbage" * 1000
    assert cli("seed", "--db", str(path), "--seeds", str(SEEDS), "--force").exit_code == 0
    assert cli("query", "zones", "--db", str(path), "-f", "csv").stdout.count("\n") == 5


def test_empty_file_is_not_a_zonedb_database(cli, tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.write_bytes(b"")
    message = _error(cli("query", "indicators", "--db", str(path)))
    assert "zonedb db upgrade" in message or "zonedb seed" in message, message


def test_older_schema_offers_upgrade(cli, db: Path) -> None:
    assert cli("db", "downgrade", "base", "--db", str(db)).exit_code == 0
    before = db.read_bytes()
    for command in (("query", "indicators"), ("query", "zones"),
                    ("sql", "select * from v_indicators")):
        message = _error(cli(*command, "--db", str(db)))
        assert f"zonedb db upgrade --db {db}" in message, message
    assert db.read_bytes() == before
    # A typo in a table name is not mistaken for an old schema.
    assert cli("db", "upgrade", "--db", str(db)).exit_code == 0
    message = _error(cli("sql", "select * from zonez", "--db", str(db)))
    assert message == "no such table: zonez"


def test_unwritable_directory_for_seeding(cli, tmp_path: Path) -> None:
    """chmod does not stop root, so as root use /sys, which refuses new files to everyone."""
    if os.geteuid() == 0:
        target = Path("/sys/zonedb.db")
        if not Path("/sys").is_dir():
            pytest.skip("no /sys to stand in for a read-only folder")
    else:
        folder = tmp_path / "locked"
        folder.mkdir()
        folder.chmod(0o555)
        target = folder / "zonedb.db"
    message = _error(cli("seed", "--db", str(target), "--seeds", str(SEEDS)))
    assert message.startswith(f"cannot write the database in {target.parent}"), message
    assert not target.exists()


def test_seeding_into_a_missing_folder(cli, tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "zonedb.db"
    message = _error(cli("seed", "--db", str(target), "--seeds", str(SEEDS)))
    assert message == f"cannot create {target}: folder {target.parent} does not exist"


def test_seeding_onto_a_directory(cli, tmp_path: Path) -> None:
    target = tmp_path / "adir"
    target.mkdir()
    message = _error(cli("seed", "--db", str(target), "--seeds", str(SEEDS)))
    assert str(target) in message
    assert target.is_dir() and not list(tmp_path.glob("adir.zonedb-tmp-*"))


@pytest.fixture
def locked(db: Path):  # type: ignore[no-untyped-def]
    """Another connection holding an exclusive lock on the database."""
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("UPDATE zones SET name_en = name_en")
    yield db
    holder.execute("ROLLBACK")
    holder.close()


@pytest.mark.parametrize("command", [("query", "indicators"), ("sql", "select 1"),
                                     ("sql", "update zones set city = city", "--write")])
def test_locked_database(cli, locked: Path, command: tuple[str, ...]) -> None:
    started = time.monotonic()
    message = _error(cli(*command, "--db", str(locked), env={"ZONEDB_STATEMENT_TIMEOUT": "0.5"}))
    assert message == "the database is locked by another process; try again in a moment"
    assert time.monotonic() - started < 5


def test_seeding_a_locked_database_replaces_it(cli, locked: Path) -> None:
    """Seeding never writes into the old file, so a lock on it does not block a re-seed;
    only the summary of changes, which reads the old file, gives up (after the timeout)."""
    result = cli("seed", "--db", str(locked), "--seeds", str(SEEDS),
                 env={"ZONEDB_STATEMENT_TIMEOUT": "0.5"})
    assert result.exit_code == 0, result.output
    assert "Changes: not compared with the current database (the database is locked" \
        in result.stderr
    fresh = sqlite3.connect(locked)
    assert fresh.execute("SELECT count(*) FROM zones").fetchone()[0] == 4
    fresh.close()


def test_older_schema_on_postgres_offers_upgrade(cli, pg_db: str) -> None:
    assert cli("db", "downgrade", "base", "--db", pg_db).exit_code == 0
    message = _error(cli("query", "indicators", "--db", pg_db))
    assert "has no table v_indicators" in message and "`zonedb db upgrade`" in message, message
    assert cli("db", "upgrade", "--db", pg_db).exit_code == 0
    assert _error(cli("sql", "select * from zonez", "--db", pg_db)).startswith(
        'relation "zonez" does not exist')
