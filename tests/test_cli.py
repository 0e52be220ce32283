"""The whole CLI through the real Typer app on a seeded database, on SQLite and on
PostgreSQL: every query subcommand and filter, each output format's exact shape, the
read-only guard of `zonedb sql`, and show / cite / compare / export. Tests that only read
share one database per engine (``shared_db``); tests that write get their own (``any_db``)."""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
import typer

from conftest import query_rows
from zonedb.cli import app

TABLES = ["indicators", "reforms", "firms", "funds", "projects", "people", "zones", "metrics",
          "sources"]
ANSI = re.compile(r"\x1b\[")


def ok(result: Any) -> str:
    assert result.exit_code == 0, (result.exit_code, result.stdout, result.stderr)
    return str(result.stdout)


def count(db: str, sql: str, *params: object) -> int:
    """A number straight from the database (sqlite3 or psycopg), not through zonedb."""
    return int(query_rows(db, sql, *params)[0][0])  # type: ignore[call-overload]


def rows_json(cli: Any, db: str, *args: str) -> list[dict[str, Any]]:
    data = json.loads(ok(cli(*args, "--db", db, "-f", "json")))
    assert isinstance(data, list)
    return data


def digest(path: Any) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- query: every table, every filter -----------------------------------------------------

@pytest.mark.parametrize("table", TABLES)
def test_query_lists_every_row_with_its_id(cli, shared_db, table) -> None:
    data = rows_json(cli, shared_db, "query", table)
    assert len(data) == count(shared_db, f"SELECT count(*) FROM {table}")
    assert [r["id"] for r in data] == sorted(r["id"] for r in data)


def test_zone_filter_is_repeatable_and_takes_names_and_aliases(cli, shared_db) -> None:
    both = rows_json(cli, shared_db, "query", "indicators", "--zone", "ganzhou", "--zone", "ruijin")
    assert {r["zone"] for r in both} == {"ganzhou", "ruijin"}
    assert len(both) == count(shared_db, "SELECT count(*) FROM v_indicators WHERE zone IN "
                                         "('ganzhou', 'ruijin')")
    by_slug = rows_json(cli, shared_db, "query", "reforms", "--zone", "ganzhou")
    for name in ("赣州经济技术开发区", "赣州经开区", "Ganzhou Economic and Technological "
                 "Development Zone", "GANZHOU"):
        assert rows_json(cli, shared_db, "query", "reforms", "--zone", name) == by_slug
    assert by_slug and {r["zone"] for r in by_slug} == {"ganzhou"}
    zones = rows_json(cli, shared_db, "query", "zones", "-z", "瑞金经开区")
    assert [z["slug"] for z in zones] == ["ruijin"]


def test_metric_filter_takes_slug_label_and_glob(cli, shared_db) -> None:
    exact = rows_json(cli, shared_db, "query", "indicators", "--metric", "industrial_firms")
    assert exact and {r["metric"] for r in exact} == {"industrial_firms"}
    assert rows_json(cli, shared_db, "query", "indicators", "--metric", "工业企业数量") == exact
    glob = rows_json(cli, shared_db, "query", "indicators", "--metric", "above_scale_*")
    assert {r["metric"] for r in glob} == {"above_scale_industrial_firms"}
    assert len(glob) == count(shared_db, "SELECT count(*) FROM v_indicators WHERE metric LIKE "
                                         "'above_scale_%'")
    metrics = rows_json(cli, shared_db, "query", "metrics", "-m", "*_investment")
    assert {"signed_investment", "total_investment"} <= {m["slug"] for m in metrics}


def test_period_search_sort_limit(cli, shared_db) -> None:
    period = rows_json(cli, shared_db, "query", "indicators", "--period", "2024")
    assert period and all(r["period"].startswith("2024") for r in period)
    assert len(period) == count(shared_db, "SELECT count(*) FROM v_indicators WHERE period LIKE "
                                           "'2024%'")
    zh = rows_json(cli, shared_db, "query", "firms", "--search", "电池")
    assert [f["slug"] for f in zh] == ["geely"]
    en = rows_json(cli, shared_db, "query", "firms", "--search", "BATTER")
    assert [f["slug"] for f in en] == ["geely"]
    people = rows_json(cli, shared_db, "query", "people", "--search", "主任")
    assert people and all("主任" in (p["role_zh"] or "") + p["quote"] for p in people)
    top = rows_json(cli, shared_db, "query", "indicators", "--sort", "-value",
                    "--limit", "3")
    assert len(top) == 3
    assert [r["value"] for r in top] == sorted((r["value"] for r in top), reverse=True)
    assert top[0]["value"] == count(shared_db, "SELECT max(value) FROM indicators")
    by_zone = rows_json(cli, shared_db, "query", "reforms", "--sort", "zone,-id")
    assert [(r["zone"], -r["id"]) for r in by_zone] == sorted((r["zone"], -r["id"])
                                                              for r in by_zone)
    assert rows_json(cli, shared_db, "query", "sources", "-n", "0") == []


@pytest.mark.parametrize(("args", "hint"), [
    (["query", "indicators", "--zone", "ganzou"], "did you mean ganzhou"),
    (["query", "reforms", "--zone", "ruijn"], "did you mean ruijin"),
    (["query", "indicators", "--metric", "industrial_firm"], "did you mean industrial_firms"),
    (["query", "indicators", "--zone", "nowhere-at-all"], "choose from: ganzhou"),
    (["query", "indicators", "--sort", "vaule"], "did you mean value"),
    (["query", "reforms", "--metric", "industrial_firms"], "does not apply to reforms"),
    (["query", "sources", "--zone", "ganzhou"], "does not apply to sources"),
])
def test_unknown_names_exit_2_with_one_line_hint(cli, shared_db, args, hint) -> None:
    result = cli(*args, "--db", shared_db)
    assert result.exit_code == 2
    assert hint in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stdout == "" and "Traceback" not in result.stderr


# Columns each table's --search looks in (the CLI's contract, written out here).
SEARCHED = {
    "indicators": ("quote", "metric", "metric_zh", "metric_en", "zone", "zone_zh", "zone_en",
                   "firm", "fund", "project", "as_written"),
    "firms": ("quote", "name_zh", "name_en", "aliases", "industry", "slug"),
}
A_TO_Z = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


@pytest.mark.parametrize("table", SEARCHED)
def test_search_finds_the_literal_text_blind_to_the_case_of_a_to_z(cli, shared_db,
                                                                   table) -> None:
    """%, _ and \\ are text, not LIKE wildcards or escapes, on both engines."""
    columns = SEARCHED[table]
    rows = query_rows(shared_db, f"SELECT id, {', '.join(columns)} FROM v_{table}")
    found_any = 0
    for term in ("%", "_", "\\", "'", "20%", "亿元", "电池", "GEEly", "Zone", "zONE", "al_f",
                 "a%"):
        wanted = term.translate(A_TO_Z)
        expected = [r[0] for r in rows
                    if any(wanted in str(v or "").translate(A_TO_Z) for v in r[1:])]
        got = [r["id"] for r in rows_json(cli, shared_db, "query", table, "--search", term)]
        assert got == expected, term
        found_any += bool(expected)
    assert found_any >= 3


def test_search_folds_width_and_case_on_both_engines(cli, any_db) -> None:
    """Searches compare NFKC-folded, lowercased text on both engines (full-width ＧＤＰ is
    gdp, É is é); a write through `zonedb sql --write` keeps the search index in step."""
    ok(cli("sql", "UPDATE firms SET industry = 'ÉLAN ＧＤＰ Batteries' WHERE id = 1",
           "--write", "--db", any_db))
    for term in ("ÉLAN ＧＤＰ batt", "élan", "ｇｄｐ", "GDP"):
        assert [f["id"] for f in rows_json(cli, any_db, "query", "firms", "-s", term)] \
            == [1], term


def test_period_and_metric_patterns_take_underscore_and_percent_as_text(cli, shared_db) -> None:
    for malformed in ("20_4", "20%"):  # not a period: an error naming the forms, not no rows
        result = cli("query", "indicators", "--db", shared_db, "--period", malformed)
        assert result.exit_code == 2 and "inclusive range (2020..2024" in result.stderr
    assert rows_json(cli, shared_db, "query", "indicators", "--period", "2024") != []
    slugs = [s for s, in query_rows(shared_db, "SELECT slug FROM metrics")]
    for glob, match in (("*_firms", lambda s: s.endswith("_firms")),
                        ("above?scale*", lambda s: s.startswith("above") and s[6:11] == "scale"),
                        ("*al_f*", lambda s: "al_f" in s)):
        got = {m["slug"] for m in rows_json(cli, shared_db, "query", "metrics", "-m", glob)}
        assert got == {s for s in slugs if match(s)} != set(), glob
    # a glob that matches no slug is an error naming the slugs its words come close to
    missed = cli("query", "indicators", "--metric", "indsutrial*", "--db", shared_db)
    assert missed.exit_code == 2 and missed.stdout == ""
    assert "no metric matches 'indsutrial*' (did you mean " in missed.stderr
    assert "industrial_firms" in missed.stderr  # a slug with 'industrial' in it
    nothing = cli("query", "metrics", "-m", "*xyzq*", "--db", shared_db)
    assert nothing.exit_code == 2 and "list them with `zonedb query metrics`" in nothing.stderr


# -- formats ------------------------------------------------------------------------------

def test_csv_is_full_utf8_with_numbers(cli, shared_db) -> None:
    out = ok(cli("query", "indicators", "--db", shared_db, "-f", "csv"))
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == count(shared_db, "SELECT count(*) FROM indicators")
    quotes = dict(query_rows(shared_db, "SELECT id, quote FROM indicators"))
    values = dict(query_rows(shared_db, "SELECT id, value FROM indicators"))
    for row in rows:  # every quote whole, every value readable as the stored number
        assert row["quote"] == quotes[int(row["id"])]
        assert float(row["value"]) == values[int(row["id"])]
    assert "1300余家" in out and "\\u" not in out
    assert rows[0]["value"] == "1300"  # whole numbers without a trailing .0


def test_json_and_jsonl_have_the_same_records_and_numbers_as_numbers(cli, shared_db) -> None:
    data = rows_json(cli, shared_db, "query", "indicators")
    lines = ok(cli("query", "indicators", "--db", shared_db, "-f", "jsonl")).splitlines()
    assert [json.loads(line) for line in lines] == data
    first = data[0]
    assert isinstance(first["id"], int) and isinstance(first["value"], int)
    assert first["value"] == 1300 and first["as_written"] == "1300余家"
    assert any(isinstance(r["value"], float) for r in data)
    assert all(isinstance(r["start"], int) and isinstance(r["end"], int) for r in data)
    raw = ok(cli("query", "indicators", "--db", shared_db, "-f", "json"))
    assert "工业企业" in raw and "\\u" not in raw


def test_markdown_is_a_table_with_one_line_per_row(cli, shared_db) -> None:
    out = ok(cli("query", "zones", "--db", shared_db, "-f", "markdown"))
    lines = out.strip().splitlines()
    assert lines[0].startswith("| id | slug | name_zh |")
    assert set(lines[1]) <= {"|", "-"}
    assert len(lines) == 2 + count(shared_db, "SELECT count(*) FROM zones")
    assert "| 赣州经济技术开发区 |" in out


@pytest.mark.parametrize("table", TABLES)
def test_table_in_a_pipe_has_no_colour_and_shows_ids(cli, shared_db, table) -> None:
    out = ok(cli("query", table, "--db", shared_db, *(("--lang", "zh") if table not in
                                                      ("sources",) else ())))
    assert not ANSI.search(out)
    assert re.search(r"^id  ", out, re.M)
    assert re.search(r"^\s*1  \S", out, re.M)


def test_lang_chooses_label_language(cli, shared_db) -> None:
    wide = {"COLUMNS": "200"}
    en = ok(cli("query", "indicators", "--db", shared_db, "-n", "1", "--lang", "en", env=wide))
    zh = ok(cli("query", "indicators", "--db", shared_db, "-n", "1", "--lang", "zh", env=wide))
    assert "Industrial firms" in en and "工业企业数量" not in en
    assert "工业企业数量" in zh and "Industrial firms" not in zh


# -- sql ----------------------------------------------------------------------------------

@pytest.mark.parametrize("statement", [
    "INSERT INTO zones (slug, name_zh, name_en) VALUES ('x', 'x', 'x')",
    "UPDATE indicators SET value = 0",
    "DELETE FROM reforms",
    "DROP TABLE zones",
    "ATTACH DATABASE 'other.db' AS other",
    "PRAGMA user_version = 7",
    "PRAGMA query_only(0)",
    "select 1; drop table zones",
    "SELECT 1;DROP TABLE zones;",
    "/* just a read */ DeLeTe FROM zones",
    "-- comment\n  update zones set slug = 'x'",
    "WITH doomed AS (SELECT 1) DELETE FROM zones",
    "CREATE TABLE t (x)",
    "VACUUM",
    "REPLACE INTO zones (id, slug, name_zh, name_en) VALUES (1, 'a', 'b', 'c')",
])
def test_sql_refuses_writes_and_leaves_the_database_unchanged(cli, shared_db, snapshot,
                                                              statement) -> None:
    before = snapshot(shared_db)  # on SQLite this includes the file's sha256
    result = cli("sql", "--db", shared_db, "--", statement)
    assert result.exit_code == 1
    assert "Error:" in result.stderr and "Traceback" not in result.stderr
    assert re.search(r"read-only|one statement", result.stderr)
    assert snapshot(shared_db) == before


def test_sql_reads_views_and_keeps_semicolons_inside_strings(cli, shared_db) -> None:
    out = ok(cli("sql", "SELECT slug, 'a;b' AS s FROM v_zones ORDER BY id;", "--db", shared_db,
                 "-f", "json"))
    assert json.loads(out)[0] == {"slug": "ganzhou", "s": "a;b"}


def test_sql_reads_pragma_table_info_on_sqlite(cli, db) -> None:
    info = json.loads(ok(cli("sql", "PRAGMA table_info(zones)", "--db", str(db), "-f",
                             "json")))
    assert "slug" in {c["name"] for c in info}


def test_sql_write_changes_the_database_on_purpose(cli, any_db) -> None:
    ok(cli("sql", "UPDATE zones SET city = 'X' WHERE slug = 'anyuan'", "--db", any_db,
           "--write"))
    assert count(any_db, "SELECT count(*) FROM zones WHERE city = 'X'") == 1


# Each engine's own words, one line (PostgreSQL's LINE/caret lines are not shown).
DB_MESSAGES = {
    "sqlite": ("no such table: no_such_view", 'near "FROM": syntax error'),
    "postgresql": ('relation "no_such_view" does not exist',
                   'syntax error at or near "WHERE"'),
}


def test_sql_errors_are_the_databases_message(cli, shared_db) -> None:
    missing, syntax = DB_MESSAGES["postgresql" if "://" in shared_db else "sqlite"]
    result = cli("sql", "SELECT * FROM no_such_view", "--db", shared_db)
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: {missing}"
    result = cli("sql", "SELECT FROM WHERE", "--db", shared_db)
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: {syntax}"
    result = cli("sql", "SELEC 1", "--db", shared_db)
    assert result.exit_code == 1 and "'selec' does not start a statement" in result.stderr
    assert "Traceback" not in result.stderr


def test_sql_numbers_are_numbers_on_both_engines(cli, shared_db) -> None:
    """PostgreSQL answers avg/sum of integers and decimal literals as NUMERIC; they come out
    as the same numbers SQLite gives, in every format."""
    sql = ("SELECT avg(count) AS mean, sum(count) AS total, 2.5 AS half, 1.0 AS one, "
           "count(*) AS n FROM v_indicators WHERE count IS NOT NULL")
    counts = [int(c) for c, in query_rows(  # type: ignore[call-overload]
        shared_db, "SELECT count FROM v_indicators WHERE count IS NOT NULL")]
    assert counts
    [got] = json.loads(ok(cli("sql", sql, "--db", shared_db, "-f", "json")))
    assert got == {"mean": pytest.approx(sum(counts) / len(counts)), "total": sum(counts),
                   "half": 2.5, "one": 1, "n": len(counts)}
    assert all(type(got[k]) is int for k in ("total", "one", "n"))
    csv_row = ok(cli("sql", sql, "--db", shared_db, "-f", "csv")).splitlines()[1]
    assert csv_row.split(",")[1:] == [str(sum(counts)), "2.5", "1", str(len(counts))]


# Values json has no type for: a blob (bytea) in each engine's SQL, and a date.
UNUSUAL = {"sqlite": "SELECT x'00ff' AS blob, current_date AS day",
           "postgresql": "SELECT '\\x00ff'::bytea AS blob, current_date AS day"}


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_sql_json_writes_blobs_and_dates(cli, shared_db, fmt) -> None:
    sql = UNUSUAL["postgresql" if "://" in shared_db else "sqlite"]
    out = ok(cli("sql", sql, "--db", shared_db, "-f", fmt))
    [got] = [json.loads(line) for line in out.splitlines()] if fmt == "jsonl" else \
        json.loads(out)
    assert got["blob"] == "00ff"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", got["day"])


# -- show ---------------------------------------------------------------------------------

def test_show_json_is_one_object_with_every_section(cli, shared_db) -> None:
    d = json.loads(ok(cli("show", "赣州经济技术开发区", "--db", shared_db, "-f", "json",
                          "--all")))
    assert d["zone"]["slug"] == "ganzhou" and "赣州经开区" in d["zone"]["aliases"]
    assert d["counts"]["indicators"] == count(
        shared_db, "SELECT count(*) FROM indicators i JOIN zones z ON z.id = i.zone_id "
            "WHERE z.slug = 'ganzhou'")
    for name in ("reforms", "firms", "funds", "people", "projects"):
        assert len(d[name]) == d["counts"][name] == count(
            shared_db, f"SELECT count(*) FROM v_{name} WHERE zone = 'ganzhou'"), name
    assert all(not r.get("firm") for r in d["indicators"])
    assert all("\n" not in r["summary"] and len(r["summary"]) <= 110 for r in d["reforms"])
    assert [s["slug"] for s in d["sources"]] == ["ganzhou-etdz-reform"]
    limited = json.loads(ok(cli("show", "ganzhou", "--db", shared_db, "-f", "json", "-n", "2")))
    assert len(limited["reforms"]) == 2 and limited["counts"] == d["counts"]


def test_show_table_and_markdown(cli, shared_db) -> None:
    out = ok(cli("show", "ruijin", "--db", shared_db))
    assert not ANSI.search(out)
    for text in ("瑞金经济技术开发区", "Ruijin Economic", "indicators", "reforms", "firms",
                 "sources", "jiangxi-zones-roundup", "zonedb query indicators -z ruijin"):
        assert text in out, text
    md = ok(cli("show", "anyuan", "--db", shared_db, "-f", "markdown"))
    assert md.startswith("# 安源工业园") and "\n## reforms" in md
    bad = cli("show", "ruijinn", "--db", shared_db)
    assert bad.exit_code == 2 and "did you mean ruijin" in bad.stderr
    assert cli("show", "ruijin", "--db", shared_db, "-f", "csv").exit_code == 2


# -- cite ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("ref", "table"), [
    ("1", "indicators"), ("indicator:5", "indicators"), ("reform:3", "reforms"),
    ("firm:2", "firms"), ("fund:1", "funds"), ("project:4", "projects"),
    ("person:5", "people"), ("zone:1", "zones")])
def test_cite_json_points_at_the_quote_in_the_source(cli, shared_db, ref, table) -> None:
    c = json.loads(ok(cli("cite", ref, "--db", shared_db, "-f", "json")))
    row_id = int(ref.split(":")[-1])
    [(quote, start, end, text, sha)] = query_rows(
        shared_db, f"SELECT t.quote, t.quote_start, t.quote_end, s.text, s.sha256 FROM "
        f"{table} t JOIN sources s ON s.id = t.source_id WHERE t.id = ?", row_id)
    assert (c["quote"], c["start"], c["end"], c["sha256"]) == (quote, start, end, sha)
    assert text[start:end] == quote and c["verified"] is True
    assert c["row_id"] == row_id and c["table"] == table
    assert hashlib.sha256(text.encode()).hexdigest() == c["sha256"]


def test_cite_table_marks_the_quote_in_its_sentence(cli, shared_db) -> None:
    out = ok(cli("cite", "1", "--db", shared_db))
    assert "【目前,已培育工业企业1300余家】" in out
    assert "持续赋能产业高质量发展。【" in out  # the sentence before it is shown
    assert "35f4cbbf6f810aff5bb3b0382ccc6cf2a6a45896d0c4fb80a537c7625ab416dd" in out
    assert "79–95" in out and "江西赣州经济技术开发区" in out and "verified" in out
    assert not ANSI.search(out)


def test_cite_of_a_section_gives_offsets_in_the_file(cli, any_db) -> None:
    # point reform 1 at a span of the commentary section
    sid, text, parent_start, parent_text = query_rows(
        any_db, "SELECT s.id, s.text, s.parent_start, p.text FROM sources s JOIN sources p "
        "ON p.id = s.parent_id ORDER BY s.id")[0]
    query_rows(any_db, "UPDATE reforms SET source_id = ?, quote = ?, quote_start = 10, "
               "quote_end = 30 WHERE id = 1", sid, text[10:30])
    c = json.loads(ok(cli("cite", "reform:1", "--db", any_db, "-f", "json")))
    assert c["section_of"] == "ganzhou-etdz-reform" and c["verified"] is True
    assert c["file"] == "ganzhou-etdz-reform.txt"
    assert (c["file_start"], c["file_end"]) == (parent_start + 10, parent_start + 30)
    assert parent_text[c["file_start"]:c["file_end"]] == c["quote"] == text[10:30]
    out = ok(cli("cite", "reform:1", "--db", any_db))
    assert f"section of ganzhou-etdz-reform, {parent_start + 10}–" in out


@pytest.mark.parametrize(("ref", "code", "message"), [
    ("99999", 1, "no indicators row with id 99999"),
    ("reform:999", 1, "no reforms row with id 999 (ids run 1–"),
    ("widget:1", 2, "cannot read 'widget:1' as an id"),
    ("reform:", 2, "cannot read"),
    ("x", 2, "e.g. reform:3"),
])
def test_cite_unknown_or_malformed_ids(cli, shared_db, ref, code, message) -> None:
    result = cli("cite", ref, "--db", shared_db)
    assert result.exit_code == code
    assert message in result.stderr and "Traceback" not in result.stderr


# -- compare ------------------------------------------------------------------------------

def test_compare_draws_bars_largest_first(cli, shared_db) -> None:
    out = ok(cli("compare", "above_scale_industrial_firms", "--db", shared_db))
    assert not ANSI.search(out)
    bars = [line for line in out.splitlines() if "█" in line]
    assert len(bars) == count(shared_db, "SELECT count(DISTINCT zone) FROM v_indicators WHERE "
                                         "metric = 'above_scale_industrial_firms'")
    lengths = [line.count("█") for line in bars]
    assert lengths == sorted(lengths, reverse=True)
    assert bars[0].startswith("ganzhou") and bars[0].endswith("332 家")
    assert bars[-1].startswith("anyuan") and bars[-1].endswith("104 家")
    assert lengths[-1] == pytest.approx(lengths[0] * 104 / 332, abs=1)


def test_compare_zones_and_json(cli, shared_db) -> None:
    data = rows_json(cli, shared_db, "compare", "signed_investment", "--zone", "瑞金经开区")
    assert [r["zone"] for r in data] == ["ruijin"]
    assert data[0]["value"] == 5655000000 and data[0]["unit"] == "CNY"
    both = rows_json(cli, shared_db, "compare", "Signed investment")
    assert [r["zone"] for r in both] == ["ganzhou", "ruijin"]
    assert cli("compare", "above_scale_*", "--db", shared_db).exit_code == 2
    bad = cli("compare", "signed_investmnt", "--db", shared_db)
    assert bad.exit_code == 2 and "did you mean signed_investment" in bad.stderr


def test_compare_refuses_to_chart_mixed_units(cli, any_db) -> None:
    ok(cli("sql", "UPDATE indicators SET unit = '万元' WHERE id = (SELECT min(id) FROM "
           "v_indicators WHERE metric = 'signed_investment')", "--db", any_db, "--write"))
    result = cli("compare", "signed_investment", "--db", any_db)
    assert result.exit_code == 1
    assert "2 units (CNY, 万元)" in result.stderr and "not drawn on one chart" in result.stderr
    assert "█" not in result.stdout
    assert len(rows_json(cli, any_db, "compare", "signed_investment")) == 2  # data still flows


# -- export -------------------------------------------------------------------------------

def test_export_csv_matches_the_database_and_describes_itself(cli, shared_db, tmp_path) -> None:
    out = tmp_path / "out"
    ok(cli("export", str(out), "--db", shared_db))
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert package["profile"] == "tabular-data-package"
    names = {r["path"] for r in package["resources"]}
    assert names == {f"{t}.csv" for t in TABLES + ["ignored_mentions"]}
    for res in package["resources"]:
        table = res["path"].removesuffix(".csv")
        with (out / res["path"]).open(encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        assert len(rows) - 1 == count(shared_db, f"SELECT count(*) FROM {table}"), table
        assert rows[0] == [f["name"] for f in res["schema"]["fields"]]
        assert res["hash"] == "sha256:" + digest(out / res["path"])
        types = {f["name"]: f["type"] for f in res["schema"]["fields"]}
        assert types["id"] == "integer"
        assert set(types.values()) <= {"integer", "number", "string"}
    ind = next(r for r in package["resources"] if r["name"] == "indicators")
    types = {f["name"]: f["type"] for f in ind["schema"]["fields"]}
    assert types["value"] == "number" and types["quote_start"] == "integer"
    assert types["quote"] == types["zone"] == "string"


def test_export_json(cli, shared_db, tmp_path) -> None:
    ok(cli("export", str(tmp_path / "j"), "--db", shared_db, "--format", "json"))
    package = json.loads((tmp_path / "j" / "datapackage.json").read_text(encoding="utf-8"))
    for res in package["resources"]:
        records = json.loads((tmp_path / "j" / res["path"]).read_text(encoding="utf-8"))
        table = res["path"].removesuffix(".json")
        assert len(records) == count(shared_db, f"SELECT count(*) FROM {table}")
    assert cli("export", str(tmp_path / "j"), "--db", shared_db, "-f", "xml").exit_code == 2
    (tmp_path / "file").write_text("x")
    assert cli("export", str(tmp_path / "file"), "--db", shared_db).exit_code == 2


# -- help, version, shared_db --------------------------------------------------------------------

def _commands(group: Any, prefix: list[str]) -> list[list[str]]:
    found = []
    for name, command in group.commands.items():
        found.append(prefix + [name])
        if hasattr(command, "commands"):  # a group (typer may vendor its own click)
            found += _commands(command, prefix + [name])
    return found


COMMANDS = _commands(typer.main.get_command(app), [])  # type: ignore[arg-type]


def test_every_command_is_listed() -> None:
    names = {" ".join(c) for c in COMMANDS}
    assert {"query indicators", "query sources", "sql", "show", "cite", "compare", "export",
            "db upgrade", "db downgrade", "db current", "db path", "seed"} <= names


def test_help_lists_reading_first_and_plumbing_last(cli) -> None:
    """Every command has its place in `zonedb --help` (one left out falls to the end, after
    the plumbing): reading, then curating, then `db`."""
    listed = ok(cli("--help")).split("Commands:", 1)[1]
    names = [line.split()[0] for line in listed.splitlines() if line.startswith("  ")
             and not line.startswith("   ")]
    assert set(names) == {c[0] for c in COMMANDS}
    assert names[-1] == "db"
    assert names.index("series") < names.index("sql") and names.index("conflicts") < names.index(
        "sql")


@pytest.mark.parametrize("command", [[]] + COMMANDS, ids=lambda c: " ".join(c) or "zonedb")
def test_every_help_has_an_example(cli, command) -> None:
    out = ok(cli(*command, "--help"))
    assert "Example" in out
    assert "zonedb" in out.split("Example", 1)[1]


def test_version_and_db_path(cli, shared_db) -> None:
    assert re.fullmatch(r"zonedb \d+\.\d+\.\d+\S*\n", ok(cli("--version")))
    assert ok(cli("db", "path", "--db", shared_db)).strip() == shared_db
    assert ok(cli("db", "path", env={"ZONEDB_DB": shared_db})).strip() == shared_db


def test_format_is_case_insensitive_and_errors_name_the_choices(cli, shared_db: str) -> None:
    upper = cli("query", "indicators", "-z", "ganzhou", "-f", "CSV", "--db", shared_db)
    lower = cli("query", "indicators", "-z", "ganzhou", "-f", "csv", "--db", shared_db)
    assert upper.exit_code == 0 and upper.stdout == lower.stdout
    assert upper.stdout.startswith("id,zone,metric")
    bad = cli("query", "indicators", "-f", "CSV2", "--db", shared_db)
    assert bad.exit_code == 2
    assert ("'CSV2' is not one of 'table', 'csv', 'json', 'jsonl', 'markdown'"
            in bad.stderr)
    assert "Value error" not in bad.stderr
    helptext = cli("query", "indicators", "--help").stdout
    assert "--zone ZONE" in helptext and "--limit N" in helptext and "list[str]" not in helptext
    drafted = {f: cli("draft", "ganzhou-etdz-reform", "-f", f) for f in ("JSON", "json")}
    assert drafted["JSON"].exit_code == 0, drafted["JSON"].stderr
    assert drafted["JSON"].stdout == drafted["json"].stdout
    assert json.loads(drafted["JSON"].stdout)["source"] == "ganzhou-etdz-reform"


def test_lazy_group_is_typers_group_made_on_demand() -> None:
    """The console script builds each command when asked for (zonedb.cli.app.lazy_command):
    every command path and every --help is the one Typer's own group gives."""
    from zonedb.cli.app import lazy_command

    def helps(group: Any) -> dict[tuple[str, ...], str]:
        out: dict[tuple[str, ...], str] = {}

        def walk(cmd: Any, ctx: Any, path: tuple[str, ...]) -> None:
            out[path] = cmd.get_help(ctx)
            for name in getattr(cmd, "list_commands", lambda _c: [])(ctx):
                sub = cmd.get_command(ctx, name)
                walk(sub, sub.make_context(name, [], parent=ctx, resilient_parsing=True),
                     (*path, name))

        walk(group, group.make_context("zonedb", [], resilient_parsing=True), ())
        return out

    eager, lazy = helps(typer.main.get_command(app)), helps(lazy_command(app))
    assert len(eager) > 30 and ("query", "indicators") in eager
    assert lazy == eager


def test_a_mistyped_command_is_named_by_the_lazy_group(cli: Any) -> None:
    """Typer's "did you mean" looks at the commands already made; the lazy group makes its
    own before a name it does not know is resolved."""
    for args, meant in ((["qurey"], "'query'"), (["query", "indicatrs"], "'indicators'"),
                        (["db", "upgarde"], "'upgrade'")):
        result = cli(*args)
        assert result.exit_code == 2 and f"Did you mean {meant}?" in result.stderr, args


def test_a_run_makes_only_the_command_it_runs(shared_db: Path) -> None:
    """The lazy group builds the options of the command a run names and of no other (the
    point of it: ~40-80 ms a start); --version makes none."""
    from zonedb.cli.app import lazy_command

    group = lazy_command(app)
    everything = set(group.lazy)
    with contextlib.redirect_stdout(io.StringIO()):
        group.main(["query", "zones", "--db", str(shared_db), "--csv"], prog_name="zonedb",
                   standalone_mode=False)
    assert set(group.commands) == {"query"} and set(group.lazy) == everything - {"query"}
    assert len(group.commands["query"].commands) == 1  # zones; not the other eight tables


def test_sql_says_a_misspelt_option_is_one(cli, shared_db: str) -> None:
    """`zonedb sql` takes words beginning with '-' as the statement (ignore_unknown_options),
    but a word that is only a misspelt option is said to be one, with a did-you-mean."""
    r = cli("sql", "--fromat", "csv", "SELECT 1", "--db", shared_db)
    assert r.exit_code == 2 and "no such option: --fromat (did you mean --format?)" in r.stderr
    r = cli("db", "downgrade", "--dv", "x.db", "-1")
    assert r.exit_code == 2 and "(did you mean --db?)" in r.stderr
    r = cli("sql", "SELECT -1 AS x", "--format", "csv", "--db", shared_db)
    assert r.exit_code == 0 and r.stdout == "x\n-1\n"
