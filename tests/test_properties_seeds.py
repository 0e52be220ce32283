"""Property tests: random damage to valid seed files (deleted lines, swapped values, truncated
files, stray text) either still loads or fails with ``file:line: message`` problems
(SeedError), never with another exception, and a failed seeding leaves the database as it was.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SEEDS
from zonedb.errors import SeedError
from zonedb.store.load import seed

FILES = sorted(str(p.relative_to(SEEDS)) for p in SEEDS.rglob("*.yaml"))
PROBLEM = re.compile(r"^(?P<file>.+?):(?P<line>\d+): \S")
KEY_VALUE = re.compile(r"^(\s*-?\s*[A-Za-z_]+:)(.*)$")


@dataclass(repr=False)
class Sandbox:
    """One seeds copy and one seeded database, reused by every example: each example damages
    one file, seeds, and puts the file (and the database, if it was rebuilt) back."""

    seeds: Path
    db: Path
    pristine_db: bytes

    def run(self, rel: str, damaged: bytes) -> None:
        path = self.seeds / rel
        original = path.read_bytes()
        path.write_bytes(damaged)
        try:
            _seed_and_check(self, rel)
        finally:
            path.write_bytes(original)
            if self.db.read_bytes() != self.pristine_db:
                self.db.write_bytes(self.pristine_db)


def _seed_and_check(box: Sandbox, rel: str) -> None:
    try:
        seed(str(box.db), box.seeds)
    except SeedError as exc:
        assert exc.problems
        for problem in exc.problems:
            match = PROBLEM.match(problem)
            assert match, problem
            shown = Path(match["file"])
            assert shown.exists(), problem
            if shown.suffix == ".yaml":
                lines = len(shown.read_bytes().splitlines()) or 1
                assert 1 <= int(match["line"]) <= lines, problem
        assert box.db.read_bytes() == box.pristine_db  # untouched on failure
        return
    # It loaded: the damage was harmless (a note line, a comment), and the result is sound.
    import sqlite3

    conn = sqlite3.connect(box.db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT count(*) FROM zones").fetchone()[0] >= 1
    finally:
        conn.close()


@pytest.fixture(scope="module")
def box(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    folder = tmp_path_factory.mktemp("props")
    seeds = folder / "seeds"
    shutil.copytree(SEEDS, seeds)
    db = folder / "zonedb.db"
    seed(str(db), seeds)
    yield Sandbox(seeds, db, db.read_bytes())


# A dozen examples each keeps the suite fast; PROPERTY_EXAMPLES=500 for a long hunt.
SETTINGS = settings(max_examples=int(os.environ.get("PROPERTY_EXAMPLES", "12")), deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(rel=st.sampled_from(FILES), data=st.data())
def test_deleted_lines(box: Sandbox, rel: str, data: st.DataObject) -> None:
    lines = (SEEDS / rel).read_bytes().splitlines(keepends=True)
    start = data.draw(st.integers(0, len(lines) - 1), label="first deleted line")
    count = data.draw(st.integers(1, 4), label="lines deleted")
    box.run(rel, b"".join(lines[:start] + lines[start + count:]))


@SETTINGS
@given(rel=st.sampled_from(FILES), data=st.data())
def test_swapped_values(box: Sandbox, rel: str, data: st.DataObject) -> None:
    lines = (SEEDS / rel).read_text(encoding="utf-8").splitlines(keepends=True)
    pairs = [i for i, line in enumerate(lines) if KEY_VALUE.match(line.rstrip("\n"))]
    a, b = data.draw(st.lists(st.sampled_from(pairs), min_size=2, max_size=2, unique=True),
                     label="swapped lines")
    ma, mb = KEY_VALUE.match(lines[a].rstrip("\n")), KEY_VALUE.match(lines[b].rstrip("\n"))
    assert ma and mb
    lines[a], lines[b] = ma[1] + mb[2] + "\n", mb[1] + ma[2] + "\n"
    box.run(rel, "".join(lines).encode("utf-8"))


@SETTINGS
@given(rel=st.sampled_from([*FILES, "sources/ganzhou-etdz-reform.txt"]), data=st.data())
def test_truncated_files(box: Sandbox, rel: str, data: st.DataObject) -> None:
    raw = (SEEDS / rel).read_bytes()
    cut = data.draw(st.integers(0, len(raw) - 1), label="bytes kept")  # may split a character
    box.run(rel, raw[:cut])


@SETTINGS
@given(rel=st.sampled_from(FILES), data=st.data(),
       junk=st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30))
def test_stray_text(box: Sandbox, rel: str, data: st.DataObject, junk: str) -> None:
    lines = (SEEDS / rel).read_text(encoding="utf-8").splitlines(keepends=True)
    at = data.draw(st.integers(0, len(lines)), label="inserted before line")
    indent = data.draw(st.sampled_from(["", "  ", "- ", "  x: "]), label="indent")
    box.run(rel, "".join([*lines[:at], indent + junk + "\n", *lines[at:]]).encode("utf-8"))
