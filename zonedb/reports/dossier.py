"""A zone's dossier: everything the database knows about one zone, as plain data.

``zonedb show`` draws it on one screen; ``--format json`` prints it as one object,
so the same dossier serves a terminal, a script and a test.
"""

from __future__ import annotations

import re
from typing import Any

from zonedb.reports.queries import PUBLISHED_BY, as_of_date, query, resolve_zone
from zonedb.store.db import Reader

SECTIONS = ("indicators", "reforms", "firms", "funds", "people", "projects", "sources")


def one_line(text: str | None, limit: int = 110) -> str:
    """The first sentence of ``text``, at most ``limit`` characters."""
    if not text:
        return ""
    text = " ".join(text.split())
    match = re.match(r"(.+?[.!?。！？])(\s|$)", text)
    line = match.group(1) if match else text
    if len(line) <= limit:
        return line
    cut = line[: limit - 1]
    if " " in cut[limit // 2:]:  # end on a whole word, not "intern…"
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"


def _rows(reader: Reader, table: str, slug: str, columns: list[str],
          as_of: str | None = None) -> list[dict[str, Any]]:
    result = query(reader, table, zones=[slug], as_of=as_of)
    return [{c: rec[c] for c in columns} for rec in result.dicts()]


def dossier(reader: Reader, zone: str, *, limit: int | None = None,
            as_of: str | None = None) -> dict[str, Any]:
    """The dossier of ``zone`` (slug, Chinese or English name, or alias). ``limit`` keeps
    the first N rows of each list (``counts`` still gives every total); headline
    indicators are those about the zone itself, not about one firm, fund or project.
    ``as_of`` keeps only what sources published by that date say (the zone's names stay)."""
    slug = resolve_zone(reader, zone)
    info = next(reader.execute(
        "SELECT z.id, z.slug, z.name_zh, z.name_en, z.aliases, z.province, z.city, z.district,"
        " z.level, z.kind, s.slug AS source, z.quote, z.quote_start AS start,"
        ' z.quote_end AS "end" FROM zones z LEFT JOIN sources s ON s.id = z.source_id'
        " WHERE z.slug = :slug", {"slug": slug}).dicts())
    info["aliases"] = [a for a in (info["aliases"] or "").split("|") if a]

    everything = query(reader, "indicators", zones=[slug], as_of=as_of)
    indicators = [rec for rec in everything.dicts()
                  if not (rec["firm"] or rec["fund"] or rec["project"])]
    headline_rows = [{k: rec[k] for k in ("id", "metric", "metric_zh", "metric_en", "as_written",
                                          "value", "value_high", "count", "unit",
                                          "qualifier", "period", "role")}
                     for rec in indicators]
    reforms = _rows(reader, "reforms", slug, ["id", "slug", "name_zh", "name_en", "category",
                                              "summary"], as_of)
    for rec in reforms:
        rec["summary"] = one_line(rec["summary"])

    cited = reader.execute(
        "SELECT s.id, s.slug, s.title, s.author, s.date, s.sha256 FROM sources s WHERE s.slug IN"
        " (SELECT source FROM v_indicators WHERE zone = :z UNION SELECT source FROM v_reforms"
        " WHERE zone = :z UNION SELECT source FROM v_firms WHERE zone = :z UNION SELECT source"
        " FROM v_funds WHERE zone = :z UNION SELECT source FROM v_projects WHERE zone = :z"
        " UNION SELECT source FROM v_people WHERE zone = :z UNION SELECT s2.slug FROM zones z"
        " JOIN sources s2 ON s2.id = z.source_id WHERE z.slug = :z)"
        + ("" if as_of is None else f" AND {PUBLISHED_BY}") + " ORDER BY s.id",
        {"z": slug} if as_of is None else {"z": slug, "as_of": as_of_date(as_of)})
    d: dict[str, Any] = {
        "zone": info,
        "counts": {},
        "indicators": headline_rows,
        "reforms": reforms,
        "firms": _rows(reader, "firms", slug, ["id", "slug", "name_zh", "name_en", "industry"],
                       as_of),
        "funds": _rows(reader, "funds", slug, ["id", "slug", "name_zh", "name_en"], as_of),
        "people": _rows(reader, "people", slug, ["id", "name_zh", "name_en", "role_zh",
                                                 "role_en", "organisation"], as_of),
        "projects": _rows(reader, "projects", slug, ["id", "slug", "name_zh", "name_en",
                                                     "firm"], as_of),
        "sources": [dict(rec) for rec in cited.dicts()],
    }
    d["counts"] = {name: len(d[name]) for name in SECTIONS}
    d["counts"]["indicators"] = len(everything.rows)
    if limit is not None:
        for name in SECTIONS:
            d[name] = d[name][:limit]
    return d


def sections(d: dict[str, Any]) -> list[tuple[str, list[str], list[tuple[Any, ...]]]]:
    """The dossier's lists as (title, columns, rows) for the renderer; empty ones left out."""
    out = []
    for name in SECTIONS:
        rows = d[name]
        if not rows:
            continue
        title = name
        if d["counts"][name] > len(rows):
            where = "" if name == "sources" else f" -z {d['zone']['slug']}"
            title = f"{name} ({len(rows)} of {d['counts'][name]}; zonedb query {name}{where})"
        columns = list(rows[0])
        out.append((title, columns, [tuple(r[c] for c in columns) for r in rows]))
    return out
