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
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from zonedb.text.vocab import (
    CN_NUMERALS,
    CURRENCIES,
    DIGIT_VALUE,
    MID_QUALIFIERS,
    MULTIPLIERS,
    PCT_POINTS,
    PERCENT,
    PREFIX_ONLY_BEFORE,
    PREFIX_QUALIFIERS,
    QUALIFIERS,
    RANK_STEPS,
    SUFFIX_QUALIFIERS,
    TIMES,
    UNITS,
    UNITS_AFTER_MULTIPLIER,
    simplify,
)

__all__ = ["Quantity", "QuantityError", "parse_quantity"]


class QuantityError(ValueError):
    """A phrase that does not read as a number; the message is for end users."""


@dataclass(frozen=True)
class Quantity:
    value: float
    unit: str | None
    qualifier: str | None
    value_high: float | None = None
    count: int | None = None


ARABIC_RE = r"\d+(?:,\d{3})*(?:\.\d+)?"
CN_RE = f"[{CN_NUMERALS}]+"
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
                mult *= MULTIPLIERS[c]
    if tok and all(c in DIGIT_VALUE for c in tok) and len(tok) > 1:
        if len(tok) < 3:  # "一零" is not a number; "两三" is handled by the caller
            raise _fail(text)
        return Decimal("".join(str(DIGIT_VALUE[c]) for c in tok))  # 二〇二四
    import cn2an  # 0.3 s to import: only when a Chinese numeral is read

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
    for q in PREFIX_QUALIFIERS:
        if s.startswith(q) and len(s) > len(q):
            if q in PREFIX_ONLY_BEFORE and s[len(q)] not in PREFIX_ONLY_BEFORE[q]:
                continue
            return QUALIFIERS[q], s[len(q):]
    return None, s


def _strip_suffix(s: str) -> tuple[str | None, str]:
    for q in SUFFIX_QUALIFIERS:
        if s.endswith(q) and len(s) > len(q):
            return QUALIFIERS[q], s[: -len(q)]
    return None, s


def _unit(rest: str, text: str) -> tuple[str | None, Decimal]:
    """Map the tail after the number to (unit, factor)."""
    if not rest:
        return None, Decimal(1)
    if rest in CURRENCIES:
        return CURRENCIES[rest], Decimal(1)
    if rest == PERCENT:
        return "percent", Decimal(1)
    if rest in PCT_POINTS:
        return "pct_point", Decimal(1)
    if rest == TIMES:
        return "times", Decimal(1)
    if rest in RANK_STEPS:
        return "rank", Decimal(1)
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
    return rest.startswith(UNITS_AFTER_MULTIPLIER)


def _single(s: str, text: str) -> tuple[Decimal, str | None, str | None]:
    """NUM [余|多] [multipliers] [余|多] [unit]  ->  (value, unit, qualifier)."""
    qual = None
    val, rest = _number(s, text)
    for _ in range(2):
        for q in MID_QUALIFIERS:
            if rest.startswith(q):
                qual, rest = QUALIFIERS[q], rest[len(q):]
        while rest and rest[0] in MULTIPLIERS and not _unit_ahead(rest):
            val *= MULTIPLIERS[rest[0]]
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
        return tenths + (DIGIT_VALUE[m.group(2)] if m.group(2) else 0), "percent", None
    m = re.fullmatch(r"翻了?([一两二三四五六七八九]|\d+)?番", s)
    if m:
        n = int(_number(m.group(1), text)[0]) if m.group(1) else 1
        if n > 64:
            raise _fail(text)
        return Decimal(2) ** n, "times", None
    m = re.fullmatch(r"([一两二三四五六七八])([二三四五六七八九])(.*)", s)
    if m and DIGIT_VALUE[m.group(2)] == DIGIT_VALUE[m.group(1)] + 1:  # 两三个, 七八家
        unit, _ = _unit(m.group(3), text)
        return Decimal(DIGIT_VALUE[m.group(1)]), unit or "", Decimal(DIGIT_VALUE[m.group(2)])
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
    s = "".join(simplify(text).split())
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
    for q in MID_QUALIFIERS:
        rrest = rrest.removeprefix(q)
    mult = ""
    while rrest and rrest[0] in MULTIPLIERS and not _unit_ahead(rrest):
        mult += rrest[0]
        rrest = rrest[1:]
    if mult and re.fullmatch(ARABIC_RE, left):
        for c in mult:
            lv *= MULTIPLIERS[c]
    return lv, None, None
