"""Errors are told apart by class (zonedb/errors.py), raised from what the engines report
(SQLite result codes, PostgreSQL SQLSTATEs), never from the words of a message."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from zonedb import errors
from zonedb.store.db import Reader, resolve_url
from zonedb.store.load import seed


def test_the_tree_is_rooted_in_zonedb_error() -> None:
    classes = [c for c in vars(errors).values() if isinstance(c, type)
               and issubclass(c, Exception) and c.__module__ == errors.__name__]
    assert len(classes) >= 14
    assert all(issubclass(c, errors.ZonedbError) for c in classes)
    for name in ("NoDatabase", "UnreadableDatabase", "OldSchema", "DatabaseBusy",
                 "StatementTimeout", "ReadOnly", "RefusedStatement"):
        assert issubclass(getattr(errors, name), errors.DatabaseError), name
        assert name in (errors.__doc__ or ""), f"{name} missing from the drawn tree"


def test_missing_and_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(errors.NoDatabase):
        Reader(resolve_url(str(tmp_path / "none.db")))
    notes = tmp_path / "notes.db"
    notes.write_text("not a database, just notes\n" * 100, encoding="utf-8")
    with pytest.raises(errors.UnreadableDatabase):
        Reader(resolve_url(str(notes)))


def test_read_only_timeout_and_old_schema(db: Path, tmp_path: Path) -> None:
    with Reader(resolve_url(str(db))) as reader, pytest.raises(errors.ReadOnly):
        reader.execute("DELETE FROM zones")
    with Reader(resolve_url(str(db)), timeout_s=0.05) as reader, \
            pytest.raises(errors.StatementTimeout):
        reader.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
                       "SELECT count(*) FROM n")
    old = tmp_path / "old.db"
    conn = sqlite3.connect(old)
    conn.executescript("CREATE TABLE alembic_version (version_num TEXT); "
                       "INSERT INTO alembic_version VALUES ('0000_older');")
    conn.close()
    with Reader(resolve_url(str(old))) as reader, pytest.raises(errors.OldSchema) as caught:
        reader.execute("SELECT * FROM v_indicators")
    assert isinstance(caught.value, errors.UnreadableDatabase)


def test_busy_database(db: Path) -> None:
    locker = sqlite3.connect(db, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(errors.DatabaseBusy), \
                Reader(resolve_url(str(db)), timeout_s=0.2) as reader:
            reader.execute("SELECT count(*) FROM zones")
    finally:
        locker.execute("ROLLBACK")
        locker.close()


def test_reseeding_over_an_unreadable_file_says_so(tmp_path: Path) -> None:
    target = tmp_path / "zonedb.db"
    target.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4096)  # a header, then garbage
    report = seed(str(target), summarise=True)
    assert report.changes == "replaced a file that could not be read as a zonedb database"
