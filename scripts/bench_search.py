"""Search benchmark: recall of the bigram index against the plain substring (LIKE) match,
and a two-character search against a per-zone query and the old LIKE scan; writes
docs/search-bench.md.

    python scripts/bench_search.py                 # 10k, 100k and 1M facts
    python scripts/bench_search.py --sizes 10k     # one size

Recall: for every term (picked from the seeds and the synthetic corpus: 1 to 8
characters, Chinese and Latin, full- and half-width) and every table, the ids the LIKE
scan of the view's searched columns finds must all be found by ``zonedb.store.search``.
Latency: cold ``zonedb query indicators`` processes (CSV), medians, run alternately.
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


def cold(db: Path, runs: int = 5) -> dict[str, float]:
    zonedb = str(Path(sys.executable).parent / "zonedb")
    base = [zonedb, "query", "indicators", "--db", str(db), "-f", "csv"]
    cmds = {"zone": base + ["--zone", "ganzhou"], "search 基金": base + ["--search", "基金"],
            "search 外资": base + ["--search", "外资"], "search 亿": base + ["--search", "亿"],
            "search 产业引导": base + ["--search", "产业引导"]}
    times: dict[str, list[float]] = {k: [] for k in cmds}
    for i in range(runs + 1):
        for name, cmd in cmds.items():
            t = time.perf_counter()
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            if i:
                times[name].append(time.perf_counter() - t)
    return {k: statistics.median(v) for k, v in times.items()}


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="*", default=list(SIZES), choices=list(SIZES))
    parser.add_argument("--work", type=Path, default=Path("/tmp/zonedb-bench-search"))
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    zonedb = str(Path(sys.executable).parent / "zonedb")
    lines = ["# Search benchmark", "", "`python scripts/bench_search.py` (synthetic corpora, "
             f"{FACTS_PER_ZONE} facts per zone; cold processes, medians of 5).", ""]
    seeded = args.work / "seeded.db"
    subprocess.run([zonedb, "seed", "--db", str(seeded), "--seeds", str(REPO / "seeds")],
                   check=True, capture_output=True)
    rec = recall(seeded)
    print("recall on the seeds", rec, flush=True)
    lines += [f"Recall on the bundled seeds: {rec['found']}/{rec['like_rows']} rows "
              f"({rec['recall']:.0%}) over {rec['terms']} terms x 9 tables; misses: "
              f"{rec['misses'] or 'none'}.", "",
              "| facts | recall | seed s | index MB | zone query | 基金 | 外资 | 亿 (1 char) | "
              "产业引导 | 基金/zone | LIKE 基金 SQL | index 基金 SQL | LIKE/index |",
              "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for label in args.sizes:
        seeds, db = args.work / f"seeds-{label}", args.work / f"{label}.db"
        if not seeds.exists():
            subprocess.run([sys.executable, str(REPO / "scripts" / "synth.py"), "--zones",
                            str(SIZES[label]), "--facts-per-zone", str(FACTS_PER_ZONE),
                            "--out", str(seeds)], check=True, capture_output=True)
        db.unlink(missing_ok=True)
        t = time.perf_counter()
        subprocess.run([zonedb, "seed", "--db", str(db), "--seeds", str(seeds)], check=True,
                       capture_output=True)
        seed_s = time.perf_counter() - t
        r = recall(db)
        c = cold(db)
        like_s, idx_s = like_sql_s(db, "基金")
        row = (f"| {label} | {r['recall']:.0%} ({r['found']}/{r['like_rows']}) | {seed_s:.1f} | "
               f"{index_mb(db):.1f} | {c['zone'] * 1e3:.0f} ms | {c['search 基金'] * 1e3:.0f} ms | "
               f"{c['search 外资'] * 1e3:.0f} ms | {c['search 亿'] * 1e3:.0f} ms | "
               f"{c['search 产业引导'] * 1e3:.0f} ms | {c['search 基金'] / c['zone']:.2f}x | "
               f"{like_s * 1e3:.0f} ms | {idx_s * 1e3:.1f} ms | {like_s / idx_s:.0f}x |")
        print(row, flush=True)
        lines.append(row)
    out = REPO / "docs" / "search-bench.md"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
