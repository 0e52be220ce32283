"""README examples are run, so the docs cannot drift from the tool.

Every ``$ zonedb ...`` and ``$ sqlite3 ...`` line in a ``console`` block is run against a
freshly seeded database at 80 columns, and the lines shown under it must be its output,
in order, ids and values included. A line that is only ``…`` stands for lines left out;
a ``…`` inside a line stands for characters left out. ``python tests/test_readme.py``
rewrites the shown output from real runs (keeping each block's elisions) after a change.
A command must succeed, or exit as a trailing ``# exits N`` says; ``prov.db`` names a copy
of the provenance test seeds (tests/data/prov_seeds) instead.
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
WIDTH = "80"


def _examples(text: str) -> list[tuple[str, list[str]]]:
    examples: list[tuple[str, list[str]]] = []
    for block in BLOCK.findall(text):
        for line in block.splitlines():
            if line.startswith("$ "):
                examples.append((line[2:], []))
            elif examples:
                examples[-1][1].append(line)
    return [e for e in examples if e[0].split()[0] in ("zonedb", "sqlite3")]


EXAMPLES = _examples((REPO / "README.md").read_text(encoding="utf-8"))


def run(command: str, db: Path, cli, prov: Path) -> str:  # type: ignore[no-untyped-def]
    """The output of one README command, as a terminal of WIDTH columns shows it."""
    exits = re.search(r"#\s*exits (\d+)\s*$", command)
    argv = shlex.split(command, comments=True)
    argv = [str(prov) if a == "prov.db" else str(PROV_SEEDS) if a == "tests/data/prov_seeds"
            else a for a in argv]
    if argv[0] == "sqlite3":
        if shutil.which("sqlite3") is None:
            pytest.skip("the sqlite3 shell is not installed")
        argv = [a if a != "zonedb.db" else str(db) for a in argv]
        done = subprocess.run(argv, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return done.stdout
    result = cli(*argv[1:], env={"ZONEDB_DB": str(db), "COLUMNS": WIDTH})
    assert result.exit_code == (int(exits.group(1)) if exits else 0), result.output
    return str(result.output).replace(str(prov), "prov.db").replace(str(db), "zonedb.db")


def _shown(lines: list[str]) -> list[str]:
    return [line.rstrip() for line in lines if "seeding" not in line]


def mismatch(shown: list[str], output: str) -> str | None:
    """Why ``shown`` is not ``output`` (None when it is): each run of lines between ``…``
    lines must appear in order, the first at the start, the last at the end unless a ``…``
    follows it."""
    actual = [line.rstrip() for line in output.rstrip("\n").splitlines()]
    shown = _shown(shown)
    while shown and not shown[-1]:
        shown.pop()
    at, free = 0, False
    for line in shown:
        if line.strip() == "…":
            free = True
            continue
        pattern = re.compile(".*".join(map(re.escape, line.split("…"))))
        found = next((k for k in range(at, len(actual) if free else min(at + 1, len(actual)))
                      if pattern.fullmatch(actual[k])), None)
        if found is None:
            return f"README shows a line the command does not print here:\n{line}"
        at, free = found + 1, False
    if not free and at < len(actual):
        return f"the command prints more than README shows, from:\n{actual[at]}"
    return None


def test_readme_has_examples() -> None:
    assert len(EXAMPLES) >= 9


@pytest.mark.parametrize(("command", "shown"), EXAMPLES, ids=[c for c, _ in EXAMPLES])
def test_readme_example_runs(command: str, shown: list[str], db: Path, cli,
                             request: pytest.FixtureRequest, tmp_path: Path) -> None:
    prov = tmp_path / "prov.db"
    if "prov.db" in command and not command.startswith("zonedb seed"):
        shutil.copy(request.getfixturevalue("prov_template"), prov)
    problem = mismatch(shown, run(command, db, cli, prov))
    assert problem is None, problem


TOUR = re.findall(r"^\| ([^|`]+) \| `(zonedb [^`]+)`",
                  (REPO / "README.md").read_text(encoding="utf-8").split("## Tour")[1]
                  .split("\n\n```")[0], re.M)


def test_readme_tour_questions_each_have_a_one_command_answer(db: Path, cli,
                                                              tmp_path: Path) -> None:
    """Each tour question's command runs as written (a `> file` redirect left to the shell)
    and gives the answer the README says: rows, or the files of an export."""
    assert len(TOUR) >= 9
    answers = {}
    for question, command in TOUR:
        argv = shlex.split(command.split(" > ")[0])
        argv = [str(tmp_path / "out") if a == "out/" else a for a in argv]
        result = cli(*argv[1:], env={"ZONEDB_DB": str(db), "COLUMNS": WIDTH})
        assert result.exit_code == 0, (question, result.stderr)
        answers[question] = str(result.stdout)
        if argv[1] == "export":
            assert len(list((tmp_path / "out").glob("*.csv"))) == 10
        else:
            assert answers[question].strip(), question
    firms = next(out for q, out in answers.items() if "firms" in q and "about" in q)
    assert re.findall(r"^ *(\d+)  ", firms, re.M) == ["1", "4", "5"]  # 3 of Ganzhou's 7
    changed = next(out for q, out in answers.items() if "changed" in q)
    assert re.findall(r"^ *(\d+)  ", changed, re.M) == ["21", "22", "36", "37"]
    assert "232家" in changed and "332家" in changed


def _rewrite() -> None:
    """README with each example's output replaced by a real run, elisions kept."""
    import tempfile

    from typer.testing import CliRunner

    from zonedb.cli import app
    from zonedb.store.load import seed

    runner = CliRunner()

    def cli(*args: str, env: dict[str, str]):  # type: ignore[no-untyped-def]
        return runner.invoke(app, list(args), env=env, catch_exceptions=False)

    path = REPO / "README.md"
    text = path.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        template, prov_template = Path(tmp) / "template.db", Path(tmp) / "prov-template.db"
        seed(str(template), REPO / "seeds")
        seed(str(prov_template), PROV_SEEDS)

        def block(match: re.Match[str]) -> str:
            out: list[str] = []
            lines = match.group(1).splitlines()
            k = 0
            while k < len(lines):
                line = lines[k]
                k += 1
                if not line.startswith("$ ") or line[2:].split()[0] not in ("zonedb",
                                                                            "sqlite3"):
                    out.append(line)
                    continue
                shown = []
                while k < len(lines) and not lines[k].startswith("$ "):
                    shown.append(lines[k])
                    k += 1
                db, prov = Path(tmp) / "zonedb.db", Path(tmp) / "prov.db"
                shutil.copy(template, db)
                shutil.copy(prov_template, prov)
                real = [r.rstrip() for r in
                        run(line[2:], db, cli, prov).rstrip("\n").splitlines()]
                keep = _shown(shown)
                cut = keep.index("…") if "…" in keep else None
                tail = [s for s in shown if s and "seeding" in s]
                out += [line, *tail, *(real if cut is None else [*real[:cut], "…"])]
                if shown and not shown[-1].strip():
                    out.append("")
            return "```console\n" + "\n".join(out) + "\n```"

        path.write_text(BLOCK.sub(block, text), encoding="utf-8")


if __name__ == "__main__":
    _rewrite()
