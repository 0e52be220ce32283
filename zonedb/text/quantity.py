"""Parse ONE Chinese number phrase ("1300余家", "超600亿元", "两千三百万") into a Quantity.

The extractor (zonedb.text.extract) finds phrases in running text; this module only
interprets a phrase that is already cut out.  Values are computed with Decimal
and returned as float, money is normalised to yuan/dollars, percentages are
kept as written (97.15% -> 97.15).  Chinese numerals go through cn2an; the
qualifiers, units, fractions, ranges and multipliers are handled here because
cn2an does not know them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

import cn2an

__all__ = ["Quantity", "QuantityError", "parse_quantity", "normalize", "QUALIFIERS", "UNITS"]


class QuantityError(ValueError):
    """A phrase that does not read as a number; the message is for end users."""


@dataclass(frozen=True)
class Quantity:
    value: float
    unit: str | None
    qualifier: str | None
    value_high: float | None = None
    count: int | None = None


# Traditional / financial characters mapped one-to-one so offsets never move.
_TRAD = str.maketrans(
    "億萬兩點〇壹貳贰參叁肆伍陸陆柒捌玖拾佰仟個餘約達增長減為從項層畝棟隻條臺種屆歲噸級鐘週時間場筆過將幾數",
    "亿万两点零一二二三三四五六六七八九十百千个余约达增长减为从项层亩栋只条台种届岁吨级钟周时间场笔过将几数",
)


def normalize(text: str) -> str:
    """NFKC + traditional->simplified for number words, keeping the CJK comma.

    Works character by character and never changes the number of characters
    except where NFKC itself expands one (e.g. "㎡" -> "m2"); the extractor
    relies on per-character mapping.
    """
    out = []
    for ch in text:
        if ch == "，":  # keep so "12，345" is never read as a grouped number
            out.append(ch)
            continue
        out.append(unicodedata.normalize("NFKC", ch).translate(_TRAD))
    return "".join(out)


# Longest first so "超过" wins over "超", "约为" over "约".
QUALIFIERS: dict[str, str] = {
    "大约": "approx", "约为": "approx", "大概": "approx", "约": "approx", "左右": "approx",
    "上下": "approx", "前后": "approx",
    "超过": "more_than", "超出": "more_than", "超": "more_than", "逾": "more_than",
    "突破": "more_than", "余": "more_than", "多": "more_than", "有余": "more_than",
    "出头": "more_than", "多达": "more_than",
    "及以上": "at_least", "以上": "at_least", "至少": "at_least", "不少于": "at_least",
    "不低于": "at_least", "上": "at_least",
    "不到": "less_than", "不足": "less_than", "以下": "less_than", "及以下": "less_than",
    "以内": "less_than", "不超过": "less_than", "低于": "less_than",
    "将近": "nearly", "接近": "nearly", "近": "nearly",
}
PREFIX_QUALS = ("大约", "约为", "大概", "约", "超过", "超出", "超", "逾", "突破", "多达", "至少",
                "不少于", "不低于", "不到", "不足", "不超过", "低于", "将近", "接近", "近", "上")
SUFFIX_QUALS = ("及以上", "及以下", "以上", "以下", "以内", "左右", "上下", "前后", "有余", "出头",
                "多")
MID_QUALS = ("余", "多")

CURRENCIES = {"元": "CNY", "人民币": "CNY", "美元": "USD", "欧元": "EUR", "港元": "HKD",
              "港币": "HKD", "日元": "JPY", "英镑": "GBP"}
# Units kept as written.  Longer spellings must come before their prefixes.
UNITS: tuple[str, ...] = (
    "个百分点", "百分点", "个工作日", "工作日", "个月", "个", "人次", "家次", "户次", "人", "家",
    "件", "名", "户", "只", "项", "亩", "平方公里", "平方千米", "平方米", "平米", "立方米",
    "公顷", "公里", "千米", "米", "层", "栋", "幢", "座", "条", "台", "套", "辆", "艘", "架",
    "种", "支", "所", "批次", "批", "位", "次", "场", "届", "款", "份", "篇", "张", "株", "棵",
    "头", "吨", "公斤", "千克", "千瓦时", "千瓦", "兆瓦", "度", "标箱", "年", "月", "周", "天",
    "日", "小时", "分钟", "秒", "岁", "季度", "倍", "GWh", "MWh", "kWh", "GW", "MW", "kW", "TEU",
    "km2", "km", "m2", "m",
)
_MULT = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}
_CN_DIGITS = "零一二两三四五六七八九"
_CN_CHARS = _CN_DIGITS + "十百千万亿点廿"
_DIGIT_VAL = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"两": 2}

ARABIC_RE = r"\d+(?:,\d{3})*(?:\.\d+)?"
CN_RE = f"[{_CN_CHARS}]+"
NUM_RE = f"(?:{ARABIC_RE}|{CN_RE})"
_RANGE_SEP = re.compile(r"(?<=.)(?:-|—|–|~|至|到)")
_COUNT_RE = re.compile(rf"^({NUM_RE})(个|项|只|家|条)({NUM_RE}.*)$")


def _fail(text: str) -> QuantityError:
    return QuantityError(f'cannot read a number in "{text}"')


def _cn_value(tok: str, text: str) -> Decimal:
    """Value of a Chinese numeral token; cn2an does the positional arithmetic."""
    if tok and tok[0] in "百千万亿":
        tok = "一" + tok  # 百亿, 千亿: cn2an wants a leading digit
    mult = Decimal(1)
    if "点" in tok:  # cn2an rejects "三点五亿"; split the multiplier off ourselves
        m = re.match(r"^(.*点[零一二两三四五六七八九]+)([万亿]+)$", tok)
        if m:
            tok = m.group(1)
            for c in m.group(2):
                mult *= _MULT[c]
    if tok and all(c in _DIGIT_VAL for c in tok) and len(tok) > 1:
        if len(tok) < 3:  # "一零" is not a number; "两三" is handled by the caller
            raise _fail(text)
        return Decimal("".join(str(_DIGIT_VAL[c]) for c in tok))  # 二〇二四
    try:
        res = cn2an.cn2an(tok, "normal")
        return Decimal(str(res)) * mult
    except Exception as exc:  # cn2an raises bare ValueErrors and worse
        raise _fail(text) from exc


def _number(s: str, text: str) -> tuple[Decimal, str]:
    """Read a number (digits + multipliers, or a Chinese numeral) from the start of s."""
    m = re.match(ARABIC_RE, s)
    if m:
        try:
            val = Decimal(m.group(0).replace(",", ""))
        except InvalidOperation as exc:
            raise _fail(text) from exc
        return val, s[m.end():]
    m = re.match(CN_RE, s)
    if not m:
        raise _fail(text)
    tok = m.group(0)
    # "十余万": the multiplier after 余/多 is read by _single, so stop the token there.
    return _cn_value(tok, text), s[m.end():]


def _strip_prefix(s: str) -> tuple[str | None, str]:
    for q in PREFIX_QUALS:
        if s.startswith(q) and len(s) > len(q):
            if q == "上" and s[1] not in "百千万亿":
                continue
            return QUALIFIERS[q], s[len(q):]
    return None, s


def _strip_suffix(s: str) -> tuple[str | None, str]:
    for q in SUFFIX_QUALS:
        if s.endswith(q) and len(s) > len(q):
            return QUALIFIERS[q], s[: -len(q)]
    return None, s


def _unit(rest: str, text: str) -> tuple[str | None, Decimal]:
    """Map the tail after the number to (unit, factor)."""
    if not rest:
        return None, Decimal(1)
    if rest in CURRENCIES:
        return CURRENCIES[rest], Decimal(1)
    if rest == "%":
        return "percent", Decimal(1)
    if rest in ("个百分点", "百分点"):
        return "pct_point", Decimal(1)
    if rest == "倍":
        return "times", Decimal(1)
    if rest in UNITS:
        return rest, Decimal(1)
    if "/" in rest:
        a, _, b = rest.partition("/")
        ua, _ = _unit(a, text)
        if ua and b in UNITS:
            return f"{ua}/{b}", Decimal(1)
    raise _fail(text)


def _unit_ahead(rest: str) -> bool:
    """Units, not the multiplier 千/百: "千瓦", "千米", "百分点" (120万千瓦)."""
    return rest.startswith(("百分点", "千瓦", "千米", "千克"))


def _single(s: str, text: str) -> tuple[Decimal, str | None, str | None]:
    """NUM [余|多] [multipliers] [余|多] [unit]  ->  (value, unit, qualifier)."""
    qual = None
    val, rest = _number(s, text)
    for _ in range(2):
        for q in MID_QUALS:
            if rest.startswith(q):
                qual, rest = QUALIFIERS[q], rest[len(q):]
        while rest and rest[0] in _MULT and not _unit_ahead(rest):
            val *= _MULT[rest[0]]
            rest = rest[1:]
    unit, factor = _unit(rest, text)
    return val * factor, unit, qual


def _special(s: str, text: str) -> tuple[Decimal, str, Decimal | None] | None:
    """Forms that are not NUM+unit: ranks, levels, fractions, 成, 翻番, 两三个."""
    m = re.fullmatch(rf"第({NUM_RE})(?:位|名)?", s)
    if m:
        return _number(m.group(1), text)[0], "rank", None
    m = re.fullmatch(r"[Ll](\d+)(?:级别|级)?|(\d+)级", s)
    if m:
        return Decimal(m.group(1) or m.group(2)), "level", None
    m = re.fullmatch(rf"({NUM_RE}|[百千万])分之({NUM_RE})", s)
    if m:
        den = Decimal(100) if m.group(1) == "百" else (
            Decimal(1000) if m.group(1) == "千" else Decimal(10000) if m.group(1) == "万"
            else _number(m.group(1), text)[0])
        num = _number(m.group(2), text)[0]
        if den == 0:
            raise _fail(text)
        if den == 100:
            return num, "percent", None
        return num / den, "ratio", None
    m = re.fullmatch(r"([一二两三四五六七八九十])成([一二三四五六七八九])?", s)
    if m:
        tenths = _cn_value(m.group(1), text) * 10
        return tenths + (_DIGIT_VAL[m.group(2)] if m.group(2) else 0), "percent", None
    m = re.fullmatch(r"翻了?([一两二三四五六七八九]|\d+)?番", s)
    if m:
        n = int(_number(m.group(1), text)[0]) if m.group(1) else 1
        if n > 64:
            raise _fail(text)
        return Decimal(2) ** n, "times", None
    m = re.fullmatch(r"([一两二三四五六七八])([二三四五六七八九])(.*)", s)
    if m and _DIGIT_VAL[m.group(2)] == _DIGIT_VAL[m.group(1)] + 1:  # 两三个, 七八家
        unit, _ = _unit(m.group(3), text)
        return Decimal(_DIGIT_VAL[m.group(1)]), unit or "", Decimal(_DIGIT_VAL[m.group(2)])
    return None


def _finite(d: Decimal, text: str) -> float:
    f = float(d)
    if f != f or f in (float("inf"), float("-inf")):
        raise _fail(text)
    return f


def parse_quantity(text: str) -> Quantity:
    """Parse one phrase such as "约8.4万个", "30%以上", "3至5年", "4个4000万", "第33位"."""
    if not isinstance(text, str):
        raise QuantityError(f"cannot read a number in {text!r}")
    return _parse_phrase(text)


@lru_cache(maxsize=1 << 16)
def _parse_phrase(text: str) -> Quantity:
    """Cached: phrases repeat across facts (a Quantity is frozen; failures are not cached)."""
    s = "".join(normalize(text).split())
    if not s or len(s) > 80:
        raise _fail(text)
    try:
        return _parse(s, text)
    except QuantityError:
        raise
    except (ArithmeticError, ValueError, KeyError, IndexError) as exc:
        raise _fail(text) from exc


def _parse(s: str, text: str) -> Quantity:
    sign = Decimal(1)
    if s[0] == "-" and len(s) > 1 and s[1].isdigit():
        sign, s = Decimal(-1), s[1:]
    pre, s = _strip_prefix(s)
    post, s = _strip_suffix(s)
    if not s:
        raise _fail(text)
    qual = pre or post
    if s[0] in "万亿" and qual is None:  # "亿元" alone is a unit; "上万人", "亿元以上" are fine
        raise _fail(text)
    special = _special(s, text)
    if special is not None:
        sval, sunit, high = special
        if high is not None:
            qual = qual or "approx"
        return Quantity(_finite(sign * sval, text), sunit or None, qual,
                        None if high is None else _finite(high, text))
    m = _COUNT_RE.match(s)
    if m:  # 4个4000万: a count of amounts; we never multiply them out
        try:
            cnt = _number(m.group(1), text)[0]
            val, unit, mid = _single(m.group(3), text)
        except QuantityError:
            pass
        else:
            if cnt == cnt.to_integral_value() and 0 <= cnt < 10**9:
                return Quantity(_finite(val, text), unit, qual or mid, None, int(cnt))
    for sep in _RANGE_SEP.finditer(s):
        left, right = s[: sep.start()], s[sep.end():]
        if not right:
            continue
        try:
            hv, hu, hq = _single(right, text)
        except QuantityError:
            continue
        lv, lu, lq = _range_left(left, right, text)
        if lu is not None and lu != hu:
            raise _fail(text)
        return Quantity(_finite(sign * lv, text), hu, qual or lq or hq, _finite(hv, text))
    val, unit, mid = _single(s, text)
    return Quantity(_finite(sign * val, text), unit, qual or mid)


def _range_left(left: str, right: str, text: str) -> tuple[Decimal, str | None, str | None]:
    """Left end of a range; "3-5万元" means 3万 to 5万, so borrow the right's multiplier."""
    lv, lrest = _number(left, text)
    if lrest:
        return _single(left, text)
    _, rrest = _number(right, text)
    for q in MID_QUALS:
        rrest = rrest.removeprefix(q)
    mult = ""
    while rrest and rrest[0] in _MULT and not _unit_ahead(rrest):
        mult += rrest[0]
        rrest = rrest[1:]
    if mult and re.fullmatch(ARABIC_RE, left):
        for c in mult:
            lv *= _MULT[c]
    return lv, None, None
