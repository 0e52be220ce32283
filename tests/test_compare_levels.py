"""``zonedb compare``'s "latest stated level" on the provenance seeds (tests/data/prov_seeds)
extended in tmp_path: a drafted target (力争到2026年…达到300家) is a goal, not a level, and is
compared only with ``--role target``; every role the seeds allow is a ``--role``; rows
without a period go by their source's publication date, not by id."""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
from pathlib import Path

import pytest

from conftest import PROV_SEEDS
from zonedb.seeds.spec import ENUMS

# A plan published after the 2024 bulletin: its figure for 2026 is a target.
PLAN = "丰源经开区2025年工作要点\n力争到2026年,全区规模以上工业企业达到300家。\n"
# A second zone stated only without a period: by a source dated 2024-12-01 (110家), then
# (a later id) by an undated one (104家).
LT_NEWS = "林塘经开区年终盘点\n林塘经开区现有规模以上工业企业110家。\n"
LT_BLOG = "林塘经开区印象\n听说林塘经开区规模以上工业企业104家。\n"

FACTS = """
- zone: fengyuan
  metric: above_scale_industrial_firms
  period: 2026
  role: target
  source: fy-plan-2025
  quote: 力争到2026年,全区规模以上工业企业达到300家
  as_written: 300家
"""
LT_FACTS = """- zone: lintang
  metric: above_scale_industrial_firms
  source: lt-news-2024
  quote: 林塘经开区现有规模以上工业企业110家
  as_written: 110家
- zone: lintang
  metric: above_scale_industrial_firms
  source: lt-blog
  quote: 林塘经开区规模以上工业企业104家
  as_written: 104家
"""
ZONE = """- slug: lintang
  name_zh: 林塘经济技术开发区
  name_en: Lintang Economic and Technological Development Zone
  aliases: [林塘经开区]
  kind: etdz
  source: lt-news-2024
  quote: 林塘经开区现有规模以上工业企业110家
"""


def _source(seeds: Path, slug: str, text: str, date: str | None) -> str:
    (seeds / "sources" / f"{slug}.txt").write_text(text, encoding="utf-8")
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    title = text.splitlines()[0]
    return (f"- slug: {slug}\n  file: {slug}.txt\n  sha256: {sha}\n  title: {title}\n"
            + (f"  date: {date}\n" if date else "") + "  kind: news\n  language: zh\n")


@pytest.fixture
def levels_db(cli, tmp_path: Path) -> str:  # type: ignore[no-untyped-def]
    seeds = tmp_path / "seeds"
    shutil.copytree(PROV_SEEDS, seeds)
    manifest = seeds / "sources" / "manifest.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8")
                        + _source(seeds, "fy-plan-2025", PLAN, "2025-03-01")
                        + _source(seeds, "lt-news-2024", LT_NEWS, "2024-12-01")
                        + _source(seeds, "lt-blog", LT_BLOG, None), encoding="utf-8")
    facts = seeds / "facts" / "fengyuan.yaml"
    facts.write_text(facts.read_text(encoding="utf-8") + FACTS, encoding="utf-8")
    (seeds / "facts" / "lintang.yaml").write_text(LT_FACTS, encoding="utf-8")
    zones = seeds / "zones.yaml"
    zones.write_text(zones.read_text(encoding="utf-8") + ZONE, encoding="utf-8")
    db = str(tmp_path / "levels.db")
    done = cli("seed", "--db", db, "--seeds", str(seeds), "--full")
    assert done.exit_code == 0, done.stderr + done.stdout
    for quote, text in (("力争到2026年,全区规模以上工业企业达到300家", PLAN),
                        ("林塘经开区现有规模以上工业企业110家", LT_NEWS),
                        ("林塘经开区规模以上工业企业104家", LT_BLOG)):
        assert quote in text  # the quotes are verbatim in the texts written above
    return db


def _rows(cli, db: str, *args: str) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    done = cli(*args, "--db", db, "--csv")
    assert done.exit_code == 0, done.stderr
    return list(csv.DictReader(io.StringIO(done.stdout)))


def test_a_target_is_not_a_zones_latest_level(cli, levels_db: str) -> None:
    rows = _rows(cli, levels_db, "compare", "above_scale_industrial_firms")
    fengyuan = [r for r in rows if r["zone"] == "fengyuan"]
    # fy-bulletin-2024: "2024年末,规模以上工业企业230家" is the newest level; the plan's
    # 2026 target of 300家 is a goal
    assert [(r["period"], r["role"], r["value"], r["as_written"]) for r in fengyuan] == [
        ("2024", "", "230", "230家")]
    table = cli("compare", "above_scale_industrial_firms", "--db", levels_db,
                env={"COLUMNS": "120"})
    assert table.exit_code == 0, table.stderr
    assert "300" not in table.stdout and "target" not in table.stdout
    assert "changes and targets" in table.stderr


def test_role_target_compares_the_targets(cli, levels_db: str) -> None:
    rows = _rows(cli, levels_db, "compare", "above_scale_industrial_firms", "--role", "target")
    assert [(r["zone"], r["period"], r["role"], r["value"], r["as_written"]) for r in rows] \
        == [("fengyuan", "2026", "target", "300", "300家")]
    found = _rows(cli, levels_db, "query", "indicators", "--role", "target")
    assert [(r["zone"], r["quote"]) for r in found] == [
        ("fengyuan", "力争到2026年,全区规模以上工业企业达到300家")]
    every = _rows(cli, levels_db, "compare", "above_scale_industrial_firms", "--all")
    assert ("2026", "target", "300家") in {(r["period"], r["role"], r["as_written"])
                                           for r in every}


@pytest.mark.parametrize("role", ENUMS["facts"]["role"])
def test_every_role_the_seeds_allow_is_a_role_option(cli, levels_db: str, role: str) -> None:
    for command in (["query", "indicators"], ["compare", "above_scale_industrial_firms"]):
        done = cli(*command, "--role", role, "--db", levels_db, "--csv")
        assert done.exit_code == 0, (command, role, done.stderr)
    bad = cli("query", "indicators", "--role", "goal", "--db", levels_db)
    assert bad.exit_code == 2 and "before, after, change, target" in bad.stderr


def test_without_a_period_the_later_source_wins(cli, levels_db: str) -> None:
    rows = _rows(cli, levels_db, "compare", "above_scale_industrial_firms", "--zone", "lintang")
    # lt-news-2024 (dated 2024-12-01) states 110家; the undated lt-blog's 104家 has the
    # later id but no date
    assert [(r["period"], r["value"], r["as_written"]) for r in rows] == [("", "110", "110家")]
    both = _rows(cli, levels_db, "compare", "above_scale_industrial_firms", "--zone", "lintang",
                 "--all", "-c", "id,as_written")
    assert [r["as_written"] for r in sorted(both, key=lambda r: int(r["id"]))] == \
        ["110家", "104家"]  # by id the undated 104家 would have been the latest


def test_compare_help_says_targets_and_changes_are_not_levels(cli) -> None:
    done = cli("compare", "--help")
    assert done.exit_code == 0
    text = " ".join(done.stdout.split())  # as wrapped to the terminal's width
    assert "targets and changes are not levels" in text
    assert "before, after, change or target" in text
