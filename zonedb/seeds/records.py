"""Turning one validated seed record of each kind (source, zone, metric, fact, ...) into a
row, checking its references, its quote and, for facts, that the stored number is what
the words say."""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from zonedb.seeds.context import SeedContext, SourceText
from zonedb.seeds.yamlio import Record
from zonedb.text.match import (
    IndexedText,
    NotUtf8,
    OccurrenceProblem,
    SectionNotFound,
    normalise,
    pick_occurrence,
    read_utf8,
    section_bounds,
)
from zonedb.text.quantity import QuantityError, parse_quantity
from zonedb.text.vocab import QUALIFIERS as QUALIFIER_WORDS

Row = dict[str, Any]


def quote_fields(r: SeedContext, rec: Record) -> Row | None:
    """source_id, quote and its offsets of a record's quote, or None (the problem is said)."""
    found = r.locate(rec)
    if found is None:
        return None
    return dict(zip(("source_id", "quote", "quote_start", "quote_end"), found, strict=True))


def aliases(rec: Record) -> str | None:
    """A record's aliases as the aliases column stores them: joined by |, None for none."""
    return "|".join(rec.get("aliases") or []) or None


def _named(r: SeedContext, rec: Record, table: str, *keys: str) -> Row | None:
    """Rows of firms, funds, projects, people and reforms: slug, names, zone, quote."""
    new = r.new_id(rec, table, rec["slug"])
    zone_id = r.ref(rec, "zone", "zones", required=table == "reforms")
    quoted = quote_fields(r, rec)
    if quoted is None:
        return None
    row: Row = {"id": new, "slug": rec["slug"], "zone_id": zone_id, "name_zh": rec["name_zh"],
                "name_en": rec.get("name_en"), **quoted}
    for key in keys:
        if key == "firm":
            row["firm_id"] = r.ref(rec, "firm", "firms")
        elif key == "aliases":
            row["aliases"] = aliases(rec)
        else:
            row[key] = rec.get(key)
    return row


def build_metric(r: SeedContext, rec: Record) -> Row:
    new = r.new_id(rec, "metrics", rec["slug"])
    r.metric_units[rec["slug"]] = rec.get("unit")
    return {"id": new, **{k: rec.get(k) for k in ("slug", "label_zh", "label_en", "unit",
                                                  "description")}}


def build_fact(r: SeedContext, rec: Record) -> Row | None:
    """An indicator: the number is parsed from ``as_written``, which must lie inside the quote."""
    zone_id = r.ref(rec, "zone", "zones", required=True)
    metric_id = r.ref(rec, "metric", "metrics", required=True)
    links = {f"{k}_id": r.ref(rec, k, t) for k, t in
             (("firm", "firms"), ("fund", "funds"), ("project", "projects"))}
    quoted = _with_written(r, rec, quote_fields(r, rec))
    as_written = rec["as_written"]
    line = rec.line_of("as_written")
    numbers = _numbers(r, rec, as_written, line)
    if numbers is None or quoted is None or zone_id is None or metric_id is None:
        return None
    metric = rec["metric"]
    expected = r.metric_units.get(metric)
    if expected is not None and numbers["unit"] != expected:
        r.problems.add(rec.file, line, f"unit {numbers['unit']!r} of \"{as_written}\" does not "
                       f"match metric {metric}, whose unit is {expected!r}")
        return None
    period = rec.get("period")
    return {"id": r.out.next_id("indicators"), "zone_id": zone_id,
            "metric_id": metric_id, **numbers, "period": None if period is None else str(period),
            "as_written": _raw_written(quoted), "role": rec.get("role"), **links,
            "note": rec.get("note"), **quoted, "seed_file": rec.seed_path, "seed_line": rec.line,
            "rank": rec.get("rank"), "rank_reason": rec.get("rank_reason")}


# Words that make a bare 100亿 an amount of money in its quote (营收100亿).
_MONEY_WORDS = re.compile(r"投资|营收|营业收入|收入|产值|总额|金额|销售额|规模|资金|融资|利润"
                          r"|税收|增加值")

def _numbers(r: SeedContext, rec: Record, as_written: str, line: int) -> Row | None:
    """value/unit/qualifier from the parser; explicit ones only where it cannot read them."""
    explicit = {k: rec[k] for k in ("value", "unit", "qualifier") if k in rec}
    if explicit.get("value", 0) is None:  # `value: null` states nothing
        del explicit["value"]
    try:
        q = parse_quantity(as_written)
    except QuantityError as exc:
        if "value" not in explicit:
            r.problems.add(rec.file, line, f"cannot read a number in \"{as_written}\": {exc}; "
                           "fix as_written or state `value:` and `unit:` explicitly")
            return None
        value = float(explicit["value"])
        if not _written_in(value, as_written):
            r.problems.add(rec.file, rec.line_of("value"), f"value {explicit['value']} does not "
                           f"appear in as_written \"{as_written}\"")
            return None
        return {"value": value, "value_high": None, "count": None,
                "unit": explicit.get("unit"), "qualifier": explicit.get("qualifier")}
    parsed = {"value": q.value, "unit": q.unit, "qualifier": q.qualifier}
    for key, given in explicit.items():
        if key == "qualifier" and parsed[key] is None and _qualified_in_quote(rec, given):
            parsed[key] = given  # e.g. 约为一般县十分之一: the 约 stands apart from the number
            continue
        if key == "unit" and parsed[key] is None and given == "CNY" and \
                _MONEY_WORDS.search(str(rec.get("quote") or "")):
            parsed[key] = given  # 营收100亿: the quote says it is money, 元 is not written
            continue
        same = (given is not None and math.isclose(float(given), q.value, rel_tol=1e-9)
                if key == "value" else given == parsed[key])
        if not same:
            r.problems.add(rec.file, rec.line_of(key), f"{key} {given!r} contradicts as_written "
                           f"\"{as_written}\", which reads as {parsed[key]!r}")
            return None
    return {**parsed, "value_high": q.value_high, "count": q.count}


def _qualified_in_quote(rec: Record, qualifier: str | None) -> bool:
    """Whether the quote holds a word for ``qualifier`` that the parser could not attach."""
    quote = normalise(str(rec.get("quote") or ""))
    return qualifier is not None and any(
        word in quote for word, meaning in QUALIFIER_WORDS.items() if meaning == qualifier)


def _written_in(value: float, as_written: str) -> bool:
    text = normalise(as_written).replace(",", "")
    forms = {repr(value), f"{value:g}"}
    if value.is_integer():
        forms.add(str(int(value)))
    return any(form in text for form in forms)


def _with_written(r: SeedContext, rec: Record, quoted: Row | None) -> Row | None:
    """Add the raw offsets of ``as_written`` inside the quote (coverage links by them)."""
    if quoted is None:
        return None
    as_written = rec["as_written"]
    spans = _indexed(quoted["quote"]).find_all(as_written)
    line = rec.line_of("as_written")
    if not spans:
        r.problems.add(rec.file, line, f"as_written \"{as_written}\" is not inside the quote")
        return None
    which = rec.get("as_written_occurrence")
    try:
        start, end = pick_occurrence(spans, which)
    except OccurrenceProblem as exc:
        if exc.ambiguous:
            r.problems.add(rec.file, line, f"as_written \"{as_written}\" occurs {exc.count} "
                           "times in the quote; add `as_written_occurrence: N`")
        else:
            r.problems.add(rec.file, rec.line_of("as_written_occurrence"),
                           f"as_written_occurrence {which} but \"{as_written}\" occurs "
                           f"{exc.count} time{'s' if exc.count != 1 else ''} in the quote")
        return None
    base = quoted["quote_start"]
    return {**quoted, "written_start": base + start, "written_end": base + end}


def _raw_written(quoted: Row) -> str:
    """The source's own characters at as_written's offsets: what the database stores, so
    the stored as_written is literally inside the stored quote (the seed's １３００余家 is
    stored as the text's 1300余家)."""
    base = quoted["quote_start"]
    return str(quoted["quote"][quoted["written_start"] - base:quoted["written_end"] - base])


@lru_cache(maxsize=1024)
def _indexed(quote: str) -> IndexedText:
    """A quote's index, built once: the facts read from one quote are usually neighbours."""
    return IndexedText(quote)


def build_ignore(r: SeedContext, rec: Record) -> Row | None:
    quoted = _with_written(r, rec, quote_fields(r, rec))
    if quoted is None:
        return None
    return {"id": r.out.next_id("ignored_mentions"), "as_written": _raw_written(quoted),
            "reason": rec["reason"], **quoted}


BUILDERS: dict[str, Callable[[SeedContext, Record], Row | None]] = {
    "metrics": build_metric,
    "facts": build_fact,
    "ignore": build_ignore,
    "firms": lambda r, rec: _named(r, rec, "firms", "aliases", "industry", "note"),
    "funds": lambda r, rec: _named(r, rec, "funds", "note"),
    "projects": lambda r, rec: _named(r, rec, "projects", "firm", "note"),
    "people": lambda r, rec: _named(r, rec, "people", "role_zh", "role_en", "organisation",
                                    "firm", "note"),
    "reforms": lambda r, rec: _named(r, rec, "reforms", "category", "summary"),
}


# -- sources and zones: read before every other kind -------------------------------
def read_sources(ctx: SeedContext) -> None:
    manifest = ctx.dir / "sources" / "manifest.yaml"
    if not manifest.exists():
        ctx.problems.add(ctx.shown(manifest), 1, "missing: every seeds folder needs "
                          "sources/manifest.yaml listing its source texts")
        return
    for rec in ctx.records(manifest, "sources"):
        if not ctx.checked(rec, "source"):
            continue
        if rec.get("section_of"):
            _section_source(ctx, rec)
        else:
            _file_source(ctx, rec)

def _file_source(ctx: SeedContext, rec: Record) -> None:
    name = rec.get("file")
    if not name:
        ctx.problems.add(rec.file, rec.line, "a source needs `file` (or `section_of`)")
        return
    path = ctx.dir / "sources" / name
    where = ctx.shown(path)
    folder = (ctx.dir / "sources").resolve()
    if not path.resolve().is_relative_to(folder) or path.resolve() == folder:
        ctx.problems.add(rec.file, rec.line_of("file"),
                         f"file {str(name)[:80]!r} is outside {ctx.shown(ctx.dir / 'sources')}: "
                         "a source file must be inside the seeds' sources folder (no absolute "
                         "path, no '..', no symlink leading out)")
        ctx.mark_broken(rec, "sources")
        return
    try:
        text, data = read_utf8(path)
    except OSError as exc:
        ctx.problems.add(rec.file, rec.line_of("file"),
                          f"cannot read source file {where}: {exc.strerror}")
        ctx.mark_broken(rec, "sources")
        return
    except NotUtf8 as exc:
        ctx.problems.add(where, 1, f"source file is {exc}")
        ctx.mark_broken(rec, "sources")
        return
    digest = hashlib.sha256(data).hexdigest()
    if not text.strip():
        ctx.problems.add(where, 1, "source file is empty")
        ctx.mark_broken(rec, "sources")
        return
    if not rec.get("sha256"):
        ctx.problems.add(rec.file, rec.line, "missing required field 'sha256' (the file's "
                          f"is {digest}; check the text before you copy it)")
    changed = rec.get("sha256") not in (None, digest)
    if changed:
        ctx.problems.add(rec.file, rec.line_of("sha256"),
                          f"{where} has sha256 {digest} but the manifest says "
                          f"{rec['sha256']}: the text changed after curation; facts whose "
                          "quotes no longer match are listed below")
    _add_source(ctx, rec, IndexedText(text), digest, name, None, None, None, changed)

def _section_source(ctx: SeedContext, rec: Record) -> None:
    parent = ctx.sources.get(rec["section_of"])
    if parent is None:
        ctx.ref(rec, "section_of", "sources")
        ctx.mark_broken(rec, "sources")
        return
    try:
        start, end = section_bounds(parent.text, str(rec.get("begins") or ""),
                                    str(rec.get("ends") or ""))
    except SectionNotFound as exc:
        ctx.problems.add(rec.file, rec.line_of(exc.key), f"{exc} in source {parent.slug}")
        ctx.mark_broken(rec, "sources")
        return
    text = parent.text.raw[start:end]
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    _add_source(ctx, rec, IndexedText(text), digest, None, parent.id, start, end,
                     parent.changed)

def _add_source(ctx: SeedContext, rec: Record, text: IndexedText, digest: str, name: str | None,
                parent_id: int | None, start: int | None, end: int | None,
                changed: bool) -> None:
    new = ctx.new_id(rec, "sources", rec["slug"])
    ctx.sources[rec["slug"]] = SourceText(new, rec["slug"], text, changed)
    ctx.out.tables["sources"].append({
        "id": new, "slug": rec["slug"], "title": rec.get("title"),
        "publisher": rec.get("publisher"), "date": _str(rec.get("date")),
        "author": rec.get("author"), "kind": rec.get("kind") or "article",
        "language": rec.get("language"), "file": name, "sha256": digest,
        "text": text.raw, "parent_id": parent_id, "parent_start": start,
        "parent_end": end, "note": rec.get("note"), "url": rec.get("url"),
        "date_accessed": _str(rec.get("date_accessed")), "licence": rec.get("licence"),
        "citation": rec.get("citation"),
    })

def read_zones(ctx: SeedContext) -> None:
    path = ctx.dir / "zones.yaml"
    if not path.exists():
        ctx.problems.add(ctx.shown(path), 1, "missing: the seeds folder needs zones.yaml")
        return
    for rec in ctx.records(path, "zones"):
        if not ctx.checked(rec, "zone"):
            continue
        new = ctx.new_id(rec, "zones", rec["slug"])
        row = {"id": new, "slug": rec["slug"], "name_zh": rec["name_zh"],
               "name_en": rec["name_en"], "aliases": aliases(rec),
               **{k: rec.get(k) for k in ("province", "city", "district", "level", "kind")},
               "source_id": None, "quote": None, "quote_start": None, "quote_end": None}
        if rec.get("quote") is not None:
            row.update(quote_fields(ctx, rec) or {})
        ctx.out.tables["zones"].append(row)


def _str(value: Any) -> str | None:
    return None if value is None else str(value)
