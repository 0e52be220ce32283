"""The source sentence behind a row: its quote, inside the text around it, with the
offsets and the source's sha256, so a reader can check it against the file."""

from __future__ import annotations

import hashlib
import re
from typing import Any

from zonedb.errors import DatabaseError, UsageError
from zonedb.store.db import Reader

# Prefix in an ID -> table. A plain number is an indicator.
TABLE_OF_KIND = {"indicator": "indicators", "reform": "reforms", "firm": "firms", "fund": "funds",
          "project": "projects", "person": "people", "zone": "zones"}
_ALIASES = {"indicators": "indicator", "i": "indicator", "reforms": "reform", "firms": "firm",
            "funds": "fund", "projects": "project", "people": "person", "zones": "zone"}
_BOUNDARY = re.compile(r"[。！？；!?]|\n[ \t\u3000]*\n\s*")
CONTEXT = 120  # characters of source text shown on each side, at most


def parse_id(ref: str) -> tuple[str, int]:
    """``42`` -> ("indicators", 42); ``reform:3`` -> ("reforms", 3); else UsageError."""
    match = re.fullmatch(r"\s*(?:([A-Za-z]+)\s*[:#/]\s*)?(\d+)\s*", ref)
    kind = (match.group(1) or "indicator").lower() if match else ""
    kind = _ALIASES.get(kind, kind)
    if not match or kind not in TABLE_OF_KIND:
        raise UsageError(f"cannot read '{ref}' as an id: use a number (an indicator) or one "
                         f"of {', '.join(k + ':N' for k in TABLE_OF_KIND)}, e.g. reform:3")
    return TABLE_OF_KIND[kind], int(match.group(2))


def _label(table: str, row: dict[str, Any]) -> str:
    if table == "indicators":
        return f"{row['metric']} = {row['as_written']} ({row['zone']})"
    return " / ".join(str(row[k]) for k in ("name_zh", "name_en") if row.get(k))


def _context(text: str, start: int, end: int, width: int) -> tuple[int, int]:
    """Bounds of the quote's sentence and one sentence either side, at most ``width``
    characters beyond the quote on each side. Sentences end at 。！？； or a blank line
    (single line breaks in the articles are page breaks, not ends)."""
    ends = [m.end() for m in _BOUNDARY.finditer(text)]
    before = [e for e in ends if e <= start]
    lo = before[-2] if len(before) >= 2 else 0
    after = [e for e in ends if e > end]
    hi = after[1] if len(after) >= 2 else len(text)
    return max(lo, start - width), min(hi, end + width)


def at_boundary(text: str, i: int) -> bool:
    """Whether position ``i`` starts or ends a sentence (no ellipsis needed there)."""
    return i <= 0 or i >= len(text) or any(m.end() == i for m in
                                             _BOUNDARY.finditer(text, max(0, i - 20), i))


def _flat(text: str) -> str:
    """Page-break line breaks removed (the articles break lines mid-sentence); a blank
    line between paragraphs becomes one space."""
    return re.sub(r"\s*\n\s*", "", re.sub(r"\s*\n[ \t\u3000]*\n\s*", " ", text))


def cite(reader: Reader, ref: str, *, context: int = CONTEXT) -> dict[str, Any]:
    """Everything needed to show and verify the quote behind ``ref``."""
    table, row_id = parse_id(ref)
    view = "zones" if table == "zones" else f"v_{table}"
    sql = (f"SELECT * FROM {view} WHERE id = :id" if table != "zones" else
           "SELECT z.*, s.slug AS source, z.quote_start AS start, z.quote_end AS \"end\" "
           "FROM zones z LEFT JOIN sources s ON s.id = z.source_id WHERE z.id = :id")
    rows = list(reader.execute(sql, {"id": row_id}).dicts())
    if not rows:
        span = reader.execute(f"SELECT min(id), max(id) FROM {table}").rows[0]
        have = f"ids run {span[0]}–{span[1]}" if span[0] is not None else "the table is empty"
        raise DatabaseError(f"no {table} row with id {row_id} ({have})")
    row = rows[0]
    start: int | None = row.get("start", row.get("quote_start"))
    end: int | None = row.get("end", row.get("quote_end"))
    if not row.get("source") or start is None or end is None:
        raise DatabaseError(f"{table} {row_id} carries no quote")
    src = next(reader.execute(
        "SELECT s.id, s.slug, s.title, s.author, s.date, s.file, s.sha256, s.text,"
        " s.parent_start, p.slug AS parent, p.file AS parent_file, p.sha256 AS parent_sha256"
        " FROM sources s LEFT JOIN sources p ON p.id = s.parent_id WHERE s.slug = :slug",
        {"slug": row["source"]}).dicts())
    text: str = src.pop("text")
    lo, hi = _context(text, start, end, context)
    ok = text[start:end] == row["quote"] and \
        hashlib.sha256(text.encode("utf-8")).hexdigest() == src["sha256"]
    kind = "indicator" if table == "indicators" else next(k for k, t in TABLE_OF_KIND.items()
                                                          if t == table)
    return {
        "id": f"{kind}:{row_id}", "table": table, "row_id": row_id,
        "label": _label(table, row), "quote": row["quote"], "start": start, "end": end,
        "source": src["slug"], "title": src["title"], "author": src["author"],
        "date": src["date"], "file": src["file"] or src["parent_file"],
        "sha256": src["sha256"],
        "section_of": src["parent"],
        "file_sha256": src["parent_sha256"] or src["sha256"],
        "file_start": start + (src["parent_start"] or 0),
        "file_end": end + (src["parent_start"] or 0),
        "verified": ok,
        "before": ("" if at_boundary(text, lo) else "…") + _flat(text[lo:start]).lstrip(),
        "after": _flat(text[end:hi]).rstrip() + ("" if at_boundary(text, hi) else "…"),
        "context_start": lo, "context_end": hi,
    }
