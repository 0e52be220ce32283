"""Nothing invented, nothing lost: every seeded row is true to its source, and every
number phrase in the sources is accounted for."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from zonedb.quantity import parse_quantity

TABLES = ("indicators", "reforms", "firms", "funds", "projects", "people", "ignored_mentions")


def test_every_quote_is_its_source_slice(db: Path) -> None:
    conn = sqlite3.connect(db)
    texts = dict(conn.execute("SELECT id, text FROM sources").fetchall())
    checked = 0
    for table in TABLES:
        for source_id, quote, start, end in conn.execute(
                f"SELECT source_id, quote, quote_start, quote_end FROM {table}"):
            assert texts[source_id][start:end] == quote, (table, quote)
            checked += 1
    assert checked > 200


def test_every_value_is_what_the_parser_reads(db: Path) -> None:
    rows = sqlite3.connect(db).execute(
        "SELECT as_written, value, unit, qualifier FROM indicators").fetchall()
    for as_written, value, unit, qualifier in rows:
        q = parse_quantity(as_written)
        assert (q.value, q.unit, q.qualifier) == (value, unit, qualifier), as_written


def test_coverage_is_zero_unaccounted(cli, db: Path) -> None:
    result = cli("coverage", "--db", str(db), "-f", "json")
    rows = json.loads(result.stdout)
    texts = dict(sqlite3.connect(db).execute("SELECT slug, text FROM sources").fetchall())
    assert {r["source"] for r in rows} == {"ganzhou-etdz-reform", "jiangxi-zones-roundup"}
    for r in rows:
        assert texts[r["source"]][r["start"]:r["end"]] == r["text"]
        assert r["status"] in ("linked", "ignored"), r
        assert (r["row"] if r["status"] == "linked" else r["reason"])
    assert result.exit_code == 0


def test_coverage_reports_an_unaccounted_figure(cli, seeds_copy: Path, tmp_path: Path) -> None:
    facts = seeds_copy / "facts" / "jiangxi-zones-roundup.yaml"
    text = facts.read_text(encoding="utf-8")
    start = text.index("- zone:")
    end = text.index("- zone:", start + 1)
    facts.write_text(text[:start] + text[end:], encoding="utf-8")  # drop the first fact
    target = tmp_path / "c.db"
    assert cli("seed", "--db", str(target), "--seeds", str(seeds_copy)).exit_code == 0
    result = cli("coverage", "--db", str(target), "--source", "jiangxi-zones-roundup",
                 "-f", "json")
    assert result.exit_code == 1
    missing = [r for r in json.loads(result.stdout) if r["status"] == "unaccounted"]
    assert missing and missing[0]["text"] == "8个"


def test_extract_any_file(cli, tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("今年前三季度，园区实现营业收入\n\n256.4亿元，同比增长12.5%。",
                       encoding="utf-8")
    result = cli("extract", str(article), "-f", "json")
    assert result.exit_code == 0
    mentions = json.loads(result.stdout)
    found = {(m["text"].replace("\n", ""), m["value"], m["unit"]) for m in mentions}
    assert ("256.4亿元", 25_640_000_000, "CNY") in found
    assert any(m["text"].endswith("12.5%") for m in mentions)
