"""One metric across zones: the rows, and whether they can share one chart.

Values of different units never share a chart (1.2 CNY and 1.2 个 are not
comparable); the caller decides what to do with ``units``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from zonedb.errors import MixedUnits, UsageError
from zonedb.reports.queries import query, resolve_metric
from zonedb.store.db import Reader

COLUMNS = ["id", "zone", "zone_zh", "metric", "value", "unit", "qualifier", "period", "role",
           "about", "as_written", "label"]


@dataclass
class Comparison:
    metric: dict[str, Any]
    rows: list[dict[str, Any]] = field(default_factory=list)

    @property
    def units(self) -> list[str | None]:
        return sorted({r["unit"] for r in self.rows}, key=lambda u: u or "")

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


def compare(reader: Reader, metric: str, *, zones: list[str] | None = None,
            period: str | None = None) -> Comparison:
    """Every value of ``metric`` (one slug or label, no glob) in ``zones`` (default: all
    zones that have it), largest first; ``label`` names each bar."""
    if any(ch in metric for ch in "*?"):
        raise UsageError("compare takes one metric, not a pattern: "
                         f"'{metric}' (list them with: zonedb query metrics --search ...)")
    slug = resolve_metric(reader, metric)
    info = next(reader.execute("SELECT slug, label_zh, label_en, unit, description FROM "
                               "metrics WHERE slug = :s", {"s": slug}).dicts())
    result = query(reader, "indicators", zones=zones, metrics=[slug], period=period)
    names = dict(reader.execute("SELECT slug, name_zh FROM zones").rows)
    rows = []
    for rec in result.dicts():
        about = rec["project"] or rec["fund"] or rec["firm"]
        label = " ".join(str(x) for x in (rec["zone"], rec["period"], rec["role"], about) if x)
        rows.append({**rec, "zone_zh": names.get(rec["zone"]), "about": about,
                     "label": label})
    rows.sort(key=lambda r: (-(r["value"] or 0), r["id"]))
    return Comparison(info, rows)
