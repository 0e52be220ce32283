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


# -- citing a source: a ready string, CSL-JSON and BibTeX for reference managers ----------

_INHERITED = ("title", "publisher", "author", "date", "date_accessed", "url", "licence",
              "language")
_SOURCE_SQL = (
    "SELECT s.id, s.slug, s.kind, s.citation, s.sha256, p.slug AS section_of, "
    + ", ".join(f"COALESCE(s.{c}, p.{c}) AS {c}" for c in _INHERITED)
    + " FROM sources s LEFT JOIN sources p ON p.id = s.parent_id")

# Source kind -> (CSL type, BibTeX entry type); a section of a source takes its own kind.
_TYPES = {"news": ("article-newspaper", "article"), "article": ("article", "misc"),
          "commentary": ("article", "misc"), "interview": ("interview", "misc"),
          "government_report": ("report", "techreport"),
          "statistical_bulletin": ("report", "techreport"), "work_report": ("report", "techreport")}


def sources_to_cite(reader: Reader, ref: str) -> list[dict[str, Any]]:
    """The sources ``ref`` names, with what a citation needs: ``source:SLUG`` one source,
    ``sources`` every one, any other id (42, reform:3) the source of that row. A section
    of a source takes the metadata it lacks from the source it is part of."""
    if ref.strip() == "sources":
        rows = reader.execute(f"{_SOURCE_SQL} ORDER BY s.id").dicts()
    else:
        slug = ref.strip()[len("source:"):].strip() if ref.strip().startswith("source:") \
            else cite(reader, ref, context=0)["source"]
        rows = reader.execute(f"{_SOURCE_SQL} WHERE s.slug = :slug", {"slug": slug}).dicts()
    found = [dict(r) for r in rows]
    if not found:
        raise DatabaseError(f"no source '{ref.strip()[len('source:'):]}'; list them with: "
                            "zonedb query sources")
    for src in found:
        src["citation"] = src["citation"] or citation_text(src)
    return found


def citation_text(src: dict[str, Any]) -> str:
    """A ready citation when the seeds give none: who. title. publisher, date. url,
    accessed date. licence (each part only when known)."""
    who = src.get("author") or src.get("publisher")
    parts = [who, src.get("title") or src["slug"]]
    published = ", ".join(p for p in (src.get("publisher") if src.get("author") else None,
                                      src.get("date")) if p)
    parts.append(published or None)
    if src.get("url"):
        parts.append(src["url"] + (f", accessed {src['date_accessed']}"
                                   if src.get("date_accessed") else ""))
    if src.get("licence"):
        parts.append(f"Licence: {src['licence']}")
    return ". ".join(p.rstrip(".") for p in parts if p) + "."


def _date_parts(date: str | None) -> dict[str, Any] | None:
    if not date:
        return None
    return {"date-parts": [[int(p) for p in date.split("-")]]}


def csl_item(src: dict[str, Any]) -> dict[str, Any]:
    """One CSL-JSON item (the format Zotero, Mendeley and pandoc read); people and bodies
    are ``literal`` names, Chinese names not being split into given and family."""
    kind, _bib = _TYPES.get(src.get("kind") or "", ("document", "misc"))
    item: dict[str, Any] = {"id": src["slug"], "type": kind, "title": src.get("title")}
    if src.get("author"):
        item["author"] = [{"literal": a.strip()} for a in str(src["author"]).split("|")]
    elif src.get("publisher"):
        item["author"] = [{"literal": src["publisher"]}]
    if src.get("publisher"):
        item["container-title" if kind == "article-newspaper" else "publisher"] = \
            src["publisher"]
    for key, value in (("issued", _date_parts(src.get("date"))),
                       ("accessed", _date_parts(src.get("date_accessed"))),
                       ("URL", src.get("url")), ("language", src.get("language")),
                       ("license", src.get("licence"))):
        if value:
            item[key] = value
    return {k: v for k, v in item.items() if v is not None}


_BIB_SPECIAL = str.maketrans({c: "\\" + c for c in "&%$#_"})


def bibtex_entry(src: dict[str, Any]) -> str:
    """One BibTeX entry (biblatex reads the date, urldate and langid fields too); a body
    as author is braced so it is not split into names."""
    _csl, kind = _TYPES.get(src.get("kind") or "", ("document", "misc"))
    fields: list[tuple[str, str | None]] = [("title", src.get("title"))]
    if src.get("author"):
        fields.append(("author", " and ".join(
            a.strip() for a in str(src["author"]).split("|"))))
    elif src.get("publisher"):
        fields.append(("author", "{" + str(src["publisher"]) + "}"))
    if src.get("publisher"):
        fields.append(({"article": "journal", "techreport": "institution"}.get(
            kind, "publisher"), src["publisher"]))
    date = src.get("date")
    if date:
        fields += [("year", date[:4]), ("date", date)]
    fields += [("url", src.get("url")), ("urldate", src.get("date_accessed")),
               ("langid", {"zh": "chinese"}.get(src.get("language") or "",
                                                src.get("language"))),
               ("note", f"Licence: {src['licence']}" if src.get("licence") else None)]
    body = ",\n".join(f"  {k} = {{{v if k == 'url' else str(v).translate(_BIB_SPECIAL)}}}"
                      for k, v in fields if v)
    return f"@{kind}{{{src['slug']},\n{body}\n}}"


def origin(src: dict[str, Any]) -> dict[str, Any]:
    """A source as an Our World in Data origin (producer, title, citation_full, url_main,
    date_published, date_accessed, license), for the Frictionless export."""
    fields = {"producer": src.get("publisher") or src.get("author"),
              "title": src.get("title"), "citation_full": src["citation"],
              "url_main": src.get("url"), "date_published": src.get("date"),
              "date_accessed": src.get("date_accessed"),
              "license": {"name": src["licence"]} if src.get("licence") else None,
              "kind": src.get("kind"), "language": src.get("language"),
              "zonedb_source": src["slug"], "sha256": src.get("sha256")}
    return {k: v for k, v in fields.items() if v is not None}
