"""Shared fixtures: real seeded databases in temporary folders and the real CLI."""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zonedb.cli import app
from zonedb.load import seed

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One database seeded from the real seeds, copied by tests that need their own."""
    path = tmp_path_factory.mktemp("template") / "zonedb.db"
    seed(str(path), SEEDS)
    return path


@pytest.fixture
def db(seeded_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the seeded SQLite database for one test."""
    path = tmp_path / "zonedb.db"
    shutil.copy(seeded_template, path)
    return path


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    """A writable copy of the seeds folder, for tests that break it on purpose."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


@pytest.fixture
def cli() -> Callable[..., object]:
    """Run the real CLI in-process; returns the click Result (exit_code, stdout, stderr)."""
    runner = CliRunner()

    def run(*args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
        return runner.invoke(app, list(args), env=env, catch_exceptions=False)

    return run


# -- PostgreSQL: one throwaway server per session (tests/pgserver.py) ----------------------

def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[object]:
    """A running PostgreSQL server; skipped with the reason on a developer machine without
    one, but a failure in CI (CI=true), where the PostgreSQL half must really run."""
    import pgserver

    try:
        server = pgserver.start()
    except pgserver.Unavailable as exc:
        if _in_ci():
            pytest.fail(f"PostgreSQL is required when CI is set: {exc}", pytrace=False)
        pytest.skip(f"PostgreSQL not available: {exc}")
    yield server
    server.stop()


_pg_names = itertools.count(1)


@pytest.fixture(scope="session")
def pg_template(pg_server) -> str:  # type: ignore[no-untyped-def]
    """Name of a database seeded once from the real seeds; tests get copies of it."""
    server = pg_server
    server.create_database("zonedb_seeded")
    seed(server.url("zonedb_seeded"), SEEDS)
    return "zonedb_seeded"


@pytest.fixture
def pg_db(pg_server, pg_template: str) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """URL of a fresh copy of the seeded PostgreSQL database for one test."""
    name = f"zonedb_t{next(_pg_names)}"
    url = pg_server.create_database(name, template=pg_template)
    yield url
    pg_server.drop_database(name)


@pytest.fixture
def pg_empty(pg_server) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """URL of a new, empty PostgreSQL database (no schema) for one test."""
    name = f"zonedb_e{next(_pg_names)}"
    url = pg_server.create_database(name)
    yield url
    pg_server.drop_database(name)


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db(request: pytest.FixtureRequest) -> str:
    """A fresh seeded database on each engine, as a ``--db`` value (SQLite path or URL).

    Tests that take it run twice; the PostgreSQL run is skipped (or fails in CI) when no
    server can be started."""
    if request.param == "sqlite":
        return str(request.getfixturevalue("db"))
    return str(request.getfixturevalue("pg_db"))


@pytest.fixture
def db_rows() -> Callable[..., list[tuple[object, ...]]]:
    """``db_rows(any_db, sql, *params)``: rows straight from the database, without zonedb's
    code (sqlite3 or psycopg), for tests that check zonedb against the engine. ``?``
    placeholders work on both engines."""
    import sqlite3

    def run(db: str, sql: str, *params: object) -> list[tuple[object, ...]]:
        if "://" not in db:
            with contextlib.closing(sqlite3.connect(db)) as conn:
                return conn.execute(sql, params).fetchall()
        import psycopg

        conninfo = db.replace("postgresql+psycopg://", "postgresql://", 1)
        with psycopg.connect(conninfo) as conn:
            return conn.execute(sql.replace("?", "%s"), params).fetchall()  # type: ignore[arg-type]

    return run
