"""`zonedb draft` fills in what the text states: zones paragraph by paragraph (new ones
proposed as records), periods resolved against the source's date, metrics from the
vocabulary or the glossary, roles, subjects, ignore entries; a draft accepted as it is
seeds. Expected values are read off tests/data/draft_eval/guangdong-three-zones-2024.txt."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from zonedb.text.periods import find_times
from zonedb.text.zones import zones_in

ARTICLE = Path(__file__).parent / "data" / "draft_eval" / "guangdong-three-zones-2024.txt"
SLUG = "guangdong-three-zones-2024"


def test_draft_of_a_three_zone_article_seeds_as_drafted(cli, seeds_copy: Path,
                                                        no_local_db: Path) -> None:
    # no_local_db: `seed --check` below names no --db
    seeds = str(seeds_copy)
    r = cli("sources", "add", str(ARTICLE), "--slug", SLUG, "--date", "2024-07-20",
            "--seeds", seeds)
    assert r.exit_code == 0, r.stderr
    r = cli("draft", SLUG, "--seeds", seeds, "--format", "json")
    assert r.exit_code == 0, r.stderr
    d = json.loads(r.stdout)
    facts = {f["as_written"]: f for f in d["facts"]}
    # quotes stay inside their paragraph: never the title or a zone's heading
    assert not any(w in f["quote"] for f in d["facts"] for w in ("答卷", "成势", "明显", "迸发"))
    # one zone per paragraph: full name first, the short alias after
    assert {f["zone"] for w, f in facts.items() if w in ("1563.2亿元", "2130家", "42.5亿元")} \
        == {"foshan"}
    assert {f["zone"] for w, f in facts.items() if w in ("21个", "30亿元", "120亿元")} == {"xinhui"}
    assert {f["zone"] for w, f in facts.items() if w in ("286.4亿元", "1150家", "9.8亿元")} \
        == {"zhuhai"}
    zones = {z["slug"]: z for z in d["zones"]}
    assert zones["xinhui"] == {
        "slug": "xinhui", "name_zh": "江门新会工业园区", "name_en": "Xinhui Industrial Park",
        "aliases": ["新会工业园"], "city": "Jiangmen", "kind": "industrial park",
        "source": SLUG, "quote": "江门新会工业园区", "occurrence": 1,
        "note": zones["xinhui"]["note"]}
    assert zones["zhuhai"]["aliases"] == ["珠海综保区"] and zones["zhuhai"]["kind"] == \
        "bonded zone"
    # periods: 上半年 of the source's year, 截至6月底 a point in time, 现有 none
    assert facts["1563.2亿元"]["period"] == "2024-01/2024-06"
    assert facts["30亿元"]["period"] == "2024-06-30"
    assert facts["2130家"]["period"] is None
    # metrics: the vocabulary's where it has the concept, the glossary's otherwise
    assert facts["2130家"]["metric"] == "high_tech_firms"
    assert facts["15.3%"]["metric"] == "operating_revenue_growth"
    assert facts["30亿元"]["metric"] == "funds_total_size"
    metrics = {m["slug"]: m for m in d["metrics"]}
    assert metrics[facts["286.4亿元"]["metric"]]["label_en"] == \
        "Total value of imports and exports"
    # role and subject
    assert facts["96家"]["role"] == "change"
    assert facts["42.5亿元"]["firm"] == facts["15.3%"]["firm"]
    assert {f["name_zh"] for f in d["firms"]} >= {"广东美芝精密制造有限公司"}
    assert facts["30亿元"]["fund"] == d["funds"][0]["slug"]
    # accepted as drafted, it seeds, with every number phrase accounted for
    r = cli("draft", SLUG, "--seeds", seeds, "--write")
    assert r.exit_code == 0, r.stderr
    r = cli("seed", "--check", "--seeds", seeds)
    assert r.exit_code == 0, r.stderr
    assert " 0 unaccounted" in r.stderr


@settings(max_examples=60, deadline=None)
@given(year=st.integers(2000, 2030), a=st.integers(1, 12), b=st.integers(1, 12),
       dash=st.sampled_from(["—", "-", "至", "~"]))
def test_month_ranges_and_relative_years(year: int, a: int, b: int, dash: str) -> None:
    lo, hi = sorted((a, b))
    [t] = find_times(f"{year}年{lo}{dash}{hi}月，实现营业收入5亿元")
    assert t.period == f"{year}-{lo:02d}/{year}-{hi:02d}"
    today = date(year, hi, 15)
    got = {t.text: t.period for t in find_times("今年上半年，去年同期，截至9月底", today)}
    assert got == {"今年上半年": f"{year}-01/{year}-06", "去年": str(year - 1),
                   "截至9月底": f"{year}-09-30"}
    assert [t.period for t in find_times("今年上半年")] == [None]  # no date: null


PLACES = ["南康", "瑞安", "新会", "桐溪", "金沙", "永丰", "西峡", "龙港"]
FULL = {"经济技术开发区": "经开区", "高新技术产业开发区": "高新区", "工业园区": "工业园",
        "综合保税区": "综保区"}


@settings(max_examples=60, deadline=None)
@given(places=st.lists(st.sampled_from(PLACES), min_size=1, max_size=3, unique=True),
       suffix=st.sampled_from(sorted(FULL)))
def test_full_name_then_alias_is_one_zone_per_place(places: list[str], suffix: str) -> None:
    text = "".join(f"{p}{suffix}坚持项目为王。今年，{p}{FULL[suffix]}新签约项目12个。\n\n"
                   for p in places)
    zones, counted = zones_in(text)
    assert [z.core for z in zones] == places
    assert all(len(z.names) == 2 and z.name_zh() == z.core + suffix for z in zones)
    assert [z.core for _, z in counted] == [p for p in places for _ in (1, 2)]


GAPS = [  # (text, the mentions the extractor must find: as written, value, unit, qualifier)
    ("其中过百亿项目两个。", [("过百亿", 1e10, None, "more_than"), ("两个", 2, "个", None)]),
    ("汽车产业产值过千亿元。", [("过千亿元", 1e11, "CNY", "more_than")]),
    ("投资5亿人民币建设", [("5亿人民币", 5e8, "CNY", None)]),
    ("开行中欧班列2732列", [("2732列", 2732, "列", None)]),
    ("开放型经济保持两位数增长", []),
    ("排名较上年提升4个位次", [("较上年提升4个位次", 4, "rank", None)]),
    ("规模稳居全市第一\n上半年，", [("全市第一", 1, "rank", None)]),
    ("经过3年努力", [("3年", 3, "年", None)]),
]


def test_extraction_gaps_seen_on_real_articles() -> None:
    from zonedb.text.extract import extract_mentions

    for text, want in GAPS:
        got = [(m.text, m.value, m.unit, m.qualifier) for m in extract_mentions(text)]
        assert got == want, text


def test_readme_adding_an_article_loop_runs_as_shown(cli, tmp_path: Path, monkeypatch) -> None:
    """The ```shell block of README's "Adding an article" is run in a fresh folder (a copy
    of the seeds and the example article): every command succeeds with nothing typed by
    hand and prints every line shown under it."""
    import re
    import shlex
    import shutil

    from conftest import REPO, SEEDS

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Adding an article", 1)[1]
    block = re.search(r"```shell\n(.*?)```", section, re.S)
    assert block
    steps: list[tuple[str, list[str]]] = []
    for line in block.group(1).splitlines():
        if line.startswith("$ "):
            steps.append((line[2:], []))
        elif line.strip() and "…" not in line:
            steps[-1][1].append(line)
    shutil.copytree(SEEDS, tmp_path / "seeds")
    (tmp_path / "docs" / "examples").mkdir(parents=True)
    shutil.copy(REPO / "docs" / "examples" / "nankang-park-2024.txt",
                tmp_path / "docs" / "examples")
    monkeypatch.chdir(tmp_path)
    env = {"ZONEDB_DB": str(tmp_path / "zonedb.db"), "COLUMNS": "110"}
    assert cli("seed", env=env).exit_code == 0  # the database before the article
    for command, shown in steps:
        r = cli(*shlex.split(command)[1:], env=env)
        assert r.exit_code == 0, (command, r.output)
        lines = {" ".join(x.split()) for x in r.output.splitlines()}
        missing = [x for x in shown if " ".join(x.split()) not in lines]
        assert not missing, (command, missing)


_ALPHABET = ("今去上半年月季度前三一二十〇0123456789—至截底末以来目前经开区高新工业园综合保税"
             "南康贵阳江西省市由增至较比同增长%亿元家个，。；：\n 的有限公司基金集团")


@settings(max_examples=150, deadline=None)
@given(text=st.text(alphabet=_ALPHABET, max_size=80),
       today=st.one_of(st.none(), st.dates(date(2000, 1, 1), date(2030, 12, 31))))
def test_text_readers_never_fail_and_write_valid_periods(text: str, today: date | None) -> None:
    from zonedb.seeds.spec import check_period
    from zonedb.text.layout import blocks
    from zonedb.text.metricname import metric_phrase
    from zonedb.text.orgs import find_orgs

    for t in find_times(text, today):
        assert t.period is None or check_period(t.period), t
        assert text[t.start:t.end] == t.text
    zones, counted = zones_in(text)
    assert all(text[n.start:n.end] == n.written for n, _ in counted)
    assert all(text[o.start:o.end] == o.name for o in find_orgs(text))
    assert all(0 <= b.start < b.end <= len(text) for b in blocks(text))
    assert isinstance(metric_phrase(text).name, str)


_TERMS = ["地区生产总值", "固定资产投资", "一般公共预算收入", "社会消费品零售总额", "进出口总额",
          "规模以上工业总产值", "实际使用外资", "技术合同成交额", "营业收入"]
_TIMES = ["今年1—10月", "2023年", "去年", "上半年", "前三季度", "截至9月底", "2024年1至6月"]


@settings(max_examples=5, deadline=None)
@given(place=st.sampled_from(["南康", "龙港", "西峡", "永丰"]),
       suffix=st.sampled_from(sorted(FULL)),
       facts=st.lists(st.tuples(st.sampled_from(_TIMES), st.sampled_from(_TERMS),
                                st.integers(1, 9999), st.integers(1, 99)),
                      min_size=1, max_size=4, unique_by=lambda f: f[1]))
def test_a_generated_article_drafts_into_seeds_that_load(tmp_path_factory, place: str,
                                                         suffix: str, facts: list) -> None:
    """Whatever the article, the draft accepted as it is seeds: every fact's zone, metric
    and period are filled, quotes are found, every number phrase is accounted for."""
    import shutil

    from conftest import SEEDS
    from zonedb.curate.draft import build_draft, write_draft
    from zonedb.curate.sources import add_source, seed_coverage
    from zonedb.seeds.read import read_seeds

    seeds = tmp_path_factory.mktemp("gen") / "seeds"
    shutil.copytree(SEEDS, seeds)
    body = "".join(f"{t}，{place}{FULL[suffix]}实现{term}{v}亿元，同比增长{g}.5%。"
                   for t, term, v, g in facts)
    article = seeds.parent / "a.txt"
    article.write_text(f"{place}{suffix}经济运行稳中向好\n\n{body}\n", encoding="utf-8")
    add_source(article, "gen-article", seeds_dir=seeds, date="2024-11-18")
    dr = build_draft("gen-article", seeds_dir=seeds)
    assert len(dr.facts) == 2 * len(facts)
    assert all(f.zone and f.metric and f.period for f in dr.facts)
    write_draft(dr, seeds)
    tables = read_seeds(seeds).tables  # raises SeedError on any problem
    [new] = [x["id"] for x in tables["sources"] if x["slug"] == "gen-article"]
    mine = {"sources": [x for x in tables["sources"] if x["id"] == new],
            **{t: [x for x in tables[t] if x["source_id"] == new]
               for t in ("indicators", "ignored_mentions")}}
    assert seed_coverage(mine)["unaccounted"] == 0
