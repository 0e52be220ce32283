"""Datasette metadata generated from a zonedb database: title, descriptions of every view
and table and of their columns, units, sources, default facets and canned queries."""

from __future__ import annotations

import html
import sqlite3
from pathlib import Path
from typing import Any

TABLE_DESCRIPTIONS = {
    "v_indicators": "Every figure with its zone, metric, value, unit and period, and the "
                    "source words it was parsed from (quote, offsets). Click an id to cite it.",
    "v_reforms": "Reforms and policies each zone reports, with the quote that states them.",
    "v_firms": "Firms named in the sources, by zone.",
    "v_funds": "Funds named in the sources, by zone.",
    "v_projects": "Projects named in the sources, by zone.",
    "v_people": "People named in the sources, with their roles.",
    "v_zones": "Development zones, with how many figures and reforms each has.",
    "v_metrics": "What each metric means, its unit, and how many figures use it.",
    "v_sources": "The articles every figure is quoted from (title, publisher, date, sha256).",
    "indicators": "Base table of figures (ids to zones, metrics, sources); read v_indicators.",
    "zones": "Base table of zones.", "metrics": "Base table of metrics.",
    "sources": "Base table of sources, with their full text.",
    "reforms": "Base table of reforms.", "firms": "Base table of firms.",
    "funds": "Base table of funds.", "projects": "Base table of projects.",
    "people": "Base table of people.",
    "ignored_mentions": "Numbers in the sources that are deliberately not figures (dates, "
                        "numbers inside names), each with the reason.",
}

COLUMNS = {
    "id": "Row id; on indicator-like tables it links to the cite page.",
    "zone": "Zone slug (links to the zone page).",
    "metric": "Metric slug (see v_metrics for its meaning).",
    "metric_zh": "Metric label in Chinese.", "metric_en": "Metric label in English.",
    "value": "The value parsed from as_written, in base units of `unit` (CNY, not 亿元).",
    "value_high": "Upper end when the source gives a range.",
    "count": "Count of things the figure is about, when the source states one.",
    "unit": "Unit of value (CNY, percent, firms, m2, ...), after the source's scale words "
            "(万, 亿) are applied.",
    "qualifier": "Words that qualify the value (nearly, over, about).",
    "period": "Period the figure refers to (2024, 2024-01/2024-11).",
    "as_written": "The figure exactly as written in the source.",
    "role": "before/after for figures that change, or another role.",
    "firm": "Firm the figure is about.", "fund": "Fund the figure is about.",
    "project": "Project the figure is about.", "note": "Curator's note.",
    "rank": "preferred or deprecated when a curator settled the figure (empty: normal).",
    "rank_reason": "Why the statement is ranked (a revision, a misprint, a rounded figure).",
    "preferred": "1 for the one statement giving its figure's preferred value, else 0 "
                 "(also 0 for every statement of a figure in conflict; see v_figures).",
    "source": "Source slug (see v_sources).",
    "quote": "The verbatim words of the source the row is taken from.",
    "quote_start": "Offset of the quote's first character in the source text.",
    "quote_end": "Offset just past the quote's last character.",
    "written_start": "Offset of as_written in the source text.",
    "written_end": "Offset just past as_written.",
    "slug": "Stable identifier.", "name_zh": "Name in Chinese.", "name_en": "Name in English.",
    "sha256": "sha256 of the source text, to check it against the file.",
}

FACETS = {"v_indicators": ["zone", "metric", "period", "unit", "source"],
          "v_reforms": ["zone", "category", "source"], "v_firms": ["zone", "industry"],
          "v_people": ["zone"], "v_zones": ["province", "level"], "v_metrics": ["unit"],
          "v_sources": ["kind", "publisher"]}

QUERIES: dict[str, dict[str, str]] = {
    "zone_figures": {
        "title": "A zone's figures",
        "description": "Every figure about one zone (slug, e.g. ganzhou).",
        "sql": "SELECT id, metric, metric_en, value, unit, qualifier, period, as_written, "
               "firm, fund, project, source, quote FROM v_indicators WHERE zone = :zone "
               "ORDER BY metric, period, id"},
    "metric_across_zones": {
        "title": "One metric across zones",
        "description": "One metric's figures in every zone, largest first.",
        "sql": "SELECT id, zone, zone_zh, value, unit, period, as_written, source "
               "FROM v_indicators WHERE metric = :metric ORDER BY value DESC, zone, id"},
    "figure_series": {
        "title": "A figure's series",
        "description": "One zone's values of one metric over time.",
        "sql": "SELECT id, period, value, unit, qualifier, as_written, role, source "
               "FROM v_indicators WHERE zone = :zone AND metric = :metric "
               "ORDER BY period, id"},
    "figures_by_source": {
        "title": "Figures by source",
        "description": "Every figure one source states (source slug).",
        "sql": "SELECT id, zone, metric, value, unit, period, as_written, quote "
               "FROM v_indicators WHERE source = :source ORDER BY quote_start, id"},
}

CONFLICTS_SQL = (  # v_figures (migration 0002): sources disagree and none is ranked preferred
    "SELECT zone, metric, period, unit, statements, sources, value, status FROM v_figures "
    "WHERE status = 'conflict' ORDER BY zone, metric, period")


def _linked(text: str, url: str | None) -> str:
    e = html.escape
    return f'<a href="{e(url)}">{e(text)}</a>' if url else e(text)


def metadata(path: Path) -> dict[str, Any]:
    """Datasette metadata for the zonedb database at ``path`` (read-only)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        zones = conn.execute("SELECT slug, name_zh, name_en FROM zones ORDER BY id").fetchall()
        sources = conn.execute("SELECT slug, title, publisher, date, file, url, licence "
                               "FROM sources WHERE parent_id IS NULL ORDER BY id").fetchall()
        units = conn.execute("SELECT DISTINCT unit FROM indicators WHERE unit IS NOT NULL "
                             "ORDER BY unit").fetchall()
        counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("indicators", "zones", "sources")}
        names = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")]
        conflicts = conn.execute("SELECT 1 FROM v_figures WHERE status = 'conflict' LIMIT 1"
                                 ).fetchone()
    finally:
        conn.close()
    e = html.escape
    zone_links = " · ".join(f'<a href="/zone/{e(s)}">{e(zh)} <small>{e(en)}</small></a>'
                            for s, zh, en in zones[:200])
    source_items = "".join(
        f"<li>{_linked(t or s, u)}{' — ' + e(p) if p else ''}{', ' + e(d) if d else ''}"
        f"{' (' + e(f) + ')' if f else ''}{'; licence: ' + e(lic) if lic else ''}</li>"
        for s, t, p, d, f, u, lic in sources[:50])
    description_html = (
        f"<p>{counts['indicators']} figures about {counts['zones']} Chinese development zones, "
        f"each with the verbatim words of one of {counts['sources']} sources; click a figure's "
        "id for its cite page.</p>"
        '<form action="/-/search" method="get"><input type="search" name="q" '
        'placeholder="外资, 基金, fund"> <input type="submit" value="Search"></form>'
        f"<p>Zones: {zone_links}</p><p>Sources:</p><ul>{source_items}</ul>")
    tables: dict[str, Any] = {}
    for name in names:
        if name.startswith("search_") or name == "alembic_version":
            tables[name] = {"hidden": True}
            continue
        entry: dict[str, Any] = {"description": TABLE_DESCRIPTIONS.get(name, "")}
        entry["columns"] = {c: d for c, d in COLUMNS.items()}
        if name in FACETS:
            entry["facets"] = FACETS[name]
        if name == "v_indicators":
            entry["columns"]["unit"] = COLUMNS["unit"] + " Units here: " + ", ".join(
                u[0] for u in units) + "."
        tables[name] = entry
    queries = dict(QUERIES)
    if conflicts:
        queries["conflicts"] = {"title": "Conflicting figures",
                                "description": "Same zone, metric and period, values that "
                                               "disagree given their qualifiers, none ranked "
                                               "preferred (zonedb conflicts).",
                                "sql": CONFLICTS_SQL}
    first = sources[0] if sources else None
    return {
        "title": "zonedb: China's development zones, figure by figure",
        "description_html": description_html,
        "license": "Code MIT; figures are quotations of the sources listed",
        "source": (first[1] or first[0]) if first else "zonedb seeds",
        "databases": {path.stem: {"description": "zonedb database", "tables": tables,
                                  "queries": queries}},
    }
