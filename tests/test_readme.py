"""README examples are run, so the docs cannot drift from the tool.

Every ``$ zonedb ...`` and ``$ sqlite3 ...`` line in a ``console`` block is run
against a freshly seeded database; it must succeed (or exit as a trailing
``# exits N`` says), and each output line shown under it (apart from elided ones
with …) must appear in the real output. ``prov.db`` names a copy of the
provenance test seeds (tests/data/prov_seeds) instead.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import PROV_SEEDS, REPO

BLOCK = re.compile(r"```console\n(.*?)```", re.S)


def _examples() -> list[tuple[str, list[str]]]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    examples: list[tuple[str, list[str]]] = []
    for block in BLOCK.findall(text):
        for line in block.splitlines():
            if line.startswith("$ "):
                examples.append((line[2:], []))
            elif examples:
                examples[-1][1].append(line)
    return [e for e in examples if e[0].split()[0] in ("zonedb", "sqlite3")]


def _squash(line: str) -> str:
    return " ".join(line.split())


EXAMPLES = _examples()


def test_readme_has_examples() -> None:
    assert len(EXAMPLES) >= 3


@pytest.mark.parametrize(("command", "shown"), EXAMPLES, ids=[c for c, _ in EXAMPLES])
def test_readme_example_runs(command: str, shown: list[str], db: Path, cli,
                             request: pytest.FixtureRequest, tmp_path: Path) -> None:
    exits = re.search(r"#\s*exits (\d+)\s*$", command)
    argv = shlex.split(command, comments=True)
    if "prov.db" in argv:
        prov = tmp_path / "prov.db"
        shutil.copy(request.getfixturevalue("prov_template"), prov)
        argv = [str(prov) if a == "prov.db" else str(PROV_SEEDS)
                if a == "tests/data/prov_seeds" else a for a in argv]
    if argv[0] == "sqlite3":
        if shutil.which("sqlite3") is None:
            pytest.skip("the sqlite3 shell is not installed")
        argv = [a if a != "zonedb.db" else str(db) for a in argv]
        done = subprocess.run(argv, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        output = done.stdout
    else:
        result = cli(*argv[1:], env={"ZONEDB_DB": str(db), "COLUMNS": "110"})
        assert result.exit_code == (int(exits.group(1)) if exits else 0), result.output
        output = result.output
    actual = {_squash(line) for line in output.splitlines()}
    for line in shown:
        if "…" in line or "seeding" in line or not line.strip():
            continue
        assert _squash(line) in actual, f"README shows a line the command no longer prints:\n{line}"
