"""Drafting the fact file of a source from the extractor's mentions.

Every entry of a draft has ``metric: null``, which ``zonedb seed`` refuses until it is
filled in, so a half-curated draft can never reach the database. Mentions already
covered by a fact or an ignore entry are left out, so a redraft offers only what is new.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from zonedb.curate.sources import read_records, resolve_zone, seeds_folder, yaml_scalar, zone_names
from zonedb.errors import UsageError
from zonedb.seeds.yamlio import Record
from zonedb.text.extract import Mention, extract_mentions
from zonedb.text.match import (
    IndexedText,
    NotUtf8,
    SectionNotFound,
    normalise,
    read_utf8,
    section_bounds,
)
from zonedb.text.quantity import QuantityError, parse_quantity

_CLAUSE_END = "，。！？；：,;!?"
_ZONE_COMMENT = re.compile(r"^\s*#\s*zone:\s*([a-z0-9-]+)")


@dataclass
class _Metric:
    slug: str
    label_zh: str
    unit: str | None


def source_text(seeds: Path, slug: str) -> tuple[str, Record, str]:
    """The text of source ``slug`` (a file, or a section of one), its manifest record and
    the manifest text (for the `# zone:` comment under its entry)."""
    manifest = seeds / "sources" / "manifest.yaml"
    records = {str(r.get("slug")): r for r in read_records(manifest)}
    rec = records.get(slug)
    if rec is None:
        raise UsageError(f"unknown source '{slug}' in {manifest} "
                         f"(known: {', '.join(records) or 'none'}); add it with "
                         "`zonedb sources add FILE --slug SLUG`")
    parent = records.get(str(rec.get("section_of"))) if rec.get("section_of") else rec
    if parent is None or not parent.get("file"):
        raise UsageError(f"source '{slug}' has no file to read")
    path = seeds / "sources" / str(parent["file"])
    try:
        text = read_utf8(path)[0]
    except OSError as exc:
        raise UsageError(f"cannot read {path} as UTF-8 text: {exc}") from exc
    except NotUtf8 as exc:
        raise UsageError(f"{path} is {exc}") from exc
    if rec is not parent:
        try:
            start, end = section_bounds(IndexedText(text), str(rec.get("begins") or ""),
                                        str(rec.get("ends") or ""))
        except SectionNotFound as exc:
            raise UsageError(f"source '{slug}': {exc} in {path}") from exc
        text = text[start:end]
    return text, rec, manifest.read_text(encoding="utf-8")


def _default_zone(zones: dict[str, list[str]], rec: Record, manifest_text: str,
                  text: str) -> str | None:
    """The `# zone:` comment under the entry, else the zone whose names the text uses most."""
    lines = manifest_text.splitlines()
    for line in lines[rec.line:]:
        if line.startswith("- "):
            break
        found = _ZONE_COMMENT.match(line)
        if found:
            return found.group(1)
    norm = normalise(text)
    counts = {slug: sum(norm.count(normalise(n)) for n in names)
              for slug, names in zones.items()}
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    if ranked and ranked[0][1] and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
        return ranked[0][0]
    return None


def _metrics(seeds: Path) -> list[_Metric]:
    out: list[_Metric] = []
    for path in sorted((seeds / "metrics").glob("*.yaml")):
        out.extend(_Metric(str(r.get("slug")), str(r.get("label_zh") or ""), r.get("unit"))
                   for r in read_records(path))
    return out


def _bigrams(s: str) -> set[str]:
    return {s[i:i + 2] for i in range(len(s) - 1)}


def suggest_metrics(metrics: list[_Metric], context: str, unit: str | None,
                    n: int = 3) -> list[_Metric]:
    """Metrics whose unit fits and whose Chinese label shares the most character pairs
    with the words before the number (the loader refuses a unit that does not fit)."""
    words = _bigrams(normalise(context))
    scored = []
    for m in metrics:
        if m.unit is not None and m.unit != unit:
            continue
        label = _bigrams(normalise(m.label_zh).removesuffix("数量").removesuffix("数"))
        score = len(label & words) / max(len(label), 1)
        if score > 0:
            scored.append((score, m.unit == unit, m))
    scored.sort(key=lambda t: (-t[0], not t[1]))
    return [m for _, _, m in scored[:n]]


def _clause(text: str, m: Mention) -> tuple[int, int]:
    """Raw bounds of the clause around a mention (between ，。！？；： marks, at most ~60
    characters before it); a clause of fewer than 12 characters takes in the one before
    it, within the sentence and paragraph."""
    hi = m.end
    while hi < len(text) and text[hi] not in _CLAUSE_END:
        hi += 1
    lo = m.start
    while lo > 0 and text[lo - 1] not in _CLAUSE_END:
        lo -= 1
    if len(normalise(text[lo:hi])) < 12 and lo > 0 and text[lo - 1] in "，；：,;":
        prev = lo - 1
        while prev > 0 and text[prev - 1] not in _CLAUSE_END and \
                not text[prev - 2:prev].isspace():
            prev -= 1
        lo = prev
    lo = max(lo, m.start - 60)
    hi = min(hi, m.end + 30)
    while lo < m.start and (text[lo].isspace() or text[lo] in "”’」』)）"):
        lo += 1
    return lo, hi


def _squash(s: str) -> str:
    """Line breaks (page breaks) dropped, other runs of whitespace made one space."""
    return re.sub(r"[ \t\u3000]+", " ", re.sub(r"\s*\n\s*", "", s)).strip()


def _readable(phrase: str, value: float | None) -> str | None:
    """The longest part of ``phrase`` the quantity parser reads as ``value`` (or its size,
    for a decrease): "由45家增至61家" -> "61家", "同比增长12.3%" -> "12.3%"."""
    if value is None:
        return None
    best = None
    for i in range(len(phrase)):
        for j in range(len(phrase), i, -1):
            if best is not None and j - i <= len(best):
                break
            try:
                q = parse_quantity(phrase[i:j])
            except QuantityError:
                continue
            if q.value == abs(value) or q.value == value:
                best = phrase[i:j]
    return best


@dataclass
class _Entry:
    quote: str
    occurrence: int | None
    as_written: str
    written_occurrence: int | None
    role: str | None
    mention: Mention
    context: str


def _entries(text: str, indexed: IndexedText, m: Mention) -> list[_Entry]:
    lo, hi = _clause(text, m)
    quote = _squash(text[lo:hi])
    spans = indexed.find_all(quote)
    occurrence = next((i + 1 for i, (a, b) in enumerate(spans) if a <= m.start < b), 1) \
        if len(spans) > 1 else None
    phrase = _squash(m.text)
    context = _squash(text[lo:m.start])
    if m.value_from is not None:  # 由45家增至61家: two rows, before and after
        split = [(_readable(phrase, m.value_from), "before"), (_readable(phrase, m.value), "after")]
        if all(w for w, _ in split) and split[0][0] != split[1][0]:
            pairs: list[tuple[str, str | None]] = [(str(w), role) for w, role in split]
        else:
            pairs = [(phrase, "change")]
    else:
        written = phrase
        try:
            parse_quantity(phrase)
        except QuantityError:
            written = _readable(phrase, m.value) or phrase
        pairs = [(written, None)]
    out = []
    nquote = normalise(quote)
    here = len(normalise(text[lo:m.start]))  # where the mention starts inside the quote
    for written, role in pairs:
        needle = normalise(written)
        found = [i for i in range(len(nquote)) if nquote.startswith(needle, i)]
        which = None
        if len(found) > 1:
            which = next((k + 1 for k, i in enumerate(found) if i >= here), len(found))
        out.append(_Entry(quote, occurrence, written, which, role, m, context))
    return out


def _covered(seeds: Path, slugs: set[str], indexed: IndexedText
             ) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Raw spans of the number phrases of facts and ignore entries already curated, and
    of the quotes of facts with a period (a date inside one is accounted for). Quotes are
    found in ``indexed`` (a section's own text when drafting a section)."""
    written, dated = [], []
    for folder in ("facts", "ignore"):
        for path in sorted((seeds / folder).glob("*.yaml")):
            for rec in read_records(path):
                if rec.get("source") not in slugs or not isinstance(rec.get("quote"), str):
                    continue
                spans = indexed.find_all(rec["quote"])
                occurrence = rec.get("occurrence")
                which = occurrence if isinstance(occurrence, int) else 1
                if not 1 <= which <= len(spans):
                    continue
                a, b = spans[which - 1]
                if rec.get("period") is not None:
                    dated.append((a, b))
                inner = IndexedText(indexed.raw[a:b])
                written += [(a + x, a + y)
                            for x, y in inner.find_all(str(rec.get("as_written") or ""))]
    return written, dated


def _fmt(v: float | None) -> str:
    return "null" if v is None else f"{v:g}" if abs(v) < 1e15 else repr(v)


def draft(slug: str, *, seeds_dir: Path | str | None = None, zone: str | None = None,
          ) -> tuple[str, int]:
    """A fact file for source ``slug``: one entry per mention not yet curated.
    Returns (YAML text, number of entries)."""
    seeds = seeds_folder(seeds_dir)
    text, rec, manifest_text = source_text(seeds, slug)
    zones = zone_names(seeds)
    zone = resolve_zone(seeds, zones, zone) or _default_zone(zones, rec, manifest_text, text)
    indexed = IndexedText(text)
    # A section's facts may cite the file it is part of.
    done, dated = _covered(seeds, {slug, str(rec.get("section_of") or slug)}, indexed)
    metrics = _metrics(seeds)
    mentions = extract_mentions(text)
    todo = [m for m in mentions if not any(a < m.end and m.start < b for a, b in done)
            and not (m.kind == "date" and any(a <= m.start and m.end <= b for a, b in dated))]
    lines = [
        f"# Drafted by `zonedb draft {slug}` from the extractor's mentions "
        f"({len(todo)} of {len(mentions)} not yet curated).",
        "# For each entry: set `metric` (suggestions beside it; new metrics go in",
        "# seeds/metrics/) and `period` (2024, 2024-01/2024-11, or null when the text",
        "# gives none), or delete it; a figure that is not a fact goes to seeds/ignore/",
        "# with a reason. `zonedb seed` refuses this file while any metric is null.",
        "",
    ]
    count = 0
    for m in todo:
        dates = [d.text for d in mentions if d.kind == "date" and d is not m
                 and abs(d.start - m.start) < 80 and _same_sentence(text, d, m)]
        for e in _entries(text, indexed, m):
            count += 1
            lines.append(f"# {_squash(m.text)}: kind {m.kind}, value {_fmt(m.value)}"
                         + (f" (from {_fmt(m.value_from)})" if m.value_from is not None else "")
                         + (f" to {_fmt(m.value_high)}" if m.value_high is not None else "")
                         + f", unit {m.unit}, qualifier {m.qualifier}")
            if m.kind == "date":
                lines.append("#   a date: the period of facts in its sentence; delete this "
                             "entry once used")
            hints = suggest_metrics(metrics, e.context, _unit_of(e.as_written, m))
            hint = ("suggestions: " + ", ".join(f"{h.slug} ({h.label_zh}, {h.unit})"
                                                for h in hints)) if hints else \
                "no metric fits: add one to seeds/metrics/"
            lines.append(f"- zone: {yaml_scalar(zone)}")
            lines.append(f"  metric: null   # {hint}")
            lines.append("  period: null" + (f"   # dates nearby: {', '.join(dates)}"
                                             if dates else ""))
            lines.append(f"  source: {yaml_scalar(slug)}")
            lines.append(f"  quote: {yaml_scalar(e.quote)}")
            if e.occurrence:
                lines.append(f"  occurrence: {e.occurrence}")
            lines.append(f"  as_written: {yaml_scalar(e.as_written)}")
            if e.written_occurrence:
                lines.append(f"  as_written_occurrence: {e.written_occurrence}")
            if e.role:
                lines.append(f"  role: {e.role}")
    return "\n".join(lines) + "\n", count


def _unit_of(as_written: str, m: Mention) -> str | None:
    try:
        return parse_quantity(as_written).unit
    except QuantityError:
        return m.unit


def _same_sentence(text: str, a: Mention, b: Mention) -> bool:
    lo, hi = sorted((a.start, b.start))
    return not any(c in "。！？" for c in text[lo:hi])
