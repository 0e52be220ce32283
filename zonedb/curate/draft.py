"""Drafting the seed records of a source, so that curating it is reading and correcting.

Every number phrase the extractor finds becomes a fact with its zone (the zone named last
before it in its paragraph, else in its section's heading, else the article's zone), its
period (the time expression governing its clause, sentence or paragraph, relative ones
resolved against the source's date), its metric (the noun phrase before the number matched
to the vocabulary by label and aliases, else a new metric proposed from the glossary), its
role (before/after/change/target) and its subject (a firm or fund named in its clause);
or an ignore entry with its reason (a date used as a period, a threshold in a metric's
name, a number inside a document's title). Zones, metrics, firms and funds the seeds do
not have are proposed as records. Each inferred field carries the words it came from;
fields the draft is unsure of are listed in ``unsure`` (``# CHECK`` in the YAML).
Mentions already covered by a fact or an ignore entry are left out, so a redraft offers
only what is new.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from zonedb.curate.sources import (
    read_records,
    resolve_zone,
    seeds_folder,
    writable_seeds,
    yaml_scalar,
    zone_names,
)
from zonedb.errors import UsageError
from zonedb.seeds.yamlio import Record
from zonedb.text import glossary
from zonedb.text.extract import Mention, extract_mentions
from zonedb.text.layout import Block, block_at, blocks, inside_brackets
from zonedb.text.match import (
    IndexedText,
    NotUtf8,
    SectionNotFound,
    normalise,
    read_utf8,
    section_bounds,
)
from zonedb.text.metricname import GENERIC, canon, label_keys, metric_phrase, variants
from zonedb.text.orgs import OrgName, find_orgs, short_core
from zonedb.text.periods import TimeExpr, dateline, find_times
from zonedb.text.places import PROVINCES
from zonedb.text.quantity import QuantityError, parse_quantity
from zonedb.text.zones import Zone, zone_name_en, zone_slug, zones_in

_CLAUSE_END = "，。！？；：,;!?"
_ZONE_COMMENT = re.compile(r"^\s*#\s*zone:\s*([a-z0-9-]+)")
_TARGET = re.compile(r"力争|目标(?:是|为|[:：])|预计|争取|计划(?!总投资)"
                     r"|将(?:新建|实现|达到|建成|突破)"
                     r"|到(?:\d{4}|[〇零一二三四五六七八九]{4})年")
_SCOPE = re.compile(r"^(全国|全省|全市|全区|全县|全球|世界|国内|省内|市内"
                    r"|中部地区|东部地区|西部地区"
                    r"|[\u4e00-\u9fff]{2,3}省)")
_STOCK_UNITS = {"家", "户", "个", "所", "座"}
_MONEY = re.compile(r"投资|营收|营业收入|收入|产值|总额|金额|销售额|规模|资金|融资|利润|税收"
                    r"|增加值")


# ----------------------------------------------------------------- source --
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


def _manifest_zone(rec: Record, manifest_text: str) -> str | None:
    """The `# zone:` comment under the source's manifest entry (`sources add --zone`)."""
    for line in manifest_text.splitlines()[rec.line:]:
        if line.startswith("- "):
            break
        found = _ZONE_COMMENT.match(line)
        if found:
            return found.group(1)
    return None


def _source_date(rec: Record, text: str) -> tuple[date | None, str | None]:
    """The date relative times are resolved against: the manifest's, else a dateline."""
    raw = rec.get("date")
    if raw is not None:
        s = str(raw)
        try:
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
                return date.fromisoformat(s), None
            if re.fullmatch(r"\d{4}", s):
                return date(int(s), 12, 31), f"source date {s} is a year only"
        except ValueError:
            pass
    found = dateline(text)
    if found:
        return found, f"source date {found.isoformat()} read from the text's dateline"
    return None, "the source has no date: relative times (今年, 去年, 上半年) stay null"


# ----------------------------------------------------------------- quotes --
def _clause(text: str, m: Mention, floor: int, ceil: int) -> tuple[int, int]:
    """Raw bounds of the clause around a mention (between ，。！？；： marks, at most ~60
    characters before it); a clause of fewer than 12 characters takes in the one before
    it. Never leaves the mention's paragraph [floor, ceil)."""
    hi = m.end
    while hi < ceil and text[hi] not in _CLAUSE_END:
        hi += 1
    lo = m.start
    while lo > floor and text[lo - 1] not in _CLAUSE_END:
        lo -= 1
    if len(normalise(text[lo:hi])) < 12 and lo > floor and text[lo - 1] in "，；：,;":
        prev = lo - 1
        while prev > floor and text[prev - 1] not in _CLAUSE_END:
            prev -= 1
        lo = prev
    lo = max(lo, m.start - 60, floor)
    hi = min(hi, m.end + 30, ceil)
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
    lo: int  # raw start of the quote


def _entries(text: str, indexed: IndexedText, m: Mention, block: Block) -> list[_Entry]:
    lo, hi = _clause(text, m, block.start, block.end)
    quote = _squash(text[lo:hi])
    spans = indexed.find_all(quote)
    occurrence = next((i + 1 for i, (a, b) in enumerate(spans) if a <= m.start < b), 1) \
        if len(spans) > 1 else None
    phrase = _squash(m.text)
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
        out.append(_Entry(quote, occurrence, written, which, role, m, lo))
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


# ------------------------------------------------------------------ draft --
@dataclass
class DraftFact:
    """One drafted fact; ``why`` says from which words each inferred field came."""
    zone: str | None
    metric: str | None
    period: str | None
    role: str | None
    quote: str
    occurrence: int | None
    as_written: str
    as_written_occurrence: int | None
    value: float | None
    unit: str | None
    qualifier: str | None
    start: int
    firm: str | None = None
    fund: str | None = None
    project: str | None = None
    why: dict[str, str] = field(default_factory=dict)
    unsure: list[str] = field(default_factory=list)
    mention: str = ""

    def record(self, source: str) -> dict[str, Any]:
        rec: dict[str, Any] = {"zone": self.zone, "metric": self.metric, "period": self.period,
                               "source": source, "quote": self.quote}
        if self.occurrence:
            rec["occurrence"] = self.occurrence
        rec["as_written"] = self.as_written
        if self.as_written_occurrence:
            rec["as_written_occurrence"] = self.as_written_occurrence
        for k in ("firm", "fund", "project", "role"):
            if getattr(self, k):
                rec[k] = getattr(self, k)
        if "unit" in self.why:
            rec["unit"] = self.unit
        return rec


@dataclass
class Draft:
    source: str
    facts: list[DraftFact]
    metrics: list[dict[str, Any]]
    zones: list[dict[str, Any]]
    firms: list[dict[str, Any]]
    funds: list[dict[str, Any]]
    ignore: list[dict[str, Any]]
    notes: list[str]
    mentions: int

    def as_json(self) -> dict[str, Any]:
        facts = []
        for f in self.facts:
            facts.append({**f.record(self.source), "role": f.role, "value": f.value,
                          "unit": f.unit, "qualifier": f.qualifier, "occurrence": f.occurrence,
                          "start": f.start, "why": f.why, "unsure": f.unsure})
        return {"source": self.source, "facts": facts,
                "metrics": [_public(m) for m in self.metrics],
                "zones": [_public(z) for z in self.zones],
                "firms": [_public(x) for x in self.firms],
                "funds": [_public(x) for x in self.funds],
                "ignore": [_public(x) for x in self.ignore], "notes": self.notes}


def _public(rec: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in rec.items() if not k.startswith("_")}


@dataclass
class _Vocab:
    """The metric vocabulary: slug -> (label, unit), and every matching key."""
    units: dict[str, str | None]
    labels: dict[str, str]
    keys: dict[str, list[str]]  # canon key -> slugs

    @classmethod
    def read(cls, seeds: Path) -> _Vocab:
        units: dict[str, str | None] = {}
        labels: dict[str, str] = {}
        keys: dict[str, list[str]] = {}
        for path in sorted((seeds / "metrics").glob("*.yaml")):
            for r in read_records(path):
                slug = str(r.get("slug"))
                units[slug] = r.get("unit")
                labels[slug] = str(r.get("label_zh") or "")
                aliases = [str(a) for a in r.get("aliases") or []]
                for k in label_keys(labels[slug], aliases):
                    keys.setdefault(k, []).append(slug)
        return cls(units, labels, keys)

    def closest(self, label: str, unit: str | None) -> str | None:
        """The metric of that unit whose label shares most character pairs with ``label``,
        when they share at least 60% of them (Dice)."""
        want = _pairs(canon(label))
        digits = re.findall(r"\d+", label)
        best, score = None, 0.6
        for slug, lab in self.labels.items():
            if self.units[slug] != unit or re.findall(r"\d+", lab) != digits:
                continue  # 50亿元以上项目 is not 10亿元以上项目
            have = _pairs(canon(lab))
            s = 2 * len(want & have) / max(len(want) + len(have), 1)
            if s >= score:
                best, score = slug, s
        return best

    def find(self, label: str, unit: str | None) -> str | None:
        for v in variants(label):
            for slug in self.keys.get(canon(v), []):
                if self.units[slug] is None or self.units[slug] == unit:
                    return slug
        return None


def _pairs(s: str) -> set[str]:
    return {s[i:i + 2] for i in range(len(s) - 1)}


def _pinyin_slug(label: str) -> str:
    from pypinyin import lazy_pinyin

    words = [w for w in lazy_pinyin(canon(label)) if re.fullmatch(r"[a-z0-9]+", w.lower())]
    return "_".join(w.lower() for w in words)[:60].strip("_") or "metric"


class _Drafter:
    """The state of one draft: the source's text, what the seeds know, what is proposed."""

    def __init__(self, seeds: Path, slug: str, zone: str | None) -> None:
        self.seeds, self.slug = seeds, slug
        self.text, self.rec, manifest_text = source_text(seeds, slug)
        self.notes: list[str] = []
        self.today, note = _source_date(self.rec, self.text)
        if note:
            self.notes.append(note)
        self.blocks = blocks(self.text) or [Block(0, len(self.text), False)]
        self.known_zones = zone_names(seeds)
        zones, counted = zones_in(self.text, self.known_zones)
        self.orgs = find_orgs(self.text)
        self.zone_mentions = [(n, z) for n, z in counted
                              if not any(o.start <= n.start < o.end for o in self.orgs)]
        self._slug_zones(zones)
        self.override = resolve_zone(seeds, self.known_zones, zone)
        self.default_zone = self.override or _manifest_zone(self.rec, manifest_text) or \
            self._main_zone(zones)
        self.times = [t for t in find_times(self.text, self.today)
                      if not inside_brackets(self.text, t.start)]
        self.vocab = _Vocab.read(seeds)
        self.new_metrics: dict[tuple[str, str | None], dict[str, Any]] = {}
        self.used_zones: set[str] = set()
        self.orgs_known = self._known_orgs()
        self.new_orgs: dict[str, dict[str, Any]] = {}
        self.orgs = self._with_known_names(self.orgs)

    # -- zones
    def _slug_zones(self, zones: list[Zone]) -> None:
        taken = set(self.known_zones)
        self.zone_slug: dict[int, str] = {}
        self.new_zones: dict[str, Zone] = {}
        for z in zones:
            if z.slug:
                self.zone_slug[id(z)] = z.slug
                continue
            same_core = sum(1 for o in zones if o.core == z.core)
            slug = zone_slug(z, taken, same_core)
            taken.add(slug)
            self.zone_slug[id(z)] = slug
            self.new_zones[slug] = z

    def _main_zone(self, zones: list[Zone]) -> str | None:
        """The zone the title names, else the one named most (if one leads)."""
        first = self.blocks[0]
        for n, z in self.zone_mentions:
            if first.start <= n.start < first.end:
                return self.zone_slug[id(z)]
        counts: dict[str, int] = {}
        for _, z in self.zone_mentions:
            counts[self.zone_slug[id(z)]] = counts.get(self.zone_slug[id(z)], 0) + 1
        ranked = sorted(counts.items(), key=lambda kv: -kv[1])
        if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
            return ranked[0][0]
        return None

    def zone_at(self, pos: int) -> tuple[str | None, str]:
        if self.override:
            return self.override, "zone given by --zone"
        k = block_at(self.blocks, pos)
        b = self.blocks[k]
        here = [(n, z) for n, z in self.zone_mentions if b.start <= n.start and n.end <= pos]
        if here:
            n, z = here[-1]
            return self.zone_slug[id(z)], \
                f"zone from {n.written} (named before it in its paragraph)"
        for j in range(k - 1, -1, -1):
            hb = self.blocks[j]
            if not hb.heading:
                continue
            named = [(n, z) for n, z in self.zone_mentions if hb.start <= n.start < hb.end]
            if named:
                n, z = named[-1]
                return self.zone_slug[id(z)], f"zone from the heading {n.written}"
        if self.default_zone:
            return self.default_zone, "zone: the article's zone"
        return None, "no zone named before it"

    # -- periods
    def _base(self, t: TimeExpr) -> str | None:
        """'base' for a comparison base (较2022年, 比年初), 'from'/'to' for the years of a
        由A增至B pair (由2022年的), else None."""
        before = self.text[max(0, t.start - 2):t.start]
        after = self.text[t.end:t.end + 1]
        if re.search(r"[较比与同]$", before):
            return "base"
        if after == "的" and re.search(r"[由从自]$", before):
            return "from"
        if after == "的" and re.search(r"(?:到|至)$", before):
            return "to"
        return None

    def _context_year(self, lo: int, pos: int) -> int | None:
        years = [t for t in self.times if lo <= t.start < pos and t.period and not t.relative
                 and t.year_only and self._base(t) is None]
        return int(years[-1].period[:4]) if years and years[-1].period else None

    def period_at(self, pos: int, role: str | None, m: Mention) -> tuple[str | None, str, bool]:
        """(period, from which words, unsure) for a figure at ``pos``."""
        k = block_at(self.blocks, pos)
        b = self.blocks[k]
        sent_lo = pos
        while sent_lo > b.start and self.text[sent_lo - 1] not in "。！？!?":
            sent_lo -= 1
        cl_lo = pos
        while cl_lo > b.start and self.text[cl_lo - 1] not in _CLAUSE_END:
            cl_lo -= 1
        usable = []
        for t in self.times:
            kind = self._base(t)
            if t.start >= m.end:
                continue
            if role == "before":
                if kind == "from" and t.end <= m.start + 1 and t.start >= sent_lo:
                    return t.period, f"period from {t.text} (the year beside the first value)", \
                        False
                continue
            if role == "after" and kind == "to" and t.start >= m.start:
                return t.period, f"period from {t.text} (the year beside the second value)", False
            if kind is None and t.start < m.start + (len(m.text) if role == "after" else 0):
                usable.append(t)
        if role == "before":
            return None, "period null: no year is written beside the first value", False
        for lo, where in ((cl_lo, "clause"), (sent_lo, "sentence"), (b.start, "paragraph")):
            inside = [t for t in usable if t.start >= lo]
            if inside:
                return self._resolve(inside[-1], where, b.start)
        for j in range(k - 1, -1, -1):  # the heading of its section
            hb = self.blocks[j]
            if hb.heading:
                inside = [t for t in usable if hb.start <= t.start < hb.end]
                if inside:
                    return self._resolve(inside[-1], "section heading", hb.start)
                break
        return None, "no time expression governs it", True

    def _resolve(self, t: TimeExpr, where: str, lo: int) -> tuple[str | None, str, bool]:
        if t.text.startswith("全年") and t.period and t.relative:
            year = self._context_year(lo, t.start) or self._heading_year(lo)
            if year:
                return str(year) + t.period[4:], f"period from {t.text} ({year} in context)", \
                    False
        if t.period is None:
            return None, f"period null: {t.note}", bool(t.relative)
        extra = t.note.removeprefix(f"from {t.text} (").removesuffix(")") if t.note else ""
        return t.period, f"period from {t.text} ({where}" + (f"; {extra}" if extra else "") + ")", \
            False

    def _heading_year(self, lo: int) -> int | None:
        k = block_at(self.blocks, lo)
        for j in range(k - 1, -1, -1):
            hb = self.blocks[j]
            if hb.heading:
                return self._context_year(hb.start, hb.end)
        return None

    # -- subjects
    def _known_orgs(self) -> dict[str, tuple[str, str]]:
        out: dict[str, tuple[str, str]] = {}
        for kind in ("firms", "funds", "projects"):
            for path in sorted((self.seeds / kind).glob("*.yaml")):
                for r in read_records(path):
                    for n in [r.get("name_zh"), *(r.get("aliases") or [])]:
                        if n:
                            out[normalise(str(n))] = (kind[:-1], str(r.get("slug")))
        return out

    def _with_known_names(self, found: list[OrgName]) -> list[OrgName]:
        """The names the text writes, plus every name of a seeds firm, fund or project it
        contains (吉利(赣州)42GWh动力电池项目 ends in no company suffix)."""
        out = list(found)
        self.clause_only: set[int] = set()  # names of the seeds: linked in their clause only
        raw = IndexedText(self.text)
        for key, (kind, _slug) in self.orgs_known.items():
            if len(key) < 3:
                continue
            for a, b in raw.find_all(key):
                if not any(o.start <= a < o.end for o in out):
                    out.append(OrgName(a, b, self.text[a:b], kind))
                    self.clause_only.add(a)
        return sorted(out, key=lambda o: o.start)

    def subject_at(self, pos: int, sent_lo: int, cl_lo: int) -> tuple[str, str, str] | None:
        """(kind, slug, name) of the firm or fund named last before ``pos`` in its sentence,
        unless a zone is named after it (a name from the seeds: in its clause only)."""
        named = [o for o in self.orgs if sent_lo <= o.start and o.end <= pos]
        if not named:
            return None
        o = named[-1]
        if o.start < cl_lo and (o.start in self.clause_only or
                                any(o.end <= n.start < pos for n, _ in self.zone_mentions)):
            return None  # a zone named after the firm takes the sentence back
        kind, slug = self._org_record(o)
        return kind, slug, _squash(o.name)

    def _org_record(self, o: OrgName) -> tuple[str, str]:
        key = normalise(_squash(o.name))
        if key in self.orgs_known:
            return self.orgs_known[key]
        for rec in self.new_orgs.values():  # a short form of a name already proposed
            if rec["_kind"] == o.kind and (rec["name_zh"].startswith(o.name)
                                           or o.name.startswith(rec["name_zh"])):
                if o.name != rec["name_zh"] and o.name not in rec.setdefault("aliases", []) \
                        and len(o.name) < len(rec["name_zh"]):
                    rec["aliases"].append(o.name)
                return o.kind, rec["slug"]
        from pypinyin import lazy_pinyin

        core = short_core(o.name)
        base = "-".join(lazy_pinyin(core)) if o.kind == "fund" else "".join(lazy_pinyin(core))
        base = re.sub(r"[^a-z0-9-]+", "", base.lower()) or o.kind
        if o.kind == "fund":
            base = base.replace("-", "")[:40] + "-fund"
        slug, n = base, 2
        taken = {r["slug"] for r in self.new_orgs.values()} | {s for _, s in
                                                               self.orgs_known.values()}
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        count = len(IndexedText(self.text).find_all(o.name))
        new: dict[str, Any] = {"slug": slug, "_kind": o.kind, "zone": None,
                               "name_zh": o.name, "source": self.slug, "quote": o.name}
        if count > 1:
            new["occurrence"] = 1
        self.new_orgs[slug] = new
        return o.kind, slug

    # -- metrics
    def metric_for(self, label: str, unit: str | None, phrase: str, growth: bool
                   ) -> tuple[str | None, str, bool]:
        """(slug, why, unsure): an existing metric of that label and unit, else a proposed
        new one (glossary slug and English name when the glossary has the term)."""
        if not label:
            return None, "no words name what it measures", True
        found = self.vocab.find(label, unit)
        if found:
            return found, f"metric {found} from {label}", False
        key = (canon(label), unit)
        if key in self.new_metrics:
            return self.new_metrics[key]["slug"], f"new metric from {label}", \
                self.new_metrics[key]["label_en"] is None
        down = next((v for v in _DOWN if label.endswith(v)), None) if growth else None
        base = (label.removesuffix(down or "同比增长").removesuffix("同比") if growth
                else label)
        term = next((t for v in variants(base) if (t := glossary.lookup(v))), None)
        share = base.endswith(("占比", "比重"))
        if term is None and share:
            term = next((t for v in variants(base[:-2]) if (t := glossary.lookup(v))), None)
        if term is not None and not share:  # the glossary's slug is a metric of the seeds
            slug = term.slug + (("_reduction" if down else "_growth") if growth else "")
            if slug in self.vocab.units and self.vocab.units[slug] in (None, unit):
                return slug, f"metric {slug} from {label} (glossary)", False
        close = self.vocab.closest(label, unit)
        if close:
            return close, f"metric {close}: the closest label to {label}", True
        en: str | None
        if term is not None:
            slug = term.slug + ("_share" if share else "") + \
                (("_reduction" if down else "_growth") if growth else "")
            en = term.en + (", share" if share else "") + \
                ((", reduction" if down else ", year-on-year growth") if growth else "")
        else:
            slug, en = _pinyin_slug(label), None
        taken = set(self.vocab.units) | {m["slug"] for m in self.new_metrics.values()}
        final, n = slug, 2
        while final in taken:
            final, n = f"{slug}_{n}", n + 1
        desc = (f"{en}, as {self.slug} names it ({label})." if en else
                f"{label}: drafted from {self.slug}; write label_en and this description.")
        self.new_metrics[key] = {"slug": final, "label_zh": label, "label_en": en,
                                 "unit": unit, "description": desc, "_phrase": phrase}
        return final, f"new metric from {label}" + ("" if en else " (not in the glossary)"), \
            en is None


def _unit_of(as_written: str, m: Mention) -> str | None:
    try:
        return parse_quantity(as_written).unit
    except QuantityError:
        return m.unit


def _fmt(v: float | None) -> str:
    return "null" if v is None else f"{v:g}" if abs(v) < 1e15 else repr(v)


def _ignore_reason(d: _Drafter, m: Mention, dates: list[TimeExpr]) -> str | None:
    """Why a mention is not a fact, or None when it is one."""
    text = d.text
    if inside_brackets(text, m.start):
        return "inside the title of a document (《…》), not a figure"
    over = [t for t in dates if t.start < m.end and m.start < t.end]
    if m.kind == "date" or (over and m.kind in ("duration", "date", "count", "amount")
                            and all(c not in m.text for c in "元%")):
        if over and over[0].open:
            return f"part of {over[0].text}: an open period, not a figure"
        if d.blocks[block_at(d.blocks, m.start)].heading:
            return "a date in a title or heading: the period of the facts below it"
        return "a date: the period of the facts it dates" if over else "a date, not a figure"
    after = _squash(text[m.end:m.end + 8])
    if (m.text.endswith("以上") or m.text.startswith(("过", "超"))) and \
            re.match(r"(?:的)?(?:项目|企业|重大项目|产业项目)", after):
        return "threshold in the name of what is counted; the count beside it is the fact"
    if re.match(r"[\u4e00-\u9fff]", after[:1] or " ") and m.kind == "count" and \
            re.fullmatch(r"[一二两三四五六七八九十]+[^\d]*", m.text) and (m.value or 0) <= 10:
        return "a small count in running prose, not an indicator"
    if m.kind == "duration" and re.match(r"时间|内|来|以来|后", after):
        return "a time frame (用3年时间, 3年内), not a measured figure"
    if m.kind == "count" and after.startswith("数") and m.unit == "位":
        return "两位数 (double-digit) describes a growth rate, not a count"
    return None


def build_draft(slug: str, *, seeds_dir: Path | str | None = None, zone: str | None = None
                ) -> Draft:
    """Every record a curator needs for source ``slug``, drafted from its text."""
    seeds = seeds_folder(seeds_dir)
    d = _Drafter(seeds, slug, zone)
    text = d.text
    indexed = IndexedText(text)
    done, dated = _covered(seeds, {slug, str(d.rec.get("section_of") or slug)}, indexed)
    mentions = extract_mentions(text)
    todo = [m for m in mentions if not any(a < m.end and m.start < b for a, b in done)
            and not (m.kind == "date" and any(a <= m.start and m.end <= b for a, b in dated))]
    all_times = find_times(text, d.today)
    facts: list[DraftFact] = []
    ignore: list[dict[str, Any]] = []
    prev: dict[str, Any] = {}  # the previous fact of the sentence: its topic and metric
    for m in todo:
        block = d.blocks[block_at(d.blocks, m.start)]
        entries = _entries(text, indexed, m, block)
        reason = _ignore_reason(d, m, all_times)
        if reason is not None:
            for e in entries[:1]:
                rec: dict[str, Any] = {"source": slug, "quote": e.quote}
                if e.occurrence:
                    rec["occurrence"] = e.occurrence
                rec["as_written"] = _squash(m.text)
                w_occ = _written_occurrence(e.quote, rec["as_written"], text, e.lo, m.start)
                if w_occ:
                    rec["as_written_occurrence"] = w_occ
                rec["reason"] = reason
                ignore.append(rec)
            continue
        for e in entries:
            facts.append(_fact(d, m, e, block, prev))
    metrics = list(d.new_metrics.values())
    used = {f.metric for f in facts}
    metrics = [x for x in metrics if x["slug"] in used]
    zones = []
    for zslug in sorted({f.zone for f in facts if f.zone in d.new_zones},
                        key=lambda s: min(n.start for n in d.new_zones[s].names)):
        zones.append(_zone_record(d, zslug, d.new_zones[zslug]))
    firms: list[dict[str, Any]] = []
    funds: list[dict[str, Any]] = []
    linked = {f.firm for f in facts} | {f.fund for f in facts}
    for rec in d.new_orgs.values():
        if rec["slug"] not in linked:
            continue
        zone_of = next((f.zone for f in facts if rec["slug"] in (f.firm, f.fund)), None)
        rec["zone"] = zone_of
        (funds if rec["_kind"] == "fund" else firms).append(rec)
    return Draft(slug, facts, metrics, zones, firms, funds, ignore, d.notes, len(mentions))


def _written_occurrence(quote: str, written: str, text: str, lo: int, start: int) -> int | None:
    nquote, needle = normalise(quote), normalise(written)
    found = [i for i in range(len(nquote)) if nquote.startswith(needle, i)]
    if len(found) <= 1:
        return None
    here = len(normalise(text[lo:start]))
    return next((k + 1 for k, i in enumerate(found) if i >= here), len(found))


def _zone_record(d: _Drafter, slug: str, z: Zone) -> dict[str, Any]:
    first = min(z.names, key=lambda n: n.start)
    spans = IndexedText(d.text).find_all(first.written)
    rec: dict[str, Any] = {"slug": slug, "name_zh": z.name_zh(), "name_en": zone_name_en(z)}
    if z.aliases():
        rec["aliases"] = z.aliases()
    if z.province:
        rec["province"] = PROVINCES.get(z.province, z.province)
    if z.city:
        from pypinyin import lazy_pinyin

        rec["city"] = "".join(lazy_pinyin(z.city)).title()
    if z.kind:
        rec["kind"] = z.kind
    rec["source"] = d.slug
    rec["quote"] = first.written
    if len(spans) > 1:
        rec["occurrence"] = next(i + 1 for i, (a, _) in enumerate(spans) if a >= first.start)
    stated = ", ".join(x for x in (z.province and f"province {z.province}",
                                   z.city and f"city {z.city}") if x)
    rec["note"] = (f"Proposed by zonedb draft from the names {d.slug} writes "
                   f"({', '.join(sorted({n.written for n in z.names}))}); "
                   f"kind from the suffix{'; ' + stated + ' from the name' if stated else ''}. "
                   "Level not stated.")
    return rec


def _fact(d: _Drafter, m: Mention, e: _Entry, block: Block, prev: dict[str, Any]) -> DraftFact:
    text = d.text
    pos = m.start if e.role != "after" else m.end - 1
    unit = _unit_of(e.as_written, m)
    try:
        q = parse_quantity(e.as_written)
        value: float | None = q.value
        qualifier = q.qualifier
    except QuantityError:
        value, qualifier = m.value, m.qualifier
    sent_lo = m.start
    while sent_lo > block.start and text[sent_lo - 1] not in "。！？!?":
        sent_lo -= 1
    cl_lo = m.start
    while cl_lo > block.start and text[cl_lo - 1] not in _CLAUSE_END:
        cl_lo -= 1
    fact = DraftFact(None, None, None, e.role, e.quote, e.occurrence, e.as_written,
                     e.written_occurrence, value, unit, qualifier, pos,
                     mention=f"{_squash(m.text)}: kind {m.kind}, value {_fmt(m.value)}"
                     + (f" (from {_fmt(m.value_from)})" if m.value_from is not None else "")
                     + f", unit {m.unit}, qualifier {m.qualifier}")
    # zone
    fact.zone, fact.why["zone"] = d.zone_at(m.start)
    if fact.zone is None:
        fact.unsure.append("zone")
    # metric phrase: the clause's words before the number, times and names cut out
    cut = [(t.start, t.end) for t in d.times if cl_lo <= t.start < m.start]
    cut += [(n.start, n.end) for n, _ in d.zone_mentions if cl_lo <= n.start < m.start]
    cut += [(o.start, o.end) for o in d.orgs if cl_lo <= o.start < m.start]
    words = []
    at = cl_lo
    for a, b in sorted(cut):
        if a >= at:
            words.append(text[at:a])
            words.append("|")
            at = b
    words.append(text[at:m.start])
    before = _squash("".join(words))
    ph = metric_phrase(before)
    same_sentence = prev.get("sentence") == (block.start, sent_lo)
    topic = ph.before_verb + ph.name if ph.name not in GENERIC else ""
    noun = _noun_after(text, m, block.end) if m.kind == "count" else ""
    if noun:  # 组建8个招商团, 挂点联系670家企业: what is counted follows the number
        verb = _ACTION.search(topic)
        candidates = [topic + noun, topic[:verb.start()] + noun if verb else noun,
                      (verb.group() if verb else "") + noun, noun]
        unit_here = _unit_of(e.as_written, m)
        topic = next((c for c in candidates if c and d.vocab.find(c, unit_here)),
                     noun if not topic or verb or len(topic) > 8 else topic + noun)
    inherits = not topic
    if inherits and same_sentence:
        topic = prev.get("topic", "")
    elif inherits:  # 在2023年国家经开区综合考评中，X排名全国第33位: the clause before names it
        topic = _previous_clause_topic(d, sent_lo, cl_lo)
    cues = ph.cues
    growth = (m.kind == "change" or "growth" in cues) and unit in ("percent", "pct_point")
    fund_here = [o for o in d.orgs if cl_lo <= o.start and o.end <= m.start and o.kind == "fund"]
    if ph.name in ("规模", "首期规模", "总规模", "认缴规模") and fund_here:
        topic = "基金规模"
    label = topic
    share_of = next((c for c in cues if c.startswith("占") and c != "占比"), None)
    yoy = m.kind == "change" and not growth and _squash(m.text).startswith(("同比", "环比"))
    if growth or yoy:  # 同比增长12.3%; 同比减少3.31万人次 is a metric of its own too
        label = f"{topic}{_change_verb(_squash(m.text), before)}" if topic else ""
        growth = True
    elif share_of:
        label = f"{topic}{share_of}比重" if topic else ""
    elif any(c in ("占比", "比重") for c in cues) or ph.name in ("占比", "比重"):
        label = f"{topic}占比" if topic else ""
    elif m.kind == "rank":
        scope = _SCOPE.match(_squash(m.text))
        speed = "增速" if "增速" in before or "增速" in ph.name else ""
        label = f"{topic}{speed}{scope.group(1) if scope else ''}排名" if topic else ""
    money = _MONEY.search(before)
    if unit is None and m.kind == "amount" and money:  # 营收100亿: an amount in yuan
        unit = fact.unit = "CNY"
        fact.why["unit"] = f"unit CNY from {money.group()} (no 元 written)"
    if inherits and same_sentence and m.kind == "change" and not growth and \
            prev.get("unit") == unit and prev.get("metric"):  # 较上年增加312件: the same metric
        fact.metric = prev["metric"]
        fact.why["metric"] = f"metric {fact.metric}: the change of the figure before it"
        unsure = False
    else:
        fact.metric, fact.why["metric"], unsure = d.metric_for(label, unit, ph.name, growth)
    if unsure:
        fact.unsure.append("metric")
    # role
    sentence_words = text[sent_lo:m.start]
    heading = _section_heading(d, block)
    if e.role is None:
        if _TARGET.search(sentence_words) or (heading and re.search(r"目标|计划", heading)):
            fact.role = "target"
            fact.why["role"] = "role target (the sentence or heading states a goal)"
        elif m.kind == "change" and not growth and not yoy:
            fact.role = "change"
            fact.why["role"] = f"role change ({_squash(m.text)})"
        elif any(c in ("净增", "新认定") for c in cues) or \
                ("新增" in cues and unit in _STOCK_UNITS and label.endswith("企业")):
            fact.role = "change"
            fact.why["role"] = "role change (" + "/".join(cues) + ")"
    else:
        fact.why["role"] = f"role {e.role} of {_squash(m.text)}"
    # period
    fact.period, fact.why["period"], unsure = d.period_at(pos, fact.role, m)
    if unsure:
        fact.unsure.append("period")
    # subject
    subj = d.subject_at(m.start, sent_lo, cl_lo)
    if subj:
        kind, sslug, name = subj
        if kind == "firm":
            fact.firm = sslug
        elif kind == "fund":
            fact.fund = sslug
        elif kind == "project":
            fact.project = sslug
        fact.why["subject"] = f"{kind} {sslug} from {name}"
    prev.clear()
    prev.update({"sentence": (block.start, sent_lo), "topic": topic, "unit": unit,
                 "metric": fact.metric})
    return fact


_DOWN = ("下降", "减少", "降低", "缩短", "压缩", "缩减", "回落", "下跌", "收窄", "降", "减")


def _change_verb(mention: str, before: str) -> str:
    """How the text words a rate of change: 同比增长 (the seeds' label for growth, also
    for a bare 增长), or the decrease verb as written (缩短, 同比下降)."""
    words = mention + " " + before[-6:]
    for v in _DOWN:
        if v in words:
            return ("同比" if "同比" in words else "") + v
    return "同比增长"


_ACTION = re.compile(r"(?:先后|累计|共|已|新)?(?:组建|派驻|设立|建成|培育|引进|招引|吸引|集聚"
                     r"|聚集|认定"
                     r"|获批|新建|建设|打造|组织|开展|举办|推出|出台|入驻|落户|成立|拥有|带动|吸纳"
                     r"|帮助|解决|收集|办结|培养|招聘|形成|发放|提供|服务|有)$")


def _noun_after(text: str, m: Mention, ceil: int) -> str:
    """The noun right after a count (8个招商团), up to a function word or mark."""
    after = _squash(text[m.end:min(ceil, m.end + 30)])
    run = re.match(r"[\u4e00-\u9fffA-Za-z]+", after)
    if not run:
        return ""
    word = run.group()
    stop = re.search(r"[的是在和与及等了为共达均]|分别|实现|完成|正在|已经|全部|主要|企业家", word)
    word = word[:stop.start()] if stop else word
    word = word[:12]
    if len(word) < 2 or re.match(r"(?:以上|以下|左右|以来|时间|之内|内|年|月|同比)", word):
        return ""
    return word


def _previous_clause_topic(d: _Drafter, sent_lo: int, cl_lo: int) -> str:
    """What the clause before names, when it only sets the scene (在…中, 在…方面)."""
    if cl_lo <= sent_lo:
        return ""
    words = d.text[sent_lo:cl_lo - 1]
    for t in d.times:
        if sent_lo <= t.start < cl_lo:
            words = words.replace(t.text, "")
    m = re.search(r"在(.+?)(?:中|方面|上)$", _squash(words))
    return m.group(1) if m else ""


def _section_heading(d: _Drafter, block: Block) -> str | None:
    k = block_at(d.blocks, block.start)
    for j in range(k - 1, -1, -1):
        if d.blocks[j].heading:
            return d.text[d.blocks[j].start:d.blocks[j].end]
    return None


# ----------------------------------------------------------------- output --
def _comment(fact: DraftFact, key: str) -> str:
    why = fact.why.get(key)
    flag = "CHECK: " if key in fact.unsure else ""
    return f"   # {flag}{why}" if why else ""


def render_facts(dr: Draft) -> str:
    """The fact file: YAML with a comment beside every inferred field."""
    lines = [f"# Drafted by `zonedb draft {dr.source}`: {len(dr.facts)} facts and "
             f"{len(dr.ignore)} ignore entries from {dr.mentions} number phrases.",
             "# Every field is inferred from the words quoted beside it; '# CHECK' marks the",
             "# ones the draft is unsure of. Correct what is wrong, delete what is not a fact.",
             *[f"# Note: {n}." for n in dr.notes], ""]
    for f in dr.facts:
        lines.append(f"# {f.mention}")
        lines.append(f"- zone: {yaml_scalar(f.zone)}{_comment(f, 'zone')}")
        lines.append(f"  metric: {yaml_scalar(f.metric)}{_comment(f, 'metric')}")
        lines.append(f"  period: {yaml_scalar(f.period)}{_comment(f, 'period')}")
        lines.append(f"  source: {yaml_scalar(dr.source)}")
        lines.append(f"  quote: {yaml_scalar(f.quote)}")
        if f.occurrence:
            lines.append(f"  occurrence: {f.occurrence}")
        lines.append(f"  as_written: {yaml_scalar(f.as_written)}")
        if f.as_written_occurrence:
            lines.append(f"  as_written_occurrence: {f.as_written_occurrence}")
        if f.firm:
            lines.append(f"  firm: {f.firm}{_comment(f, 'subject')}")
        if f.fund:
            lines.append(f"  fund: {f.fund}{_comment(f, 'subject')}")
        if f.project:
            lines.append(f"  project: {f.project}{_comment(f, 'subject')}")
        if f.role:
            lines.append(f"  role: {f.role}{_comment(f, 'role')}")
        if "unit" in f.why:
            lines.append(f"  unit: {f.unit}{_comment(f, 'unit')}")
    return "\n".join(lines) + "\n"


def _records_yaml(header: str, records: list[dict[str, Any]],
                  marks: dict[str, str] | None = None) -> str:
    lines = [header, ""] if header else []
    for rec in records:
        first = True
        for k, v in _public(rec).items():
            mark = (marks or {}).get(k, "") if v is None else ""
            lines.append(f"{'- ' if first else '  '}{k}: {yaml_scalar(v)}{mark}")
            first = False
    return "\n".join(lines) + "\n"


def draft_files(dr: Draft) -> dict[str, str]:
    """Relative path in the seeds folder -> text, for ``--write`` (zones: appended)."""
    s = dr.source
    out = {f"facts/{s}.yaml": render_facts(dr)}
    if dr.ignore:
        out[f"ignore/{s}.yaml"] = _records_yaml(
            f"# Figures of {s} that are not facts, drafted by `zonedb draft {s}`.", dr.ignore)
    if dr.metrics:
        out[f"metrics/{s}.yaml"] = _records_yaml(
            f"# Metrics proposed by `zonedb draft {s}` (English names from the glossary of\n"
            "# statistical indicators; '# CHECK' where the glossary has no entry).",
            dr.metrics, {"label_en": "   # CHECK: not in the glossary, write the English name"})
    if dr.firms:
        out[f"firms/{s}.yaml"] = _records_yaml(f"# Firms named in {s}.", dr.firms)
    if dr.funds:
        out[f"funds/{s}.yaml"] = _records_yaml(f"# Funds named in {s}.", dr.funds)
    if dr.zones:
        out["zones.yaml"] = _records_yaml(f"# Zones proposed by `zonedb draft {s}`.", dr.zones)
    return out


def write_draft(dr: Draft, seeds_dir: Path | str | None = None) -> list[Path]:
    """Write the draft's files into the seeds folder; refuses to overwrite any file (and
    a zone slug zones.yaml already has), writing nothing then."""
    seeds = writable_seeds(seeds_dir)
    files = draft_files(dr)
    for rel in files:
        path = seeds / rel
        if rel != "zones.yaml" and path.exists():
            raise UsageError(f"{path} exists: `zonedb draft --write` never overwrites a file "
                             "(move it away, or print the draft and merge by hand)")
    known = set(zone_names(seeds))
    clash = [z["slug"] for z in dr.zones if z["slug"] in known]
    if clash:
        raise UsageError(f"{seeds / 'zones.yaml'} already has zone {', '.join(clash)}")
    written = []
    for rel, body in files.items():
        path = seeds / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if rel == "zones.yaml" and path.exists():
            old = path.read_text(encoding="utf-8")
            path.write_text(old.rstrip("\n") + "\n" + body, encoding="utf-8")
        else:
            path.write_text(body, encoding="utf-8")
        written.append(path)
    return written


def draft(slug: str, *, seeds_dir: Path | str | None = None, zone: str | None = None
          ) -> tuple[str, int]:
    """The fact file for source ``slug`` as YAML text, and its number of entries."""
    dr = build_draft(slug, seeds_dir=seeds_dir, zone=zone)
    return render_facts(dr), len(dr.facts)


__all__ = ["Draft", "DraftFact", "build_draft", "draft", "draft_files", "render_facts",
           "write_draft"]
