"""scripts/peak.py: the benchmarks' memory figures are the command's own, not the
benchmark's (a child forked from a big process inherits its high-water mark)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

from peak import launch, wait_measured  # noqa: E402

MiB = 2**20


def _run(code: str) -> tuple[float, int, int]:
    proc, report = launch([sys.executable, "-c", code], stdout=subprocess.DEVNULL)
    return wait_measured(proc, report)


def test_peak_is_the_commands_own_not_its_parents() -> None:
    held = bytearray(300 * MiB)
    held[::4096] = b"\x01" * len(held[::4096])  # touch every page: 300 MiB resident here
    _wall, small, code = _run("pass")
    assert code == 0 and small < 100 * MiB
    _wall, big, code = _run("b = bytearray(200 * 2**20); b[::4096] = b'1' * len(b[::4096])")
    assert code == 0 and 200 * MiB <= big < 300 * MiB
    assert len(held) == 300 * MiB


def test_exit_code_and_wall_time_are_the_commands() -> None:
    wall, _rss, code = _run("import sys, time; time.sleep(0.2); sys.exit(3)")
    assert code == 3 and 0.2 <= wall < 5
