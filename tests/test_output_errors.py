"""Output that cannot be written is said in one line, never a traceback: a full disk
(/dev/full) exits 1, a reader that stops early (``| head``) exits 0 for every command,
Rich's drawings included. Real processes, real pipes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import query_rows

CLI = [sys.executable, "-m", "zonedb"]


@pytest.fixture(scope="module")
def sqlite_db(seeded_template: Path) -> str:
    return str(seeded_template)  # read-only here


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full on this system")
@pytest.mark.parametrize("args", [["query", "indicators", "-f", "csv"],
                                  ["query", "indicators", "--zone", "ganzhou"],
                                  ["sql", "SELECT slug FROM zones", "-f", "json"]])
def test_a_full_disk_is_one_line_and_exit_1(sqlite_db: str, args: list[str]) -> None:
    with open("/dev/full", "w") as full:
        proc = subprocess.run([*CLI, *args, "--db", sqlite_db], stdout=full,
                              stderr=subprocess.PIPE, text=True, timeout=60)
    assert proc.returncode == 1
    assert proc.stderr == "Error: No space left on device\n"


@pytest.mark.parametrize("args", [["cite", "1"], ["query", "indicators", "-f", "csv"],
                                  ["show", "ganzhou"]])
def test_a_reader_that_stops_early_is_exit_0(sqlite_db: str, args: list[str]) -> None:
    proc = subprocess.Popen([*CLI, *args, "--db", sqlite_db], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline().decode("utf-8")
    proc.stdout.close()  # as `| head -1` does
    err = proc.stderr.read().decode("utf-8")
    assert proc.wait(timeout=60) == 0, err
    assert "Traceback" not in err
    if args[0] == "cite":  # the first line names the row and its value as written
        quote, written = query_rows(sqlite_db, "SELECT quote, as_written FROM indicators "
                                               "WHERE id = 1")[0]
        assert written in first and written in quote


def _strict(text: str) -> object:
    def refuse(constant: str) -> object:
        raise ValueError(f"not JSON: {constant}")

    return json.loads(text, parse_constant=refuse)


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_json_output_is_strict_json(cli, sqlite_db: str, fmt: str) -> None:
    """JSON has no infinity or NaN: SQLite's 1e999 is written as the text "inf", never as
    the bare Infinity that strict parsers refuse; finite values stay numbers."""
    r = cli("sql", "SELECT 1e999 AS big, -1e999 AS small, 2.5 AS half, 3.0 AS whole",
            "-f", fmt, "--db", sqlite_db)
    assert r.exit_code == 0, r.stderr
    rows = _strict(r.stdout) if fmt == "json" else [_strict(x) for x in r.stdout.splitlines()]
    assert rows == [{"big": "inf", "small": "-inf", "half": 2.5, "whole": 3}]
