"""Read commands with machine-readable output start like a plain script: a fresh interpreter
running them imports none of pydantic (Typer's option coercion), PyYAML, SQLAlchemy,
Alembic or Rich. Checked on ``sys.modules`` at exit, in a child process per command."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import query_rows

HEAVY = ("pydantic", "yaml", "sqlalchemy", "alembic", "rich", "pypinyin")  # pypinyin: drafting

# Runs `zonedb ARGS...` as `python -m zonedb` would, then records what was imported.
RUNNER = """
import json, runpy, sys
out, sys.argv = sys.argv[1], ["zonedb", *sys.argv[2:]]
code = 0
try:
    runpy.run_module("zonedb", run_name="__main__", alter_sys=True)
except SystemExit as exc:
    code = exc.code or 0
with open(out, "w", encoding="utf-8") as f:
    json.dump({"code": code, "modules": sorted(sys.modules)}, f)
"""


def run_fresh(tmp_path: Path, *args: str) -> tuple[str, set[str]]:
    """stdout of ``zonedb ARGS`` in a new interpreter and the top-level packages it loaded."""
    record = tmp_path / "modules.json"
    proc = subprocess.run([sys.executable, "-c", RUNNER, str(record), *args],
                          capture_output=True, text=True, encoding="utf-8", timeout=60)
    result = json.loads(record.read_text(encoding="utf-8"))
    assert result["code"] == 0, proc.stderr
    return proc.stdout, {name.split(".")[0] for name in result["modules"]}


def heavy(loaded: set[str]) -> list[str]:
    return sorted(set(HEAVY) & loaded)


@pytest.fixture(scope="module")
def sqlite_db(seeded_template: Path) -> str:
    return str(seeded_template)  # read-only here: every command opens it with mode=ro


def test_csv_query_imports_nothing_heavy(sqlite_db: str, tmp_path: Path) -> None:
    out, loaded = run_fresh(tmp_path, "query", "indicators", "-z", "ganzhou", "-f", "csv",
                            "--db", sqlite_db)
    rows = list(csv.DictReader(io.StringIO(out)))
    expected = query_rows(sqlite_db, "SELECT i.id, i.quote FROM indicators i JOIN zones z "
                                     "ON z.id = i.zone_id WHERE z.slug = 'ganzhou' ORDER BY i.id")
    assert [(int(r["id"]), r["quote"]) for r in rows] == expected and expected
    assert "目前,已培育工业企业1300余家" in {r["quote"] for r in rows}
    assert {"zonedb", "sqlite3", "csv"} <= loaded  # the runner saw the real command
    assert heavy(loaded) == []


@pytest.mark.parametrize("args", [
    ("query", "indicators", "--search", "基金", "-f", "csv"),
    ("show", "ganzhou", "-f", "json"),
    ("cite", "1", "-f", "csv"),
    ("compare", "signed_investment", "-f", "csv"),
    ("sql", "SELECT slug, name_zh FROM zones ORDER BY id", "-f", "csv"),
], ids=["search", "show", "cite", "compare", "sql"])
def test_other_read_commands_import_nothing_heavy(sqlite_db: str, tmp_path: Path,
                                                  args: tuple[str, ...]) -> None:
    out, loaded = run_fresh(tmp_path, *args, "--db", sqlite_db)
    assert "ganzhou" in out or "赣州" in out  # every one of these reads a ganzhou row
    assert heavy(loaded) == []


def test_postgres_csv_query_imports_only_psycopg(pg_template: str, pg_server,  # type: ignore[no-untyped-def]
                                                 tmp_path: Path) -> None:
    url = pg_server.url(pg_template)
    out, loaded = run_fresh(tmp_path, "query", "indicators", "-z", "ganzhou", "-f", "csv",
                            "--db", url)
    ids = [int(r["id"]) for r in csv.DictReader(io.StringIO(out))]
    expected = query_rows(url, "SELECT i.id FROM indicators i JOIN zones z ON z.id = i.zone_id "
                               "WHERE z.slug = 'ganzhou' ORDER BY i.id")
    assert ids == [i for (i,) in expected] and ids
    assert "psycopg" in loaded
    assert heavy(loaded) == []


# The console script's main() as `zonedb ARGS` runs it, printing at the very end of the
# process (an exit handler registered before main's, so it runs after them all) how many
# objects the GC had frozen; stdout must still carry the whole CSV.
FREEZE_RUNNER = """
import atexit, gc, os, sys
atexit.register(lambda: os.write(2, f"frozen {gc.get_freeze_count()}".encode()))
sys.argv = ["zonedb", *sys.argv[1:]]
from zonedb.cli import main
main()
"""


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_console_script_skips_the_shutdown_collections(engine: str,
                                                       request: pytest.FixtureRequest) -> None:
    db = (request.getfixturevalue("sqlite_db") if engine == "sqlite" else
          request.getfixturevalue("pg_server").url(request.getfixturevalue("pg_template")))
    proc = subprocess.run([sys.executable, "-c", FREEZE_RUNNER, "query", "indicators", "-z",
                           "ganzhou", "-f", "csv", "--db", db],
                          capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert proc.returncode == 0, proc.stderr
    frozen = int(proc.stderr.rsplit("frozen ", 1)[1])
    assert frozen > 10_000  # zonedb, Typer and the driver's modules, classes and functions
    ids = [int(r["id"]) for r in csv.DictReader(io.StringIO(proc.stdout))]
    expected = query_rows(db, "SELECT i.id FROM indicators i JOIN zones z ON z.id = i.zone_id "
                              "WHERE z.slug = 'ganzhou' ORDER BY i.id")
    assert ids == [i for (i,) in expected] and ids
