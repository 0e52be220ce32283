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


def test_the_api_works_from_the_checkout_without_its_install(tmp_path: Path) -> None:
    """Python started in the checkout imports the checkout's zonedb/, not the installed copy
    (a plain ``pip install .`` maps migrations/ to ``zonedb._migrations`` only inside the
    install): seeding still finds the migrations. Emulated with ``-S``: no site hooks (so no
    editable-install finder), the dependencies on the path, the checkout first."""
    import subprocess
    import sys
    import sysconfig

    code = ("import sys, zonedb; assert zonedb.__file__.startswith(sys.argv[2]), zonedb.__file__;"
            " print(zonedb.seed(sys.argv[1]).counts['indicators'])")
    paths = [str(REPO), sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]]
    proc = subprocess.run([sys.executable, "-S", "-c", code, str(tmp_path / "z.db"), str(REPO)],
                          cwd=REPO, env={"PYTHONPATH": ":".join(paths), "PATH": "/usr/bin:/bin"},
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    shipped = sum(len(re.findall(r"^- ", path.read_text(encoding="utf-8"), re.M))
                  for path in (REPO / "seeds" / "facts").glob("*.yaml"))  # one fact an item
    assert int(proc.stdout.strip()) == shipped > 0
