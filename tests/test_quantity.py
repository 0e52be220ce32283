"""Table-driven and property tests for zonedb.text.quantity.parse_quantity."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zonedb.text.quantity import Quantity, QuantityError, parse_quantity

Q = Quantity

CASES: list[tuple[str, Quantity]] = [
    # Arabic digits with multipliers and currencies
    ("8.4万", Q(84000, None, None)),
    ("619.79亿元", Q(61979000000, "CNY", None)),
    ("1.2万人", Q(12000, "人", None)),
    ("1,234.5亿元", Q(123450000000, "CNY", None)),
    ("3000万元", Q(30000000, "CNY", None)),
    ("1139万元", Q(11390000, "CNY", None)),
    ("5.37亿元", Q(537000000, "CNY", None)),
    ("2.5万亿元", Q(2500000000000, "CNY", None)),
    ("3千万元", Q(30000000, "CNY", None)),
    ("12亿美元", Q(1200000000, "USD", None)),
    ("800万欧元", Q(8000000, "EUR", None)),
    ("56.55亿元", Q(5655000000, "CNY", None)),
    ("0.5元", Q(0.5, "CNY", None)),
    # full width, traditional
    ("８．４万", Q(84000, None, None)),
    ("１２３家", Q(123, "家", None)),
    ("97.15％", Q(97.15, "percent", None)),
    ("十二億五千萬元", Q(1250000000, "CNY", None)),
    ("3.5億元", Q(350000000, "CNY", None)),
    ("兩千萬", Q(20000000, None, None)),
    ("1300餘家", Q(1300, "家", "more_than")),
    ("約8.4萬個", Q(84000, "个", "approx")),
    ("貳拾萬元", Q(200000, "CNY", None)),
    ("1 300 家", Q(1300, "家", None)),
    ("173.83\n\n亿元", Q(17383000000, "CNY", None)),
    # Chinese numerals
    ("四十四", Q(44, None, None)),
    ("四十四名", Q(44, "名", None)),
    ("两千三百万", Q(23000000, None, None)),
    ("十二亿五千万", Q(1250000000, None, None)),
    ("百亿", Q(10000000000, None, None)),
    ("千亿", Q(100000000000, None, None)),
    ("一百零五家", Q(105, "家", None)),
    ("三万五千人", Q(35000, "人", None)),
    ("两栋", Q(2, "栋", None)),
    ("三点五亿元", Q(350000000, "CNY", None)),
    ("十余万人", Q(100000, "人", "more_than")),
    ("二〇二四年", Q(2024, "年", None)),
    ("两三个", Q(2, "个", "approx", 3)),
    # fractions and 成
    ("十分之一", Q(0.1, "ratio", None)),
    ("四分之一", Q(0.25, "ratio", None)),
    ("三分之二", Q(2 / 3, "ratio", None)),
    ("百分之二十", Q(20, "percent", None)),
    ("百分之12.5", Q(12.5, "percent", None)),
    ("三成", Q(30, "percent", None)),
    ("七成以上", Q(70, "percent", "at_least")),
    ("三成五", Q(35, "percent", None)),
    # qualifiers before and after
    ("1300余家", Q(1300, "家", "more_than")),
    ("30%以上", Q(30, "percent", "at_least")),
    ("60余家", Q(60, "家", "more_than")),
    ("5000人左右", Q(5000, "人", "approx")),
    ("超600亿元", Q(60000000000, "CNY", "more_than")),
    ("超过600亿元", Q(60000000000, "CNY", "more_than")),
    ("近20亿元", Q(2000000000, "CNY", "nearly")),
    ("将近20亿元", Q(2000000000, "CNY", "nearly")),
    ("约8.4万个", Q(84000, "个", "approx")),
    ("约为8.4万个", Q(84000, "个", "approx")),
    ("逾百亿", Q(10000000000, None, "more_than")),
    ("逾百个", Q(100, "个", "more_than")),
    ("突破千亿", Q(100000000000, None, "more_than")),
    ("突破十亿元", Q(1000000000, "CNY", "more_than")),
    ("不到9年", Q(9, "年", "less_than")),
    ("不足5%", Q(5, "percent", "less_than")),
    ("10亿元以上", Q(1000000000, "CNY", "at_least")),
    ("3万多人", Q(30000, "人", "more_than")),
    ("100多家", Q(100, "家", "more_than")),
    ("上百家", Q(100, "家", "at_least")),
    ("至少3个", Q(3, "个", "at_least")),
    ("5人以下", Q(5, "人", "less_than")),
    # percent, points, multiples
    ("97.15%", Q(97.15, "percent", None)),
    ("-3.2%", Q(-3.2, "percent", None)),
    ("4.5个百分点", Q(4.5, "pct_point", None)),
    ("0.8百分点", Q(0.8, "pct_point", None)),
    ("3倍", Q(3, "times", None)),
    ("1.5倍", Q(1.5, "times", None)),
    ("翻了一番", Q(2, "times", None)),
    ("翻两番", Q(4, "times", None)),
    # units kept as written
    ("2.73分钟", Q(2.73, "分钟", None)),
    ("3.31万人次", Q(33100, "人次", None)),
    ("103亩", Q(103, "亩", None)),
    ("1.2万平方米", Q(12000, "平方米", None)),
    ("24米", Q(24, "米", None)),
    ("7层", Q(7, "层", None)),
    ("42GWh", Q(42, "GWh", None)),
    ("3个月", Q(3, "个月", None)),
    ("16所", Q(16, "所", None)),
    ("2批", Q(2, "批", None)),
    ("8只", Q(8, "只", None)),
    ("1.5万元/亩", Q(15000, "CNY/亩", None)),
    # ranks and levels
    ("第33位", Q(33, "rank", None)),
    ("第5", Q(5, "rank", None)),
    ("第一", Q(1, "rank", None)),
    ("第十二名", Q(12, "rank", None)),
    ("L5级", Q(5, "level", None)),
    ("L7级别", Q(7, "level", None)),
    ("L5级及以上", Q(5, "level", "at_least")),
    # ranges
    ("3至5年", Q(3, "年", None, 5)),
    ("20%-30%", Q(20, "percent", None, 30)),
    ("3-5万元", Q(30000, "CNY", None, 50000)),
    ("10～20亿元", Q(1000000000, "CNY", None, 2000000000)),
    ("1—10月", Q(1, "月", None, 10)),
    ("三到五年", Q(3, "年", None, 5)),
    ("约3至5年", Q(3, "年", "approx", 5)),
    # counted amounts: no product, no invented currency
    ("4个4000万", Q(40000000, None, None, None, 4)),
    ("3个10亿元", Q(1000000000, "CNY", None, None, 3)),
    ("4个百分点", Q(4, "pct_point", None)),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_parse_table(text: str, expected: Quantity) -> None:
    got = parse_quantity(text)
    assert got.unit == expected.unit
    assert got.qualifier == expected.qualifier
    assert got.count == expected.count
    assert got.value == pytest.approx(expected.value, rel=1e-12)
    if expected.value_high is None:
        assert got.value_high is None
    else:
        assert got.value_high == pytest.approx(expected.value_high, rel=1e-12)


def test_exact_float_values() -> None:
    # Decimal inside: no 619.79*1e8 = 61978999999.99999 artefacts
    assert parse_quantity("619.79亿元").value == 61979000000.0
    assert parse_quantity("173.83亿元").value == 17383000000.0
    assert parse_quantity("0.07万").value == 700.0


BAD = ["大约一些", "", "   ", "亿元", "一些企业", "abc", "5G", "十四五", "数十家", "一零",
       "3至", "%", "第", "分之一", "零分之一", "3家企业", "1.2.3"]


@pytest.mark.parametrize("text", BAD)
def test_parse_rejects(text: str) -> None:
    with pytest.raises(QuantityError) as info:
        parse_quantity(text)
    assert "cannot read a number" in str(info.value)


def test_error_is_value_error() -> None:
    assert issubclass(QuantityError, ValueError)


DIG = "零一二三四五六七八九"


def _section(n: int) -> str:
    out, zero = "", False
    for d, u in zip((n // 1000, n // 100 % 10, n // 10 % 10, n % 10), "千百十 ", strict=True):
        if d == 0:
            zero = bool(out)
        else:
            out += ("零" if zero else "") + DIG[d] + u.strip()
            zero = False
    return out


def render_cn(n: int) -> str:
    """Render a non-negative integer as a standard Chinese numeral."""
    if n == 0:
        return "零"
    yi, wan, ge = n // 10**8, n // 10**4 % 10**4, n % 10**4
    s = render_cn(yi) + "亿" if yi else ""
    if wan:
        s += ("零" if s and wan < 1000 else "") + _section(wan) + "万"
    if ge:
        s += ("零" if s and (wan == 0 or ge < 1000) else "") + _section(ge)
    return s


def test_renderer_sanity() -> None:
    assert render_cn(44) == "四十四"
    assert render_cn(105) == "一百零五"
    assert render_cn(23000000) == "二千三百万"
    assert render_cn(1250000000) == "十二亿五千万".replace("十二", "一十二")
    assert render_cn(100000001) == "一亿零一"


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=0, max_value=10**13))
def test_chinese_numeral_roundtrip(n: int) -> None:
    assert parse_quantity(render_cn(n)).value == float(n)


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=1, max_value=9999),
       st.sampled_from(["家", "个", "人", "亿元", "万元"]))
def test_chinese_numeral_with_unit(n: int, unit: str) -> None:
    q = parse_quantity(render_cn(n) + unit)
    factor = {"亿元": 10**8, "万元": 10**4}.get(unit, 1)
    assert q.value == float(n * factor)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_never_raises_other_errors(text: str) -> None:
    with contextlib.suppress(QuantityError):
        parse_quantity(text)


NUMBERISH = "0123456789.,%万亿千百十一二两三四五六七八九零余多约近超至-个年元第分之成倍L级 "


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=NUMBERISH, max_size=12))
def test_never_raises_on_numberish(text: str) -> None:
    try:
        q = parse_quantity(text)
    except QuantityError:
        return
    assert q.value == q.value  # not NaN
