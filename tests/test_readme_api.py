"""The README's Python examples (```pycon blocks) run as doctests, in a fresh folder, so
the documented API cannot drift. 1300余家 is the count of industrial firms the Ganzhou
reform article states ("目前,已培育工业企业1300余家")."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

from conftest import REPO

BLOCKS = re.findall(r"```pycon\n(.*?)```", (REPO / "README.md").read_text(encoding="utf-8"),
                    re.S)


def test_readme_has_python_examples() -> None:
    assert BLOCKS and ">>> import zonedb" in BLOCKS[0]


@pytest.mark.parametrize("block", BLOCKS)
def test_readme_python_example_runs(block: str, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # zonedb.db is written here, the bundled seeds are read
    test = doctest.DocTestParser().get_doctest(block, {}, "README", "README.md", 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    assert runner.summarize(verbose=False).failed == 0
    assert (tmp_path / "zonedb.db").exists()
