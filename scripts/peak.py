"""Wall time and peak memory of one command, for the benchmarks.

A child's ``ru_maxrss`` on Linux starts from its parent's at the moment it was forked and
survives ``exec`` (the kernel carries the old memory's high-water mark over), so a command
started straight from a benchmark that holds 400 MiB reports at least 400 MiB. Each command
is therefore started from a small launcher process (``python -I -S``, ~10 MiB), which
reports its own child's figures.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import IO, Any

_LAUNCH = """
import json, os, sys, time
fd = int(sys.argv[1])
os.set_inheritable(fd, False)
start = time.perf_counter()
pid = os.posix_spawnp(sys.argv[2], sys.argv[2:], os.environ)
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - start
os.write(fd, json.dumps([wall, usage.ru_maxrss * 1024, status]).encode())
"""


def launch(cmd: list[str], *, stdout: int | IO[Any] | None = None,
          stderr: int | IO[Any] | None = None) -> tuple[subprocess.Popen[bytes], Any]:
    """Start ``cmd`` under the launcher; ``wait_measured(proc, report)`` gives its figures."""
    read, write = os.pipe()
    proc = subprocess.Popen([sys.executable, "-I", "-S", "-c", _LAUNCH, str(write), *cmd],
                            stdout=stdout, stderr=stderr, pass_fds=(write,))
    os.close(write)
    return proc, read


def wait_measured(proc: subprocess.Popen[bytes], report: Any) -> tuple[float, int, int]:
    """Wait for a ``launch``ed command: its wall seconds, its own peak RSS in bytes, and its
    exit code."""
    proc.wait()
    with os.fdopen(report, "rb") as f:
        data = f.read()
    if not data:
        sys.exit(f"bench: the launcher failed (exit {proc.returncode})")
    wall, rss, status = json.loads(data)
    return wall, rss, os.waitstatus_to_exitcode(status)
