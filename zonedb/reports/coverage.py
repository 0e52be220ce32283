"""Proving that no figure in a source is left unaccounted.

Every mention the extractor finds in a seeded source is one of:
``linked`` (a seeded indicator whose ``as_written`` span in the source overlaps
it, or, for a date, a fact with a period in whose quote it stands), ``ignored``
(an entry of the seeds' ignore list, with a reason), or ``unaccounted``: a bug in
the data that coverage makes visible.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass

from zonedb.errors import UsageError
from zonedb.store.db import Reader
from zonedb.text.extract import Mention, extract_mentions

STATUSES = ("linked", "ignored", "unaccounted")


@dataclass
class Covered:
    source: str
    text: str
    start: int
    end: int
    kind: str
    status: str
    row: str | None = None
    reason: str | None = None

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass
class _Span:
    start: int  # the quote
    end: int
    written_start: int  # the number phrase inside it
    written_end: int
    label: str
    period: str | None = None
    reason: str | None = None

    def names(self, m: Mention) -> bool:
        return self.written_start < m.end and m.start < self.written_end


# One quote row of an indicator or ignore entry, from the seeds or the database:
# (source_id, quote_start, quote_end, written_start, written_end, label, period, reason).
SpanRow = tuple[int, int, int, int, int, str, str | None, str | None]


def classify_sources(sources: Iterable[tuple[int, str, str]],
                     shift: dict[int, tuple[int, int]], facts: Iterable[SpanRow],
                     ignored: Iterable[SpanRow]) -> list[Covered]:
    """Classify every mention of ``sources`` (id, slug, text of files, not sections).
    ``shift`` maps every source id to (its file's id, the section's offset in it): rows
    that cite a section are moved into the section's parent file."""
    fact_spans, ignored_spans = _spans(facts, shift), _spans(ignored, shift)
    return [_classify(slug, m, fact_spans.get(sid, []), ignored_spans.get(sid, []))
            for sid, slug, text in sources for m in extract_mentions(text)]


def _spans(rows: Iterable[SpanRow], shift: dict[int, tuple[int, int]]
           ) -> dict[int, list[_Span]]:
    out: dict[int, list[_Span]] = {}
    for src, start, end, w_start, w_end, label, period, reason in rows:
        parent, o = shift[src]
        out.setdefault(parent, []).append(
            _Span(start + o, end + o, w_start + o, w_end + o, label, period, reason))
    return out


def coverage(reader: Reader, source: str | None = None) -> list[Covered]:
    """Classify every mention of every seeded source file (or of one source)."""
    sources = reader.execute(
        "SELECT id, slug, text FROM sources WHERE parent_id IS NULL ORDER BY id").rows
    if source is not None:
        sources = [s for s in sources if s[1] == source]
        if not sources:
            raise UsageError(f"unknown source '{source}'; see `zonedb query sources`")
    shift_sql = ("SELECT s.id, coalesce(s.parent_id, s.id), coalesce(s.parent_start, 0) "
                 "FROM sources s")
    shift = {r[0]: (r[1], r[2]) for r in reader.execute(shift_sql).rows}
    facts = ((src, start, end, w_start, w_end, f"indicator:{fid} {metric}", period, None)
             for fid, src, start, end, w_start, w_end, metric, period in reader.execute(
                 "SELECT i.id, i.source_id, i.quote_start, i.quote_end, i.written_start, "
                 "i.written_end, m.slug, i.period "
                 "FROM indicators i JOIN metrics m ON m.id = i.metric_id").rows)
    ignored = ((src, start, end, w_start, w_end, f"ignore:{iid}", None, reason)
               for iid, src, start, end, w_start, w_end, reason in reader.execute(
                   "SELECT id, source_id, quote_start, quote_end, written_start, written_end, "
                   "reason FROM ignored_mentions").rows)
    return classify_sources(sources, shift, facts, ignored)


def _classify(slug: str, m: Mention, facts: list[_Span], ignored: list[_Span]) -> Covered:
    base = Covered(slug, m.text, m.start, m.end, m.kind, "unaccounted")
    for f in facts:
        if f.names(m):
            base.status, base.row = "linked", f.label
            return base
    if m.kind == "date":
        for f in facts:
            if f.period and f.start <= m.start and m.end <= f.end:
                base.status, base.row = "linked", f"{f.label} (period {f.period})"
                return base
    for ig in ignored:
        if ig.names(m):
            base.status, base.reason = "ignored", ig.reason
            return base
    return base


def summary(rows: list[Covered]) -> list[tuple[str, int, int, int]]:
    """Per source: counts of linked, ignored and unaccounted mentions."""
    counts: dict[str, dict[str, int]] = {}
    for r in rows:
        counts.setdefault(r.source, dict.fromkeys(STATUSES, 0))[r.status] += 1
    return [(s, c["linked"], c["ignored"], c["unaccounted"]) for s, c in counts.items()]
