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
    """Run a command; wall seconds, the child's own peak RSS (bytes, from wait4) and stdout."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out_b, err_b = b"", b""

    def drain() -> None:
        nonlocal out_b, err_b
        out_b = proc.stdout.read() if proc.stdout else b""

    reader = threading.Thread(target=drain)
    reader.start()
    err_b = proc.stderr.read() if proc.stderr else b""
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    reader.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        sys.exit(f"bench: {' '.join(cmd)} failed ({proc.returncode}):\n"
                 f"{err_b.decode(errors='replace')[-3000:]}")
    return wall, usage.ru_maxrss * 1024, out_b.decode()


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
    schema = [sql for (sql,) in src.execute(
        "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' "
        "ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 ELSE 2 END, rowid")]
    tables = [t for (t,) in src.execute("SELECT name FROM sqlite_master WHERE type='table'")]
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
    # the daily case: the same seeds again over the existing database, which is compared
    # with the new one for the summary of changes
    re_wall, re_rss, _ = run_measured(cmd)
    _w, _r, out = run_measured([sys.executable, __file__, "--floor", str(seeds), str(db),
                                str(work / f"floor-{label}.db")])
    floor = json.loads(out)
    facts = zones * FACTS_PER_ZONE
    conn = sqlite3.connect(db)
    stored = conn.execute("SELECT count(*) FROM indicators").fetchone()[0]
    conn.close()
    assert stored == facts, (stored, facts)
    return {"label": label, "facts": facts, "zones": zones, "synth_s": synth_s, "seed_s": wall,
            "rss": rss, "reseed_s": re_wall, "reseed_rss": re_rss, "floor_s": floor["total"],
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
              "just built. The new file is built exactly as above; then SQLite compares it "
              "with the old one (attached) for the summary of changes (`Changes: no "
              "changes`), before the new file replaces the old.", "",
              "| facts | re-seed | peak RSS | of which comparing (re-seed - seed) |",
              "|---:|---:|---:|---:|"]
    for s in sizes:
        lines.append(f"| {s['facts']:,} | {s['reseed_s']:.1f} s | "
                     f"{s['reseed_rss'] / 2**20:,.0f} MiB | "
                     f"{s['reseed_s'] - s['seed_s']:.1f} s |")
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
        (f"re-seeding {big['label']} facts under 1 GiB peak memory",
         f"{big['reseed_rss'] / 2**20:,.0f} MiB", big["reseed_rss"] < 2**30),
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
              "texts and the slug-to-id maps, not the rows. On a re-seed the summary of "
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
              "PyYAML (`python -X importtime -m zonedb query indicators --zone ganzhou -f csv`); "
              "Typer's per-option pydantic coercion is bypassed for plain options by "
              "`zonedb.cli.fast`.",
              "- The machine is shared; figures move by 10-30% between runs. Ratios are taken "
              "within one run on the same data."]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="10k and 100k facts only")
    parser.add_argument("--runs", type=int, default=15, help="cold runs per command")
    parser.add_argument("--work", type=Path, default=None,
                        help="scratch folder (default: a temporary one, removed afterwards)")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "benchmarks.md")
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
    try:
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
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
