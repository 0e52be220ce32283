"""When statements of one figure agree, and which one gives its value: the SQL both the
v_figures view (migration 0002) and the ``preferred`` column of v_indicators (migration
000N_ranks) were written from. Migrations keep frozen copies; tests/test_prov.py checks
that these live copies give the same rows as the views.

Each statement stands for an interval of values its words allow: an exact figure is itself
(or its range); 约/左右 (approx) is within TOLERANCE either side; 近/接近 (nearly) up to
TOLERANCE below; 超/余/以上 (more_than, at_least) is its value or more; 不到/以下
(less_than) its value or less. Statements agree when their intervals overlap, deprecated
ones left out.

Cost of ``preferred``: two index probes per row, paid only where the column is read
(``query`` reads it only for --preferred). Measured at 100k indicators: SQLite ``SELECT *
FROM v_indicators`` 1.04 s -> 1.26 s, one zone's 400 rows ~4 ms either way; PostgreSQL
~50 us a row (one zone 20 ms; the whole view 6-10 s, its id, zone, metric, value 0.4 s):
it cannot use the index for IS NOT DISTINCT FROM on period, so each probe reads the
zone's statements of the metric."""

from __future__ import annotations

TOLERANCE = 0.05
"""Relative tolerance of approximate figures: 约40亿元 covers 38 to 42亿元."""

EPS = 1e-9


def lo(t: str) -> str:
    """The low end of statement ``t``'s interval (NULL: unbounded)."""
    return f"""CASE WHEN {t}.qualifier IS NULL THEN {t}.value
     WHEN {t}.qualifier IN ('approx', 'nearly') THEN {t}.value * {1 - TOLERANCE}
     WHEN {t}.qualifier IN ('more_than', 'at_least') THEN {t}.value
     ELSE NULL END"""


def hi(t: str) -> str:
    """The high end of statement ``t``'s interval (NULL: unbounded)."""
    return f"""CASE WHEN {t}.qualifier IS NULL THEN COALESCE({t}.value_high, {t}.value)
     WHEN {t}.qualifier = 'approx' THEN COALESCE({t}.value_high, {t}.value) * {1 + TOLERANCE}
     WHEN {t}.qualifier IN ('nearly', 'less_than') THEN COALESCE({t}.value_high, {t}.value)
     ELSE NULL END"""


def vagueness(t: str) -> str:
    """0 for an exact statement, then 约, 近, and bounds (超, 不到): lower is more precise."""
    return (f"CASE WHEN {t}.qualifier IS NULL THEN 0 WHEN {t}.qualifier = 'approx' THEN 1 "
            f"WHEN {t}.qualifier = 'nearly' THEN 2 ELSE 3 END")


FIGURE_KEY = ("zone_id", "metric_id", "period", "role", "firm_id", "fund_id", "project_id")


def _same_figure(j: str, i: str) -> str:
    return " AND ".join(f"{j}.{c} = {i}.{c}" if c in ("zone_id", "metric_id")
                        else f"{j}.{c} IS NOT DISTINCT FROM {i}.{c}" for c in FIGURE_KEY)


def preferred(i: str = "i", statements: str = "") -> str:
    """1 when indicator row ``i`` is the one statement giving its figure's preferred value,
    else 0. The statement is the one ranked preferred; else, when the figure's statements
    agree, the most precise (least vague, then the largest value: 205家 over 超200家), the
    first by id among equals; a figure in conflict has none, a deprecated statement never
    is. ``statements`` is an extra condition on the figure's statements ``j`` (``--as-of``:
    only those published by then)."""
    same = f"{_same_figure('j', i)} AND j.rank IS DISTINCT FROM 'deprecated'{statements}"
    return f"""CASE WHEN {i}.rank = 'deprecated' THEN 0
     WHEN {i}.id <> (SELECT j.id FROM indicators j WHERE {same}
         ORDER BY CASE WHEN j.rank = 'preferred' THEN 0 ELSE 1 END,
             CASE WHEN j.rank = 'preferred' THEN 0 ELSE {vagueness('j')} END,
             j.value DESC NULLS LAST, j.id LIMIT 1) THEN 0
     WHEN {i}.rank = 'preferred' THEN 1
     WHEN (SELECT CASE WHEN max(b.lo) IS NULL OR min(b.hi) IS NULL
                         OR max(b.lo) <= min(b.hi) * {1 + EPS} THEN 1 ELSE 0 END
           FROM (SELECT {lo('j')} AS lo,
                 {hi('j')} AS hi
                 FROM indicators j WHERE {same}) AS b) = 1 THEN 1
     ELSE 0 END"""
