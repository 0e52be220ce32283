"""Search benchmark: recall of the bigram index against the plain substring (LIKE) match,
and a two-character search against a per-zone query and the old LIKE scan; writes
docs/search-bench.md.

    python scripts/bench_search.py                 # 10k, 100k and 1M facts
    python scripts/bench_search.py --sizes 10k     # one size

Recall: for every term (picked from the seeds and the synthetic corpus: 1 to 8
characters, Chinese and Latin, full- and half-width) and every table, the ids the LIKE
scan of the view's searched columns finds must all be found by ``zonedb.store.search``.
Latency: cold ``zonedb query indicators`` processes, CSV and table, medians, run in
turn: a per-zone query (400 rows) against searches of a rare two-character word (稀土,
about as many rows), a common one (基金, 3 % of the facts), one character (亿) and four
(产业引导), and a python3 + sqlite3 floor running the same SQL and writing the same CSV.
PostgreSQL (``--pg``, at 100k): the plan of a two-character lookup and cold timings.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
FACTS_PER_ZONE = 400
SIZES = {"10k": 25, "100k": 250, "1M": 2500}
TERMS = ["外资", "基金", "园区", "产值", "税收", "企业", "亿元", "万元", "工业", "项目", "投资",
         "增长", "赣州", "开发区", "经开区", "规上", "营业收入", "产业引导基金", "同比增长",
         "主任", "电池", "新能源", "稀土", "招商", "改革", "人才", "出口", "进出口", "科技",
         "研发", "创新", "平台", "高新", "数字", "服务", "制造", "电子", "信息", "万", "亿",
         "元", "区", "%", "firms", "Fund", "zone", "ganzhou", "GDP", "Ｇ", "ｆｕｎｄ", "２０２４",
         "2024", "1", "ab", "value", "industrial", "above", "scale", "revenue", "tax",
         "年", "上半年", "同比", "增速"]


def like_ids(conn: sqlite3.Connection, table: str, term: str) -> set[int]:
    """The old search: lower(col) LIKE %term% over the view's searched columns (SQLite's
    lower() folds A-Z only, so the term is folded the same way)."""
    from zonedb.reports.queries import VIEWS

    view = VIEWS[table]
    cond = " OR ".join(f"lower({c}) LIKE ? ESCAPE '\\'" for c in view.search)
    folded = "".join(ch.lower() if "A" <= ch <= "Z" else ch for ch in term)
    pat = "%" + "".join("\\" + ch if ch in "%_\\" else ch for ch in folded) + "%"
    rows = conn.execute(f"SELECT id FROM {view.name} WHERE {cond}", [pat] * len(view.search))
    return {r[0] for r in rows}


def search_ids(conn: sqlite3.Connection, table: str, term: str) -> set[int]:
    from zonedb.store.search import lookup

    found = lookup(table, term, postgres=False)
    assert found is not None
    return {r[0] for r in conn.execute(found.sql, found.params)}


def recall(db: Path) -> dict[str, Any]:
    from zonedb.reports.queries import VIEWS

    conn = sqlite3.connect(db)
    want = got = extra = 0
    misses: list[str] = []
    for term in TERMS:
        for table in VIEWS:
            a, b = like_ids(conn, table, term), search_ids(conn, table, term)
            want += len(a)
            got += len(a & b)
            extra += len(b - a)
            if a - b:
                misses.append(f"{table}:{term}")
    conn.close()
    return {"terms": len(TERMS), "like_rows": want, "found": got, "extra": extra,
            "recall": got / want if want else 1.0, "misses": misses}


FLOOR = r"""
import csv, sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
cur = conn.execute(sys.argv[2], dict(p.split("=", 1) for p in sys.argv[3:]))
out = csv.writer(sys.stdout)
out.writerow([d[0] for d in cur.description])
out.writerows(cur)
"""
SEARCHES = {"稀土": "2 chars, rare", "基金": "2 chars, 3 %", "亿": "1 char",
            "产业引导": "4 chars"}
TABLE_MAX_ROWS = 5000  # a table of more rows is Rich laying out every row (issue 21's limit)


def floor_sql(term: str | None) -> tuple[str, dict[str, str]]:
    """The SQL ``query indicators`` runs (the view filtered by zone or by the lookup)."""
    from zonedb.reports.queries import VIEWS
    from zonedb.store.search import lookup

    view = VIEWS["indicators"]
    sql = f"SELECT {', '.join(view.columns)} FROM {view.name} WHERE "
    if term is None:
        return sql + "zone = :zone ORDER BY id", {"zone": "ganzhou"}
    found = lookup("indicators", term, postgres=False)
    assert found is not None
    return sql + f"id IN ({found.sql}) ORDER BY id", {k: str(v) for k, v in found.params.items()}


def cold(db: Path, counts: dict[str, int], runs: int = 5) -> dict[str, float]:
    zonedb = str(Path(sys.executable).parent / "zonedb")
    base = [zonedb, "query", "indicators", "--db", str(db)]
    cmds: dict[str, list[str]] = {}
    for fmt in ("csv", "table"):
        cmds[f"zone {fmt}"] = [*base, "--zone", "ganzhou", "-f", fmt]
        for term in SEARCHES:
            if fmt == "csv" or counts[term] <= TABLE_MAX_ROWS:
                cmds[f"{term} {fmt}"] = [*base, "--search", term, "-f", fmt]
    for term in ("", "稀土", "基金"):
        sql, params = floor_sql(term or None)
        cmds[f"floor {term or 'zone'}"] = [sys.executable, "-c", FLOOR, str(db), sql,
                                           *(f"{k}={v}" for k, v in params.items())]
    times: dict[str, list[float]] = {k: [] for k in cmds}
    for i in range(runs + 1):
        for name, cmd in cmds.items():
            t = time.perf_counter()
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            if i:  # the first round warms the page cache
                times[name].append(time.perf_counter() - t)
    return {k: statistics.median(v) for k, v in times.items()}


def cell(c: dict[str, float], counts: dict[str, int], key: str, base: str) -> str:
    """One timing in ms with its ratio to ``base``; a search not timed says its rows."""
    if key not in c:
        return f"({counts[key.split()[0]]} rows: not timed)"
    return f"{c[key] * 1e3:.0f} ms" + ("" if key == base else f" ({c[key] / c[base]:.2f}x)")


def row_counts(db: Path) -> dict[str, int]:
    conn = sqlite3.connect(db)
    try:
        return {t: len(search_ids(conn, "indicators", t)) for t in SEARCHES}
    finally:
        conn.close()


def like_sql_s(db: Path, term: str, runs: int = 3) -> tuple[float, float]:
    """In-process seconds of the old LIKE scan and of the index lookup for ``term``."""
    conn = sqlite3.connect(db)
    a, b = [], []
    for _ in range(runs):
        t = time.perf_counter()
        like_ids(conn, "indicators", term)
        a.append(time.perf_counter() - t)
        t = time.perf_counter()
        search_ids(conn, "indicators", term)
        b.append(time.perf_counter() - t)
    conn.close()
    return statistics.median(a), statistics.median(b)


def index_mb(db: Path) -> float:
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute("SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'search%'").fetchone()
        return (rows[0] or 0) / 1e6
    except sqlite3.Error:
        return float("nan")
    finally:
        conn.close()


def pg_section(seeds: Path, runs: int = 5) -> list[str]:
    """PostgreSQL at one size: the plan of a two-character lookup, cold timings."""
    sys.path.insert(0, str(REPO / "tests"))
    import pgserver  # the tests' throwaway server (initdb + pg_ctl in a temporary folder)
    import psycopg

    from zonedb.store.search import lookup

    zonedb = str(Path(sys.executable).parent / "zonedb")
    server = pgserver.start()
    try:
        server.admin('CREATE DATABASE "bench"')
        url = server.url("bench")
        t = time.perf_counter()
        subprocess.run([zonedb, "seed", "--db", url, "--seeds", str(seeds)], check=True,
                       capture_output=True)
        seed_s = time.perf_counter() - t
        found = lookup("indicators", "基金", postgres=True)
        assert found is not None
        sql = found.sql
        for name in found.params:  # psycopg's %(name)s for SQLAlchemy's :name
            sql = sql.replace(f":{name}", f"%({name})s")
        with psycopg.connect(server.conninfo("bench")) as conn:
            plan = [r[0] for r in conn.execute("EXPLAIN ANALYZE " + sql, found.params)]
            size = conn.execute("SELECT pg_relation_size('ix_search_rows_bigrams'), "
                                "pg_total_relation_size('search_rows')").fetchone()
        base = [zonedb, "query", "indicators", "--db", url, "-f", "csv"]
        cmds = {"zone": [*base, "--zone", "ganzhou"], "稀土": [*base, "--search", "稀土"],
                "基金": [*base, "--search", "基金"], "亿": [*base, "--search", "亿"]}
        times: dict[str, list[float]] = {k: [] for k in cmds}
        for i in range(runs + 1):
            for name, cmd in cmds.items():
                t = time.perf_counter()
                subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               check=True)
                if i:
                    times[name].append(time.perf_counter() - t)
    finally:
        server.stop()
    med = {k: statistics.median(v) for k, v in times.items()}
    assert size is not None
    return ["", f"## PostgreSQL, {seeds.name}", "",
            f"Seeded in {seed_s:.1f} s; GIN index on zonedb_bigrams(text) "
            f"{size[0] / 1e6:.1f} MB, search_rows with its indexes {size[1] / 1e6:.1f} MB.",
            "Cold `query indicators -f csv`: " + ", ".join(
                f"{k} {v * 1e3:.0f} ms" + ("" if k == "zone" else f" ({v / med['zone']:.2f}x)")
                for k, v in med.items()) + ".", "",
            "Plan of the 基金 lookup (EXPLAIN ANALYZE):", "", "```",
            *plan, "```"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="*", default=list(SIZES), choices=list(SIZES))
    parser.add_argument("--work", type=Path, default=Path("/tmp/zonedb-bench-search"))
    parser.add_argument("--reuse", action="store_true",
                        help="Keep a database already seeded from the same corpus.")
    parser.add_argument("--pg", action="store_true", help="Also PostgreSQL at 100k.")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    zonedb = str(Path(sys.executable).parent / "zonedb")
    seeded = args.work / "seeded.db"
    subprocess.run([zonedb, "seed", "--db", str(seeded), "--seeds", str(REPO / "seeds")],
                   check=True, capture_output=True)
    rec = recall(seeded)
    print("recall on the seeds", rec, flush=True)
    sizes = ["| facts | recall (rows) | seed s | index MB | db MB | 稀土 rows | 基金 rows | "
             "LIKE 基金 SQL | index 基金 SQL |", "|---|---|---|---|---|---|---|---|---|"]
    csv_rows = ["| facts | zone | 稀土 | 基金 | 亿 | 产业引导 | floor zone | floor 稀土 | "
                "floor 基金 |", "|---|---|---|---|---|---|---|---|---|"]
    table_rows = ["| facts | zone | 稀土 | 基金 | 亿 | 产业引导 |", "|---|---|---|---|---|---|"]
    for label in args.sizes:
        seeds, db = args.work / f"seeds-{label}", args.work / f"{label}.db"
        if not seeds.exists():
            subprocess.run([sys.executable, str(REPO / "scripts" / "synth.py"), "--zones",
                            str(SIZES[label]), "--facts-per-zone", str(FACTS_PER_ZONE),
                            "--out", str(seeds)], check=True, capture_output=True)
        seed_s = "-"
        if not (args.reuse and db.exists()):
            db.unlink(missing_ok=True)
            t = time.perf_counter()
            subprocess.run([zonedb, "seed", "--db", str(db), "--seeds", str(seeds)],
                           check=True, capture_output=True)
            seed_s = f"{time.perf_counter() - t:.0f}"
        r = recall(db)
        counts = row_counts(db)
        like_s, idx_s = like_sql_s(db, "基金")
        sizes.append(f"| {label} | {r['recall']:.0%} ({r['found']}/{r['like_rows']}) | "
                     f"{seed_s} | {index_mb(db):.1f} | {db.stat().st_size / 1e6:.0f} | "
                     f"{counts['稀土']} | {counts['基金']} | {like_s * 1e3:.0f} ms | "
                     f"{idx_s * 1e3:.1f} ms |")
        print(sizes[-1], flush=True)
        c = cold(db, counts, runs=3 if label == "1M" else 5)

        csv_keys = ["zone csv", *(f"{t} csv" for t in SEARCHES)]
        floors = ["floor zone", "floor 稀土", "floor 基金"]
        csv_rows.append(f"| {label} | " + " | ".join(
            [*(cell(c, counts, k, "zone csv") for k in csv_keys),
             *(cell(c, counts, k, "floor zone") for k in floors)]) + " |")
        table_keys = ["zone table", *(f"{t} table" for t in SEARCHES)]
        table_rows.append(f"| {label} | " + " | ".join(
            cell(c, counts, k, "zone table") for k in table_keys) + " |")
        print(csv_rows[-1], table_rows[-1], sep="\n", flush=True)
    lines = ["# Search benchmark", "",
             f"`python scripts/bench_search.py{' --pg' if args.pg else ''}` (synthetic corpora "
             f"of scripts/synth.py, {FACTS_PER_ZONE} facts per zone; cold processes, medians of 5, "
             "3 at 1M; a loaded 2-core machine, so compare within a row).", "",
             f"Recall on the bundled seeds: {rec['found']}/{rec['like_rows']} rows "
             f"({rec['recall']:.0%}) over {rec['terms']} terms x 9 tables; misses: "
             f"{rec['misses'] or 'none'}.", "",
             "## Recall, index size, SQL", "",
             "Recall: every row the LIKE scan finds, over the same terms and tables; index: the "
             "search_rows table and the FTS5 tables (dbstat); SQL: in-process, the old LIKE scan "
             "of the view against the index lookup, for 基金.", "", *sizes, "",
             "## Cold `zonedb query indicators -f csv`", "",
             "Ratios against the per-zone query (ganzhou, 400 rows); the floor is python3 + "
             "sqlite3 running the same SQL and writing the same CSV.", "", *csv_rows, "",
             "## Cold `zonedb query indicators` as a table", "",
             f"Searches of more than {TABLE_MAX_ROWS} rows are not timed as tables: Rich lays "
             "out every row (the output limit of issue 21 bounds it).", "", *table_rows]
    if args.pg:
        lines += pg_section(args.work / "seeds-100k")
    out = REPO / "docs" / "search-bench.md"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
