"""Benchmark zonedb against the floor and against its peers; write docs/benchmarks.md.

    python scripts/bench.py            # 10k, 100k and 1M facts (under 10 minutes on 2 cores)
    python scripts/bench.py --quick    # 10k and 100k only

For each size a synthetic corpus is generated (scripts/synth.py, 400 facts per zone,
so a per-zone query returns the same 400 rows at every size) and seeded with the
real ``zonedb seed`` in a child process (wall time, peak RSS of the child), then
seeded again over that database (the daily re-seed, with its summary of changes). The
floor is measured in the same run on the same data: PyYAML's C loader parsing the
same YAML files plus ``sqlite3.executemany`` of the final rows (read back from
zonedb's database beforehand) into the same schema, in one transaction. Queries:
cold processes of ``zonedb query``, the ``sqlite3`` shell and ``sqlite-utils``
run alternately (medians), and the in-process API against a raw sqlite3 query.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import bench_edits
from peak import launch, wait_measured

REPO = Path(__file__).resolve().parent.parent
FACTS_PER_ZONE = 400
SIZES = {"10k": 25, "100k": 250, "1M": 2500}  # label -> zones
ZONE = "ganzhou"
VIEW_SQL = f"select * from v_indicators where zone='{ZONE}'"
BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    """A command next to this Python (the venv) or on PATH."""
    here = BIN / name
    found = str(here) if here.exists() else shutil.which(name)
    if not found:
        sys.exit(f"bench: {name} not found (install it or put it on PATH)")
    return found


def machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))
        ram = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration):
        ram = "unknown"
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip()
    return {"CPU": cpu, "cores": str(os.cpu_count()), "RAM": ram,
            "OS": f"{platform.system()} {platform.release()}",
            "Python": platform.python_version(), "SQLite (Python module)": sqlite3.sqlite_version,
            "sqlite3 shell": subprocess.run([tool("sqlite3"), "--version"], capture_output=True,
                                            text=True).stdout.split()[0],
            "zonedb commit": commit or "unknown",
            "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")}


def run_child(cmd: list[str]) -> None:
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode:
        sys.exit(f"bench: {' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")


def run_measured(cmd: list[str]) -> tuple[float, int, str]:
    """Run a command; wall seconds, the child's own peak RSS (bytes; see peak.py) and stdout."""
    proc, report = launch(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out_b, err_b = b"", b""

    def drain() -> None:
        nonlocal out_b
        out_b = proc.stdout.read() if proc.stdout else b""

    reader = threading.Thread(target=drain)
    reader.start()
    err_b = proc.stderr.read() if proc.stderr else b""
    reader.join()
    wall, rss, code = wait_measured(proc, report)
    if code:
        sys.exit(f"bench: {' '.join(cmd)} failed ({code}):\n"
                 f"{err_b.decode(errors='replace')[-3000:]}")
    return wall, rss, out_b.decode()


# -- the floor ---------------------------------------------------------------------------
def floor_child(seeds: Path, zonedb_db: Path, out_db: Path) -> None:
    """Child mode: time YAML parsing (C loader) + executemany of zonedb's final rows."""
    import yaml

    files = sorted(seeds.rglob("*.yaml"))
    texts = sorted((seeds / "sources").glob("*.txt"))
    if out_db.exists():
        out_db.unlink()
    start = time.perf_counter()
    for path in files:
        yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    for path in texts:
        path.read_bytes().decode("utf-8")
    parse_s = time.perf_counter() - start
    # zonedb's final rows, read back untimed and after the parse (so the parse's garbage
    # collections do not walk a million preloaded rows), then frozen out of the collector.
    src = sqlite3.connect(zonedb_db)
    # A virtual table (the FTS5 search index) makes its own shadow tables: those are not
    # created again but filled with zonedb's index as it is, page data copied, not rebuilt.
    virtual = [t for (t,) in src.execute(
        "SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%'")]
    shadows = {t for (t,) in src.execute("SELECT name FROM sqlite_master WHERE type='table'")
               if any(t.startswith(f"{v}_") for v in virtual)}
    schema = [sql for (name, sql) in src.execute(
        "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' "
        "ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 ELSE 2 END, rowid")
        if name not in shadows]
    tables = [t for (t,) in src.execute("SELECT name FROM sqlite_master WHERE type='table'")
              if t not in virtual]
    rows = {t: src.execute(f"SELECT * FROM {t}").fetchall() for t in tables}
    src.close()
    gc.freeze()
    parsed = time.perf_counter()
    conn = sqlite3.connect(out_db, isolation_level=None)
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("BEGIN")
    for sql in schema:
        conn.execute(sql)
    for table in tables:
        if table in shadows:
            conn.execute(f"DELETE FROM {table}")  # the rows the virtual table began with
        if rows[table]:
            marks = ", ".join("?" * len(rows[table][0]))
            conn.executemany(f"INSERT INTO {table} VALUES ({marks})", rows[table])
    conn.execute("COMMIT")
    conn.close()
    done = time.perf_counter()
    print(json.dumps({"parse": parse_s, "insert": done - parsed,
                      "total": parse_s + done - parsed}))


# -- measurements ----------------------------------------------------------------------
def seed_size(label: str, zones: int, work: Path) -> dict[str, Any]:
    seeds, db = work / f"seeds-{label}", work / f"zonedb-{label}.db"
    t0 = time.perf_counter()
    run_child([sys.executable, str(REPO / "scripts" / "synth.py"), "--zones", str(zones),
               "--facts-per-zone", str(FACTS_PER_ZONE), "--out", str(seeds)])
    synth_s = time.perf_counter() - t0
    if db.exists():
        db.unlink()
    cmd = [tool("zonedb"), "seed", "--db", str(db), "--seeds", str(seeds)]
    wall, rss, _ = run_measured(cmd)
    # the daily case: the same seeds again, nothing changed (the fingerprints say so) ...
    re_wall, re_rss, _ = run_measured(cmd)
    # ... and a full rebuild over the existing database, compared with it for the summary
    full_wall, full_rss, _ = run_measured([*cmd, "--full"])
    _w, _r, out = run_measured([sys.executable, __file__, "--floor", str(seeds), str(db),
                                str(work / f"floor-{label}.db")])
    floor = json.loads(out)
    facts = zones * FACTS_PER_ZONE
    conn = sqlite3.connect(db)
    stored = conn.execute("SELECT count(*) FROM indicators").fetchone()[0]
    conn.close()
    assert stored == facts, (stored, facts)
    return {"label": label, "facts": facts, "zones": zones, "synth_s": synth_s, "seed_s": wall,
            "rss": rss, "reseed_s": re_wall, "reseed_rss": re_rss, "full_s": full_wall,
            "full_rss": full_rss, "floor_s": floor["total"],
            "floor_parse_s": floor["parse"], "floor_insert_s": floor["insert"], "db": db,
            "db_mb": db.stat().st_size / 1e6}


def in_process(db: Path, repeat: int = 30) -> dict[str, float]:
    """Median seconds of the per-zone API call vs the same view read with raw sqlite3."""
    from zonedb.reports.queries import query
    from zonedb.store.db import Reader, resolve_url

    api, raw = [], []
    reader = Reader(resolve_url(str(db)))
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    for _ in range(repeat):
        t = time.perf_counter()
        n_api = len(query(reader, "indicators", zones=[ZONE]).rows)
        api.append(time.perf_counter() - t)
        t = time.perf_counter()
        n_raw = len(conn.execute(VIEW_SQL).fetchall())
        raw.append(time.perf_counter() - t)
    reader.close()
    conn.close()
    assert n_api == n_raw == FACTS_PER_ZONE, (n_api, n_raw)
    return {"api": statistics.median(api), "raw": statistics.median(raw)}


def cold(db: Path, runs: int) -> dict[str, float]:
    """Cold processes, run alternately so drift in machine load hits all three alike."""
    cmds = {
        "zonedb": [tool("zonedb"), "query", "indicators", "--zone", ZONE, "--format", "csv",
                   "--db", str(db)],
        "sqlite3": [tool("sqlite3"), str(db), VIEW_SQL],
        "sqlite-utils": [tool("sqlite-utils"), "query", str(db), VIEW_SQL, "--csv"],
        "zonedb --help": [tool("zonedb"), "--help"],
    }
    times: dict[str, list[float]] = {k: [] for k in cmds}
    for i in range(runs + 1):
        for name, cmd in cmds.items():
            t = time.perf_counter()
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            if i:  # the first round warms the page cache
                times[name].append(time.perf_counter() - t)
    return {k: statistics.median(v) for k, v in times.items()}


def plan(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    rows = conn.execute("EXPLAIN QUERY PLAN " + VIEW_SQL).fetchall()
    conn.close()
    return [r[-1] for r in rows]


# -- read commands at scale (section 4) ---------------------------------------------------
SEARCH_TERMS = (("1 char", "园"), ("2 chars", "基金"), ("4 chars", "固定资产"))
COMPARE_METRIC = "firm_output"
SAME_ROWS_METRIC = "guidance_fund_size"  # its rows are those the search for 基金 finds
SQL_READ = ("SELECT zone, metric, value, unit, period, quote FROM v_indicators "
            f"WHERE zone = '{ZONE}'")
# (name, arguments, the machine-readable format it offers); None: takes no --format
READS: list[tuple[str, list[str], str | None]] = [
    ("query --zone", ["query", "indicators", "--zone", ZONE], "csv"),
    # the rows of the 2-character search exactly (synth.py states the fund size with 基金
    # and no other metric): a search against a filter giving the same rows
    ("query --metric", ["query", "indicators", "--metric", SAME_ROWS_METRIC], "csv"),
    *[(f"search {term} ({size})", ["query", "indicators", "--search", term], "csv")
      for size, term in SEARCH_TERMS],
    ("show", ["show", ZONE], "json"),
    ("cite", ["cite", "42"], "csv"),
    ("compare", ["compare", COMPARE_METRIC], "csv"),
    ("sql", ["sql", SQL_READ], "csv"),
    ("--help", ["--help"], None),
]
READ_TIMEOUT_S = 120.0  # a command slower than this is reported as such, not waited for
TERMINAL = "terminal"  # the default table with stdout on a pseudo-terminal (80 columns)
# Runs zonedb in a child with every sqlite3 connection traced: the statements it sends, with
# their parameters written in (sqlite3's expanded SQL), one per line.
TRACE = """
import runpy, sqlite3, sys
log, sys.argv = open(sys.argv[1], "w", encoding="utf-8"), ["zonedb", *sys.argv[2:]]
connect = sqlite3.connect
def traced(*a, **k):
    conn = connect(*a, **k)
    conn.set_trace_callback(lambda sql: log.write(" ".join(sql.split()) + "\\n"))
    return conn
sqlite3.connect = traced
try:
    runpy.run_module("zonedb", run_name="__main__", alter_sys=True)
finally:
    log.close()
"""
# The floors: a plain script running the same statements and writing each result as CSV.
FLOOR_SQLITE = """
import csv, json, sqlite3, sys
conn = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
out = csv.writer(sys.stdout)
for sql in json.loads(sys.argv[2]):
    cur = conn.execute(sql)
    if cur.description:
        out.writerow([d[0] for d in cur.description])
        out.writerows(cur)
"""
FLOOR_PG = """
import csv, json, sys
import psycopg
with psycopg.connect(sys.argv[1]) as conn:
    out = csv.writer(sys.stdout)
    for sql in json.loads(sys.argv[2]):
        cur = conn.execute(sql.replace("%", "%%"))
        if cur.description:
            out.writerow([d.name for d in cur.description])
            out.writerows(cur)
"""
_PREAMBLE = ("PRAGMA ", "SELECT count(*) FROM sqlite_master")  # the Reader's own checks


def ensure_db(label: str, zones: int, work: Path) -> Path:
    """The seeded database of one size, built once per work folder and reused after."""
    seeds, db = work / f"seeds-{label}", work / f"zonedb-{label}.db"
    facts = zones * FACTS_PER_ZONE
    stamp, schema = db.with_suffix(".schema"), schema_stamp()
    if db.exists() and stamp.exists() and stamp.read_text() == schema:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            if conn.execute("SELECT count(*) FROM indicators").fetchone()[0] == facts:
                return db
        except sqlite3.Error:
            pass
        finally:
            conn.close()
    if not (seeds / "manifest.yaml").exists():
        run_child([sys.executable, str(REPO / "scripts" / "synth.py"), "--zones", str(zones),
                   "--facts-per-zone", str(FACTS_PER_ZONE), "--out", str(seeds)])
    run_child([tool("zonedb"), "seed", "--db", str(db), "--seeds", str(seeds)])
    stamp.write_text(schema)
    return db


def schema_stamp() -> str:
    """A digest of the migrations: a database kept in --work is reused only while it holds."""
    import hashlib

    digest = hashlib.sha256()
    for path in sorted((REPO / "migrations" / "versions").glob("*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def traced_statements(args: list[str], work: Path) -> list[str]:
    """The SQL statements ``zonedb ARGS`` sends to SQLite, in order."""
    log = work / "trace.sql"
    subprocess.run([sys.executable, "-c", TRACE, str(log), *args], stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=True, timeout=max(READ_TIMEOUT_S, 900))
    # "-- " marks statements SQLite runs inside another (FTS5's own reads of its index)
    return [line for line in log.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("--")]


def sql_only(db: Path, statements: list[str], repeat: int) -> tuple[float, int, str]:
    """In-process median seconds of running the statements, the rows of the largest result,
    and that statement (the one peers that take a single statement run)."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    times, sizes = [], {}
    for _ in range(repeat):
        t = time.perf_counter()
        for sql in statements:
            sizes[sql] = len(conn.execute(sql).fetchall())
        times.append(time.perf_counter() - t)
    conn.close()
    main = max(reversed(statements), key=lambda sql: sizes.get(sql, 0)) if statements else ""
    return statistics.median(times), sizes.get(main, 0), main


def import_profile(cmd: list[str], tries: int = 3) -> dict[str, float]:
    """``python -X importtime`` of one command: seconds of import (own time of each module)
    by package: typer, rich, psycopg, zonedb, the standard library, anything else. The
    quickest of ``tries`` runs: on a shared machine the others measure the neighbours."""
    runs = []
    for _ in range(tries):
        try:
            runs.append(_import_once(cmd))
        except subprocess.TimeoutExpired:
            runs.append({"total": math.inf})
    return min(runs, key=lambda t: t["total"])


def _import_once(cmd: list[str]) -> dict[str, float]:
    proc = subprocess.run([sys.executable, "-X", "importtime", *cmd], capture_output=True,
                          text=True, timeout=READ_TIMEOUT_S)
    totals: dict[str, float] = {}
    stdlib = sys.stdlib_module_names
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:"):
            continue
        own, _cum, name = line[len("import time:"):].split("|")
        if not own.strip().isdigit():
            continue
        top = name.strip().split(".")[0]
        group = ("stdlib" if top in stdlib or top.startswith("_") else
                 top if top in ("typer", "rich", "psycopg", "psycopg_binary", "zonedb",
                                "pydantic", "yaml", "sqlalchemy", "alembic") else "other")
        group = "psycopg" if group == "psycopg_binary" else group
        totals[group] = totals.get(group, 0.0) + int(own) / 1e6
    totals["total"] = sum(totals.values())
    return totals


def run_on_terminal(cmd: list[str], *, timeout: float, env: dict[str, str]
                    ) -> subprocess.CompletedProcess[bytes]:
    """Run ``cmd`` with its stdout on a pseudo-terminal (80 columns), as a person at a
    terminal runs it: a table there shows its first rows only. The output is read and
    dropped; stderr is kept."""
    import fcntl
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = {k: v for k, v in env.items() if k not in ("COLUMNS", "LINES")}

    def drain() -> None:
        try:
            while os.read(master, 65536):
                pass
        except OSError:  # EIO: the child closed the terminal
            pass

    reader = threading.Thread(target=drain)
    try:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=slave,
                                stderr=subprocess.PIPE, env=env)
        os.close(slave)
        slave = -1
        reader.start()
        try:
            _out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            raise
    finally:
        if slave >= 0:
            os.close(slave)
        if reader.is_alive():
            reader.join()
        os.close(master)
    return subprocess.CompletedProcess(cmd, proc.returncode, b"", err)


def alternate(cmds: dict[str, list[str]], runs: int, env: dict[str, dict[str, str]] | None = None,
              terminal: bool = False) -> dict[str, float | None]:
    """Median wall seconds of cold processes run in turn (drift in load hits all alike);
    None for a command that failed, infinity for one slower than READ_TIMEOUT_S. With
    ``terminal``, stdout is a pseudo-terminal."""
    times: dict[str, list[float]] = {k: [] for k in cmds}
    failed: set[str] = set()
    slow: set[str] = set()
    for i in range(runs + 1):
        for name, cmd in cmds.items():
            if name in failed:
                continue
            t = time.perf_counter()
            try:
                run_env = {**os.environ, **(env or {}).get(name, {})}
                proc = (run_on_terminal(cmd, timeout=READ_TIMEOUT_S, env=run_env) if terminal
                        else subprocess.run(cmd, stdout=subprocess.DEVNULL,
                                            stderr=subprocess.PIPE, timeout=READ_TIMEOUT_S,
                                            env=run_env))
            except subprocess.TimeoutExpired:
                print(f"    {name} took over {READ_TIMEOUT_S:.0f} s", file=sys.stderr)
                slow.add(name)
                failed.add(name)
                continue
            if proc.returncode:
                print(f"    {name} failed: {proc.stderr.decode(errors='replace')[-300:]}",
                      file=sys.stderr)
                failed.add(name)
            elif i:  # the first round warms the page cache
                times[name].append(time.perf_counter() - t)
    return {k: (math.inf if k in slow else None if k in failed or not v
                else statistics.median(v)) for k, v in times.items()}


def reads_at(label: str, db: Path, work: Path, runs: int) -> list[dict[str, Any]]:
    """Every read command on one database, CSV (or JSON) and table, against the floors."""
    zonedb, rows = tool("zonedb"), []
    for name, args, machine_format in READS:
        formats = [machine_format, "table", TERMINAL] if machine_format else [None]
        base = [*args, "--db", str(db)] if machine_format else args
        statements = ([s for s in traced_statements([*base, "-f", machine_format], work)]
                      if machine_format else [])
        sql_s, n_rows, main_sql = sql_only(db, statements, 1 if label == "1M" else 5)
        for fmt in formats:
            cmd = [zonedb, *base, *(["-f", fmt] if fmt and fmt != TERMINAL else [])]
            cmds: dict[str, list[str]] = {"zonedb": cmd}
            if fmt == TERMINAL:  # the table a person sees: its first rows, the rest counted
                med = alternate(cmds, runs, terminal=True)
                rows.append({"size": label, "command": name, "format": fmt, "rows": n_rows,
                             "statements": len(statements), "sql_s": sql_s,
                             "floor": None, **med})
                print(f"    {label} {name} {fmt}: zonedb {_cell(med['zonedb'], None)}",
                      file=sys.stderr)
                continue
            if machine_format:
                cmds["floor"] = [sys.executable, "-c", FLOOR_SQLITE, str(db),
                                 json.dumps(statements)]
                cmds["sqlite3"] = [tool("sqlite3"), *(["-csv"] if fmt != "table" else
                                                      ["-box"]), str(db),
                                   ";\n".join(statements)]
                cmds["sqlite-utils"] = [tool("sqlite-utils"), "query", str(db), main_sql,
                                        "--csv" if fmt != "table" else "--table"]
            else:
                cmds["floor"] = [sys.executable, "-c", "pass"]
                cmds["sqlite-utils"] = [tool("sqlite-utils"), "--help"]
            med = alternate(cmds, runs)
            row = {"size": label, "command": name, "format": fmt or "-", "rows": n_rows,
                   "statements": len(statements), "sql_s": sql_s, **med}
            print(f"    {label} {name} {fmt}: " + ", ".join(
                f"{k} {ms(v) if v is not None else 'failed'}" for k, v in med.items()),
                file=sys.stderr)
            rows.append(row)
    return rows


def peak(cmd: list[str]) -> tuple[float, int]:
    """Wall seconds and the child's own peak RSS (bytes) of one run, its output dropped."""
    proc, report = launch(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall, rss, code = wait_measured(proc, report)
    if code:
        sys.exit(f"bench: {' '.join(cmd)} failed")
    return wall, rss


def whole_table(db: Path) -> dict[str, Any]:
    """Every indicator as CSV into a pipe, once (warm cache): zonedb writes rows as it
    fetches them, so its memory should not grow with the table; sqlite-utils alike."""
    sql = next(s for s in traced_statements(["query", "indicators", "--db", str(db), "-f",
                                             "csv"], db.parent) if "FROM v_indicators" in s)
    zonedb = [tool("zonedb"), "query", "indicators", "--db", str(db), "-f", "csv"]
    peer = [tool("sqlite-utils"), "query", str(db), sql, "--csv"]
    peak(zonedb)  # the page cache
    (z_s, z_rss), (p_s, p_rss) = peak(zonedb), peak(peer)
    return {"zonedb_s": z_s, "zonedb_rss": z_rss, "peer_s": p_s, "peer_rss": p_rss}


def read_imports(label: str, db: Path) -> list[dict[str, Any]]:
    """Import cost of each read command, CSV and table, by package."""
    out: list[dict[str, Any]] = [{"size": label}]
    for name, args, machine_format in READS:
        for fmt in ([machine_format, "table"] if machine_format else [None]):
            cmd = ["-m", "zonedb", *args, *(["--db", str(db), "-f", fmt] if fmt else [])]
            out.append({"command": name, "format": fmt or "-", **import_profile(cmd)})
    out.append({"command": "(import psycopg)", "format": "-",
                **import_profile(["-c", "import psycopg"])})
    return out


def reads_pg(seeds: Path, runs: int, work: Path) -> dict[str, Any]:
    """The read commands on PostgreSQL at one size, against psql and a psycopg script."""
    sys.path.insert(0, str(REPO / "tests"))
    import pgserver  # the tests' throwaway server: initdb + pg_ctl in a temporary folder

    server = pgserver.start()
    try:
        server.admin('CREATE DATABASE "bench"')
        url = server.url("bench")
        t = time.perf_counter()
        run_child([tool("zonedb"), "seed", "--db", url, "--seeds", str(seeds)])
        seed_s = time.perf_counter() - t
        conninfo = server.conninfo("bench")
        sqlite_db = work / "zonedb-100k.db"
        rows = []
        for name, args, machine_format in READS:
            if not machine_format:
                continue
            statements = [s for s in traced_statements(
                [*args, "--db", str(sqlite_db), "-f", machine_format], work)
                if not s.startswith(_PREAMBLE)]
            for fmt in (machine_format, "table"):
                cmds = {"zonedb": [tool("zonedb"), *args, "--db", url, "-f", fmt],
                        "floor": [sys.executable, "-c", FLOOR_PG, conninfo,
                                  json.dumps(statements)],
                        "psql": [tool("psql"), conninfo, "-X", "-q",
                                 *(["--csv"] if fmt != "table" else []),
                                 *[a for sql in statements for a in ("-c", sql)]]}
                med = alternate(cmds, runs)
                print(f"    PG {name} {fmt}: " + ", ".join(
                    f"{k} {ms(v) if v is not None else 'failed'}" for k, v in med.items()),
                    file=sys.stderr)
                rows.append({"command": name, "format": fmt, **med})
        start = {"import psycopg": [sys.executable, "-c", "import psycopg"],
                 "import psycopg (pure Python)": [sys.executable, "-c", "import psycopg"],
                 "python -c pass": [sys.executable, "-c", "pass"],
                 "zonedb query --zone -f csv (pure Python psycopg)":
                     [tool("zonedb"), "query", "indicators", "--zone", ZONE, "--db", url,
                      "-f", "csv"]}
        pure = {"import psycopg (pure Python)": {"PSYCOPG_IMPL": "python"},
                "zonedb query --zone -f csv (pure Python psycopg)": {"PSYCOPG_IMPL": "python"}}
        startup = alternate(start, runs, pure)
        return {"rows": rows, "startup": startup, "seed_s": seed_s,
                "imports": import_profile(["-m", "zonedb", "query", "indicators", "--zone",
                                           ZONE, "--db", url, "-f", "csv"])}
    finally:
        server.stop()


def _cell(value: float | None, base: float | None) -> str:
    if value is None:
        return "failed"
    if value == math.inf:
        return f"> {READ_TIMEOUT_S:.0f} s"
    return ms(value) if not base else f"{ms(value)} ({value / base:.2f}x)"


def _ratio(a: float | None, b: float | None) -> str:
    if a is None or not b or b == math.inf:
        return "-"
    return f"> {READ_TIMEOUT_S / b:.0f}x" if a == math.inf else f"{a / b:.2f}x"


def reads_report(runs: dict[str, int], results: list[dict[str, Any]],
                 imports: list[dict[str, Any]], pg: dict[str, Any] | None,
                 whole: dict[str, dict[str, Any]] | None = None,
                 when: dict[str, str] | None = None) -> str:
    """Section 4 of docs/benchmarks.md; ``when`` says when each size ran, and how loaded
    the machine was."""
    lines = ["## 4. Read commands at scale", "",
             "Every read command, cold (a new process each run, in turn with its peers after "
             "one warm-up round; medians of "
             + ", ".join(f"{n} runs at {size}" for size, n in runs.items()) + "), as CSV "
             "(JSON for `show`, which has no CSV) and as a table, against:",
             "- the **floor**: `python3 -c` with the standard library's sqlite3 running the "
             "same SQL statements zonedb sends (recorded with sqlite3's trace callback, "
             "parameters written in) and writing each result with `csv.writer`;",
             "- **sqlite-utils** `query DB SQL --csv` / `--table` on the statement with the "
             "largest result (it takes one statement; `show` sends several);",
             "- the **sqlite3 shell** (`-csv` / `-box`) with all the statements.",
             f"`search` is `query indicators --search TERM`; `query --metric` is `query "
             f"indicators --metric {SAME_ROWS_METRIC}`, whose rows are exactly those of the "
             "search for 基金 (the synthetic corpus states that one metric with the word); "
             f"`compare` is `compare "
             f"{COMPARE_METRIC}`; `cite` is `cite 42`; `sql` is `sql \"{SQL_READ}\"`. "
             "*SQL* is the statements alone, in-process (median); *rows* the largest result.",
             ""]
    for size in runs:
        part = [r for r in results if r["size"] == size]
        if not part:
            continue
        lines += [f"### {size} facts", "", *([f"Run {when[size]}.", ""] if when and size in when
                                             else []),
                  "| command | format | rows | SQL | zonedb | floor | sqlite-utils | sqlite3 "
                  "shell | zonedb / floor | zonedb / sqlite-utils |",
                  "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for r in part:
            if r["format"] == TERMINAL:
                continue
            lines.append(
                f"| {r['command']} | {r['format']} | {r['rows']:,} | {ms(r['sql_s'])} | "
                f"{_cell(r['zonedb'], None)} | {_cell(r['floor'], None)} | "
                f"{_cell(r.get('sqlite-utils'), None)} | "
                f"{_cell(r['sqlite3'], None) if 'sqlite3' in r else '-'} | "
                f"{_ratio(r['zonedb'], r['floor'])} | "
                f"{_ratio(r['zonedb'], r.get('sqlite-utils'))} |")
        lines.append("")
        shown = [r for r in part if r["format"] == TERMINAL]
        zone = next((r["zonedb"] for r in shown if r["command"] == "query --zone"), None)
        if shown:
            lines += [f"On a terminal ({size}): the default table with stdout on an 80-column "
                      "pseudo-terminal, where a table shows its first 50 rows and counts the "
                      "rest (`compare` charts its top zones). Against the same for "
                      "`query --zone`.", "",
                      "| command | rows found | zonedb | / query --zone |", "|---|---:|---:|---:|"]
            lines += [f"| {r['command']} | {r['rows']:,} | {_cell(r['zonedb'], None)} | "
                      f"{_ratio(r['zonedb'], zone)} |" for r in shown]
            lines.append("")
    if whole:
        lines += ["### The whole table into a pipe", "",
                  "`zonedb query indicators -f csv > file` (every indicator), one run after a "
                  "warm-up, against `sqlite-utils query DB SQL --csv` with the same statement: "
                  "wall time and the process's peak memory (RSS). zonedb writes rows as it "
                  "fetches them (`Reader.stream`).", "",
                  "| facts | zonedb | zonedb peak | sqlite-utils | sqlite-utils peak |",
                  "|---|---:|---:|---:|---:|"]
        lines += [f"| {size} | {w['zonedb_s']:.1f} s | {w['zonedb_rss'] / 2**20:.0f} MiB | "
                  f"{w['peer_s']:.1f} s | {w['peer_rss'] / 2**20:.0f} MiB |"
                  for size, w in whole.items()]
        lines.append("")
    if imports:
        groups = ["typer", "rich", "zonedb", "stdlib", "other"]
        lines += ["### Imports of each command", "",
                  f"`python -X importtime -m zonedb ...` ({imports[0]['size']} facts), the "
                  "own time of every "
                  "module imported, added up by package, in ms. Heavy packages not listed "
                  "here (pydantic, PyYAML, SQLAlchemy, Alembic) are imported by none of them "
                  "unless a column says so.", "",
                  "| command | format | total | " + " | ".join(groups) + " | other heavy |",
                  "|---|---|---:|" + "---:|" * len(groups) + "---|"]
        for r in imports[1:]:
            extra = ", ".join(f"{k} {r[k] * 1000:.0f}" for k in
                              ("pydantic", "yaml", "sqlalchemy", "alembic", "psycopg") if k in r)
            lines.append(f"| {r['command']} | {r['format']} | {r['total'] * 1000:.0f} | "
                         + " | ".join(f"{r.get(g, 0) * 1000:.0f}" for g in groups)
                         + f" | {extra or '-'} |")
        lines.append("")
    if pg:
        lines += ["### PostgreSQL, 100k facts", "",
                  f"A throwaway local server (tests/pgserver.py), seeded with `zonedb seed` in "
                  f"{pg['seed_s']:.0f} s. Floor: `python3 -c` with psycopg running the same "
                  "statements and writing CSV; psql with `-c` for each statement (`--csv`, "
                  "or its aligned table). The statements are those zonedb sends to SQLite, so "
                  "the peers cannot run a search (FTS5 and instr() are SQLite's): those "
                  "rows say failed.", "",
                  "| command | format | zonedb | psycopg floor | psql | zonedb / floor | "
                  "zonedb / psql |", "|---|---|---:|---:|---:|---:|---:|"]
        for r in pg["rows"]:
            lines.append(f"| {r['command']} | {r['format']} | {_cell(r['zonedb'], None)} | "
                         f"{_cell(r['floor'], None)} | {_cell(r['psql'], None)} | "
                         f"{_ratio(r['zonedb'], r['floor'])} | {_ratio(r['zonedb'], r['psql'])} |")
        lines += ["", "Start-up cost on PostgreSQL (cold processes, medians):", "",
                  "| process | median |", "|---|---:|"]
        for k, v in pg["startup"].items():
            lines.append(f"| `{k}` | {_cell(v, None)} |")
        imp = pg["imports"]
        lines += ["", "Imports of `zonedb query indicators --zone ganzhou -f csv` on PostgreSQL "
                  f"(ms): total {imp['total'] * 1000:.0f}, of which psycopg "
                  f"{imp.get('psycopg', 0) * 1000:.0f}, typer {imp.get('typer', 0) * 1000:.0f}, "
                  f"zonedb {imp.get('zonedb', 0) * 1000:.0f}, standard library "
                  f"{imp.get('stdlib', 0) * 1000:.0f}.", ""]
    lines += reads_targets(results)
    lines += ["### Notes", "",
              "- Typer is held at 0.28 (pyproject.toml): 0.29 validates every option value "
              "through a pydantic TypeAdapter, which made a cold `query -f csv` 1.39x "
              "sqlite-utils at 100k facts (0.75x with a patch of Typer's internals, now "
              "removed; 0.78x on 0.28 without one). tests/test_read_imports.py checks that "
              "CSV/JSON read commands import no pydantic, PyYAML, SQLAlchemy, Alembic or Rich.",
              f"- Rich ({_import_ms(imports, 'show', 'table', 'rich')} of imports for "
              "`show`'s table) is loaded only to draw a table. Laying out a "
              "table's rows is the rest of a big table's cost; a table of every row is still "
              "a fifth or less of `sqlite-utils --table`'s time at 1M (tabulate), and "
              "on a terminal a table reads its first 50 rows and counts the rest in the "
              "index, so its time does not grow with the corpus.",
              start_note(results, imports),
              "- Output into a pipe is written as it is fetched (`Reader.stream`, 1,000 rows "
              "a fetch; a server-side cursor on PostgreSQL), as sqlite-utils does, so "
              "zonedb's peak memory stays flat as the table grows (above); the whole "
              "1M-row table as CSV peaked at 1.17 GB when zonedb held every row. Peaks are "
              "taken through scripts/peak.py: read straight from `wait4` of the "
              "benchmark's own child, they carried over the benchmark's high-water mark "
              "(hundreds of MiB at 1M), as the 427 MiB reported for both tools before "
              "2026-12-04 did.",
              f"- PostgreSQL: `import psycopg` is {_pg_import(pg)} of a cold command (above) and "
              "zonedb adds no "
              "import of its own to it (its modules beyond SQLite's are exactly psycopg's). "
              "It loads its whole API at once: its own modules (~95 ms, type adapters and "
              "~250 error classes), asyncio and ssl (~25 ms, for `CancelledError` in "
              "`psycopg.errors`), importlib.metadata and email (~20 ms, psycopg_binary reading "
              "its own version), typing_extensions and inspect (~10 ms). The binary, C and "
              "pure-Python implementations cost the same (326, 309 and 318 ms to import: the "
              "time is in the Python modules all three load); `gssencmode`/`sslmode=disable` "
              "save under 1 ms of a 6 ms connect; Python 3.12 and 3.13 are no faster. Cutting "
              "more needs psycopg to import lazily (upstream), not a patch here. The figures "
              "of this note were measured by a helper on 2026-12-03 at load average ~3, when "
              "`import psycopg` took 250-300 ms (cold processes, interleaved, medians of "
              "15-21).",
              "- At 1M each command runs once after its warm-up (a big table takes tens of "
              "seconds), so one row can move by 20-50% between runs on this shared machine: "
              "compare ratios within a table, and several runs for one target.",
              "- The SQLite databases are seeded from scripts/synth.py by this revision's "
              "`zonedb seed` and kept in --work between runs while the schema stays the same; "
              "the PostgreSQL one is seeded afresh each run.",
              "- The checkout is installed editable: its finder adds a few ms to every "
              "start that an ordinary install does not have. This environment sets "
              "PYTHONDONTWRITEBYTECODE, under which an editable checkout recompiles zonedb's "
              "modules on every run (~20-30 ms); the bench lets the warm-up round write them, "
              "as `pip install` does for an installed package.", ""]
    return "\n".join(lines) + "\n"


def _import_ms(imports: list[dict[str, Any]], command: str, fmt: str, group: str) -> str:
    row = next((r for r in imports[1:] if r["command"] == command and r["format"] == fmt), None)
    return f"{row.get(group, 0) * 1000:.0f} ms" if row else "(not measured)"


def _pg_import(pg: dict[str, Any] | None) -> str:
    took = (pg or {}).get("startup", {}).get("import psycopg")
    return _cell(took, None) if took is not None else "(not measured)"


def _beyond_start(at: dict[tuple[str, str], dict[str, Any]], command: str, fmt: str,
                  who: str) -> float | None:
    """``command``'s time less that of ``cite`` (one row, the same start) for ``who``."""
    a, b = at.get((command, fmt), {}).get(who), at.get(("cite", "csv"), {}).get(who)
    return a - b if a is not None and b is not None else None


def start_note(results: list[dict[str, Any]], imports: list[dict[str, Any]]) -> str:
    """The fixed start of a process, from this run's figures at the largest size."""
    if not results:
        return "- (no read commands measured)"
    big = results[-1]["size"]
    at = {(r["command"], r["format"]): r for r in results if r["size"] == big}
    python = at.get(("--help", "-"), {}).get("floor")
    cite, floor = at.get(("cite", "csv"), {}), at.get(("cite", "csv"), {}).get("floor")
    own, floor_own = (_beyond_start(at, "compare", "csv", w) for w in ("zonedb", "floor"))
    return ("- Each process pays a fixed start: Python itself "
            f"({_cell(python, None)}, the floor of `--help` at {big}), then zonedb's imports "
            f"({_import_ms(imports, 'query --zone', 'csv', 'total')} of importtime's own "
            f"times for `query --zone -f csv`: Typer "
            f"{_import_ms(imports, 'query --zone', 'csv', 'typer')}, zonedb "
            f"{_import_ms(imports, 'query --zone', 'csv', 'zonedb')}, the standard library "
            f"{_import_ms(imports, 'query --zone', 'csv', 'stdlib')}, most of it loaded by "
            "Typer and click: inspect, subprocess, platform, uuid, typing) and the options of "
            "the one command it runs (`zonedb.cli.command()` makes only that one). A "
            f"one-row `cite` takes {_cell(cite.get('zonedb'), None)} against its floor's "
            f"{_cell(floor, None)}, so a command with a small result is 2-3x its floor. "
            f"`compare`'s own work, its time less `cite`'s, is {_cell(own, None)} against "
            f"the floor's {_cell(floor_own, None)} ({_ratio(own, floor_own)}): over its 1.5x "
            "target as a whole process for the start, not for its SQL or its CSV. "
            "`atexit.register(gc.freeze)` spares every process the garbage collection of "
            "all its objects at exit (~15 ms on SQLite, ~50 ms with psycopg loaded, at load "
            "~3 on 2026-12-03).")


def reads_targets(results: list[dict[str, Any]]) -> list[str]:
    """Issue 21's targets, on the largest size measured."""
    if not results:
        return []
    big = results[-1]["size"]
    at = {(r["command"], r["format"]): r for r in results if r["size"] == big}
    per_zone = {f: at.get(("query --zone", f), {}).get("zonedb")
                for f in ("csv", "table", TERMINAL)}
    lines = [f"### Targets ({big} facts)", "", "| target | measured | met |", "|---|---|---|"]

    def add(name: str, a: float | None, b: float | None, limit: float) -> None:
        ok = a is not None and b is not None and a <= limit * b
        lines.append(f"| {name} | {_ratio(a, b)} | {'yes' if ok else '**no**'} |")

    two = next(name for name, _a, _f in READS if "(2 chars)" in name)
    for f in ("csv", "table", TERMINAL):
        add(f"2-character search within 1.5x of a per-zone query ({f})",
            at.get((two, f), {}).get("zonedb"), per_zone[f], 1.5)
    for f in ("csv", "table", TERMINAL):
        add(f"2-character search within 1.5x of `--metric` giving the same rows ({f})",
            at.get((two, f), {}).get("zonedb"), at.get(("query --metric", f), {}).get("zonedb"),
            1.5)
    for f in ("csv", "table"):
        add(f"`compare` within 1.5x of its SQL + CSV writing (the floor; {f})",
            at.get(("compare", f), {}).get("zonedb"), at.get(("compare", f), {}).get("floor"),
            1.5)
    add("`compare`'s own work within 1.5x of the floor's (each less a one-row `cite`, the "
        "fixed start; csv)", _beyond_start(at, "compare", "csv", "zonedb"),
        _beyond_start(at, "compare", "csv", "floor"), 1.5)
    worst = max((r for r in at.values() if r["format"] == "table" and r.get("sqlite-utils")
                 and r.get("zonedb") is not None),
                key=lambda r: r["zonedb"] / r["sqlite-utils"], default=None)
    if worst:
        add(f"no table above 1.2x sqlite-utils (worst: {worst['command']})", worst["zonedb"],
            worst["sqlite-utils"], 1.2)
    add("cold `query --zone -f csv` at or below sqlite-utils",
        per_zone["csv"], at.get(("query --zone", "csv"), {}).get("sqlite-utils"), 1.0)
    return [*lines, ""]


def splice_reads(old: str, section: str) -> str:
    """``old`` with its section 4 replaced by ``section`` (or ``section`` appended); the
    sections after it are kept."""
    head, _, rest = old.partition("## 4. Read commands at scale")
    head = head.rstrip("\n")
    tail = rest.split("\n## ", 1)[1] if "\n## " in rest else ""  # later sections stay
    return (head + "\n\n" if head else "") + section.rstrip("\n") + \
        ("\n\n## " + tail if tail else "\n")


# -- report ----------------------------------------------------------------------------
def ms(s: float) -> str:
    return f"{s * 1000:.1f} ms"


def report(info: dict[str, str], sizes: list[dict[str, Any]], coldq: dict[str, float],
           plans: list[str], total_s: float, quick: bool) -> str:
    big = sizes[-1]
    lines = ["# Benchmarks", "",
             "Written by `python scripts/bench.py" + (" --quick" if quick else "") + "` "
             f"(whole run {total_s:.0f} s). Synthetic corpora from `scripts/synth.py`: "
             f"{FACTS_PER_ZONE} facts per zone, 50 facts per article, 2 firms, a project, a "
             "person, a reform and an ignored mention per zone.", "", "## Machine", "",
             "| | |", "|---|---|", *[f"| {k} | {v} |" for k, v in info.items()], "",
             "## 1. Seeding (`zonedb seed`) against the floor", "",
             "Floor = PyYAML C loader over the same YAML files and reading the source texts, "
             "plus raw `sqlite3.executemany` of zonedb's final rows into the same schema "
             "(tables, indexes, views) in one transaction with the same pragmas. zonedb "
             "additionally checks every quote against its source, parses every number "
             "phrase, resolves references, migrates with Alembic and verifies the file.", "",
             "| facts | zones | sources | zonedb seed | facts/s | peak RSS | floor (parse + "
             "insert) | zonedb / floor | db size |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for s in sizes:
        lines.append(
            f"| {s['facts']:,} | {s['zones']:,} | {s['zones'] * FACTS_PER_ZONE // 50:,} | "
            f"{s['seed_s']:.1f} s | {s['facts'] / s['seed_s']:,.0f} | "
            f"{s['rss'] / 2**20:,.0f} MiB | {s['floor_s']:.1f} s ({s['floor_parse_s']:.1f} + "
            f"{s['floor_insert_s']:.1f}) | {s['seed_s'] / s['floor_s']:.2f}x | "
            f"{s['db_mb']:,.0f} MB |")
    lines += ["", "Re-seeding (the daily case): the same `zonedb seed` again over the database "
              "just built, nothing changed: the fingerprints of the seed files (size, mtime, "
              "sha256) say so and nothing is re-read (section 5 has edits). With `--full`, "
              "the new file is built exactly as above; then SQLite compares it with the old "
              "one (attached) for the summary of changes (`Changes: no changes`), before the "
              "new file replaces the old.", "",
              "| facts | re-seed | peak RSS | `seed --full` | peak RSS | of which comparing "
              "(full - seed) |", "|---:|---:|---:|---:|---:|---:|"]
    for s in sizes:
        lines.append(f"| {s['facts']:,} | {s['reseed_s']:.1f} s | "
                     f"{s['reseed_rss'] / 2**20:,.0f} MiB | {s['full_s']:.1f} s | "
                     f"{s['full_rss'] / 2**20:,.0f} MiB | {s['full_s'] - s['seed_s']:.1f} s |")
    lines += ["", f"## 2. Query on the {big['label']}-fact database", "",
              f"Cold processes, each run {coldq['runs']:.0f} times alternately after one "
              "warm-up round; medians. Same rows from each "
              f"(`{VIEW_SQL}`, {FACTS_PER_ZONE} rows).", "",
              "| command | median | vs sqlite-utils | vs sqlite3 shell |", "|---|---:|---:|---:|"]
    for name, label in (("zonedb", f"`zonedb query indicators --zone {ZONE} --format csv`"),
                        ("sqlite-utils", "`sqlite-utils query DB \"...\" --csv`"),
                        ("sqlite3", "`sqlite3 DB \"...\"`"), ("zonedb --help", "`zonedb --help`")):
        lines.append(f"| {label} | {ms(coldq[name])} | {coldq[name] / coldq['sqlite-utils']:.2f}x"
                     f" | {coldq[name] / coldq['sqlite3']:.2f}x |")
    lines += ["", "In-process, median of 30 calls: `zonedb.reports.queries.query(reader, "
              "'indicators', "
              f"zones=['{ZONE}'])` on a `zonedb.db.Reader` against `sqlite3` "
              "`conn.execute(...).fetchall()` of the same view.", "",
              "| facts | zonedb API | raw sqlite3 | ratio |", "|---:|---:|---:|---:|"]
    for s in sizes:
        lines.append(f"| {s['facts']:,} | {ms(s['api'])} | {ms(s['raw'])} | "
                     f"{s['api'] / s['raw']:.2f}x |")
    first = sizes[0]
    lines += ["", "## 3. Growth", "",
              f"From {first['facts']:,} to {big['facts']:,} facts "
              f"({big['facts'] / first['facts']:.0f}x the data): seeding time grew "
              f"{big['seed_s'] / first['seed_s']:.1f}x (the floor "
              f"{big['floor_s'] / first['floor_s']:.1f}x); facts/s went from "
              f"{first['facts'] / first['seed_s']:,.0f} to {big['facts'] / big['seed_s']:,.0f}. "
              f"The per-zone API query went from {ms(first['api'])} to {ms(big['api'])}.", "",
              "`EXPLAIN QUERY PLAN` of the per-zone query on the view:", "", "```",
              *plans, "```", "", "## Targets", "",
              "| target | measured | met |", "|---|---|---|"]
    ratio = big["seed_s"] / big["floor_s"]
    targets = [
        (f"seeding {big['label']} facts within 3x of the floor", f"{ratio:.2f}x", ratio <= 3),
        (f"seeding {big['label']} facts under 1 GiB peak memory",
         f"{big['rss'] / 2**20:,.0f} MiB", big["rss"] < 2**30),
        (f"re-seeding {big['label']} facts under 1 GiB peak memory (`--full`)",
         f"{big['full_rss'] / 2**20:,.0f} MiB", big["full_rss"] < 2**30),
        ("cold `zonedb query ... --format csv` no slower than sqlite-utils",
         f"{coldq['zonedb'] / coldq['sqlite-utils']:.2f}x",
         coldq["zonedb"] <= coldq["sqlite-utils"]),
        (f"in-process per-zone query on {big['label']} facts within 2x of raw sqlite3",
         f"{big['api'] / big['raw']:.2f}x", big["api"] <= 2 * big["raw"]),
        ("per-zone query uses an index", "; ".join(plans[:1]),
         any("USING INDEX" in p or "USING COVERING INDEX" in p for p in plans)),
    ]
    for name, value, ok in targets:
        lines.append(f"| {name} | {value} | {'yes' if ok else '**no**'} |")
    lines += ["", "## Notes", "",
              "- `zonedb seed` streams: rows are validated and inserted in batches "
              "(`read_seeds(sink=...)`) into a new temporary file, so memory holds the source "
              "texts and the slug-to-id maps, not the rows. On a full re-seed the summary of "
              "changes is computed in SQL with the old database attached to the new file "
              "(`zonedb.store.diff_sql.summarise_files`: the same matching passes as "
              "`zonedb diff`, over "
              "temporary tables on disk), so it adds time but no rows in memory.",
              "- Python's cyclic garbage collector is paused while seeding (the reader keeps "
              "many long-lived objects and makes few cycles; full collections walked them "
              "all again and again), and number phrases are parsed once each (cached).",
              "- The fixed cost of a seeding (imports of SQLAlchemy, Alembic and cn2an, the "
              "migration, the integrity check) is about a second, which is why the 10k ratio "
              "is the worst.",
              "- The cold query does not import pydantic, SQLAlchemy, Alembic, Rich, cn2an or "
              "PyYAML (`python -X importtime -m zonedb query indicators --zone ganzhou -f csv`;"
              " tests/test_read_imports.py checks it). Typer is held below 0.29, whose option "
              "parsing goes through pydantic (pyproject.toml says why).",
              "- The machine is shared; figures move by 10-30% between runs. Ratios are taken "
              "within one run on the same data."]
    return "\n".join(lines) + "\n"


def main() -> None:
    global READ_TIMEOUT_S
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="10k and 100k facts only")
    parser.add_argument("--runs", type=int, default=15, help="cold runs per command")
    parser.add_argument("--work", type=Path, default=None,
                        help="scratch folder (default: a temporary one, removed afterwards)")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "benchmarks.md")
    parser.add_argument("--reads", action="store_true",
                        help="only section 4 (read commands at scale); the other sections of "
                             "--out are kept; databases in --work are reused")
    parser.add_argument("--sizes", default=None,
                        help="comma-separated sizes for --reads (default 10k,100k,1M; "
                             "10k,100k with --quick; '' rewrites the section from --work)")
    parser.add_argument("--read-runs", type=int, default=5,
                        help="cold runs per read command (1 at 1M)")
    parser.add_argument("--no-pg", action="store_true", help="skip PostgreSQL in section 4")
    parser.add_argument("--edits", action="store_true",
                        help="only section 5 (the edit loop: re-seed, diff, check after an "
                             "edit); the other sections of --out are kept")
    parser.add_argument("--timeout", type=float, default=READ_TIMEOUT_S,
                        help="seconds after which a read command is reported as slower")
    parser.add_argument("--floor", nargs=3, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.floor:
        floor_child(*args.floor)
        return
    import tempfile

    start = time.perf_counter()
    keep = args.work is not None
    work = args.work or Path(tempfile.mkdtemp(prefix="zonedb-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    # Installed packages carry compiled bytecode; let the warm-up round write zonedb's too,
    # or every cold run of an editable checkout compiles its modules again (~20-30 ms).
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    READ_TIMEOUT_S = args.timeout
    labels = ([x for x in args.sizes.split(",") if x] if args.sizes is not None else
              [k for k in SIZES if not (args.quick and k == "1M")])
    try:
        if args.edits:
            old = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
            return finish(args.out, edits_section(old, labels, work, args, start))
        if args.reads:
            old = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
            text = splice_reads(old, read_section(labels, work, args, start))
            return finish(args.out, text)
        info = machine()
        sizes = []
        for label, zones in SIZES.items():
            if args.quick and label == "1M":
                continue
            print(f"[{time.perf_counter() - start:5.0f} s] {label}: synth, seed, floor...",
                  file=sys.stderr)
            s = seed_size(label, zones, work)
            s.update(in_process(s["db"]))
            print(f"    seed {s['seed_s']:.1f} s, floor {s['floor_s']:.1f} s, "
                  f"{s['rss'] / 2**20:.0f} MiB, re-seed {s['reseed_s']:.1f} s "
                  f"{s['reseed_rss'] / 2**20:.0f} MiB, api {ms(s['api'])} raw {ms(s['raw'])}",
                  file=sys.stderr)
            sizes.append(s)
        print(f"[{time.perf_counter() - start:5.0f} s] cold queries...", file=sys.stderr)
        coldq: dict[str, float] = {**cold(sizes[-1]["db"], args.runs), "runs": args.runs}
        text = report(info, sizes, coldq, plan(sizes[-1]["db"]), time.perf_counter() - start,
                      args.quick)
        text = splice_reads(text, read_section(labels, work, args, start))
        old = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if bench_edits.TITLE in old:  # section 5 is measured apart (--edits): kept as it is
            text = text.rstrip("\n") + "\n\n" + old[old.index(bench_edits.TITLE):]
        finish(args.out, text)
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)


def read_section(labels: list[str], work: Path, args: argparse.Namespace, start: float) -> str:
    """Section 4: the read commands at each size, their imports, PostgreSQL at 100k.

    Each part's results are kept in --work (reads-*.json), so one size can be measured again
    (``--reads --sizes 1M``) and the section still shows the others from their last run."""
    runs = {label: (min(args.read_runs, 1) if label == "1M" else args.read_runs)
            for label in labels}

    def measured(part: str, run: Any) -> Any:
        saved = work / f"reads-{part}.json"
        if run is not None:
            saved.write_text(json.dumps(run), encoding="utf-8")
            return run
        return json.loads(saved.read_text(encoding="utf-8")) if saved.exists() else None

    parts: dict[str, Any] = {}
    for label in SIZES:
        run = None
        if label in labels:
            print(f"[{time.perf_counter() - start:5.0f} s] reads at {label}...", file=sys.stderr)
            db = ensure_db(label, SIZES[label], work)
            began, load = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), os.getloadavg()[0]
            run = {"runs": runs[label], "rows": reads_at(label, db, work, runs[label]),
                   "whole": whole_table(db), "when": began,
                   "load": (load + os.getloadavg()[0]) / 2}
            parts[label] = measured(label, run)
            # imports do not grow with the data: taken at 100k, or the smallest size run
            if label == "100k" or (label == labels[0] and "100k" not in labels):
                measured("imports", read_imports(label, db))
            continue
        parts[label] = measured(label, run)
    pg = None
    if not args.no_pg and "100k" in labels:
        print(f"[{time.perf_counter() - start:5.0f} s] PostgreSQL at 100k...", file=sys.stderr)
        pg = reads_pg(work / "seeds-100k", args.read_runs, work)
    pg = measured("pg", pg)
    results = [r for part in parts.values() if part for r in part["rows"]]
    all_runs = {label: part["runs"] for label, part in parts.items() if part}
    whole = {label: part["whole"] for label, part in parts.items() if part and "whole" in part}
    when = {label: f"{part['when']}, load average {part['load']:.1f}"
            for label, part in parts.items() if part and "when" in part}
    return reads_report(all_runs, results, measured("imports", None) or [], pg, whole, when)


def edits_section(old: str, labels: list[str], work: Path, args: argparse.Namespace,
                  start: float) -> str:
    """Section 5 (scripts/bench_edits.py) spliced into ``old``."""

    def synth(label: str, zones: int, out: Path) -> None:
        if out.exists():
            shutil.rmtree(out)
        run_child([sys.executable, str(REPO / "scripts" / "synth.py"), "--zones", str(zones),
                   "--facts-per-zone", str(FACTS_PER_ZONE), "--out", str(out)])

    results = []
    for label in labels:
        print(f"[{time.perf_counter() - start:5.0f} s] edits at {label}...", file=sys.stderr)
        results.append(bench_edits.edits_at(label, SIZES[label], work, tool("zonedb"),
                                            run_measured, synth))
        print(json.dumps(results[-1], default=str), file=sys.stderr)
    pg = None
    if not args.no_pg and "100k" in labels:
        print(f"[{time.perf_counter() - start:5.0f} s] PostgreSQL at 100k...", file=sys.stderr)
        seeds = work / "edits-seeds-100k"
        synth("100k", SIZES["100k"], seeds)
        pg = bench_edits.pg_edits(seeds, tool("zonedb"), run_measured)
        print(json.dumps(pg, default=str), file=sys.stderr)
    return bench_edits.splice(old, bench_edits.report(results, pg))


def finish(out: Path, text: str) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
