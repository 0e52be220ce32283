"""A second held-out set for the quantity extractor (issue 5).

Written without reading zonedb/extract.py, zonedb/quantity.py or
tests/test_extract.py: expectations were fixed *before* the extractor was run
on these sentences, so the first-run figures measure generalisation, not
tuning.  Conventions follow docs/seeds.md and the zonedb.text.extract docstring
(money in yuan as CNY, percent as written, 个百分点 -> pct_point, counts keep
their measure word, fractions -> ratio, ranks -> rank, ranges -> low end).
Conventions the docs do not fix were chosen up front: 美元 -> USD,
万元/亩 -> CNY/亩, 翻一番 -> 2 times.  Dates are not listed (their value
convention is the extractor's own); they are excluded from precision instead.

Each entry: (sentence, [(as_written, value, unit), ...]).  ``as_written`` is
the figure as it appears in the sentence, whitespace removed.  For a change
(由A增至B) both ends are listed; A is matched against ``value_from``.

First run (before any fix): recall 153/161 = 0.950, precision 147/155 = 0.948.
Misses then: 万千瓦/亿千瓦时 (the 千 of the unit read as a multiplier), 多批次
(unit cut to 批), 增长20%-30% (range split into a change and an orphan 30%),
亿元以上 without a digit.  Fixed in extract.py/quantity.py; two expectations
below are debatable conventions and stay as written (marked DEBATABLE).
"""

from __future__ import annotations

import math

from zonedb.text.extract import Mention, extract_mentions

Y = "CNY"
P = "percent"
PP = "pct_point"

HELD_OUT_2: list[tuple[str, list[tuple[str, float, str]]]] = [
    ("2023年，开发区实现地区生产总值612.5亿元，同比增长8.3%。",
     [("612.5亿元", 612.5e8, Y), ("8.3%", 8.3, P)]),
    ("1—9月，规上工业增加值同比增长11.2%，高于全省平均水平3.4个百分点。",
     [("11.2%", 11.2, P), ("3.4个百分点", 3.4, PP)]),
    ("全年完成固定资产投资286亿元，其中工业投资占比达到62.4%。",
     [("286亿元", 286e8, Y), ("62.4%", 62.4, P)]),
    ("实际使用外资1.35亿美元，同比增长27%，总量居全省第2位。",
     [("1.35亿美元", 1.35e8, "USD"), ("27%", 27, P), ("第2位", 2, "rank")]),
    ("进出口总额突破500亿元，达到512.3亿元。",
     [("500亿元", 500e8, Y), ("512.3亿元", 512.3e8, Y)]),
    ("税收收入完成45.6亿元，同比下降3.2%。",
     [("45.6亿元", 45.6e8, Y), ("3.2%", -3.2, P)]),
    ("亩均税收达到38.6万元/亩，较上年提高2.1万元。",
     [("38.6万元/亩", 38.6e4, "CNY/亩"), ("2.1万元", 2.1e4, Y)]),
    ("今年以来，园区共签约项目86个，总投资逾420亿元。",
     [("86个", 86, "个"), ("420亿元", 420e8, Y)]),
    ("新增国家级专精特新“小巨人”企业5家，省级专精特新中小企业37家。",
     [("5家", 5, "家"), ("37家", 37, "家")]),
    ("高新技术企业数量由156家增至318家，三年实现翻一番。",
     [("156家", 156, "家"), ("318家", 318, "家"), ("三年", 3, "年"),
      ("翻一番", 2, "times")]),
    ("研发投入强度达到3.85%，高于全国平均水平1.2个百分点。",
     [("3.85%", 3.85, P), ("1.2个百分点", 1.2, PP)]),
    ("全区规模以上工业企业达到1300余家，其中产值超亿元企业426家。",
     [("1300余家", 1300, "家"), ("亿元", 1e8, Y), ("426家", 426, "家")]),
    ("全年新增高新技术企业68家，总数达到415家，居全省第十位。",
     [("68家", 68, "家"), ("415家", 415, "家"), ("第十位", 10, "rank")]),
    ("园区完成工业总产值１２３４．５亿元，同比增长１５．６％。",
     [("１２３４．５亿元", 1234.5e8, Y), ("１５．６％", 15.6, P)]),
    ("全年招引亿元以上项目４２个，其中１０亿元以上项目９个。",
     [("亿元以上", 1e8, Y), ("４２个", 42, "个"), ("１０亿元以上", 10e8, Y),
      ("９个", 9, "个")]),
    ("累计建成标准厂房２８０万平方米，新增供地３６００亩。",
     [("２８０万平方米", 280e4, "平方米"), ("３６００亩", 3600, "亩")]),
    ("项目总投资12億元，建成後年產值可達30億元。",
     [("12億元", 12e8, Y), ("30億元", 30e8, Y)]),
    ("去年全區實現營業收入3500萬元以上的企業達到96家。",
     [("3500萬元以上", 3500e4, Y), ("96家", 96, "家")]),
    ("该项目计划总投资十二亿五千万元，建设周期3至5年。",
     [("十二亿五千万元", 12.5e8, Y), ("3至5年", 3, "年")]),
    ("园区引进人才两千三百余人，其中博士一百二十名。",
     [("两千三百余人", 2300, "人"), ("一百二十名", 120, "名")]),
    ("亩均产出较去年提高约三分之一，土地利用效率显著提升。",
     [("三分之一", 1 / 3, "ratio")]),
    # DEBATABLE: the extractor reads 三成 as 30 percent, equally valid.
    ("高新技术产业增加值占规上工业比重超过三成。",
     [("三成", 0.3, "ratio")]),
    ("预计到2025年，园区营业收入将突破千亿元。",
     [("千亿元", 1e11, Y)]),
    ("全区新能源装机容量达到１２０万千瓦，年发电量约１５亿千瓦时。",
     [("１２０万千瓦", 120e4, "千瓦"), ("１５亿千瓦时", 15e8, "千瓦时")]),
    ("园区年处理工业固废３０万吨，减少碳排放近５万吨。",
     [("３０万吨", 30e4, "吨"), ("５万吨", 5e4, "吨")]),
    ("新建改造道路１２．６公里，新增停车位８００余个。",
     [("１２．６公里", 12.6, "公里"), ("８００余个", 800, "个")]),
    ("今年新购置工业机器人３５０台、数控机床１２００套。",
     [("３５０台", 350, "台"), ("１２００套", 1200, "套")]),
    ("前三季度，开发区外贸进出口总额达到８６．７亿元，同比增长２３．５％，"
     "增速高于全市１２．３个百分点。",
     [("８６．７亿元", 86.7e8, Y), ("２３．５％", 23.5, P),
      ("１２．３个百分点", 12.3, PP)]),
    ("研发经费投入占营业收入比重由2.1%提高到3.6%。",
     [("2.1%", 2.1, P), ("3.6%", 3.6, P)]),
    ("园区从业人员从3.2万人增加到5.8万人。",
     [("3.2万人", 3.2e4, "人"), ("5.8万人", 5.8e4, "人")]),
    ("企业营收从3亿元增长到近20亿元，仅用了不到5年时间。",
     [("3亿元", 3e8, Y), ("20亿元", 20e8, Y), ("5年", 5, "年")]),
    ("全年实际利用省外资金２３６．８亿元，增长１０．２％。",
     [("２３６．８亿元", 236.8e8, Y), ("１０．２％", 10.2, P)]),
    # DEBATABLE: the extractor gives 收窄 (the decline narrowed) a signed -4.2.
    ("开发区土地出让收入下降18.5%，降幅较上半年收窄4.2个百分点。",
     [("18.5%", -18.5, P), ("4.2个百分点", 4.2, PP)]),
    ("全区拥有省级以上研发平台１５６个，其中国家级平台１２个。",
     [("１５６个", 156, "个"), ("１２个", 12, "个")]),
    ("全年完成税收收入二十八点六亿元。",
     [("二十八点六亿元", 28.6e8, Y)]),
    ("该基地投资约50亿元，达产后可实现年产值100亿元左右、年税收5亿元以上。",
     [("50亿元", 50e8, Y), ("100亿元左右", 100e8, Y), ("5亿元以上", 5e8, Y)]),
    ("园区企业研发人员占比不足8%，人才短板仍然明显。",
     [("8%", 8, P)]),
    ("新增市场主体４３２１户，同比增长１８％。",
     [("４３２１户", 4321, "户"), ("１８％", 18, P)]),
    ("全市22个开发区中，有6个开发区营业收入超过500亿元。",
     [("22个", 22, "个"), ("6个", 6, "个"), ("500亿元", 500e8, Y)]),
    ("全年共举办招商推介活动３０余场，接待客商２００多批次。",
     [("３０余场", 30, "场"), ("２００多批次", 200, "批次")]),
    ("主营业务收入超百亿元的企业达到7家。",
     [("百亿元", 100e8, Y), ("7家", 7, "家")]),
    ("开发区综合排名由全省第15位跃升至第8位。",
     [("第15位", 15, "rank"), ("第8位", 8, "rank")]),
    ("园区二季度用电量为3.6亿千瓦时，环比增长6.8%。",
     [("3.6亿千瓦时", 3.6e8, "千瓦时"), ("6.8%", 6.8, P)]),
    ("全年出口额达到48.2亿美元，占全市出口总额的四分之一。",
     [("48.2亿美元", 48.2e8, "USD"), ("四分之一", 0.25, "ratio")]),
    ("外资企业数量增至286家，较年初增加31家。",
     [("286家", 286, "家"), ("31家", 31, "家")]),
    ("全年人均可支配收入达到５．２万元，增长６．１％。",
     [("５．２万元", 5.2e4, Y), ("６．１％", 6.1, P)]),
    ("实现营业收入\n\n173.83亿元，同比增长12.5%。",
     [("173.83亿元", 173.83e8, Y), ("12.5%", 12.5, P)]),
    ("规上工业总产值达到２５６．\n\n４亿元，增长９．８％。",
     [("２５６．４亿元", 256.4e8, Y), ("９．８％", 9.8, P)]),
    ("全年签约项目总投资达到365亿\n\n元。",
     [("365亿元", 365e8, Y)]),
    ("高新技术产业增加值同比增长\n\n15.3%。",
     [("15.3%", 15.3, P)]),
    ("重点企业订单增长20%-30%，产能利用率保持在85%以上。",
     [("20%-30%", 20, P), ("85%以上", 85, P)]),
    ("每年安排专项资金2000万至3000万元支持企业技术改造。",
     [("2000万至3000万元", 2000e4, Y)]),
    ("该企业在全国同行业中排名第3，连续五年位居全省第一。",
     [("第3", 3, "rank"), ("五年", 5, "年"), ("第一", 1, "rank")]),
    ("园区引进世界500强企业12家、中国500强企业23家。",
     [("12家", 12, "家"), ("23家", 23, "家")]),
    ("今年1—11月，园区新开工项目78个，竣工投产项目45个。",
     [("78个", 78, "个"), ("45个", 45, "个")]),
    ("高新区内集聚各类人才约4.6万名，其中高层次人才1500余名。",
     [("4.6万名", 4.6e4, "名"), ("1500余名", 1500, "名")]),
    ("全年专利授权量达2856件，每万人发明专利拥有量达到48.6件。",
     [("2856件", 2856, "件"), ("48.6件", 48.6, "件")]),
    ("新建5G基站320个，实现园区5G网络全覆盖。",
     [("320个", 320, "个")]),
    ("园区建成投用标准化厂房42栋，总建筑面积达到65.8万平方米。",
     [("42栋", 42, "栋"), ("65.8万平方米", 65.8e4, "平方米")]),
    ("开发区财政总收入首次突破百亿元大关，达到103.6亿元。",
     [("百亿元", 100e8, Y), ("103.6亿元", 103.6e8, Y)]),
    ("全年一般公共预算收入完成21.3亿元，其中税收占比为86.5%。",
     [("21.3亿元", 21.3e8, Y), ("86.5%", 86.5, P)]),
    ("力争到2027年园区规上工业营收达到1.2万亿元。",
     [("1.2万亿元", 1.2e12, Y)]),
    ("园区共有上市企业9家，累计募集资金逾百亿元。",
     [("9家", 9, "家"), ("百亿元", 100e8, Y)]),
    ("实际使用外资完成8600万美元，完成年度目标任务的107.5%。",
     [("8600万美元", 8600e4, "USD"), ("107.5%", 107.5, P)]),
    ("工业用地亩均税收从15万元提升到32万元。",
     [("15万元", 15e4, Y), ("32万元", 32e4, Y)]),
    ("全区高新技术企业达到２１８家，较上年净增４７家，增长２７．５％。",
     [("２１８家", 218, "家"), ("４７家", 47, "家"), ("２７．５％", 27.5, P)]),
    ("招引总投资10亿元以上的重大项目11个、50亿元以上项目3个。",
     [("10亿元以上", 10e8, Y), ("11个", 11, "个"), ("50亿元以上", 50e8, Y),
      ("3个", 3, "个")]),
    ("年产能达到２０万套，可带动上下游就业3000人左右。",
     [("２０万套", 20e4, "套"), ("3000人左右", 3000, "人")]),
    ("园区亩均税收达到42.3万元/亩，居全省开发区第4名。",
     [("42.3万元/亩", 42.3e4, "CNY/亩"), ("第4名", 4, "rank")]),
    ("全年进出口总额完成１８６．５亿元，其中出口１２０．３亿元，进口６６．２亿元。",
     [("１８６．５亿元", 186.5e8, Y), ("１２０．３亿元", 120.3e8, Y),
      ("６６．２亿元", 66.2e8, Y)]),
    ("万元GDP能耗下降4.5%。",
     [("4.5%", -4.5, P)]),
    ("1至8月，园区新增注册企业３１２家，同比增长１４．８％。",
     [("３１２家", 312, "家"), ("１４．８％", 14.8, P)]),
    ("十四五以来，园区累计完成固定资产投资一千二百亿元。",
     [("一千二百亿元", 1200e8, Y)]),
    ("全区工业增加值占GDP比重达58%，比上年提高2个百分点。",
     [("58%", 58, P), ("2个百分点", 2, PP)]),
    ("全年累计减税降费４．８７亿元，惠及企业２６００多家。",
     [("４．８７亿元", 4.87e8, Y), ("２６００多家", 2600, "家")]),
    ("年产30万吨新材料项目投产后，预计年销售收入可达45亿元。",
     [("30万吨", 30e4, "吨"), ("45亿元", 45e8, Y)]),
    ("开发区规划面积由原来的12.5平方公里扩大到38平方公里。",
     [("12.5平方公里", 12.5, "平方公里"), ("38平方公里", 38, "平方公里")]),
    ("研发投入强度为4.2%，比全省平均高出2.1个百分点，排名全省第3位。",
     [("4.2%", 4.2, P), ("2.1个百分点", 2.1, PP), ("第3位", 3, "rank")]),
]


def _close(a: float | None, b: float) -> bool:
    return a is not None and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def _matches(m: Mention, as_written: str, value: float, unit: str) -> bool:
    """``m`` reports this figure: contains it as written, same value and unit.

    A change reports both ends, so its ``value_from`` counts as well.
    """
    if as_written not in "".join(m.text.split()) or m.unit != unit:
        return False
    return _close(m.value, value) or (m.kind == "change" and _close(m.value_from, value))


def score() -> tuple[int, int, int, int, list[str], list[str]]:
    """(found, expected, matched mentions, non-date mentions, misses, false)."""
    found = total = good = counted = 0
    misses: list[str] = []
    false: list[str] = []
    for sentence, expected in HELD_OUT_2:
        mentions = extract_mentions(sentence)
        for as_written, value, unit in expected:
            total += 1
            if any(_matches(m, as_written, value, unit) for m in mentions):
                found += 1
            else:
                misses.append(f"{as_written!r} {value} {unit} in {sentence!r}: {mentions}")
        for m in mentions:
            if m.kind == "date":
                continue
            counted += 1
            if any(_matches(m, *e) for e in expected):
                good += 1
            else:
                false.append(f"{m} in {sentence!r}")
    return found, total, good, counted, misses, false


def test_heldout_2_recall_and_precision() -> None:
    found, total, good, counted, misses, false = score()
    print(f"\nheld-out 2 recall {found}/{total} = {found / total:.3f}")
    print(f"held-out 2 precision {good}/{counted} = {good / counted:.3f}")
    for line in misses:
        print("MISS", line)
    for line in false:
        print("FALSE", line)
    assert len(HELD_OUT_2) >= 60
    assert found / total >= 0.95, misses


def test_fixes_found_by_the_heldout_set() -> None:
    """The first-run misses, pinned: values, units and spans."""
    def one(text: str) -> tuple[str, float | None, str | None, float | None]:
        (m,) = [m for m in extract_mentions(text) if m.kind != "date"]
        return m.text, m.value, m.unit, m.value_high

    assert one("装机１２０万千瓦") == ("１２０万千瓦", 1.2e6, "千瓦", None)
    assert one("用电3.6亿千瓦时") == ("3.6亿千瓦时", 3.6e8, "千瓦时", None)
    assert one("客商２００多批次") == ("２００多批次", 200, "批次", None)
    assert one("亿元以上项目") == ("亿元以上", 1e8, "CNY", None)
    assert one("订单增长20%-30%") == ("增长20%-30%", 20, "percent", 30)
    assert one("成本下降5%-10%") == ("下降5%-10%", -5, "percent", -10)
    assert one("功率3-5千瓦") == ("3-5千瓦", 3, "千瓦", 5)
    # a separator that does not start a range leaves the change alone
    assert [m.text for m in extract_mentions("增长20%到2025年")] == ["增长20%", "2025年"]
