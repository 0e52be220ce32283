"""Recognise development-zone names as the texts write them, full or short.

A zone name is a place (with or without its province and city) and a suffix that says the
kind of zone: 贵州贵阳经济技术开发区, 贵阳经开区, 江门新会工业园区, 新会工业园, 珠海综保区.
Texts mix the forms (full name first, a short alias after), so each name is reduced to its
*core* (the place the zone is named after: 贵阳, 新会) and its kind; two names with the same
core and compatible kinds are the same zone. The generic suffixes 开发区 and 园区 count only
when their core is also named with a specific suffix, or is a known city.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from zonedb.text.places import CITIES, PROVINCES

# suffix -> kind (None: the generic 开发区/园区, which take the kind of their core's zone)
SUFFIXES: dict[str, str | None] = {
    "经济技术开发区": "etdz", "经济开发区": "etdz", "经开区": "etdz",
    "高新技术产业开发区": "hi-tech zone", "高新技术产业园区": "hi-tech zone",
    "高新技术开发区": "hi-tech zone", "高新区": "hi-tech zone",
    "综合保税区": "bonded zone", "综保区": "bonded zone", "保税区": "bonded zone",
    "工业园区": "industrial park", "工业园": "industrial park",
    "开发区": None, "园区": None,
}
KIND_EN = {"etdz": "Economic and Technological Development Zone",
           "hi-tech zone": "Hi-tech Industrial Development Zone",
           "industrial park": "Industrial Park", "bonded zone": "Comprehensive Bonded Zone",
           None: "Development Zone"}
KIND_SLUG = {"etdz": "etdz", "hi-tech zone": "hitech", "industrial park": "park",
             "bonded zone": "bonded", None: "zone"}
FULL_SUFFIX = {"etdz": "经济技术开发区", "hi-tech zone": "高新技术产业开发区",
               "industrial park": "工业园区", "bonded zone": "综合保税区"}

_SUFFIX_RE = re.compile("|".join(sorted(map(re.escape, SUFFIXES), key=len, reverse=True)))
_CJK = re.compile(r"[\u4e00-\u9fff]+$")
# Words that end the text before a zone name (verbs, function words), longest first.
_LEAD = sorted(["在", "于", "从", "到", "和", "与", "及", "对", "为", "向", "据", "让", "由",
                "将", "把", "被", "使", "给", "以", "是", "的", "了", "着", "等", "即", "就",
                "也", "都", "又", "还", "并", "而", "或", "走进", "位于", "来到", "落户", "入驻",
                "推动", "推进", "加快", "支持", "深化", "建设", "打造", "围绕", "依托", "记者",
                "走访", "走进了", "落地", "全力", "全面", "持续", "积极", "目前", "当前",
                "近年来", "今年", "去年", "其中", "同时", "此外", "作为", "成为", "获批", "设立",
                "批准", "认定", "升级", "创建", "这是", "那是", "这里", "该", "本报讯", "本报"],
               key=len, reverse=True)
_GENERIC = re.compile(r"^(?:[各全首该本我这那其每某诸两三四五六七八九十多几]|国家|省|市|县|区"
                      r"|重点|综合|特色|专业|现代|智慧|化工|新型|传统|产业|城市|开放|沿海|边境|中西部)"
                      r"|级$|类$|个$|批$|地$|型$|内$|外$|年|国家|地区")


@dataclass(frozen=True)
class ZoneName:
    """One zone name in a text: raw offsets, its parts, and the kind its suffix says."""
    start: int
    end: int
    written: str
    core: str
    suffix: str
    kind: str | None
    province: str | None = None
    city: str | None = None


def _place_chain(window: str) -> tuple[int, str | None, str | None, str] | None:
    """The leftmost place a zone name can start with inside ``window`` (the characters just
    before the suffix): (start, province, city, rest after them)."""
    for i in range(len(window)):
        rest, province, city = window[i:], None, None
        for p in sorted(PROVINCES, key=len, reverse=True):
            if rest.startswith(p):
                province, rest = p, rest[len(p):].removeprefix("省")
                break
        for c in sorted(CITIES, key=len, reverse=True):
            if rest.startswith(c) and (province is None or CITIES[c] in (province, c)):
                city, rest = c, rest[len(c):].removeprefix("市")
                break
        if (province or city) and len(rest) <= 4 and not _lead_in(rest):
            return i, province, city, rest
    return None


def _lead_in(s: str) -> bool:
    return any(w in s for w in ("的", "是", "在", "和", "与", "及", "从", "对"))


def _strip_lead(window: str) -> str:
    """The end of ``window`` left once the words that precede a name are cut away."""
    best = window
    for w in _LEAD:
        k = window.rfind(w)
        if k != -1 and len(window) - (k + len(w)) < len(best):
            best = window[k + len(w):]
    return best


def parse_zone_names(text: str) -> list[ZoneName]:
    """Every zone-like name in ``text``, left to right (generic ones included: see
    ``zones_in`` for which of them count)."""
    out: list[ZoneName] = []
    for m in _SUFFIX_RE.finditer(text):
        before = text[max(0, m.start() - 12):m.start()]
        cjk = _CJK.search(before)
        window = cjk.group() if cjk else ""
        chain = _place_chain(window)
        province = city = None
        if chain is not None:
            at, province, city, rest = chain
            core = rest or city or province or ""
            start = m.start() - len(window) + at
        else:
            core = _strip_lead(window)
            if len(core) > 4:
                core = core[-2:]
            start = m.start() - len(core)
        if len(core) < 2 or _GENERIC.search(core):
            continue
        out.append(ZoneName(start, m.end(), text[start:m.end()], core, m.group(),
                            SUFFIXES[m.group()], province, city))
    return out


@dataclass
class Zone:
    """A zone as one text names it: every name written, grouped by core and kind."""
    core: str
    kind: str | None
    names: list[ZoneName] = field(default_factory=list)
    slug: str | None = None  # the zones.yaml slug, when it is a known zone

    @property
    def province(self) -> str | None:
        return next((n.province for n in self.names if n.province), None)

    @property
    def city(self) -> str | None:
        return next((n.city for n in self.names if n.city), None)

    def name_zh(self) -> str:
        """The name without the province: the full form when the text writes it."""
        full = [n.written for n in self.names if n.suffix == FULL_SUFFIX.get(self.kind or "")]
        best = min(full, key=len) if full else max((n.written for n in self.names), key=len)
        if self.province and best.startswith(self.province) and best != self.province:
            best = best[len(self.province):].removeprefix("省")
        return best

    def aliases(self) -> list[str]:
        main = self.name_zh()
        return sorted({n.written for n in self.names} - {main}, key=lambda s: (len(s), s))


def zones_in(text: str, known: Mapping[str, Iterable[str]] | None = None
             ) -> tuple[list[Zone], list[tuple[ZoneName, Zone]]]:
    """The zones ``text`` names and each counted mention with its zone, in text order.
    ``known`` maps the slugs of zones.yaml to their names; a name of a known zone (or one
    with the same core and kind) gets that slug."""
    known_parsed: list[tuple[str, str, str | None]] = []  # (slug, core, kind)
    exact: dict[str, str] = {}
    for known_slug, names in dict(known or {}).items():
        for name in names:
            exact[name] = known_slug
            for zn in parse_zone_names(name):
                if zn.start == 0 and zn.end == len(name):
                    known_parsed.append((known_slug, zn.core, zn.kind))
    mentions = parse_zone_names(text)
    zones: list[Zone] = []
    by_key: dict[tuple[str, str | None], Zone] = {}
    specific_cores = {n.core for n in mentions if n.kind} | {c for _, c, _ in known_parsed}
    counted: list[tuple[ZoneName, Zone]] = []
    for n in mentions:
        if n.kind is None and n.core not in specific_cores and n.core not in CITIES:
            continue
        if not (n.province or n.city or any(c == n.core for _, c, _ in known_parsed)) and \
                sum(1 for o in mentions if o.core == n.core) < 2 and not _heading(text, n):
            continue  # an unknown place named once, in running text: not taken for a zone
        kind = n.kind
        if kind is None:  # 开发区/园区: the kind of the zone with this core, if only one
            kinds = {k for (c, k) in by_key if c == n.core} | \
                {k for _, c, k in known_parsed if c == n.core}
            kind = next(iter(kinds)) if len(kinds) == 1 else None
        zone = by_key.get((n.core, kind))
        if zone is None:
            slug: str | None = exact.get(n.written) or next(
                (s for s, c, k in known_parsed if c == n.core and (k == kind or k is None
                                                                   or kind is None)), None)
            zone = next((z for z in zones if slug and z.slug == slug), None)
            if zone is None:
                zone = Zone(n.core, kind, slug=slug)
                zones.append(zone)
            by_key[(n.core, kind)] = zone
        zone.names.append(n)
        counted.append((n, zone))
    return zones, counted


def _heading(text: str, n: ZoneName) -> bool:
    """The name opens a line and is followed by a colon or the line's end (a heading)."""
    return (n.start == 0 or text[n.start - 1] == "\n") and \
        text[n.end:n.end + 1] in ("：", ":", "\n", "")


def zone_slug(zone: Zone, taken: Iterable[str], cores_with_kinds: int = 1) -> str:
    """A slug for a new zone: the pinyin of its core (南康 -> nankang), with its kind added
    when the slug is taken or the text names another zone of the same core."""
    from pypinyin import lazy_pinyin

    base = re.sub(r"[^a-z0-9]+", "", "".join(lazy_pinyin(zone.core)).lower()) or "zone"
    taken = set(taken)
    slug = base if cores_with_kinds == 1 and base not in taken else \
        f"{base}-{KIND_SLUG[zone.kind]}"
    n = 2
    while slug in taken:
        slug = f"{base}-{KIND_SLUG[zone.kind]}-{n}"
        n += 1
    return slug


def zone_name_en(zone: Zone) -> str:
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(zone.core)).title() + " " + KIND_EN[zone.kind]
