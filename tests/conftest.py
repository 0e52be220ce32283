"""Shared fixtures: real seeded databases in temporary folders and the real CLI."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import itertools
import os
import shutil
import sqlite3
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import typer.testing
from typer.testing import CliRunner

from zonedb.cli import command
from zonedb.store.load import seed

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
PROV_SEEDS = REPO / "tests" / "data" / "prov_seeds"

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
def no_local_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from an empty folder, for a test whose command names no --db: the checkout has a
    ./zonedb.db after README's first command, and tmp_path may hold the test's own."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    """A writable copy of the seeds folder, for tests that break it on purpose."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


def invoke(args: list[str], env: dict[str, str] | None = None) -> typer.testing.Result:
    """Run ``zonedb ARGS`` in-process on the click group the console script runs
    (``zonedb.cli.command()``: made once, each command when first used), with typer's test
    runner's isolated streams; the Result has exit_code, stdout and stderr. Exceptions
    other than exits propagate: a traceback fails the test."""
    runner = CliRunner()
    code, stdout, stderr, output = 0, b"", b"", b""
    with runner.isolation(env=env) as (out, err, both):
        try:
            command().main(args=args, prog_name="zonedb")
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            stdout, stderr, output = out.getvalue(), err.getvalue(), both.getvalue()
    return typer.testing.Result(runner=runner, stdout_bytes=stdout, stderr_bytes=stderr,
                                output_bytes=output, return_value=None,
                                exit_code=code, exception=None, exc_info=None)


@pytest.fixture
def cli() -> Callable[..., object]:
    """Run the real CLI in-process; returns the click Result (exit_code, stdout, stderr)."""

    def run(*args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
        return invoke(list(args), env)

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
    yield _pg_copy(pg_server, pg_template, name)
    pg_server.drop_database(name)


def _pg_copy(server, template: str, name: str) -> str:  # type: ignore[no-untyped-def]
    """A copy of ``template``; FILE_COPY takes ~45 ms against ~200 ms for the default
    WAL_LOG strategy (the server runs with fsync off, so its checkpoint is cheap)."""
    server.admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY')
    return str(server.url(name))


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


def query_rows(db: str, sql: str, *params: object) -> list[tuple[object, ...]]:
    """Rows straight from the database, without zonedb's code (sqlite3 or psycopg), for
    tests that check zonedb against the engine. ``?`` placeholders work on both engines;
    a statement that writes is committed (test set-up), and gives no rows."""
    return _query_each(db, [(sql, params)])[0]


def _query_each(db: str, statements: list[tuple[str, tuple[object, ...]]]
                ) -> list[list[tuple[object, ...]]]:
    """``query_rows`` for several statements on one connection (and one commit)."""
    if "://" not in db:
        with contextlib.closing(sqlite3.connect(db)) as conn:
            results = [conn.execute(sql, params).fetchall() for sql, params in statements]
            conn.commit()
            return results
    import psycopg

    conninfo = db.replace("postgresql+psycopg://", "postgresql://", 1)
    results = []
    with psycopg.connect(conninfo) as conn:  # commits on leaving the block
        for sql, params in statements:
            pyformat = sql.replace("%", "%%").replace("?", "%s")
            cur = conn.execute(pyformat, params)  # type: ignore[arg-type]
            results.append(cur.fetchall() if cur.description else [])
    return results


@pytest.fixture
def db_rows() -> Callable[..., list[tuple[object, ...]]]:
    """``db_rows(any_db, sql, *params)``: see ``query_rows``."""
    return query_rows


def take_snapshot(db: str) -> dict[str, object] | None:
    """Every row of every table (sorted, so insertion order does not matter), and on SQLite
    the file's sha256 too, so "unchanged" stays byte-for-byte there. None for an SQLite
    file that does not exist (it is not created)."""
    if "://" not in db:
        if not Path(db).exists():
            return None
        tables = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
    else:
        tables = ("SELECT table_name FROM information_schema.tables WHERE table_schema = "
                  "'public' AND table_type = 'BASE TABLE' ORDER BY table_name")
    names = [str(name) for name, in query_rows(db, tables)]
    every = _query_each(db, [(f'SELECT * FROM "{name}"', ()) for name in names])
    state: dict[str, object] = {name: sorted(rows, key=repr)
                                for name, rows in zip(names, every, strict=True)}
    if "://" not in db:
        state["<file sha256>"] = hashlib.sha256(Path(db).read_bytes()).hexdigest()
    return state


@pytest.fixture
def snapshot() -> Callable[[str], dict[str, object] | None]:
    """``snapshot(db)``: the whole database as data, to assert a command left it unchanged
    (``before == snapshot(db)``) on either engine; see ``take_snapshot``."""
    return take_snapshot


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def shared_db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
              seeded_template: Path) -> Iterator[str]:
    """One seeded database per engine shared by the read-only tests of a module, as a
    ``--db`` value; the module fails at teardown if one of them changed it."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("shared") / "zonedb.db"
        shutil.copy(seeded_template, path)
        db, server, name = str(path), None, ""
    else:
        server = request.getfixturevalue("pg_server")
        name = f"zonedb_s{next(_pg_names)}"
        db = _pg_copy(server, request.getfixturevalue("pg_template"), name)
    before = take_snapshot(db)
    yield db
    after = take_snapshot(db)
    if server is not None:
        server.drop_database(name)
    assert after == before, f"a read-only test changed the shared {request.param} database"


@pytest.fixture(params=["sqlite", "postgresql"])
def any_new_db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database that does not exist yet on each engine: an SQLite path in tmp_path, or an
    empty PostgreSQL database (the server's equivalent: no tables)."""
    if request.param == "sqlite":
        return str(tmp_path / "new.db")
    return str(request.getfixturevalue("pg_empty"))


def break_seed(seeds: Path, rel: str, old: str, new: str) -> int:
    """Replace the first ``old`` in a seed file; returns the 1-based line ``old`` began on."""
    path = seeds / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


# -- issue 17's own seeds set (tests/data/prov_seeds), seeded once per engine --------------

@pytest.fixture(scope="session")
def prov_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite database seeded once from the provenance test seeds."""
    path = tmp_path_factory.mktemp("prov") / "prov.db"
    seed(str(path), PROV_SEEDS)
    return path


@pytest.fixture(scope="session")
def prov_pg_template(pg_server) -> str:  # type: ignore[no-untyped-def]
    """Name of a PostgreSQL database seeded once from the provenance test seeds."""
    pg_server.create_database("zonedb_prov")
    seed(pg_server.url("zonedb_prov"), PROV_SEEDS)
    return "zonedb_prov"


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def prov_db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
            ) -> Iterator[str]:
    """The provenance seeds on each engine, shared read-only by every test that takes it;
    the session fails at teardown if a test changed it."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("prov_shared") / "prov.db"
        shutil.copy(request.getfixturevalue("prov_template"), path)
        db, server, name = str(path), None, ""
    else:
        server = request.getfixturevalue("pg_server")
        name = f"zonedb_p{next(_pg_names)}"
        db = _pg_copy(server, request.getfixturevalue("prov_pg_template"), name)
    before = take_snapshot(db)
    yield db
    after = take_snapshot(db)
    if server is not None:
        server.drop_database(name)
    assert after == before, f"a read-only test changed the shared {request.param} prov database"


@pytest.fixture(params=["sqlite", "postgresql"])
def prov_own_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A copy of the provenance seeds on each engine for one test that writes to it."""
    if request.param == "sqlite":
        path = tmp_path / "prov.db"
        shutil.copy(request.getfixturevalue("prov_template"), path)
        yield str(path)
        return
    server = request.getfixturevalue("pg_server")
    name = f"zonedb_p{next(_pg_names)}"
    yield _pg_copy(server, request.getfixturevalue("prov_pg_template"), name)
    server.drop_database(name)


# -- hostile input through a real child process: wall time and peak RSS bounded ------------

BOUND_S = 20.0  # generous: the machine is shared; the fixed code takes well under 2 s a case
BOUND_MB = 400

_BATCH = """
import json, resource, sys, time
from click.testing import CliRunner
from zonedb.cli import command
command, runner, out = command(), CliRunner(), []
for args, env in json.loads(sys.stdin.read()):
    started = time.monotonic()
    r = runner.invoke(command, args, env=env)
    out.append({"code": r.exit_code, "stdout": r.stdout[:2000], "stderr": r.stderr[:5000],
                "stdout_len": len(r.stdout), "took": time.monotonic() - started,
                "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "exc": repr(r.exception) if r.exception and not isinstance(
                    r.exception, SystemExit) else None})
sys.__stdout__.write(json.dumps(out))
"""


@dataclasses.dataclass
class Bounded:
    """One command of a bounded batch: its exit status, output, own time and the child's
    peak RSS once it had run (a peak: the case that crossed a bound is the first over)."""

    args: list[str]
    code: int
    stdout: str
    stderr: str
    stdout_len: int
    took: float
    rss_mb: float
    exc: str | None


def run_bounded_batch(cases: list[tuple[list[str], dict[str, str | None] | None]],
                      cwd: Path) -> tuple[list[Bounded], float]:
    """Run each (argv, env) with the real CLI in one child `python` under a 2 GiB
    address-space limit (one interpreter start for many cases: the cases are about what
    each command does, not about starting Python); every result, and the child's peak RSS
    in MiB from wait4 (also the bound of each case's)."""
    import json
    import resource
    import subprocess
    import sys
    import tempfile
    import threading

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 * 2**30, 2 * 2**30))

    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err, \
            tempfile.TemporaryFile("w+") as inp:
        json.dump(cases, inp)
        inp.seek(0)
        proc = subprocess.Popen([sys.executable, "-c", _BATCH], cwd=cwd, text=True, stdin=inp,
                                stdout=out, stderr=err, preexec_fn=limit,
                                env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
        timer = threading.Timer(BOUND_S * max(3, len(cases)), proc.kill)
        timer.start()
        _pid, status, usage = os.wait4(proc.pid, 0)
        timer.cancel()
        out.seek(0)
        err.seek(0)
        raw, problems = out.read(), err.read()
    assert os.waitstatus_to_exitcode(status) == 0, problems[-2000:]
    results = [Bounded(args, **r) for (args, _), r in zip(cases, json.loads(raw), strict=True)]
    return results, usage.ru_maxrss / 1024


def assert_bounded_refusals(results: list[Bounded], peak_mb: float) -> None:
    """Every case ended with a message (exit 1 or 2, no traceback, a short stderr, nothing
    on stdout) within BOUND_S, and the child stayed under BOUND_MB."""
    wrong = [(r.args, r.code, r.exc, r.stderr[-300:], round(r.took, 1), round(r.rss_mb))
             for r in results
             if r.code not in (1, 2) or r.exc or "Traceback" in r.stderr
             or not r.stderr.startswith("Error: ") and ": " not in r.stderr
             or len(r.stderr) > 4000 or r.stdout_len or r.took > BOUND_S
             or r.rss_mb > BOUND_MB]
    assert not wrong, wrong
    assert peak_mb < BOUND_MB, f"peak RSS {peak_mb:.0f} MiB"
