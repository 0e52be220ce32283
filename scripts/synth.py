"""Generate a synthetic seeds folder in the real format, for benchmarks at national scale.

    python scripts/synth.py --zones 2500 --facts-per-zone 400 --out /tmp/synth [--seed 1]

Every zone gets articles written in the style of the real ones (seeds/sources/*.txt):
Chinese prose whose figures are number phrases as reporters write them (万/亿,
余/近/超/约 qualifiers, percentages, Chinese numerals, ranks, 个百分点), a manifest with
the real sha256 of each file, zones, a metric vocabulary whose units are what
``zonedb.text.quantity.parse_quantity`` returns for the phrases used, and one fact file per
zone whose quotes occur verbatim in the zone's articles (``occurrence:`` where a
quote repeats). Output is streamed zone by zone: memory does not grow with ``--zones``.
The same arguments always give byte-identical output.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

FACTS_PER_ARTICLE = 50
ZONES_PER_PART = 500  # firms/projects/people/reforms/ignore files hold this many zones each

# (chinese, pinyin, province) of prefecture-level cities; combined with prefixes and kinds
# they name up to several thousand distinct zones.
CITIES = [
    ("赣州", "ganzhou", "Jiangxi"), ("南昌", "nanchang", "Jiangxi"),
    ("九江", "jiujiang", "Jiangxi"), ("吉安", "jian", "Jiangxi"), ("宜春", "yichun", "Jiangxi"),
    ("萍乡", "pingxiang", "Jiangxi"), ("上饶", "shangrao", "Jiangxi"),
    ("抚州", "fuzhou-jx", "Jiangxi"), ("长沙", "changsha", "Hunan"), ("株洲", "zhuzhou", "Hunan"),
    ("湘潭", "xiangtan", "Hunan"), ("衡阳", "hengyang", "Hunan"), ("岳阳", "yueyang", "Hunan"),
    ("常德", "changde", "Hunan"), ("武汉", "wuhan", "Hubei"), ("襄阳", "xiangyang", "Hubei"),
    ("宜昌", "yichang", "Hubei"), ("荆州", "jingzhou", "Hubei"), ("合肥", "hefei", "Anhui"),
    ("芜湖", "wuhu", "Anhui"), ("蚌埠", "bengbu", "Anhui"), ("安庆", "anqing", "Anhui"),
    ("郑州", "zhengzhou", "Henan"), ("洛阳", "luoyang", "Henan"), ("新乡", "xinxiang", "Henan"),
    ("许昌", "xuchang", "Henan"), ("太原", "taiyuan", "Shanxi"), ("大同", "datong", "Shanxi"),
    ("苏州", "suzhou", "Jiangsu"), ("无锡", "wuxi", "Jiangsu"), ("常州", "changzhou", "Jiangsu"),
    ("南通", "nantong", "Jiangsu"), ("徐州", "xuzhou", "Jiangsu"), ("宁波", "ningbo", "Zhejiang"),
    ("温州", "wenzhou", "Zhejiang"), ("嘉兴", "jiaxing", "Zhejiang"),
    ("绍兴", "shaoxing", "Zhejiang"), ("泉州", "quanzhou", "Fujian"),
    ("厦门", "xiamen", "Fujian"), ("漳州", "zhangzhou", "Fujian"),
    ("佛山", "foshan", "Guangdong"), ("东莞", "dongguan", "Guangdong"),
    ("惠州", "huizhou", "Guangdong"), ("江门", "jiangmen", "Guangdong"),
    ("柳州", "liuzhou", "Guangxi"), ("桂林", "guilin", "Guangxi"), ("成都", "chengdu", "Sichuan"),
    ("绵阳", "mianyang", "Sichuan"), ("德阳", "deyang", "Sichuan"), ("宜宾", "yibin", "Sichuan"),
    ("遵义", "zunyi", "Guizhou"), ("昆明", "kunming", "Yunnan"), ("西安", "xian", "Shaanxi"),
    ("宝鸡", "baoji", "Shaanxi"), ("兰州", "lanzhou", "Gansu"), ("银川", "yinchuan", "Ningxia"),
    ("济南", "jinan", "Shandong"), ("青岛", "qingdao", "Shandong"),
    ("烟台", "yantai", "Shandong"), ("潍坊", "weifang", "Shandong"),
]
PREFIXES = [("", ""), ("东", "east"), ("西", "west"), ("南", "south"), ("北", "north"),
            ("临港", "lingang"), ("滨江", "binjiang"), ("沿江", "yanjiang"), ("临空", "linkong"),
            ("高铁", "gaotie"), ("新城", "xincheng"), ("城北", "chengbei"), ("城南", "chengnan"),
            ("河东", "hedong"), ("河西", "hexi")]
KINDS = [("经济技术开发区", "经开区", "etdz", "national", "Economic and Technological "
          "Development Zone"),
         ("高新技术产业开发区", "高新区", "hi-tech zone", "provincial", "Hi-tech Industrial "
          "Development Zone"),
         ("工业园区", "工业园", "industrial park", "provincial", "Industrial Park")]

# Metric vocabulary: slug, label_zh, label_en, unit, number kind, (low, high), sentence.
# {p} period phrase, {z} the zone's short name, {q} the number phrase.
METRICS = [
    ("industrial_firms", "工业企业数量", "Industrial firms", "家", "count", (200, 3000),
     "{p}{z}已培育工业企业{q}"),
    ("above_scale_industrial_firms", "规模以上工业企业数量", "Above-scale industrial firms", "家",
     "count", (50, 600), "{p}全区规模以上工业企业达到{q}"),
    ("high_tech_firms", "高新技术企业数量", "High-tech firms", "家", "count", (20, 400),
     "{p}高新技术企业总数增至{q}"),
    ("new_market_entities", "新增市场主体", "New market entities", "家", "count", (100, 8000),
     "{p}新增各类市场主体{q}"),
    ("signed_projects", "签约项目数", "Signed projects", "个", "count", (10, 300),
     "{p}{z}新签约项目{q}"),
    ("issues_resolved", "帮助企业解决问题数", "Issues of firms resolved", "个", "count",
     (100, 90000), "{p}帮助企业解决各类问题{q}"),
    ("employees", "园区从业人员", "People employed in the zone", "人", "count", (3000, 200000),
     "{p}园区从业人员{q}"),
    ("talents_introduced", "引进各类人才", "Talents brought in", "人", "count", (50, 20000),
     "{p}累计引进各类人才{q}"),
    ("invention_patents", "发明专利授权量", "Invention patents granted", "件", "count",
     (10, 3000), "{p}新增发明专利授权{q}"),
    ("service_items", "一件事一次办事项", "One-stop service items", "项", "count", (5, 200),
     "{p}推出“一件事一次办”集成服务事项{q}"),
    ("land_revitalised", "盘活闲置低效用地", "Idle and low-efficiency land revitalised", "亩",
     "count", (100, 20000), "{p}盘活闲置低效用地{q}"),
    ("factory_floor_built", "新建标准厂房面积", "Standard factory floor built", "平方米", "count",
     (5000, 2000000), "{p}新建标准厂房{q}"),
    ("service_hall_visits_reduction", "入厅办事人员同比减少", "Fall in service-hall visits",
     "人次", "count", (1000, 100000), "{p}入厅办事人员同比减少{q}"),
    ("solid_waste_reused", "工业固废综合利用量", "Industrial solid waste reused", "吨", "count",
     (1000, 900000), "{p}工业固废综合利用量达{q}"),
    ("industrial_revenue", "规模以上工业营业收入", "Above-scale industrial revenue", "CNY",
     "money", (10, 5000), "{p}实现规模以上工业营业收入{q}"),
    ("industrial_output", "工业总产值", "Gross industrial output", "CNY", "money", (10, 4000),
     "{p}{z}完成工业总产值{q}"),
    ("signed_investment", "签约项目总投资", "Investment of signed projects", "CNY", "money",
     (5, 1500), "{p}签约项目总投资{q}"),
    ("tax_revenue", "税收收入", "Tax revenue", "CNY", "money", (1, 300), "{p}完成税收收入{q}"),
    ("financing_arranged", "为企业解决融资", "Financing arranged for firms", "CNY", "money",
     (1, 800), "{p}累计为企业解决融资{q}"),
    ("guidance_fund_size", "产业引导基金规模", "Industrial guidance fund size", "CNY", "money",
     (1, 200), "{p}设立产业引导基金规模{q}"),
    ("fixed_asset_investment", "固定资产投资额", "Fixed-asset investment", "CNY", "money",
     (5, 1200), "{p}完成固定资产投资{q}"),
    ("actual_fdi", "实际利用外资", "Foreign direct investment used", "USD", "usd", (1, 3000),
     "{p}实际利用外资{q}"),
    ("exports", "出口总额", "Exports", "USD", "usd", (1, 5000), "{p}外贸出口总额{q}"),
    ("output_growth", "工业增加值增速", "Growth of industrial value added", "percent",
     "percent", (1, 30), "{p}规模以上工业增加值同比增长{q}"),
    ("investment_growth", "固定资产投资增速", "Growth of fixed-asset investment", "percent",
     "percent", (1, 40), "{p}固定资产投资同比增长{q}"),
    ("rnd_intensity", "研发投入强度", "R&D intensity", "percent", "percent", (1, 8),
     "{p}研发投入强度达到{q}"),
    ("online_service_rate", "政务服务事项网上可办率", "Online availability of services",
     "percent", "percent", (80, 100), "{p}政务服务事项网上可办率达{q}"),
    ("strategic_industry_share", "战略性新兴产业占比", "Share of strategic emerging industries",
     "percent", "share", (2, 8), "{p}战略性新兴产业产值占比达{q}"),
    ("growth_above_province", "增速高于全省平均水平", "Growth above the provincial average",
     "pct_point", "ppt", (1, 12), "{p}工业增速高于全省平均水平{q}"),
    ("etdz_evaluation_national_rank", "国家经开区综合考评全国排名",
     "National rank in the ETDZ evaluation", "rank", "rank", (1, 230),
     "{p}{z}在国家经开区综合考评中排名全国{q}"),
    ("approval_days", "项目审批时间", "Project approval time", "天", "days", (5, 60),
     "{p}企业投资项目审批时间压缩至{q}"),
    ("waiting_time_reduction", "等候时间同比减少", "Fall in waiting time", "分钟", "minutes",
     (1, 30), "{p}企业办事等候时间同比减少{q}"),
]
FIRM_METRIC = ("firm_output", "企业年产值", "Firm's annual output", "CNY", "money", (1, 300),
               "{p}{f}实现产值{q}")
PROJECT_METRIC = ("total_investment", "项目总投资", "Total investment of a project", "CNY",
                  "money", (2, 400), "总投资{q}的{j}项目{p}开工建设")

FILLER = [
    "当地积极推进体制机制改革,探索进一步放权赋能,打好资本招商组合拳",
    "国家级经开区是我国改革开放的排头兵,对推动高质量发展发挥着重要作用",
    "园区持续完善“管委会+公司”运营模式改革,不断激发创新发展活力",
    "把能交给市场的都交给市场,将企业服务、招商引资、人才服务等事务逐步剥离至区属国有平台",
    "聚焦主导产业延链补链强链,推动产业集群化发展",
    "坚持“项目为王”,以项目建设的实效检验改革的成效",
    "深化“放管服”改革,持续优化营商环境,让企业办事更省心",
    "坚持以亩产论英雄,推动土地资源向优质项目集中",
    "围绕企业全生命周期,构建覆盖招引、落地、投产的全链条服务体系",
    "健全人才培育体系,持续赋能产业高质量发展",
]
HEADLINES = ["聚力构建现代化产业体系", "以改革破题 向创新要动力", "开辟园区高质量发展新路径",
             "让开发区回归“经济属性”", "深化体制改革 激发发展活力", "打好资本招商组合拳"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚华鹏宇奎德福"
FIRM_WORDS = ["新能源", "电子信息", "稀土新材料", "智能装备", "生物医药", "汽车零部件",
              "锂电", "精密制造", "数字科技", "绿色建材"]
PERIODS: list[tuple[str, str | None]] = [("目前,", None), ("今年以来,", None)]
for _y in range(2019, 2025):
    PERIODS += [(f"{_y}年,", f"{_y}"), (f"{_y}年上半年,", f"{_y}-01/{_y}-06"),
                (f"{_y}年前三季度,", f"{_y}-01/{_y}-09"), (f"{_y}年1-11月,", f"{_y}-01/{_y}-11"),
                (f"截至{_y}年6月底,", f"{_y}-06-30")]

DIGITS = "零一二三四五六七八九"


def chinese(n: int) -> str:
    """1..9999 in Chinese numerals as newspapers write them (十二, 三百零五)."""
    if n < 10:
        return DIGITS[n]
    if n < 20:
        return "十" + (DIGITS[n % 10] if n % 10 else "")
    out, zero = "", False
    for value, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = (n // value) % 10
        if d:
            if zero and out:
                out += "零"
            out += DIGITS[d] + name
            zero = False
        elif out:
            zero = True
    return out


def _dec(x: float) -> str:
    """A decimal as a reporter writes it: at most two places, no trailing zeros."""
    return f"{x:.2f}".rstrip("0").rstrip(".")


def phrase(rng: random.Random, kind: str, unit: str, lo: float, hi: float) -> str:
    """A number phrase whose parsed unit is ``unit``."""
    pick = rng.random()
    if kind == "count":
        n = rng.randint(int(lo), int(hi))
        if n >= 10000 and pick < 0.5:
            more = rng.choice(["", "余"]) if n % 10 == 0 else ""
            return rng.choice(["", "约", "超"]) + _dec(n / 10000) + "万" + more + unit
        if n < 100 and pick < 0.25:
            return chinese(n) + unit
        if pick < 0.45:
            return f"{round(n, -1) or 10}余{unit}"
        if pick < 0.55:
            return f"近{round(n, -1) or 10}{unit}"
        if pick < 0.65:
            return f"超{n}{unit}"
        if pick < 0.75:
            return f"约{n}{unit}"
        if pick < 0.8:
            return f"{round(n, -2) or 100}多{unit}"
        return f"{n}{unit}"
    if kind in ("money", "usd"):
        yuan = "元" if kind == "money" else "美元"
        x = rng.uniform(lo, hi)  # in 亿
        if x < 1 or (pick < 0.15 and x < 5):
            return f"{int(x * 10000) // 100 * 100 or 500}万{yuan}"
        if pick < 0.25 and x < 100:
            return f"{chinese(int(x))}亿{yuan}"
        qual = rng.choice(["", "", "", "超", "近", "约", "突破"])
        return f"{qual}{_dec(x if qual in ('', '约') else round(x))}亿{yuan}"
    if kind == "percent":
        x = rng.uniform(lo, hi)
        if pick < 0.15 and x < 100:
            return f"百分之{chinese(int(x))}"
        return f"{_dec(x)}%" if x < 100 else "100%"
    if kind == "share":
        return f"{DIGITS[rng.randint(int(lo), int(hi))]}成"
    if kind == "ppt":
        points = _dec(rng.uniform(lo, hi)) if pick < 0.5 else str(rng.randint(int(lo), int(hi)))
        return f"{points}个百分点"
    if kind == "rank":
        n = rng.randint(int(lo), int(hi))
        return f"第{chinese(n) if pick < 0.3 and n < 100 else n}位"
    if kind == "days":
        return f"{'不到' if pick < 0.5 else ''}{rng.randint(int(lo), int(hi))}天"
    return f"{_dec(rng.uniform(lo, hi))}分钟"


_PLAIN = re.compile(r"[\u4e00-\u9fff“”A-Za-z][^:#\n\"'{}\[\],&*!|>%@`]*")
_RESERVED = re.compile(r"(?i)(y|yes|n|no|true|false|on|off|null|~)")


def scalar(value: str | int | None) -> str:
    """A YAML scalar: plain where that is safe (as curators write it), else double-quoted."""
    if value is None:
        return "null"
    if isinstance(value, int):
        return str(value)
    if _PLAIN.fullmatch(value) and not _RESERVED.fullmatch(value) and not value.endswith(" "):
        return value
    return json.dumps(value, ensure_ascii=False)


def record(fields: list[tuple[str, str | int | list[str] | None]]) -> str:
    lines = []
    for i, (key, value) in enumerate(fields):
        if isinstance(value, list):
            text = "[" + ", ".join(scalar(v) for v in value) + "]"
        else:
            text = scalar(value)
        lines.append(("- " if i == 0 else "  ") + f"{key}: {text}")
    return "\n".join(lines) + "\n"


@dataclass
class Zone:
    index: int
    slug: str
    name_zh: str
    short: str
    name_en: str
    city_zh: str
    city_en: str
    province: str
    kind: str
    level: str


def zones(count: int) -> Iterator[Zone]:
    """Zone 0 is ganzhou (the benchmark's query target); the rest are distinct combinations."""
    combos = len(CITIES) * len(PREFIXES) * len(KINDS)
    for i in range(count):
        c = i % len(CITIES)
        k = (i // len(CITIES)) % len(KINDS)
        p = (i // (len(CITIES) * len(KINDS))) % len(PREFIXES)
        lap = i // combos
        city_zh, city_en, province = CITIES[c]
        pre_zh, pre_en = PREFIXES[p]
        full, short, kind, level, kind_en = KINDS[k]
        extra = f"第{chinese(lap + 1)}" if lap else ""
        slug = "-".join(s for s in (city_en, pre_en, kind.split()[0], str(lap + 1) if lap else "")
                        if s)
        if i == 0:
            slug = "ganzhou"
        words = " ".join(w for w in (city_en.split("-")[0].title(), pre_en.title()) if w)
        yield Zone(i, slug, f"{city_zh}{pre_zh}{extra}{full}", f"{city_zh}{pre_zh}{extra}{short}",
                   f"{words} {kind_en}" + (f" {lap + 1}" if lap else ""), city_zh, city_en,
                   province, kind, level)


def occurrences(text: str, quote: str) -> int:
    """How many times ``quote`` occurs in ``text`` ignoring whitespace (as the loader matches)."""
    flat, needle = re.sub(r"\s+", "", text), re.sub(r"\s+", "", quote)
    n, pos = 0, flat.find(needle)
    while pos != -1:
        n, pos = n + 1, flat.find(needle, pos + 1)
    return n


class Writer:
    """Open output files written as the zones stream past."""

    def __init__(self, out: Path) -> None:
        if out.exists():
            shutil.rmtree(out)
        for sub in ("sources", "metrics", "facts", "firms", "projects", "people", "reforms",
                    "ignore"):
            (out / sub).mkdir(parents=True)
        self.out = out
        self.manifest = self._open("sources/manifest.yaml",
                                   "# Synthetic sources (scripts/synth.py).")
        self.zones = self._open("zones.yaml", "# Synthetic development zones (scripts/synth.py).")
        self.parts: dict[str, IO[str]] = {}
        self.part_no = -1
        self.facts = 0

    def _open(self, name: str, header: str) -> IO[str]:
        handle = (self.out / name).open("w", encoding="utf-8")
        handle.write(header + "\n")
        return handle

    def part(self, folder: str, zone: Zone) -> IO[str]:
        number = zone.index // ZONES_PER_PART
        if number != self.part_no:
            self.close_parts()
            self.part_no = number
        if folder not in self.parts:
            self.parts[folder] = self._open(f"{folder}/part-{number + 1:04d}.yaml",
                                            f"# Synthetic {folder}, zones {number * ZONES_PER_PART}"
                                            f" to {(number + 1) * ZONES_PER_PART - 1}.")
        return self.parts[folder]

    def close_parts(self) -> None:
        for handle in self.parts.values():
            handle.close()
        self.parts = {}

    def close(self) -> None:
        self.close_parts()
        self.manifest.close()
        self.zones.close()


def write_metrics(out: Path) -> None:
    with (out / "metrics" / "synthetic.yaml").open("w", encoding="utf-8") as f:
        f.write("# Metric vocabulary of the synthetic corpus; units are what parse_quantity "
                "returns.\n")
        for slug, zh, en, unit, _kind, _range, sentence in [*METRICS, FIRM_METRIC,
                                                            PROJECT_METRIC]:
            f.write(record([("slug", slug), ("label_zh", zh), ("label_en", en), ("unit", unit),
                            ("description", f"{en}, as in the sentence pattern "
                             f"'{sentence.format(p='', z='', q='N', f='', j='')}'.")]))


@dataclass
class Fact:
    metric: str
    period: str | None
    quote: str
    as_written: str
    link: tuple[str, str] | None = None


def article(rng: random.Random, zone: Zone, facts: int, first: bool,
            firms: list[tuple[str, str, str, str]], project: tuple[str, str, str]
            ) -> tuple[str, str, list[Fact], str, str]:
    """One article: its text, title, facts, opening sentence and the 1+N sentence it cites."""
    title = f"{zone.short}:{rng.choice(HEADLINES)}"
    used: set[tuple[str, str | None]] = set()
    sentences: list[tuple[str, Fact | None]] = []
    opening = f"{zone.name_zh}因工业而生、因工业而兴"
    sentences.append((opening, None))
    ignored = f"深入实施“{rng.randint(1, 9)}+N”产业培育工程"
    sentences.append((ignored, None))
    if first:
        sentences.append((FILLER[2], None))  # names the reform every zone has
        for _slug, name, _short, person in firms:
            sentences.append((f"{name}董事长{person}介绍", None))
    todo = facts
    while todo:
        metric = (FIRM_METRIC if first and todo == facts and firms else
                  PROJECT_METRIC if first and todo == facts - 1 else rng.choice(METRICS))
        period_phrase, period = rng.choice(PERIODS)
        if metric[4] == "rank" and period is None or (metric[0], period) in used:
            continue
        used.add((metric[0], period))
        q = phrase(rng, metric[4], metric[3], *metric[5])
        link = None
        if metric is FIRM_METRIC:
            link = ("firm", firms[0][0])
            text = metric[6].format(p=period_phrase, f=firms[0][2], q=q)
        elif metric is PROJECT_METRIC:
            link = ("project", project[0])
            text = metric[6].format(p=period_phrase.rstrip(","), j=project[1], q=q)
        else:
            text = metric[6].format(p=period_phrase, z=zone.short if rng.random() < 0.3 else "",
                                    q=q)
        sentences.append((text, Fact(metric[0], period, text, q, link)))
        if rng.random() < 0.2:
            sentences.append((rng.choice(FILLER), None))
        todo -= 1
    body = [title, "", f"本报记者 {rng.choice(SURNAMES)}{rng.choice(GIVEN)}", ""]
    paragraph: list[str] = []
    for i, (text, _fact) in enumerate(sentences):
        paragraph.append(text)
        if len(paragraph) >= rng.randint(3, 6) or i == len(sentences) - 1:
            line = "。".join(paragraph) + "。"
            if rng.random() < 0.15 and len(line) > 40:  # a page-break line break mid-sentence
                cut = rng.randint(10, len(line) - 10)
                line = line[:cut] + "\n" + line[cut:]
            body += [line, ""]
            paragraph = []
    facts_out = [f for _t, f in sentences if f is not None]
    return "\n".join(body), title, facts_out, opening, ignored


def cite(source: str, text: str, quote: str) -> list[tuple[str, str | int | list[str] | None]]:
    """source/quote fields, with ``occurrence: 1`` when the quote occurs more than once."""
    times = occurrences(text, quote)
    if times == 0:
        raise AssertionError(f"generator bug: {quote!r} is not in {source}")
    return [("source", source), ("quote", quote)] + ([("occurrence", 1)] if times > 1 else [])


def write_zone(w: Writer, zone: Zone, facts_per_zone: int, seed: int) -> None:
    rng = random.Random(f"{seed}-{zone.index}")
    firms = []
    for k in range(2):
        word = FIRM_WORDS[(zone.index + k) % len(FIRM_WORDS)]
        short = f"{zone.short[:-3]}{word}"
        person = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
        firms.append((f"{zone.slug}-firm-{k + 1}", f"{short}科技股份有限公司", short, person))
    project = (f"{zone.slug}-project-1", f"{zone.city_zh}{FIRM_WORDS[zone.index % 10]}产业园",
               zone.slug)
    articles = max(1, -(-facts_per_zone // FACTS_PER_ARTICLE))
    fact_lines: list[str] = []
    for a in range(articles):
        n = min(FACTS_PER_ARTICLE, facts_per_zone - a * FACTS_PER_ARTICLE)
        text, title, facts, opening, ignored = article(rng, zone, n, a == 0, firms, project)
        slug = f"{zone.slug}-{a + 1:02d}"
        data = text.encode("utf-8")
        (w.out / "sources" / f"{slug}.txt").write_bytes(data)
        w.manifest.write(record([("slug", slug), ("file", f"{slug}.txt"),
                                 ("sha256", hashlib.sha256(data).hexdigest()), ("title", title),
                                 ("publisher", None), ("date", None), ("kind", "article"),
                                 ("language", "zh")]))
        for fact in facts:
            fields: list[tuple[str, str | int | list[str] | None]] = [
                ("zone", zone.slug), ("metric", fact.metric), ("period", fact.period),
                ("source", slug), ("quote", fact.quote), ("as_written", fact.as_written)]
            times = occurrences(text, fact.quote)
            if times > 1:
                fields.append(("occurrence", 1))
            if fact.link:
                fields.append(fact.link)
            fact_lines.append(record(fields))
        w.facts += len(facts)
        w.part("ignore", zone).write(record([
            ("source", slug), ("quote", ignored), ("as_written", ignored[5:8]),
            ("reason", "part of the name of a policy programme, not a quantity")]))
        if a == 0:
            zone_quote: list[tuple[str, str | int | list[str] | None]] = [
                ("source", slug), ("quote", opening)]
            first_slug, first_text = slug, text
    w.zones.write(record([("slug", zone.slug), ("name_zh", zone.name_zh),
                          ("name_en", zone.name_en), ("aliases", [zone.short]),
                          ("province", zone.province), ("city", zone.city_zh),
                          ("level", zone.level), ("kind", zone.kind), *zone_quote]))
    for slug, name, short, person in firms:
        w.part("firms", zone).write(record([
            ("slug", slug), ("zone", zone.slug), ("name_zh", name), ("aliases", [short]),
            *cite(first_slug, first_text, f"{name}董事长{person}")]))
    w.part("people", zone).write(record([
        ("slug", f"{zone.slug}-person-1"), ("name_zh", firms[0][3]), ("role_zh", "董事长"),
        ("role_en", "Chairman"), ("organisation", firms[0][1]), ("zone", zone.slug),
        ("firm", firms[0][0]), *cite(first_slug, first_text, f"董事长{firms[0][3]}介绍")]))
    w.part("projects", zone).write(record([
        ("slug", project[0]), ("zone", zone.slug), ("name_zh", f"{project[1]}项目"),
        *cite(first_slug, first_text, f"{project[1]}项目")]))
    w.part("reforms", zone).write(record([
        ("slug", f"{zone.slug}-committee-plus-company"), ("zone", zone.slug),
        ("name_zh", "“管委会+公司”运营模式改革"),
        ("name_en", "Management committee plus company operating model"),
        ("category", "governance"),
        ("summary", "The zone's articles describe a management committee plus company model."),
        *cite(first_slug, first_text, "“管委会+公司”运营模式改革")]))
    with (w.out / "facts" / f"{zone.index + 1:05d}-{zone.slug}.yaml").open(
            "w", encoding="utf-8") as f:
        f.write(f"# Synthetic indicators of {zone.name_zh}.\n")
        f.writelines(fact_lines)


def generate(zones_count: int, facts_per_zone: int, out: Path, seed: int = 1,
             progress: Callable[[int], None] | None = None) -> int:
    """Write the seeds folder; returns the number of facts written."""
    w = Writer(out)
    write_metrics(out)
    try:
        for zone in zones(zones_count):
            write_zone(w, zone, facts_per_zone, seed)
            if progress:
                progress(zone.index + 1)
    finally:
        w.close()
    return w.facts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--zones", type=int, required=True)
    parser.add_argument("--facts-per-zone", type=int, required=True,
                        help="at least 2 (every zone has a firm fact and a project fact)")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.zones < 1 or args.facts_per_zone < 2:
        parser.error("need --zones >= 1 and --facts-per-zone >= 2")
    facts = generate(args.zones, args.facts_per_zone, args.out, args.seed)
    print(f"wrote {facts} facts for {args.zones} zones to {args.out}")


if __name__ == "__main__":
    main()
