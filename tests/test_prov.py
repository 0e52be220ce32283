"""Issue 17 on its own seeds set (tests/data/prov_seeds): four dated made-up sources and an
undated commentary about one zone over 2022-2024, with a rounded restatement, a revision, a
misprint and one unresolved conflict; every command on both engines."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import PROV_SEEDS, break_seed, query_rows
from zonedb.reports.agreement import preferred
from zonedb.reports.figures import figures_sql
from zonedb.reports.queries import PUBLISHED_BY, as_of_date


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
    assert "1 figure in conflict" in done.stderr


def test_series_shows_three_years_with_source_counts(cli, prov_db: str) -> None:
    done = cli("series", "丰源经开区", "above_scale_industrial_firms", "--db", prov_db,
               "--format", "csv")
    assert done.exit_code == 0, done.stderr
    rows = [(r["period"], r["value"], r["sources"], r["status"], r["flags"])
            for r in _csv(done.stdout)]
    # 2022: 185家, the news item's 158家 is a deprecated misprint; 2023: 超200家 and 205家
    # agree and the exact 205 is preferred; 2024: the bulletin and the undated commentary
    assert rows == [("2022", "185", "2", "agreed", "1 deprecated"),
                    ("2023", "205", "2", "agreed", ""), ("2024", "230", "2", "agreed", "")]
    revenue = _csv(cli("series", "fengyuan", "operating_revenue", "--db", prov_db,
                       "--format", "csv").stdout)
    assert [(r["period"], r["value"], r["status"]) for r in revenue] == [
        ("2022", "", "conflict"), ("2023", "4650000000", "preferred"),
        ("2024", "5200000000", "agreed")]


def test_series_table_draws_the_chart(cli, prov_db: str) -> None:
    done = cli("series", "fengyuan", "above_scale_industrial_firms", "--db", prov_db)
    assert done.exit_code == 0, done.stderr
    assert "█" in done.stdout and "230 家" in done.stdout


def test_as_of_series_follows_the_publication_dates(cli, prov_db: str) -> None:
    firms = ["series", "fengyuan", "above_scale_industrial_firms", "--db", prov_db, "-f", "csv"]
    revenue = ["series", "fengyuan", "operating_revenue", "--db", prov_db, "-f", "csv"]

    def rows(args: list[str], as_of: str) -> list[tuple[str, ...]]:
        done = cli(*args, "--as-of", as_of)
        assert done.exit_code == 0, done.stderr
        assert (f"as of {as_of}: left out 1 source without a date: fy-commentary"
                in done.stderr)
        return [(r["period"], r["value"], r["sources"], r["status"], r["flags"])
                for r in _csv(done.stdout)]

    # by 2023-03-01 only the 2022 bulletin (2023-02-10) is out: 185家, 约40亿元
    assert rows(firms, "2023-03-01") == [("2022", "185", "1", "agreed", "")]
    assert rows(revenue, "2023-03-01") == [("2022", "4000000000", "1", "agreed", "qualified")]
    # by mid-2024 the news item (2023-03-05) and the work report (2024-01-20) are out too:
    # 2023 is 超200家 only, and 2022's 约40亿元 and 41亿元 agree, the exact 41亿元 preferred
    assert rows(firms, "2024-06-30") == [("2022", "185", "2", "agreed", "1 deprecated"),
                                         ("2023", "200", "1", "agreed", "qualified")]
    assert rows(revenue, "2024-06-30") == [("2022", "4100000000", "2", "agreed", ""),
                                           ("2023", "4800000000", "1", "agreed", "")]
    # the 2024 bulletin (2025-02-15) brings 2024, the revision and the 2022 conflict
    assert rows(revenue, "2025-02-15") == [("2022", "", "3", "conflict", ""),
                                           ("2023", "4650000000", "2", "preferred", "revised"),
                                           ("2024", "5200000000", "1", "agreed", "")]


def test_as_of_conflicts_query_and_show(cli, prov_db: str) -> None:
    before = cli("conflicts", "--db", prov_db, "--as-of", "2024-06-30", "-f", "csv")
    assert before.exit_code == 0 and _csv(before.stdout) == []
    none = cli("conflicts", "--db", prov_db, "--as-of", "2024-06-30")  # a table: one line
    assert (none.exit_code, none.stdout) == (0, "No figures in conflict.\n")
    after = cli("conflicts", "--db", prov_db, "--as-of", "2025", "-f", "csv")
    assert after.exit_code == 1 and "as of 2025-12-31" in after.stderr
    assert [r["as_written"] for r in _csv(after.stdout)] == ["约40亿元", "41亿元", "45亿元"]

    def statements(as_of: str) -> list[str]:
        done = cli("query", "indicators", "--db", prov_db, "--as-of", as_of, "-f", "csv")
        assert done.exit_code == 0, done.stderr
        return [r["source"] for r in _csv(done.stdout)]

    every = cli("query", "indicators", "--db", prov_db, "-f", "csv")
    assert len(_csv(every.stdout)) == 12 and "as of" not in every.stderr
    assert statements("2023-03-01") == ["fy-bulletin-2022"] * 2
    assert sorted(set(statements("2024-06"))) == ["fy-bulletin-2022", "fy-news-2023",
                                                  "fy-work-report-2024"]
    assert len(statements("2024-06")) == 6
    assert len(statements("2030-01-01")) == 11  # every dated source; the commentary is not
    sources = _csv(cli("query", "sources", "--db", prov_db, "--as-of", "2024-01-20",
                       "-f", "csv").stdout)
    assert [r["slug"] for r in sources] == ["fy-bulletin-2022", "fy-news-2023",
                                            "fy-work-report-2024"]
    show = cli("show", "fengyuan", "--db", prov_db, "--as-of", "2023-03-05", "-f", "json",
               "--all")
    assert show.exit_code == 0, show.stderr
    dossier = json.loads(show.stdout)
    assert [i["as_written"] for i in dossier["indicators"]] == ["185家", "158家", "约40亿元",
                                                                "41亿元"]
    assert [s["slug"] for s in dossier["sources"]] == ["fy-bulletin-2022", "fy-news-2023"]
    assert "left out 1 source without a date" in show.stderr
    bad = cli("series", "fengyuan", "operating_revenue", "--db", prov_db, "--as-of", "2024-13")
    assert bad.exit_code == 2 and "--as-of '2024-13' is not a date" in bad.stderr
    metrics = cli("query", "metrics", "--db", prov_db, "--as-of", "2024")
    assert metrics.exit_code == 2 and "--as-of does not apply to metrics" in metrics.stderr


@pytest.mark.parametrize(("given", "meant"), [("2024", "2024-12-31"), ("2024-02", "2024-02-29"),
                                              ("2023-02", "2023-02-28"),
                                              ("2024-06-30", "2024-06-30")])
def test_as_of_date_means_the_last_day_of_a_period(given: str, meant: str) -> None:
    assert as_of_date(given) == meant


def test_figures_sql_is_the_view(prov_db: str) -> None:
    """figures.py's copy of the v_figures body (for --as-of) gives the view's rows."""
    view = query_rows(prov_db, "SELECT * FROM v_figures ORDER BY zone, metric, period")
    copy = query_rows(prov_db, figures_sql() + " ORDER BY zone, metric, period")
    assert copy == view and len(view) == 6
    dated = query_rows(prov_db, figures_sql(as_of=True).replace(":as_of", "'2030-01-01'")
                       + " ORDER BY zone, metric, period")
    assert [r for r in dated if r[1] == "operating_revenue"] == \
        [r for r in view if r[1] == "operating_revenue"]  # the commentary states no revenue
    # the same for v_indicators.preferred (migration 000N_ranks) and agreement.preferred,
    # which --preferred uses as of a date
    flags = query_rows(prov_db, "SELECT id, preferred FROM v_indicators ORDER BY id")
    assert query_rows(prov_db, f"SELECT i.id, {preferred()} FROM indicators i ORDER BY id") \
        == flags
    published = f" AND j.source_id IN (SELECT s.id FROM sources s WHERE {PUBLISHED_BY})"
    dated = query_rows(prov_db, f"SELECT i.id, {preferred('i', published)} FROM indicators i "
                       "ORDER BY id".replace(":as_of", "'2030-01-01'"))
    assert [r for r in dated if r[0] != 11] == [r for r in flags if r[0] != 11]  # 11: undated


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
        (break_seed(seeds, manifest, "kind: news", "kind: blog"), "kind must be one of article"),
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


def _before_ranks() -> str:
    """The revision 000N_ranks (v_indicators with ranks) was written on."""
    from alembic.script import ScriptDirectory

    from zonedb.store.revisions import alembic_config

    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    ranks = next(r for r in script.walk_revisions() if r.revision.endswith("_ranks"))
    return str(ranks.down_revision)


def test_upgrade_from_before_ranks_and_from_0001_keeps_data(cli, prov_own_db: str) -> None:
    prov_db = prov_own_db
    before = query_rows(prov_db, "SELECT id, value, quote FROM indicators ORDER BY id")
    ranked = query_rows(prov_db, "SELECT id, rank, rank_reason, preferred FROM v_indicators "
                                 "ORDER BY id")
    # a database of the revision before: v_indicators without ranks, the rest the same
    assert cli("db", "downgrade", _before_ranks(), "--db", prov_db).exit_code == 0
    assert query_rows(prov_db, "SELECT id, value, quote FROM indicators ORDER BY id") == before
    with pytest.raises(Exception):  # noqa: B017,PT011  (sqlite3 or psycopg: no such column)
        query_rows(prov_db, "SELECT rank FROM v_indicators")
    done = cli("db", "upgrade", "--db", prov_db)
    assert done.exit_code == 0, done.stderr
    assert query_rows(prov_db, "SELECT id, rank, rank_reason, preferred FROM v_indicators "
                               "ORDER BY id") == ranked
    assert [r[0] for r in ranked if r[3] == 1] == [int(i) for i in PREFERRED]
    assert [(r[0], r[1]) for r in ranked if r[1]] == [(2, "deprecated"), (9, "preferred")]
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


CITATIONS = {  # from sources/manifest.yaml: who. title. publisher, date. url, accessed. licence
    "fy-bulletin-2022": "丰源经开区统计局. 丰源经开区2022年统计公报. 2023-02-10. "
                        "https://example.org/fengyuan/bulletin-2022, accessed 2026-12-01. "
                        "Licence: CC-BY-4.0.",
    "fy-news-2023": "王明. 丰源经开区去年成绩单出炉. 丰源日报, 2023-03-05. "
                    "https://example.org/news/2023/fengyuan.",
    "fy-work-report-2024": "丰源经开区管委会. 丰源经开区2024年政府工作报告. 2024-01-20.",  # stored
    "fy-bulletin-2024": "丰源经开区统计局. 丰源经开区2024年统计公报. 2025-02-15.",
    "fy-commentary": "丰源观察网. 丰源经开区发展观察. https://example.org/opinion/fengyuan, "
                     "accessed 2026-11-30.",
}


def test_every_source_citation_prints(cli, prov_db: str) -> None:
    done = cli("cite", "sources", "--db", prov_db)
    assert done.exit_code == 0, done.stderr
    assert done.stdout.splitlines() == [f"{slug}: {text}" for slug, text in CITATIONS.items()]
    one = cli("cite", "source:fy-news-2023", "--db", prov_db, "-f", "json")
    assert json.loads(one.stdout)["citation"] == CITATIONS["fy-news-2023"]
    row = cli("cite", "3", "--db", prov_db)  # 约40亿元, in the 2022 bulletin
    assert row.exit_code == 0 and "【全年实现营业收入约40亿元】" in row.stdout
    assert f"cite as: {CITATIONS['fy-bulletin-2022']}" in row.stdout
    missing = cli("cite", "source:nope", "--db", prov_db)
    assert missing.exit_code != 0 and "no source 'nope'" in missing.stderr


def test_cite_csl_json_and_bibtex(cli, prov_db: str) -> None:
    items = json.loads(cli("cite", "sources", "--db", prov_db, "-f", "csl-json").stdout)
    assert [(i["id"], i["type"]) for i in items] == [
        ("fy-bulletin-2022", "report"), ("fy-news-2023", "article-newspaper"),
        ("fy-work-report-2024", "report"), ("fy-bulletin-2024", "report"),
        ("fy-commentary", "article")]
    news = items[1]
    assert news["author"] == [{"literal": "王明"}] and news["container-title"] == "丰源日报"
    assert news["issued"] == {"date-parts": [[2023, 3, 5]]}
    assert news["URL"] == "https://example.org/news/2023/fengyuan"
    assert items[0]["accessed"] == {"date-parts": [[2026, 12, 1]]}
    assert items[0]["license"] == "CC-BY-4.0" and "issued" not in items[4]
    one = json.loads(cli("cite", "4", "--db", prov_db, "-f", "csl-json").stdout)  # 41亿元
    assert [i["id"] for i in one] == ["fy-news-2023"]
    bib = cli("cite", "sources", "--db", prov_db, "-f", "bibtex").stdout
    assert re.findall(r"^@(\w+)\{([^,]+),$", bib, re.M) == [
        ("techreport", "fy-bulletin-2022"), ("article", "fy-news-2023"),
        ("techreport", "fy-work-report-2024"), ("techreport", "fy-bulletin-2024"),
        ("misc", "fy-commentary")]
    assert bib.count("{") == bib.count("}")
    news_entry = bib.split("\n\n")[1]
    assert "  author = {王明}" in news_entry and "  journal = {丰源日报}" in news_entry
    assert "  date = {2023-03-05}" in news_entry and "  year = {2023}" in news_entry
    assert "  author = {{丰源经开区统计局}}" in bib and "  urldate = {2026-12-01}" in bib


def test_export_validates_with_frictionless_and_carries_origins(cli, prov_db: str,
                                                                 tmp_path: Path) -> None:
    import frictionless

    out = tmp_path / "out"
    assert cli("export", str(out), "--db", prov_db).exit_code == 0
    report = frictionless.validate(str(out / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    origins = {o["zonedb_source"]: o for o in package["origins"]}
    assert list(origins) == list(CITATIONS)
    assert origins["fy-bulletin-2022"] == {
        "producer": "丰源经开区统计局", "title": "丰源经开区2022年统计公报",
        "citation_full": CITATIONS["fy-bulletin-2022"],
        "url_main": "https://example.org/fengyuan/bulletin-2022",
        "date_published": "2023-02-10", "date_accessed": "2026-12-01",
        "license": {"name": "CC-BY-4.0"}, "kind": "statistical_bulletin", "language": "zh",
        "zonedb_source": "fy-bulletin-2022",
        "sha256": "6eecc345f2039d6b7c6e3ae848b35dd3feaab617ab7d54f9b742e03e91b652dc"}
    assert "date_published" not in origins["fy-commentary"]
    assert [s["title"] for s in package["sources"]] == list(CITATIONS.values())
    indicators = next(r for r in package["resources"] if r["name"] == "indicators")
    assert [s["title"] for s in indicators["sources"]] == list(CITATIONS.values())
    fields = {f["name"]: f for f in indicators["schema"]["fields"]}
    assert fields["value"]["zonedb:units"]["CNY"]["scale"] == 1
    assert "4000000000" in fields["value"]["zonedb:units"]["CNY"]["note"]
    assert {m["slug"]: m["unit"] for m in fields["metric"]["zonedb:metrics"]} == {
        "above_scale_industrial_firms": "家", "operating_revenue": "CNY"}
    with (out / "sources.csv").open(encoding="utf-8", newline="") as fh:
        cited = {r["slug"]: r["citation"] for r in csv.DictReader(fh)}
    assert cited == CITATIONS


def test_compare_preferred_gives_one_value_per_figure(cli, prov_db: str) -> None:
    every = _csv(cli("compare", "operating_revenue", "--db", prov_db, "--all", "-f",
                     "csv").stdout)
    assert len(every) == 6  # every statement: 3 for 2022, 2 for 2023, 1 for 2024
    done = cli("compare", "operating_revenue", "--db", prov_db, "--preferred", "-f", "csv")
    assert done.exit_code == 0, done.stderr
    # 2023: the revision 46.5亿元 (ranked preferred) over the work report's 48亿元; 2022 is in
    # conflict (约40亿元 / 41亿元 against 45亿元) and left out, and named
    assert [(r["period"], r["value"], r["as_written"]) for r in _csv(done.stdout)] == [
        ("2024", "5200000000", "52亿元"), ("2023", "4650000000", "46.5亿元")]
    assert "left out 1 figure in conflict (zonedb conflicts): fengyuan 2022" in done.stderr
    firms = _csv(cli("compare", "above_scale_industrial_firms", "--db", prov_db,
                     "--preferred", "-f", "csv").stdout)
    # 2022: 185家, not the deprecated misprint 158家; 2023: the exact 205家, not 超200家
    assert [(r["period"], r["as_written"]) for r in firms] == [
        ("2024", "230家"), ("2023", "205家"), ("2022", "185家")]


# The statements by id, as in facts/fengyuan.yaml: 1 185家, 2 158家 (deprecated misprint),
# 3 约40亿元, 4 41亿元, 5 45亿元 (2022 revenue: in conflict), 6 超200家, 7 205家,
# 8 48亿元, 9 46.5亿元 (preferred revision), 10 230家 (bulletin), 11 230家 (commentary),
# 12 52亿元.
PREFERRED = ["1", "7", "9", "10", "12"]


def test_query_indicators_shows_ranks_and_keeps_preferred_ones(cli, prov_db: str) -> None:
    every = {r["id"]: r for r in _csv(cli("query", "indicators", "--db", prov_db,
                                          "-f", "csv").stdout)}
    assert (every["2"]["rank"], every["2"]["rank_reason"]) == (
        "deprecated", "misprint of 185家 (the 2022 statistical bulletin), digits transposed")
    assert (every["9"]["rank"], every["9"]["rank_reason"]) == (
        "preferred", "later revision by the statistics bureau (修订为)")
    assert [i for i, r in every.items() if r["rank"]] == ["2", "9"]
    done = cli("query", "indicators", "--db", prov_db, "--preferred", "-f", "csv")
    assert done.exit_code == 0, done.stderr
    # 185家 over the misprint, 205家 over 超200家, the revision over 48亿元, the first of
    # the two 230家, 52亿元; the 2022 revenue is in conflict: left out, and named
    assert [(r["id"], r["as_written"]) for r in _csv(done.stdout)] == [
        ("1", "185家"), ("7", "205家"), ("9", "46.5亿元"), ("10", "230家"), ("12", "52亿元")]
    assert done.stderr == ("left out 1 figure in conflict (zonedb conflicts): "
                           "fengyuan operating_revenue 2022\n")
    assert query_rows(prov_db, "SELECT id FROM v_indicators WHERE preferred = 1 ORDER BY id"
                      ) == [(int(i),) for i in PREFERRED]
    # as of mid-2024 (bulletin 2022, news 2023, work report 2024): 41亿元 is the more
    # precise of the agreeing 约40亿元 and 41亿元, and 超200家 and 48亿元 stand alone
    then = cli("query", "indicators", "--db", prov_db, "--preferred", "--as-of", "2024-06-30",
               "-f", "csv")
    assert [r["as_written"] for r in _csv(then.stdout)] == ["185家", "41亿元", "超200家",
                                                           "48亿元"]
    assert "in conflict" not in then.stderr
    # a search keeps the preferred statements it matches; the conflict it does not reach
    # is not named
    revised = cli("query", "indicators", "--db", prov_db, "--preferred", "--search", "修订",
                  "-f", "csv")
    assert [r["id"] for r in _csv(revised.stdout)] == ["9"] and revised.stderr == ""
    wide = cli("query", "indicators", "--db", prov_db, "-m", "operating_revenue",
               env={"COLUMNS": "120"})
    assert re.search(r"^ 9 .* 46\.5亿元 +preferred +later revision", wide.stdout, re.M), \
        wide.stdout
    narrow = cli("query", "indicators", "--db", prov_db, "-m", "operating_revenue")  # 80
    assert re.search(r"^ 9 .* 46\.5亿元 +preferred +营业收入", narrow.stdout, re.M)
    assert "left out to fit 80 columns: rank_reason;" in narrow.stderr
    sources = cli("query", "sources", "--db", prov_db, "--preferred")
    assert sources.exit_code == 2 and "--preferred does not apply to sources" in sources.stderr
