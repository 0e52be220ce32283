"""Nothing invented, nothing lost: every seeded row is true to its source, and every
number phrase in the sources is accounted for. Database tests run on SQLite and
PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import query_rows
from zonedb.text.quantity import parse_quantity
from zonedb.text.vocab import QUALIFIERS

TABLES = ("indicators", "reforms", "firms", "funds", "projects", "people", "ignored_mentions")


def test_every_quote_is_its_source_slice(shared_db: str) -> None:
    texts = dict(query_rows(shared_db, "SELECT id, text FROM sources"))
    checked = 0
    for table in TABLES:
        for source_id, quote, start, end in query_rows(
                shared_db, f"SELECT source_id, quote, quote_start, quote_end FROM {table}"):
            assert texts[source_id][start:end] == quote, (table, quote)
            checked += 1
    assert checked > 200


def test_every_value_is_what_the_parser_reads(shared_db: str) -> None:
    rows = query_rows(shared_db,
                      "SELECT as_written, value, unit, qualifier, quote FROM indicators")
    for as_written, value, unit, qualifier, quote in rows:
        q = parse_quantity(as_written)
        assert (q.value, q.unit) == (value, unit), as_written
        if q.qualifier is None and qualifier is not None:  # stated apart, e.g. 约为…十分之一
            words = [w for w, meaning in QUALIFIERS.items() if meaning == qualifier]
            assert any(w in quote for w in words), (as_written, qualifier, quote)
        else:
            assert q.qualifier == qualifier, as_written


def test_a_qualifier_must_be_in_the_quote(cli, shared_db: str, snapshot,
                                          seeds_copy: Path) -> None:
    facts = seeds_copy / "facts" / "jiangxi-zones-roundup.yaml"
    text = facts.read_text(encoding="utf-8")
    facts.write_text(text.replace("  as_written: 28个\n", "  as_written: 28个\n"
                                  "  qualifier: nearly\n", 1), encoding="utf-8")
    before = snapshot(shared_db)  # on SQLite this includes the file's sha256
    result = cli("seed", "--db", shared_db, "--seeds", str(seeds_copy))
    assert result.exit_code == 1
    assert "qualifier 'nearly' contradicts as_written \"28个\"" in result.stderr
    assert snapshot(shared_db) == before


def test_coverage_is_zero_unaccounted(cli, shared_db: str) -> None:
    result = cli("coverage", "--db", shared_db, "-f", "json")
    rows = json.loads(result.stdout)
    texts = dict(query_rows(shared_db, "SELECT slug, text FROM sources"))
    assert {r["source"] for r in rows} == {"ganzhou-etdz-reform", "jiangxi-zones-roundup"}
    for r in rows:
        assert texts[r["source"]][r["start"]:r["end"]] == r["text"]
        assert r["status"] in ("linked", "ignored"), r
        assert (r["row"] if r["status"] == "linked" else r["reason"])
    assert result.exit_code == 0


def test_coverage_reports_an_unaccounted_figure(cli, seeds_copy: Path, any_new_db: str) -> None:
    facts = seeds_copy / "facts" / "jiangxi-zones-roundup.yaml"
    text = facts.read_text(encoding="utf-8")
    start = text.index("- zone:")
    end = text.index("- zone:", start + 1)
    facts.write_text(text[:start] + text[end:], encoding="utf-8")  # drop the first fact
    assert cli("seed", "--db", any_new_db, "--seeds", str(seeds_copy)).exit_code == 0
    result = cli("coverage", "--db", any_new_db, "--source", "jiangxi-zones-roundup",
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
