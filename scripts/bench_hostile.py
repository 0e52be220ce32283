"""Time extraction on adversarial runs of 25 and 100 thousand characters (issue 20): the
ratio stays near 4 when every matcher is linear. Run: python scripts/bench_hostile.py"""

from __future__ import annotations

import time

from zonedb.text.extract import extract_mentions

RUNS = {"1,000,000...": ("1", ",000"), "由万万...": ("由", "万"), "万万...": ("", "万"),
        "(由 70×万 至)...": ("", "由" + "万" * 70 + "至"), "1至1至...": ("", "1至")}


def main() -> None:
    for name, (head, body) in RUNS.items():
        times = []
        for size in (25_000, 100_000):
            text = head + body * (size // len(body))
            started = time.perf_counter()
            extract_mentions(text)
            times.append(time.perf_counter() - started)
        print(f"{name:20} 25k {times[0]:6.2f} s  100k {times[1]:6.2f} s  "
              f"ratio {times[1] / times[0]:4.1f}")


if __name__ == "__main__":
    main()
