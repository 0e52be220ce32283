"""One metric across zones: like with like, and whether the rows can share one chart.

By default each zone gives its latest stated level (a change, 增加62家, and a target,
力争到2026年达到600家, are not levels, and a "before" gives way to its "after"), so the chart
compares zones at their newest figure; rows without a period are ordered by their source's
publication date. ``every`` keeps every row, labelled with its role. Values of different units
never share a chart (1.2 CNY and 1.2 个 are not comparable).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from zonedb.errors import MixedUnits, UsageError
from zonedb.reports.queries import PUBLISHED, figure_label, in_conflict, query, resolve_metric
from zonedb.store.db import Reader
from zonedb.text.vocab import NOT_LEVELS

COLUMNS = ["id", "zone", "zone_zh", "metric", "value", "value_high", "count", "unit",
           "qualifier", "period", "role", "about", "as_written", "label"]
_ROLE_RANK = {"after": 2, None: 1, "before": 0}


@dataclass
class Comparison:
    metric: dict[str, Any]
    rows: list[dict[str, Any]] = field(default_factory=list)
    left_out: int = 0  # rows that are not their zone's latest level (shown with every)
    in_conflict: list[str] = field(default_factory=list)
    """With ``preferred``: labels of the figures left out, their sources disagreeing."""

    @property
    def units(self) -> list[str | None]:
        return sorted({r["unit"] for r in self.rows}, key=lambda u: u or "")

    @property
    def roles(self) -> list[str | None]:
        return sorted({r["role"] for r in self.rows}, key=lambda r: _ROLE_RANK.get(r, 3))

    def check_units(self) -> None:
        if len(self.units) > 1:
            shown = ", ".join(u or "(no unit)" for u in self.units)
            raise MixedUnits(f"{self.metric['slug']} has values in {len(self.units)} units "
                             f"({shown}): they are not drawn on one chart; narrow with "
                             "--zone or --period, or read the table with --format csv")

    def table(self, *, brief: bool = False) -> tuple[list[str], list[tuple[Any, ...]]]:
        """Columns and rows; ``brief`` leaves out what a chart's title and labels say."""
        columns = [c for c in COLUMNS if not brief or c not in ("zone_zh", "metric", "label")]
        return columns, [tuple(r[c] for c in columns) for r in self.rows]


def _latest(row: dict[str, Any], published: dict[str, str]) -> tuple[str, int, str, int]:
    """Sort key of a level: its period's end (an undated "after" is "now"), then its role;
    without a period, then its source's publication date (``published``; none: earliest)."""
    period = row["period"] or ("9999" if row["role"] == "after" else "")
    date = "" if row["period"] else published.get(row["source"], "")
    return period.rpartition("/")[2], _ROLE_RANK.get(row["role"], 0), date, row["id"]


_CHUNK = 500  # source slugs per lookup (SQLite's oldest limit is 999 parameters)


def _published(reader: Reader, slugs: set[str]) -> dict[str, str]:
    """The publication date of each source in ``slugs`` that has one, as ``--as-of`` reads
    it (queries.PUBLISHED: a source dated 2024 counts from 2024-12-31): a lookup by slug."""
    dates: dict[str, str] = {}
    ordered = sorted(slugs)
    for start in range(0, len(ordered), _CHUNK):
        names = {f"s{k}": slug for k, slug in enumerate(ordered[start:start + _CHUNK])}
        marks = ", ".join(f":{n}" for n in names)
        dates.update((str(slug), str(date)) for slug, date in reader.execute(
            f"SELECT s.slug, {PUBLISHED} FROM sources s "
            f"WHERE s.date IS NOT NULL AND s.slug IN ({marks})", names).rows)
    return dates


def compare(reader: Reader, metric: str, *, zones: list[str] | None = None,
            period: str | None = None, role: str | None = None,
            every: bool = False, preferred: bool = False) -> Comparison:
    """The values of ``metric`` (one slug or label, no glob) in ``zones`` (default: all
    zones that have it), largest first; ``label`` names each bar. Unless ``every``, one
    row per zone: its latest level (or, with ``role``, its latest row of that role; a
    change or a target is never a level, only taken when ``role`` names it). With
    ``preferred``, one row per figure first: the statement giving its preferred value
    (v_indicators.preferred), figures in conflict left out and named in ``in_conflict``."""
    if any(ch in metric for ch in "*?"):
        raise UsageError("compare takes one metric, not a pattern: "
                         f"'{metric}' (list them with: zonedb query metrics --search ...)")
    slug = resolve_metric(reader, metric)
    info = next(reader.execute("SELECT slug, label_zh, label_en, unit, description FROM "
                               "metrics WHERE slug = :s", {"s": slug}).dicts())
    filters: dict[str, Any] = {"zones": zones, "metrics": [slug], "period": period,
                               "role": role}
    result = query(reader, "indicators", **filters, preferred=preferred)
    names = dict(reader.execute("SELECT slug, name_zh FROM zones").rows)
    rows = []
    for rec in result.dicts():
        about = rec["project"] or rec["fund"] or rec["firm"]
        label = " ".join(str(x) for x in (rec["zone"], rec["period"], rec["role"], about) if x)
        rows.append({**rec, "zone_zh": names.get(rec["zone"]), "about": about,
                     "label": label})
    conflicts = [figure_label(f, metric=False) for f in in_conflict(reader, **filters)] \
        if preferred else []
    left_out = 0
    if not every and not preferred:  # preferred: one row per figure, each period kept
        asked = {r.strip() for r in (role or "").split(",")}
        levels = [r for r in rows if r["role"] not in NOT_LEVELS or r["role"] in asked]
        published = _published(reader, {r["source"] for r in levels if not r["period"]})
        best: dict[str, dict[str, Any]] = {}
        for rec in levels:  # a change or a target only when --role asks for it
            if rec["zone"] not in best or \
                    _latest(rec, published) > _latest(best[rec["zone"]], published):
                best[rec["zone"]] = rec
        left_out, rows = len(rows) - len(best), list(best.values())
    rows.sort(key=lambda r: (-(r["value"] or 0), r["id"]))
    return Comparison(info, rows, left_out=left_out, in_conflict=conflicts)
