"""Figures and their statements: a figure is (zone, metric, period, role, firm/fund/project);
each indicator row is one source's statement of it. The v_figures view (migration 0002)
groups the statements and decides agreement; this module reads it for ``conflicts`` and
``series``. Plain SQL through the Reader: no ORM, YAML or Alembic on these read paths.
When statements agree, and which gives the value: zonedb.reports.agreement."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from zonedb.reports.agreement import EPS, hi, lo, vagueness
from zonedb.reports.queries import PUBLISHED_BY, as_of_date, resolve_metric, resolve_zone
from zonedb.store.db import Reader

_LO, _HI, _VAGUENESS = lo("i"), hi("i"), vagueness("i")

# The body of the v_figures view (migration 0002), with room for a filter on the statements
# (``--as-of``); tests/test_prov.py checks that, unfiltered, it gives the view's rows.
_FIGURES = f"""
WITH st AS (
    SELECT i.*, {_LO} AS lo, {_HI} AS hi,
        {_VAGUENESS} AS vagueness
    FROM indicators i{{filter}}
), g AS (
    SELECT zone_id, metric_id, period, role, firm_id, fund_id, project_id,
        count(*) AS statements, count(DISTINCT source_id) AS sources,
        sum(CASE WHEN rank = 'deprecated' THEN 1 ELSE 0 END) AS deprecated,
        max(CASE WHEN rank = 'preferred' THEN value END) AS preferred_value,
        max(CASE WHEN rank IS DISTINCT FROM 'deprecated' THEN lo END) AS lo,
        min(CASE WHEN rank IS DISTINCT FROM 'deprecated' THEN hi END) AS hi,
        min(CASE WHEN rank IS DISTINCT FROM 'deprecated' THEN vagueness END) AS vagueness,
        min(unit) AS unit
    FROM st
    GROUP BY zone_id, metric_id, period, role, firm_id, fund_id, project_id
), a AS (
    SELECT g.*, CASE WHEN g.lo IS NULL OR g.hi IS NULL OR g.lo <= g.hi * {1 + EPS}
                     THEN 1 ELSE 0 END AS agree
    FROM g
), fig AS (
SELECT z.slug AS zone, m.slug AS metric, a.period, a.role, f.slug AS firm, fu.slug AS fund,
    p.slug AS project, a.unit, a.statements, a.sources, a.deprecated, a.agree,
    CASE WHEN a.preferred_value IS NOT NULL THEN a.preferred_value
         WHEN a.agree = 1 THEN (
             SELECT max(st.value) FROM st
             WHERE st.zone_id = a.zone_id AND st.metric_id = a.metric_id
               AND st.period IS NOT DISTINCT FROM a.period
               AND st.role IS NOT DISTINCT FROM a.role
               AND st.firm_id IS NOT DISTINCT FROM a.firm_id
               AND st.fund_id IS NOT DISTINCT FROM a.fund_id
               AND st.project_id IS NOT DISTINCT FROM a.project_id
               AND st.rank IS DISTINCT FROM 'deprecated' AND st.vagueness = a.vagueness)
         END AS value,
    CASE WHEN a.preferred_value IS NOT NULL THEN 'preferred'
         WHEN a.agree = 1 THEN 'agreed' ELSE 'conflict' END AS status
FROM a
JOIN zones z ON z.id = a.zone_id
JOIN metrics m ON m.id = a.metric_id
LEFT JOIN firms f ON f.id = a.firm_id
LEFT JOIN funds fu ON fu.id = a.fund_id
LEFT JOIN projects p ON p.id = a.project_id
)
SELECT * FROM fig"""

_AS_OF = f" WHERE i.source_id IN (SELECT s.id FROM sources s WHERE {PUBLISHED_BY})"


def figures_sql(*, as_of: bool = False) -> str:
    """A SELECT of v_figures' rows (as ``fig``); with ``as_of``, computed from the statements
    of sources published by the ``:as_of`` parameter only."""
    return _FIGURES.format(filter=_AS_OF if as_of else "")


KEY = ("zone", "metric", "period", "role", "firm", "fund", "project")

_STATEMENTS = """
SELECT i.id, z.slug AS zone, m.slug AS metric, i.period, i.role, f.slug AS firm,
    fu.slug AS fund, p.slug AS project, i.value, i.unit, i.qualifier, i.as_written, i.quote,
    s.slug AS source, s.date AS source_date, i.rank, i.rank_reason
FROM indicators i
JOIN zones z ON z.id = i.zone_id
JOIN metrics m ON m.id = i.metric_id
JOIN sources s ON s.id = i.source_id
LEFT JOIN firms f ON f.id = i.firm_id
LEFT JOIN funds fu ON fu.id = i.fund_id
LEFT JOIN projects p ON p.id = i.project_id"""


@dataclass
class Figure:
    """One row of v_figures with the statements behind it."""

    row: dict[str, Any]
    statements: list[dict[str, Any]] = field(default_factory=list)

    @property
    def key(self) -> tuple[Any, ...]:
        return tuple(self.row[k] for k in KEY)


def _key(rec: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(rec[k] for k in KEY)


def _with_statements(reader: Reader, where: str, params: dict[str, Any],
                     as_of: str | None = None) -> list[Figure]:
    if as_of is None:
        sql = f"SELECT * FROM v_figures WHERE {where} ORDER BY zone, metric, period"
    else:
        params = {**params, "as_of": as_of_date(as_of)}
        sql = f"{figures_sql(as_of=True)} WHERE {where} ORDER BY zone, metric, period"
    figures = [Figure(r) for r in reader.execute(sql, params).dicts()]
    by_key = {f.key: f for f in figures}
    if not figures:
        return figures
    zones = sorted({f.row["zone"] for f in figures})
    names = ", ".join(f":z{n}" for n in range(len(zones)))
    st_params: dict[str, Any] = {f"z{n}": z for n, z in enumerate(zones)}
    st_where = f"z.slug IN ({names})"
    if as_of is not None:
        st_where += f" AND {PUBLISHED_BY}"
        st_params["as_of"] = params["as_of"]
    for st in reader.execute(f"{_STATEMENTS} WHERE {st_where} ORDER BY i.id",
                             st_params).dicts():
        fig = by_key.get(_key(st))
        if fig is not None:
            fig.statements.append(st)
    return figures


def conflicts(reader: Reader, *, zones: list[str] | None = None,
              as_of: str | None = None) -> list[Figure]:
    """Figures whose statements disagree and that no ``rank: preferred`` settles."""
    where, params = "status = 'conflict'", {}
    if zones:
        slugs = [resolve_zone(reader, z) for z in zones]
        where += " AND zone IN (" + ", ".join(f":z{n}" for n in range(len(slugs))) + ")"
        params = {f"z{n}": s for n, s in enumerate(slugs)}
    return _with_statements(reader, where, params, as_of)


def conflict_rows(figures: list[Figure]) -> tuple[list[str], list[tuple[Any, ...]]]:
    """One row per statement of each conflicting figure: its value, quote and source."""
    columns = ["zone", "metric", "period", "about", "id", "value", "unit", "as_written",
               "quote", "source", "rank"]
    rows = []
    for fig in figures:
        about = fig.row["project"] or fig.row["fund"] or fig.row["firm"] or fig.row["role"]
        for st in fig.statements:
            rows.append((fig.row["zone"], fig.row["metric"], fig.row["period"], about, st["id"],
                         st["value"], st["unit"], st["as_written"], st["quote"], st["source"],
                         st["rank"]))
    return columns, rows


SERIES_COLUMNS = ["period", "value", "unit", "sources", "statements", "status", "flags"]


def series(reader: Reader, zone: str, metric: str, *, as_of: str | None = None
           ) -> tuple[str, str, list[dict[str, Any]]]:
    """The zone-level figure of ``metric`` over its periods (no firm, fund or project),
    one dict per period with the preferred value, source count, status and flags; with
    ``as_of``, as the sources published by that date told it."""
    z, m = resolve_zone(reader, zone), resolve_metric(reader, metric)
    figures = _with_statements(
        reader, "zone = :z AND metric = :m AND firm IS NULL AND fund IS NULL "
        "AND project IS NULL AND role IS NULL AND period IS NOT NULL", {"z": z, "m": m}, as_of)
    rows = []
    for fig in figures:
        flags = []
        if fig.row["deprecated"]:
            flags.append(f"{fig.row['deprecated']} deprecated")
        if any(st["qualifier"] for st in fig.statements
               if st["rank"] != "deprecated" and st["value"] == fig.row["value"]):
            flags.append("qualified")
        if fig.row["status"] == "preferred" and not fig.row["agree"]:
            flags.append("revised")
        rows.append({"period": fig.row["period"], "value": fig.row["value"],
                     "unit": fig.row["unit"], "sources": fig.row["sources"],
                     "statements": fig.row["statements"], "status": fig.row["status"],
                     "flags": ", ".join(flags) or None})
    return z, m, rows
