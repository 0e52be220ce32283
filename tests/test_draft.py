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


def test_draft_of_a_three_zone_article_seeds_as_drafted(cli, seeds_copy: Path) -> None:
    seeds = str(seeds_copy)
    r = cli("sources", "add", str(ARTICLE), "--slug", SLUG, "--date", "2024-07-20",
            "--seeds", seeds)
    assert r.exit_code == 0, r.stderr
    r = cli("draft", SLUG, "--seeds", seeds, "--format", "json")
    assert r.exit_code == 0, r.stderr
    d = json.loads(r.stdout)
    facts = {f["as_written"]: f for f in d["facts"]}
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
