"""Extraction time grows linearly on a run of 万 (issue 20; was 15 s at 10k)."""

import time

from zonedb.text.extract import extract_mentions


def _best(text: str) -> float:
    """Best of three runs, to keep scheduler noise out of the ratio."""
    times = []
    for _ in range(3):
        t = time.perf_counter()
        extract_mentions(text)
        times.append(time.perf_counter() - t)
    return min(times)


def test_run_of_wan_is_linear() -> None:
    small, big = "万" * 2000, "万" * 8000
    t_small, t_big = _best(small), _best(big)
    # linear gives a ratio near 4, quadratic near 16; the floor absorbs timer noise on tiny times
    assert t_big < max(10 * t_small, 0.5), (t_small, t_big)
    assert extract_mentions("约5万-8万元") != []
