"""Searching every table at once (``zonedb search``, the web view's search page): one index
lookup per table (``store.search.lookup``), only the matched rows read, each with a
snippet of its search text, the match marked, ranked by how often it occurs."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from zonedb.reports.queries import VIEWS
from zonedb.store.search import is_aligned, lookup, normalize


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
    table gives the matched rows' ids and search texts; ranked, and only the rows kept
    (``limit``) are looked up in their views, for their zone."""
    order = list(tables or VIEWS)
    wanted = normalize(term)
    found_rows: list[tuple[str, int, str, int]] = []  # table, id, search text, matches
    for table in order:
        found = lookup(table, term, postgres=reader.postgres, with_text=True,
                       aligned=is_aligned(reader, table))
        if found is None:
            return []
        # ranked in SQL (occurrences: what replace() takes out), each table's first
        # ``limit`` only: the texts of a common word's rows stay in the database
        sql = (f"SELECT q.row_id, q.text, (length(q.text) - length(replace(q.text, "
               f":search_term, ''))) / length(:search_term) AS n FROM ({found.sql}) AS q "
               "ORDER BY n DESC, q.row_id" + ("" if limit is None else f" LIMIT {int(limit)}"))
        for row_id, text, matches in reader.execute(
                sql, {**found.params, "search_term": wanted}).rows:
            found_rows.append((table, int(row_id), text, int(matches)))
    found_rows.sort(key=lambda r: (-r[3], order.index(r[0]), r[1]))
    kept = found_rows if limit is None else found_rows[:limit]
    shown = _rows_of(reader, kept)
    hits = []
    for table, row_id, text, matches in kept:
        zone, written = shown.get((table, row_id), (None, text))
        snippet, _ = highlight(written, term, mark=mark)
        kind = _KIND.get(table)
        hits.append(Hit(table, row_id, zone, matches, snippet,
                        f"zonedb cite {kind}:{row_id}" if kind else ""))
    return hits


_CHUNK = 500  # ids per IN (...) list


def _rows_of(reader: Any, rows: list[tuple[str, int, str, int]]
             ) -> dict[tuple[str, int], tuple[Any, str]]:
    """The zone slug and the searched columns as written (not folded: the snippet shows the
    words of the source) of each kept row, one query per table and chunk of ids."""
    ids: dict[str, list[int]] = {}
    for table, row_id, _, _ in rows:
        ids.setdefault(table, []).append(row_id)
    out: dict[tuple[str, int], tuple[Any, str]] = {}
    for table, wanted in ids.items():
        view = VIEWS[table]
        zone = view.zone_column or "NULL"
        for at in range(0, len(wanted), _CHUNK):
            chunk = wanted[at:at + _CHUNK]
            names = {f"i{n}": v for n, v in enumerate(chunk)}
            sql = (f"SELECT id, {zone}, {', '.join(view.search)} FROM {view.name} WHERE id IN "
                   f"({', '.join(':' + k for k in names)})")
            for row in reader.execute(sql, names).rows:
                written = "\n".join(str(v) for v in row[2:] if v is not None)
                out[(table, int(row[0]))] = (row[1], written)
    return out
