"""The words zonedb reads numbers with, in one place: Chinese numerals and multipliers,
qualifiers, currencies and units. The parser (``quantity``) and the extractor
(``extract``) are both built from these tables, so a word one knows the other knows
(tests/test_vocab.py checks it)."""

from __future__ import annotations

import unicodedata

# Traditional / financial characters mapped one-to-one so offsets never move.
_TRAD = str.maketrans(
    "億萬兩點〇壹貳贰參叁肆伍陸陆柒捌玖拾佰仟個餘約達增長減為從項層畝棟隻條臺種屆歲噸級鐘週時間場筆過將幾數",
    "亿万两点零一二二三三四五六六七八九十百千个余约达增长减为从项层亩栋只条台种届岁吨级钟周时间场笔过将几数",
)


def nfkc(ch: str) -> str:
    """NFKC of one character, except where it would turn a mark into a number: circled,
    parenthesised and full-stop digits (①, ⑴, ⒈, ㉑) and fractions (½) stay themselves, so
    "1家" never matches "①家" and ①家 is never read as a count. Width forms (１, ％) and unit
    symbols (㎡ and m² -> m2) still fold."""
    form = unicodedata.normalize("NFKC", ch)
    if form != ch and not ch.isdecimal() and any("0" <= c <= "9" for c in form) and \
            unicodedata.decomposition(ch).split(" ", 1)[0] in ("<circle>", "<compat>",
                                                               "<fraction>"):
        return ch
    return form


def simplify(text: str) -> str:
    """NFKC + traditional->simplified for number words, keeping the CJK comma.

    Works character by character and never changes the number of characters except
    where NFKC itself expands one (e.g. "㎡" -> "m2"); the extractor relies on the
    per-character mapping. (Quote matching folds text differently: ``match.normalise``.)
    """
    out = []
    for ch in text:
        if ch == "，":  # keep so "12，345" is never read as a grouped number
            out.append(ch)
            continue
        out.append(nfkc(ch).translate(_TRAD))
    return "".join(out)


CN_DIGITS = "零一二两三四五六七八九"
CN_NUMERALS = CN_DIGITS + "十百千万亿点廿"  # every character a Chinese numeral is written with
DIGIT_VALUE = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"两": 2}
MULTIPLIERS = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}

# The roles a statement of a figure may have (facts' ``role``; null: a plain level). The one
# list: the seeds' spec allows these and ``--role`` accepts these. A "change" (增加62家) and
# a "target" (力争到2026年达到600家) are not levels: compare never takes them as a zone's latest.
ROLES = ("before", "after", "change", "target")
NOT_LEVELS = ("change", "target")

# Longest first so "超过" wins over "超", "约为" over "约".
QUALIFIERS: dict[str, str] = {
    "大约": "approx", "约为": "approx", "大概": "approx", "约": "approx", "左右": "approx",
    "上下": "approx", "前后": "approx",
    "超过": "more_than", "超出": "more_than", "超": "more_than", "逾": "more_than",
    "突破": "more_than", "过": "more_than",
    "余": "more_than", "多": "more_than", "有余": "more_than",
    "出头": "more_than", "多达": "more_than",
    "及以上": "at_least", "以上": "at_least", "至少": "at_least", "不少于": "at_least",
    "不低于": "at_least", "上": "at_least",
    "不到": "less_than", "不足": "less_than", "以下": "less_than", "及以下": "less_than",
    "以内": "less_than", "不超过": "less_than", "低于": "less_than",
    "将近": "nearly", "接近": "nearly", "近": "nearly",
}
PREFIX_QUALIFIERS = ("大约", "约为", "大概", "约", "超过", "超出", "超", "逾", "突破", "过",
                     "多达",
                     "至少", "不少于", "不低于", "不到", "不足", "不超过", "低于", "将近", "接近",
                     "近", "上")
SUFFIX_QUALIFIERS = ("及以上", "及以下", "以上", "以下", "以内", "左右", "上下", "前后", "有余",
                     "出头", "多")
MID_QUALIFIERS = ("余", "多")  # between a number and its multiplier or unit: 十余万, 300多家

# In running text a prefix can be the tail of another word (签约, 节约, 赶超, 高超), and
# 上 is a qualifier only before a multiplier (上万人, not 上5个).
PREFIX_NOT_AFTER = {"约": "签节制预契履相公邀", "超": "赶高"}
PREFIX_ONLY_BEFORE = {"上": "百千万亿", "过": "百千万亿"}  # 过百亿, not 经过3年
# Suffixes the extractor does not look for after a number in running text: 上下/前后 are
# mostly words of their own there (上下游, 前后两次); 多 is read as a middle qualifier.
SUFFIX_NOT_IN_TEXT = ("上下", "前后", "多")

CURRENCIES = {"元": "CNY", "人民币": "CNY", "美元": "USD", "欧元": "EUR", "港元": "HKD",
              "港币": "HKD", "日元": "JPY", "英镑": "GBP"}
PERCENT = "%"
PCT_POINTS = ("个百分点", "百分点")
TIMES = "倍"
# Units kept as written. Longer spellings must come before their prefixes.
UNITS: tuple[str, ...] = (
    "个百分点", "百分点", "个工作日", "工作日", "个月", "个", "人次", "家次", "户次", "人", "家",
    "件", "名", "户", "只", "项", "亩", "平方公里", "平方千米", "平方米", "平米", "立方米",
    "公顷", "公里", "千米", "米", "层", "栋", "幢", "座", "条", "台", "套", "辆", "艘", "架",
    "种", "支", "所", "批次", "批", "位", "次", "列", "场", "届", "款", "份", "篇", "张", "株",
    "棵",
    "头", "吨", "公斤", "千克", "千瓦时", "千瓦", "兆瓦", "度", "标箱", "周年", "年", "月", "周",
    "天", "日", "小时", "分钟", "秒", "岁", "季度", "倍", "GWh", "MWh", "kWh", "GW", "MW", "kW",
    "TEU", "km2", "km", "m2", "m",
)
# A change of rank (提升4个位次) is in places of the ranking, the unit of ranks.
RANK_STEPS = ("个位次", "位次")
# Units that begin with a multiplier character: 120万千瓦 is 120万 kW, not 120万千 W.
UNITS_AFTER_MULTIPLIER = ("百分点", "千瓦", "千米", "千克")
TIME_UNITS = frozenset({"年", "个月", "月", "周", "天", "日", "小时", "分钟", "秒", "工作日",
                        "个工作日", "季度", "周年"})
COUNT_UNITS = frozenset({"个", "人次", "家次", "户次", "人", "家", "件", "名", "户", "只", "项",
                         "层", "栋", "幢", "座", "条", "台", "套", "辆", "艘", "架", "种", "支",
                         "所", "批次", "批", "位", "次", "列", "场", "届", "款", "份", "篇", "张",
                         "株", "棵", "头"})
# Every word that can follow a number as its unit, longest first (for regular expressions).
UNIT_WORDS = tuple(sorted({*UNITS, *CURRENCIES, *RANK_STEPS, PERCENT}, key=len,
                          reverse=True))
