"""Find every quantity mention in raw article text.

Matching happens on a *view* of the text: NFKC-normalised, traditional number
words simplified, all whitespace removed (page breaks split "173.83亿元" across
lines).  Every view character remembers its raw index, so mentions carry raw
offsets and ``text[start:end] == mention.text`` always holds, line breaks
included.

A handful of regex matchers (changes, ranks, dates, fractions, levels, ranges,
plain quantities) propose candidates; higher-priority and longer candidates
win, overlaps are dropped.  Values come from zonedb.quantity.parse_quantity.

Deliberate non-mentions (why in brackets):
  * bare numbers with no unit and no 万/亿 ("1+1大于2", "500强", "四十四"
    alone) [too often names, formulas, slogans];
  * a number touching ASCII letters or "+" ("5G", "B7-2", "3+2", "2+N")
    [model names, plot codes, formulas]; "L5级" is kind ``level``;
  * a lone "一" with a measure word and no qualifier ("一家大企业", "一批",
    "一个个", "一件事", "一栋楼") [indefinite article, not a count];
  * Chinese numerals starting with 百/千/万/亿 unless a qualifier or 余/多
    is attached ("千方百计", "万年青") but "逾百亿", "百余家" are kept;
  * "第N" is a rank only with 位/名 or a scope word before it ("全国第5",
    "江西省第一"); "第一要义", "第二批" are not mentions;
  * names and idioms with numerals are masked: 一带一路, 两国双园, 四平八稳,
    三部曲, 十四五, 一号改革工程 ... ("一是/二是" and "一站式" never match).

Changes: "由232家增至332家" -> kind change, value_from 232, value 332 (levels).
"同比增长20.62%" / "减少3.31万人次" -> kind change, value_from None, value is
the signed delta (decreases negative); "增长20%-30%" keeps 30 as value_high.
"增至332家" alone is the level 332家 of
its ordinary kind, not a change.  "翻了一番" -> change, 2 times.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from zonedb.text.quantity import QuantityError, parse_quantity
from zonedb.text.vocab import (
    CN_DIGITS,
    COUNT_UNITS,
    MULTIPLIERS,
    PREFIX_NOT_AFTER,
    PREFIX_ONLY_BEFORE,
    PREFIX_QUALIFIERS,
    SUFFIX_NOT_IN_TEXT,
    SUFFIX_QUALIFIERS,
    TIME_UNITS,
    UNIT_WORDS,
    UNITS_AFTER_MULTIPLIER,
    simplify,
)
from zonedb.text.vocab import CN_NUMERALS as CN

__all__ = ["Mention", "extract_mentions"]


@dataclass(frozen=True)
class Mention:
    text: str
    start: int
    end: int
    value: float | None
    unit: str | None
    qualifier: str | None
    kind: str
    value_high: float | None = None
    value_from: float | None = None


# ---------------------------------------------------------------- view --
def _view(text: str) -> tuple[str, list[int]]:
    """Normalised, whitespace-free view and the raw index of each view char."""
    chars: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        if ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf"):
            continue
        for c in simplify(ch):
            if not c.isspace():
                chars.append(c)
                index.append(i)
    return "".join(chars), index


MASKED = ("一带一路", "两国双园", "四平八稳", "三部曲", "一号改革工程", "一站式", "一体化",
          "五位一体", "四个全面", "三个代表", "两个维护", "四个意识", "四个自信", "两个确立",
          "一五一十", "三番五次", "三令五申", "四面八方", "五湖四海", "七上八下", "千方百计",
          "九天揽月", "三天两头", "一举两得", "十全十美", "万无一失", "七台河", "三去一降一补",
          "一企一策", "一人一包", "一户一档", "一事一议", "一对一", "百尺竿头", "千家万户")
# 两位数增长 (double-digit growth) describes a rate, it counts nothing
_MASK_RE = re.compile("|".join(map(re.escape, MASKED)) + r"|十[一二三四五]五|[两三四五]位数")


# ------------------------------------------------------------ patterns --
# {0,6} groups (past 10**21): a bound, so a run of ",000" costs linear time, not quadratic
NUM = (r"(?:(?<![\d.])\d+(?:,\d{3}(?!\d)){0,6}(?:\.\d+)?"
       rf"|(?<![{CN}])[{CN}]+)")
# 项 is not the unit of 过百亿项目 ("projects of over 10 bn"): 项目 is a word
UNIT = "(?:" + "|".join(re.escape(u) + ("(?!目)" if u == "项" else "") for u in UNIT_WORDS) + ")"


def _prefix(word: str) -> str:
    guard = f"(?<![{PREFIX_NOT_AFTER[word]}])" if word in PREFIX_NOT_AFTER else ""
    ahead = f"(?=[{PREFIX_ONLY_BEFORE[word]}])" if word in PREFIX_ONLY_BEFORE else ""
    return guard + re.escape(word) + ahead


QPRE = "(?:" + "|".join(map(_prefix, PREFIX_QUALIFIERS)) + ")"
QPOST = "(?:" + "|".join(q for q in SUFFIX_QUALIFIERS if q not in SUFFIX_NOT_IN_TEXT) + ")"
# Multipliers, except where a unit starts with one: 千瓦, 千米, 千克 are units.
_TAILS = {m: "|".join(u[1:] for u in UNITS_AFTER_MULTIPLIER if u[0] == m) for m in MULTIPLIERS}
MULT = "(?:" + "|".join(m + (f"(?!{_TAILS[m]})" if _TAILS[m] else "") for m in MULTIPLIERS) + ")"
Q = rf"(?:{QPRE})?{NUM}(?:余|多)?{MULT}*(?:余|多)?(?:{UNIT}(?:/{UNIT})?)?(?:{QPOST})?"
SEP = r"(?:-|—|–|~|至|到)"
UP = "增长|增加|提高|提升|上升|上涨|攀升|跃升|扩大|增"
DOWN = "下降|减少|降低|压缩|缩短|缩减|缩小|回落|收窄|下跌|降|减"
MOVE = rf"(?:{UP}|{DOWN}|调整|变为|变成|发展|上调|下调|跃居|精简|压减|削减|扩充|优化)"
SCOPE = "全国|全省|全市|全区|全县|全球|世界|国内|省内|市内|全行业|中部地区|东部地区|西部地区"
_SPECIAL_KIND = {"percent": "percent", "pct_point": "pct_point", "ratio": "ratio",
                 "rank": "rank", "times": "multiple", "level": "level"}


def _kind(unit: str | None) -> str:
    if unit in _SPECIAL_KIND:
        return _SPECIAL_KIND[unit]
    if unit in TIME_UNITS:
        return "duration"
    if unit in COUNT_UNITS:
        return "count"
    return "amount"


# A candidate: (view start, view end, value, unit, qualifier, kind, high, from)
Cand = tuple[int, int, float, "str | None", "str | None", str, "float | None", "float | None"]


def _quantity(s: str) -> tuple[float, str | None, str | None, float | None] | None:
    try:
        q = parse_quantity(s)
    except QuantityError:
        return None
    if q.count is not None:
        return None
    return q.value, q.unit, q.qualifier, q.value_high


def _bad_edges(v: str, a: int, b: int) -> bool:
    """Numbers glued to codes/formulas: 5G, B7-2, 3+2, 2+N, 第二批."""
    before = v[a - 1] if a else ""
    after = v[b] if b < len(v) else ""
    if before.isascii() and (before.isalpha() or before in "+/_#") and before:
        return True
    if before in "-—." and a >= 2 and v[a - 2].isascii() and v[a - 2].isalnum():
        return True
    if before == "数" and v[a:a + 1].isdigit():  # 任务数18家: a count, unlike 数十
        return False
    if before and before in "第数几" or v[max(0, a - 2):a] == "若干":
        return True
    glued = after.isascii() and after.isalnum() and v[b - 1].isdigit()
    return bool(after) and (after in "+几制" or glued)


def _numeral_ok(core: str, has_qual: bool) -> bool:
    """Reject Chinese numerals that are articles, names or idioms (see module doc)."""
    m = re.match(rf"[{CN}]+", core)
    if not m:
        return True
    tok = m.group(0)
    if tok == "零" or tok == "一" and not has_qual and core[1:2] != "倍":  # 零件; 一家大企业
        return False
    if (tok[0] in "百千万亿" and not has_qual and core[len(tok):][:1] not in ("余", "多")
            and not re.search(f"{QPOST}$", core)):  # 亿元以上 is kept
        return False
    digits_only = all(c in CN_DIGITS for c in tok)
    return not (digits_only and len(tok) >= 3)


def _checked(v: str, a: int, b: int, bare: bool = False
             ) -> tuple[float, str | None, str | None, float | None] | None:
    """Parse v[a:b] as a quantity unless it is a code, idiom, article or bare number."""
    s = v[a:b]
    if _bad_edges(v, a, b):
        return None
    pre = re.match(QPRE, s)
    core = s[pre.end():] if pre else s
    if not _numeral_ok(core, bool(pre)):
        return None
    got = _quantity(s)
    if got is None:
        return None
    if got[1] is None and not bare and not re.search(r"[万亿]", core):
        return None  # bare number: formulas, names, "500强"
    return got


def _plain(v: str, m: re.Match[str]) -> Cand | None:
    a, b = m.span()
    got = _checked(v, a, b)
    if got is None:
        return None
    value, unit, qual, high = got
    kind = _kind(unit)
    recent = v[b:b + 1] and v[b] in "来累内里间中,，"
    if kind == "duration" and m.group(0).startswith("近") and recent:
        qual = None  # 近3年来 = "the past 3 years", not "nearly"
    return (a, b, value, unit, qual, kind, high, None)


def _range(v: str, m: re.Match[str]) -> Cand | None:
    got = _plain(v, m)
    if got is None or got[6] is None:
        return None
    return got


def _date(v: str, m: re.Match[str]) -> Cand | None:
    a, b = m.span()
    if _bad_edges(v, a, b):
        return None
    s = m.group(0)
    body = s.removeprefix("前").removeprefix("第").removesuffix("份").replace("年度", "年")
    got = _quantity(body)
    if got is None:
        return None
    value, unit, _, high = got
    if unit == "月" and not 1 <= value <= 12 or unit == "月" and high and high > 12:
        return None
    if unit == "日" and not 1 <= value <= 31:
        return None
    return (a, b, value, unit, None, "date", high, None)


def _rank(v: str, m: re.Match[str], breaks: frozenset[int] = frozenset()) -> Cand | None:
    """第N位/名, or 第N after a scope (全市第一) where no word follows (a line break ends
    it: 稳居全市第一⏎上半年)."""
    a, b = m.span()
    scoped = bool(m.group(1)) or bool(re.search(r"(排名|位列|位居|居|列|蝉联|省|市|区|县|国)$",
                                                 v[max(0, a - 4):a]))
    if not (m.group(3) or (scoped and (not _cjk(v[b:b + 1]) or b in breaks))):
        return None
    got = _quantity(v[m.start(2) - 1:b])
    if got is None:
        return None
    return (a, b, got[0], "rank", None, "rank", None, None)


def _cjk(ch: str) -> bool:
    return bool(ch) and "\u4e00" <= ch <= "\u9fff"


def _fraction(v: str, m: re.Match[str]) -> Cand | None:
    a, b = m.span()
    got = _quantity(m.group(0))
    if got is None or _bad_edges(v, a, b):
        return None
    return (a, b, got[0], got[1], got[2], _kind(got[1]), None, None)


def _level(v: str, m: re.Match[str]) -> Cand | None:
    a, b = m.span()
    got = _quantity(m.group(0))
    if got is None or (a and v[a - 1].isascii() and v[a - 1].isalnum()):
        return None
    return (a, b, got[0], "level", got[2], "level", None, None)


def _delta(v: str, m: re.Match[str]) -> Cand | None:
    end = m.end("q")
    got = _checked(v, m.start("q"), end)
    if got is None and m.group("q2"):  # "增长20%-30%" is a range; "增长5%-8月" is not
        end = m.end("q1")
        got = _checked(v, m.start("q"), end)
    if got is None:
        return None
    value, unit, qual, high = got
    if re.fullmatch(DOWN, m.group("verb")):
        value = -value
        high = None if high is None else -high
    return (m.start(), end, value, unit, qual, "change", high, None)


def _doubling(v: str, m: re.Match[str]) -> Cand | None:
    got = _quantity(m.group(0))
    if got is None:
        return None
    return (m.start(), m.end(), got[0], "times", None, "change", None, None)


def _fromto(v: str, m: re.Match[str]) -> Cand | None:
    g1 = _checked(v, m.start("q1"), m.end("q1"), bare=True)
    g2 = _checked(v, m.start("q2"), m.end("q2"), bare=True)
    if g1 is None or g2 is None:
        return None
    if g1[1] is not None and g2[1] is not None and g1[1] != g2[1]:
        return None
    start = m.start() if m.group("pre") is None else m.start("q1")
    return (start, m.end(), g2[0], g2[1] or g1[1], g2[2], "change", None, g1[0])


Matcher = tuple[re.Pattern[str], Callable[[str, re.Match[str]], "Cand | None"]]
MATCHERS: list[Matcher] = [
    # the lookahead bounds each start's work (a run of 万 after 由 with no 至 was quadratic)
    (re.compile(rf"(?:由|从)(?=[^\n]{{0,80}}?(?:至|到|为))(?P<pre>[^，。；;,!?！？、]{{0,14}}?的)?(?P<q1>{Q})"
                rf"(?:{MOVE})?了?(?:至|到|为)(?:[^，。；;,]{{0,6}}?的)?(?P<q2>{Q})"), _fromto),
    (re.compile(rf"(?:同比|环比|比上年同期|较上年同期|比上年|较上年|比去年|较去年|年均|平均)?"
                rf"(?P<verb>{UP}|{DOWN})了?(?P<q>(?P<q1>{Q})(?P<q2>{SEP}{Q})?)"), _delta),
    (re.compile(r"翻了?(?:[一两二三四五]|\d+)?番"), _doubling),
    (re.compile(rf"((?:{SCOPE})?)第({NUM})(位|名)?"), _rank),
    (re.compile(r"(?:(?:19|20)\d{2}|[零一二]{1}[零一二三四五六七八九]{3})"
                r"(?:[-—–~至到](?:19|20)\d{2})?年度?"), _date),
    (re.compile(rf"(?<=月){NUM}日"), _date),
    (re.compile(rf"{NUM}(?:{SEP}{NUM})?月份?(?!底|末|初)"), _date),
    (re.compile(rf"前{NUM}(?:个月|季度)|第?[一二三四1-4]季度"), _date),
    (re.compile(rf"(?:{QPRE})?(?:{NUM}|[百千万])分之{NUM}(?:{QPOST})?"), _fraction),
    (re.compile(r"(?:{QPRE})?[一二两三四五六七八九]成(?:[一二三四五六七八九](?![\u4e00-\u9fff]))?"
                r"(?!为|立|本|员|果|功|就|熟|长|效|型|品|绩|交|都|不|规|年|人|事|套|片|群|批|文"
                rf"|分|败|全|才|形|器|材|活|新|果)(?:{QPOST})?".replace("{QPRE}", QPRE)),
     _fraction),
    (re.compile(rf"[Ll]\d+(?:级别|级)?(?:{QPOST})?|(?<![\dA-Za-z.])\d+级(?:{QPOST})?"), _level),
    # the lookahead bounds the work per start: without it a run of 万 with no separator is
    # split between NUM and MULT in quadratically many ways before SEP fails
    (re.compile(rf"(?=[^\n]{{0,60}}?{SEP}){Q}{SEP}{Q}"), _range),
    (re.compile(Q), _plain),
]


def extract_mentions(text: str) -> list[Mention]:
    """All quantity mentions in ``text``, sorted by start and non-overlapping."""
    if not isinstance(text, str):
        raise QuantityError(f"cannot read numbers from {type(text).__name__}")
    view, index = _view(text)
    masked = _MASK_RE.sub(lambda m: "□" * len(m.group(0)), view)
    breaks = frozenset(i for i in range(1, len(index)) if "\n" in text[index[i - 1]:index[i]])
    cands: list[tuple[int, Cand]] = []
    for prio, (pattern, handler) in enumerate(MATCHERS):
        for m in pattern.finditer(masked):
            c = _rank(masked, m, breaks) if handler is _rank else handler(masked, m)
            if c is not None and c[1] > c[0]:
                cands.append((prio, c))
    cands.sort(key=lambda pc: (pc[0], pc[1][0] - pc[1][1], pc[1][0]))
    taken = [False] * (len(view) + 1)
    chosen: list[Cand] = []
    for _, c in cands:
        if any(taken[c[0]:c[1]]):
            continue
        for i in range(c[0], c[1]):
            taken[i] = True
        chosen.append(c)
    out = []
    for a, b, value, unit, qual, kind, high, frm in sorted(chosen):
        start, end = index[a], index[b - 1] + 1
        out.append(Mention(text[start:end], start, end, value, unit, qual, kind, high, frm))
    return out
