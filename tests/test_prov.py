"""Issue 17 on its own seeds set (tests/data/prov_seeds): four made-up sources about one
zone over 2022-2024, with a rounded restatement, a revision, a misprint and one unresolved
conflict; every command on both engines."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from conftest import PROV_SEEDS, break_seed, query_rows


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_conflicts_lists_exactly_the_planted_one(cli, prov_db: str) -> None:
    done = cli("conflicts", "--db", prov_db, "--format", "csv")
    assert done.exit_code == 1
    rows = _csv(done.stdout)
    # 2022 revenue: 约40亿元 and 41亿元 agree, 45亿元 (fy-bulletin-2024) does not
    assert [(r["metric"], r["period"], r["as_written"], r["source"]) for r in rows] == [
        ("operating_revenue", "2022", "约40亿元", "fy-bulletin-2022"),
        ("operating_revenue", "2022", "41亿元", "fy-news-2023"),
        ("operating_revenue", "2022", "45亿元", "fy-bulletin-2024")]
    assert rows[2]["quote"] == "2022年营业收入45亿元"
    assert "1 figure(s) in conflict" in done.stderr


def test_series_shows_three_years_with_source_counts(cli, prov_db: str) -> None:
    done = cli("series", "丰源经开区", "above_scale_industrial_firms", "--db", prov_db,
               "--format", "csv")
    assert done.exit_code == 0, done.stderr
    rows = [(r["period"], r["value"], r["sources"], r["status"], r["flags"])
            for r in _csv(done.stdout)]
    # 2022: 185家, the news item's 158家 is a deprecated misprint; 2023: 超200家 and 205家
    # agree and the exact 205 is preferred; 2024: one source
    assert rows == [("2022", "185", "2", "agreed", "1 deprecated"),
                    ("2023", "205", "2", "agreed", ""), ("2024", "230", "1", "agreed", "")]
    revenue = _csv(cli("series", "fengyuan", "operating_revenue", "--db", prov_db,
                       "--format", "csv").stdout)
    assert [(r["period"], r["value"], r["status"]) for r in revenue] == [
        ("2022", "", "conflict"), ("2023", "4650000000", "preferred"),
        ("2024", "5200000000", "agreed")]


def test_series_table_draws_the_chart(cli, prov_db: str) -> None:
    done = cli("series", "fengyuan", "above_scale_industrial_firms", "--db", prov_db)
    assert done.exit_code == 0, done.stderr
    assert "█" in done.stdout and "230 家" in done.stdout


def test_source_metadata_is_stored(prov_db: str) -> None:
    rows = query_rows(prov_db, "SELECT slug, url, date, date_accessed, licence, kind "
                               "FROM v_sources WHERE slug = ?", "fy-bulletin-2022")
    assert rows == [("fy-bulletin-2022", "https://example.org/fengyuan/bulletin-2022",
                     "2023-02-10", "2026-12-01", "CC-BY-4.0", "statistical_bulletin")]
    ranks = query_rows(prov_db, "SELECT as_written, rank FROM indicators WHERE rank IS NOT NULL "
                                "ORDER BY id")
    assert ranks == [("158家", "deprecated"), ("46.5亿元", "preferred")]


def test_bad_source_metadata_and_rank_without_reason_are_refused(cli, tmp_path: Path
                                                                  ) -> None:
    """One broken copy, one seeding run: every problem is reported with its line."""
    seeds = tmp_path / "seeds"
    shutil.copytree(PROV_SEEDS, seeds)
    manifest = "sources/manifest.yaml"
    expected = [
        (break_seed(seeds, manifest, "url: https://example.org/news/2023/fengyuan",
                    "url: example.org/news"), "is not an http(s) URL"),
        (break_seed(seeds, manifest, "date: 2023-03-05", "date: 2023-13-05"), "is not a date"),
        (break_seed(seeds, manifest, "kind: news", "kind: blog"), "kind 'blog' is not one of"),
    ]
    reason = ("  rank_reason: misprint of 185家 (the 2022 statistical bulletin), digits "
              "transposed\n")
    rank_line = break_seed(seeds, "facts/fengyuan.yaml", reason, "") - 1
    done = cli("seed", "--db", str(tmp_path / "x.db"), "--seeds", str(seeds))
    assert done.exit_code == 1
    for line, message in expected:
        assert any(f"manifest.yaml:{line}:" in err and message in err
                   for err in done.stderr.splitlines()), (line, message, done.stderr)
    assert "rank deprecated needs a rank_reason" in done.stderr
    assert f"fengyuan.yaml:{rank_line}:" in done.stderr, done.stderr
    assert "4 problems in the seeds" in done.stderr
    assert not (tmp_path / "x.db").exists()


def test_upgrade_from_0001_keeps_data(cli, prov_own_db: str) -> None:
    prov_db = prov_own_db
    before = query_rows(prov_db, "SELECT id, value, quote FROM indicators ORDER BY id")
    assert cli("db", "downgrade", "0001", "--db", prov_db).exit_code == 0
    assert query_rows(prov_db, "SELECT id, value, quote FROM indicators ORDER BY id") == before
    with pytest.raises(Exception):  # noqa: B017,PT011  (sqlite3 or psycopg: no such view)
        query_rows(prov_db, "SELECT * FROM v_figures")
    done = cli("db", "upgrade", "--db", prov_db)
    assert done.exit_code == 0, done.stderr
    assert query_rows(prov_db, "SELECT id, value, quote FROM indicators ORDER BY id") == before
    # ranks did not exist in 0001: the upgraded database has none, so the misprint and the
    # revision now show as conflicts next to the planted one
    figures = query_rows(prov_db, "SELECT metric, period, status FROM v_figures "
                                  "WHERE status = 'conflict' ORDER BY metric, period")
    assert figures == [("above_scale_industrial_firms", "2022", "conflict"),
                       ("operating_revenue", "2022", "conflict"),
                       ("operating_revenue", "2023", "conflict")]
