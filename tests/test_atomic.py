"""Re-seeding is all or nothing: a seeding killed half-way leaves the old database byte for
byte, the next run leaves no temporary files behind, readers querying while another process
re-seeds always see one complete database, and seeding twice gives the same rows."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import SEEDS

ZONEDB = [sys.executable, "-m", "zonedb"]
TMP_MARK = ".zonedb-tmp-"


@pytest.fixture(scope="module")
def big_seeds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real seeds with every facts file copied 40 times: about 3300 indicators, so a
    seeding lasts long enough (about a second) to be killed half-way."""
    target = tmp_path_factory.mktemp("big") / "seeds"
    shutil.copytree(SEEDS, target)
    for i in range(40):
        for path in sorted((SEEDS / "facts").glob("*.yaml")):
            shutil.copy(path, target / "facts" / f"zz{i:02d}-{path.name}")
    return target


def _ctrl_c_default() -> None:
    """Run in a child before it starts: SIGINT at its default. A test runner started in the
    background by a script (``cmd &``) ignores SIGINT, children inherit an ignored signal,
    and Python then keeps ignoring it: the Ctrl-C these tests send would do nothing."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _temporaries(db: Path) -> list[str]:
    return sorted(p.name for p in db.parent.glob(f"{db.name}{TMP_MARK}*"))


def _wait_for_temporary(proc: subprocess.Popen[bytes], db: Path, timeout: float = 20) -> None:
    """Until the new database is being written beside the old one (the risky moment)."""
    deadline = time.monotonic() + timeout
    while not _temporaries(db):
        assert proc.poll() is None, "seeding ended before it started writing"
        assert time.monotonic() < deadline, "seeding never started writing"
        time.sleep(0.002)


def _wait_for_validation(proc: subprocess.Popen[bytes], timeout: float = 20) -> None:
    """Until the command is reading the seeds: libyaml is loaded only by the seed reader,
    once the CLI is running the command (a Ctrl-C before that is Python's own business)."""
    maps = Path(f"/proc/{proc.pid}/maps")
    deadline = time.monotonic() + timeout
    while maps.exists() and "_yaml" not in maps.read_text():
        assert proc.poll() is None, "seeding ended before it read the seeds"
        assert time.monotonic() < deadline, "seeding never started reading the seeds"
        time.sleep(0.002)
    time.sleep(0.05)


def _stopped(proc: subprocess.Popen[bytes]) -> None:
    """Until the process is really frozen (SIGSTOP is delivered asynchronously)."""
    stat = Path(f"/proc/{proc.pid}/stat")
    deadline = time.monotonic() + 10
    while stat.exists() and stat.read_text().rsplit(")", 1)[1].split()[0] not in "TtZ":
        assert time.monotonic() < deadline, "the seeding never stopped"
        time.sleep(0.001)


def _interrupt(db: Path, big_seeds: Path, moment: str, signum: int,
               before: bytes) -> tuple[subprocess.Popen[bytes], bytes] | None:
    """Start a seeding, freeze it at ``moment`` and, if it is provably still before the swap
    (the old bytes in place: the big seeds make a different file), send ``signum``. None
    when a slow, shared machine let it get past the swap first: the caller starts again."""
    proc = subprocess.Popen([*ZONEDB, "seed", "--full", "--db", str(db), "--seeds", str(big_seeds)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=_ctrl_c_default)
    if moment == "writing":
        _wait_for_temporary(proc, db)
        time.sleep(0.03)
    else:
        _wait_for_validation(proc)  # re-seeding streams: validated rows are being written
    proc.send_signal(signal.SIGSTOP)
    _stopped(proc)
    if proc.poll() is not None or db.read_bytes() != before:
        proc.send_signal(signal.SIGCONT)
        proc.communicate(timeout=60)
        return None
    proc.send_signal(signum)
    proc.send_signal(signal.SIGCONT)
    _, err = proc.communicate(timeout=30)
    return proc, err


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGINT], ids=["SIGKILL", "SIGINT"])
@pytest.mark.parametrize("moment", ["validating", "writing"])
def test_crash_mid_seed_keeps_the_old_database(cli, db: Path, big_seeds: Path, signum: int,
                                               moment: str) -> None:
    before = db.read_bytes()
    for _ in range(5):
        done_early = _interrupt(db, big_seeds, moment, signum, before)
        if done_early is not None:
            break
        cli("seed", "--db", str(db), "--seeds", str(SEEDS))  # back to the small database
        before = db.read_bytes()
    assert done_early is not None, "five seedings in a row passed the swap before the signal"
    proc, err = done_early
    # digests, not the bytes: pytest's diff of two files of megabytes runs for minutes
    assert _digest(db.read_bytes()) == _digest(before), (proc.returncode, err.decode()[-2000:],
                                                         sorted(os.listdir(db.parent)))
    if signum == signal.SIGINT:
        assert proc.returncode == 130, err.decode()
        assert b"Traceback" not in err
        assert err.decode().strip().endswith("Interrupted; nothing was changed.")
        assert not _temporaries(db)  # cleaned up on the way out
    else:
        assert proc.returncode == -signal.SIGKILL
    # The next successful run replaces the database and removes what the killed one left.
    done = cli("seed", "--db", str(db), "--seeds", str(SEEDS))
    assert done.exit_code == 0, done.output
    assert not _temporaries(db)
    assert sorted(p.name for p in db.parent.iterdir() if p.name.startswith(db.name)) == [db.name]
    assert sqlite3.connect(db).execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_two_seedings_at_once(db: Path, big_seeds: Path) -> None:
    """Two processes seeding the same file: each builds its own temporary file (neither
    removes the other's), the last rename wins, and the result is one complete database."""
    procs = [subprocess.Popen([*ZONEDB, "seed", "--db", str(db), "--seeds", str(big_seeds)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    for proc in procs:
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err.decode()
    assert not _temporaries(db)
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        facts = conn.execute("SELECT count(*) FROM indicators").fetchone()[0]
    finally:
        conn.close()
    from zonedb.seeds.read import read_seeds

    assert facts == read_seeds(big_seeds).counts()["indicators"] > 1000


_LOST_INTERRUPT = r"""
import signal, sys
from zonedb.store import load

class Dropped:
    def __del__(self):  # CPython prints "Exception ignored" and drops the KeyboardInterrupt
        signal.raise_signal(signal.SIGINT)

read_seeds = load.read_seeds

def reading(*args, **kwargs):
    Dropped()
    return read_seeds(*args, **kwargs)

load.read_seeds = reading
try:
    load.seed(sys.argv[1], sys.argv[2], full=True)  # the full rebuild reads every file
    print("seeded")
except KeyboardInterrupt:
    print("interrupted")
"""


def test_a_ctrl_c_whose_exception_python_lost_still_stops_the_swap(db: Path) -> None:
    """A KeyboardInterrupt raised inside a finalizer never reaches the seeding (how the
    validating-SIGINT case once replaced the database under load): the SIGINT itself is
    remembered, and the swap refuses to happen."""
    before = db.read_bytes()
    done = subprocess.run([sys.executable, "-c", _LOST_INTERRUPT, str(db), str(SEEDS)],
                          capture_output=True, text=True, timeout=60, preexec_fn=_ctrl_c_default)
    assert "Exception ignored" in done.stderr  # the interrupt really was lost
    assert done.stdout.strip() == "interrupted"
    assert db.read_bytes() == before
    assert not _temporaries(db)


_WRITER = r"""
import sys
from zonedb.store.load import seed

for _ in range(int(sys.argv[3])):
    seed(sys.argv[1], sys.argv[2])
"""

_READER = r"""
import json, sys, time
from pathlib import Path
from zonedb.store.db import Reader, resolve_url
from zonedb.reports.queries import query

url, stop, expected = resolve_url(sys.argv[1]), Path(sys.argv[2]), json.loads(sys.argv[3])
reads, problems = 0, []
while not stop.exists() or reads < 5:
    try:
        with Reader(url) as reader:
            rows = query(reader, "indicators").rows
            counts = {t: reader.execute(f"SELECT count(*) FROM {t}").rows[0][0]
                      for t in expected["counts"]}
        if counts != expected["counts"]:
            problems.append(f"counts {counts}")
        if json.loads(json.dumps(rows, default=str)) != expected["rows"]:
            problems.append(f"indicators differ ({len(rows)} rows)")
    except Exception as exc:
        problems.append(f"{type(exc).__name__}: {exc}")
    reads += 1
    time.sleep(0.01)  # leave the CPU to the seeding process too
print(json.dumps({"reads": reads, "problems": problems[:5], "failed": len(problems)}))
"""


def test_readers_never_see_a_partial_database(db: Path, tmp_path: Path) -> None:
    """Two reader processes query in a loop while another process re-seeds six times."""
    from zonedb.reports.queries import query
    from zonedb.store.db import Reader, resolve_url

    with Reader(resolve_url(str(db))) as reader:
        rows = query(reader, "indicators").rows
        tables = [r[0] for r in reader.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'").rows]
        counts = {t: reader.execute(f"SELECT count(*) FROM {t}").rows[0][0] for t in tables}
    assert counts["indicators"] > 50
    expected = json.dumps({"rows": json.loads(json.dumps(rows, default=str)),
                           "counts": counts})
    stop = tmp_path / "stop"
    readers = [subprocess.Popen([sys.executable, "-c", _READER, str(db), str(stop), expected],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for _ in range(2)]
    try:
        time.sleep(0.3)
        writer = subprocess.run([sys.executable, "-c", _WRITER, str(db), str(SEEDS), "6"],
                                capture_output=True, text=True, timeout=120)
        assert writer.returncode == 0, writer.stderr
    finally:
        stop.touch()
    for proc in readers:
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        report = json.loads(out)
        assert report["failed"] == 0, report
        assert report["reads"] >= 5
    assert not _temporaries(db)


def _dump(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def test_seeding_twice_gives_identical_output(cli, tmp_path: Path) -> None:
    first, second = tmp_path / "first.db", tmp_path / "second.db"
    outputs = []
    for target in (first, second, first):
        assert cli("seed", "--db", str(target), "--seeds", str(SEEDS)).exit_code == 0
        result = cli("query", "indicators", "--db", str(target), "-f", "json")
        assert result.exit_code == 0
        outputs.append(result.stdout)
    assert outputs[0] == outputs[1] == outputs[2]
    assert len(json.loads(outputs[0])) > 50
    assert _dump(first) == _dump(second)  # every table, every id


_LOST_WHILE_STARTING = r"""
import signal, sys

class Dropped:
    def __del__(self):  # CPython prints "Exception ignored" and drops the KeyboardInterrupt
        signal.raise_signal(signal.SIGINT)

class CtrlCWhileImporting:  # a Ctrl-C while the seed command imports its modules
    def find_spec(self, name, path=None, target=None):
        if name == "zonedb.store.load":
            Dropped()
        return None

sys.meta_path.insert(0, CtrlCWhileImporting())
sys.argv = ["zonedb", "seed", "--full", "--db", sys.argv[1], "--seeds", sys.argv[2]]
from zonedb.cli import main
main()
"""


def test_a_ctrl_c_lost_before_the_seeding_starts_still_stops_it(db: Path) -> None:
    """The console script notes Ctrl-C from its start (zonedb.interrupts): one pressed while
    it is still importing, and lost there, stops the seeding before the swap too."""
    before = _digest(db.read_bytes())
    done = subprocess.run([sys.executable, "-c", _LOST_WHILE_STARTING, str(db), str(SEEDS)],
                          capture_output=True, text=True, timeout=60, preexec_fn=_ctrl_c_default)
    assert "Exception ignored" in done.stderr  # the interrupt really was lost
    assert done.returncode == 130, done.stderr
    assert done.stderr.strip().endswith("Interrupted; nothing was changed.")
    assert _digest(db.read_bytes()) == before
    assert not _temporaries(db)

