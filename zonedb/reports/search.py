"""Searching every table at once (``zonedb search``, the web view's search page): one index
lookup per table (``store.search.lookup``), only the matched rows read, each with a
snippet of its search text, the match marked, ranked by how often it occurs."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from zonedb.reports.queries import VIEWS
from zonedb.store.search import lookup, normalize


def highlight(text: str, term: str, *, width: int = 24, mark: tuple[str, str] = ("【", "】")
              ) -> tuple[str, int]:
    """A snippet of ``text`` around the first match of ``term`` with the match marked,
    and how many times it occurs (the rank); ``("", 0)`` if it is not there."""
    folded, wanted = normalize(text), normalize(term)
    if len(folded) != len(text):  # NFKC changed the length: offsets would not line up
        text = folded
    at = folded.find(wanted)
    if not wanted or at < 0:
        return "", 0
    end = at + len(wanted)
    lo, hi = max(0, at - width), min(len(text), end + width)
    snippet = ("…" if lo else "") + text[lo:at] + mark[0] + text[at:end] + mark[1] \
        + text[end:hi] + ("…" if hi < len(text) else "")
    return snippet.replace("\n", " "), folded.count(wanted)


@dataclass(frozen=True)
class Hit:
    """One row that contains the term: where it is, a marked snippet, and its rank."""

    table: str
    id: int
    zone: str | None
    matches: int
    snippet: str
    cite: str


HIT_COLUMNS = ("table", "id", "zone", "matches", "snippet", "cite")  # Hit's field order
_KIND = {"indicators": "indicator", "reforms": "reform", "firms": "firm", "funds": "fund",
         "projects": "project", "people": "person"}


def search_all(reader: Any, term: str, *, tables: Iterable[str] | None = None,
               limit: int | None = 50, mark: tuple[str, str] = ("【", "】")) -> list[Hit]:
    """Rows of every table containing ``term``, most matches first (then table order and
    id), each with a snippet of its search text, the match marked. One index lookup per
    table; only the matched rows are read."""
    hits: list[Hit] = []
    for table in tables or VIEWS:
        found = lookup(table, term, postgres=reader.postgres)
        if found is None:
            return []
        view = VIEWS[table]
        if table == "zones":
            sql = ("SELECT s.row_id, z.slug, s.text FROM search_rows s "
                   "JOIN zones z ON z.id = s.row_id ")
        elif view.zone_column:
            sql = (f"SELECT s.row_id, v.{view.zone_column}, s.text FROM search_rows s "
                   f"JOIN {view.name} v ON v.id = s.row_id ")
        else:
            sql = "SELECT s.row_id, NULL, s.text FROM search_rows s "
        sql += f"WHERE s.tbl = :search_tbl AND s.row_id IN ({found.sql}) ORDER BY s.row_id"
        for row_id, zone_slug, text in reader.execute(sql, found.params).rows:
            snippet, n = highlight(text, term, mark=mark)
            kind = _KIND.get(table)
            hits.append(Hit(table, int(row_id), zone_slug, n, snippet,
                            f"zonedb cite {kind}:{row_id}" if kind else ""))
    order = list(tables or VIEWS)
    hits.sort(key=lambda h: (-h.matches, order.index(h.table), h.id))
    return hits if limit is None else hits[:limit]
