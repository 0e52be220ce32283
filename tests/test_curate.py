"""The curator's loop on a new article: sources add, draft, fill in, seed --check, diff,
seed, query, cite, coverage; then the refusals (taken slug, same text, not UTF-8, empty,
an unfilled draft, a source text edited after curation). Database tests run on SQLite and
PostgreSQL."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import yaml

SLUG = "tongxi-park-2024"
# A short article in the style of the seeds: page breaks as line breaks (one in the
# middle of 86.5亿元) and as blank lines inside a sentence.
ARTICLE = """桐溪高新区：以改革激活园区发展新动能

本报记者 王明

桐溪高新技术产业园区坚持“项目为王”，2024年全年签约项目23个、总投资86.
5亿元，其中10亿元以上项目3个。

“园区的产业链越来越完整了。”桐溪高新区管委会主任李华介绍，2024年园区实现营业收入152.6亿元，同比增长12.3%；规模以上工业企业由45家增至61家，
新增高新技术企业18家。

在改革方面，桐溪高新区将内设机构由14个精简至8个，推行“一站式”服务，企业办事时间平均缩

短约40%。园区计划用3年时间建成“千亿园区”。
"""
ZONE = """- slug: tongxi
  name_zh: 桐溪高新技术产业园区
  name_en: Tongxi Hi-tech Industrial Park
  aliases: [桐溪高新区]
  province: Jiangxi
  level: provincial
  kind: hi-tech zone
"""
METRICS = """- slug: operating_revenue
  label_zh: 营业收入
  label_en: Operating revenue
  unit: CNY
  description: Operating revenue of the zone's firms, in yuan.
- slug: high_tech_firms_added
  label_zh: 新增高新技术企业数
  label_en: High-tech firms added
  unit: 家
  description: Number of high-tech enterprises newly recognised in the zone.
- slug: service_time_cut
  label_zh: 企业办事时间缩短比例
  label_en: Cut in firms' time spent on procedures
  unit: percent
  description: Share by which the time firms spend on administrative procedures fell.
"""
# What the draft must fill in, by as_written, checked against ARTICLE: (metric, period,
# role), or the reason of its ignore entry. 86.5亿元 is the total investment of the 23
# projects; 2024年全年 governs its sentence; 45家 has no year beside it.
EXPECTED: dict[str, Any] = {
    "23个": ("signed_projects", "2024", None),
    "86.5亿元": ("total_investment", "2024", None),
    "3个": ("signed_projects_1bn_plus", "2024", None),
    "152.6亿元": ("operating_revenue", "2024", None),
    "12.3%": ("operating_revenue_growth", "2024", None),
    "45家": ("above_scale_industrial_firms", None, "before"),
    "61家": ("above_scale_industrial_firms", "2024", "after"),
    "18家": ("high_tech_firms", "2024", "change"),
    "14个": ("internal_bodies", None, "before"),
    "8个": ("internal_bodies", None, "after"),
    "约40%": ("service_time_cut", None, None),
}
IGNORED = {"2024年": "a date: the period of the facts it dates",
           "10亿元以上": "threshold in the name of what is counted; the count beside it is "
                         "the fact",
           "3年": "a time frame (用3年时间, 3年内), not a measured figure"}
FACTS = len(EXPECTED)


def new_digest_in(message: str, path: Path) -> bool:
    return hashlib.sha256(path.read_bytes()).hexdigest() in message


def _problems(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if re.match(r"\S+:\d+: ", line)]


def test_the_whole_loop_on_a_new_article(cli, any_db: str, snapshot, seeds_copy: Path,
                                         tmp_path: Path, no_local_db: Path) -> None:
    # no_local_db: `seed --check` below names no --db
    db = any_db
    seeds = str(seeds_copy)
    article = tmp_path / "tongxi.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    (seeds_copy / "zones.yaml").write_text(
        (seeds_copy / "zones.yaml").read_text(encoding="utf-8") + ZONE, encoding="utf-8")
    (seeds_copy / "metrics" / "tongxi.yaml").write_text(METRICS, encoding="utf-8")
    manifest = seeds_copy / "sources" / "manifest.yaml"
    before = manifest.read_text(encoding="utf-8")

    # 1. sources add: the bytes are copied as they are; the manifest keeps its comments
    r = cli("sources", "add", str(article), "--slug", SLUG, "--title",
            "桐溪高新区：以改革激活园区发展新动能", "--author", "王明", "--zone", "tongxi",
            "--seeds", seeds)
    assert r.exit_code == 0, r.stderr
    copied = seeds_copy / "sources" / f"{SLUG}.txt"
    assert copied.read_bytes() == article.read_bytes()
    digest = hashlib.sha256(article.read_bytes()).hexdigest()
    after = manifest.read_text(encoding="utf-8")
    assert after.startswith(before) and f"sha256: {digest}" in after[len(before):]
    assert f"zonedb draft {SLUG}" in r.stderr

    # 2. draft: every fact with zone, metric, period and role filled in from the text
    r = cli("draft", SLUG, "--seeds", seeds)
    assert r.exit_code == 0, r.stderr
    drafted = r.stdout
    entries = yaml.safe_load(drafted)
    got = {e["as_written"]: (e["metric"], e["period"], e.get("role")) for e in entries}
    assert got == EXPECTED
    assert all(e["zone"] == "tongxi" and e["source"] == SLUG for e in entries)
    by_written = {e["as_written"]: e for e in entries}
    assert by_written["86.5亿元"]["quote"] == "2024年全年签约项目23个、总投资86.5亿元"
    line_45 = next(line for line in drafted.splitlines() if line.startswith("  period: null")
                   and "beside the first value" in line)
    assert line_45 == "  period: null   # period null: no year is written beside the first value"
    assert "# CHECK: metric service_time_cut: the closest label to 企业办事时间缩短" in drafted
    r = cli("draft", SLUG, "--seeds", seeds, "--format", "json")
    assert r.exit_code == 0, r.stderr
    d = json.loads(r.stdout)
    assert set(d) >= {"source", "facts", "metrics", "zones", "firms", "funds", "ignore"}
    assert {i["as_written"]: i["reason"] for i in d["ignore"]} == IGNORED
    assert d["metrics"] == d["zones"] == d["firms"] == d["funds"] == []
    fact = d["facts"][0]
    assert {k: fact[k] for k in ("zone", "metric", "period", "as_written", "value", "unit",
                                 "qualifier", "role")} == {
        "zone": "tongxi", "metric": "signed_projects", "period": "2024", "as_written": "23个",
        "value": 23, "unit": "个", "qualifier": None, "role": None}

    # 3. a draft with a field left null is refused, entry by entry, and nothing is written
    facts_file = seeds_copy / "facts" / f"{SLUG}.yaml"
    facts_file.write_text(drafted.replace("metric: operating_revenue ", "metric: null ", 1),
                          encoding="utf-8")
    db_before = snapshot(db)  # on SQLite this includes the file's sha256
    r = cli("seed", "--db", db, "--seeds", seeds)
    assert r.exit_code == 1
    [problem] = [p for p in _problems(r.stderr) if "drafted entry" in p]
    where, line, message = problem.split(":", 2)
    assert where.endswith(f"facts/{SLUG}.yaml")
    assert message.strip() == "metric is not filled in (drafted entry)"
    assert facts_file.read_text(encoding="utf-8").splitlines()[int(line) - 1].startswith(
        "  metric: null")
    assert snapshot(db) == db_before
    facts_file.unlink()

    # 4. accepted as drafted: --write writes the facts and ignore files; seed --check passes
    r = cli("draft", SLUG, "--seeds", seeds, "--write")
    assert r.exit_code == 0, r.stderr
    assert facts_file.read_text(encoding="utf-8") == drafted
    r = cli("draft", SLUG, "--seeds", seeds, "--write")
    assert r.exit_code == 2 and "never overwrites" in r.stderr
    r = cli("seed", "--check", "--seeds", seeds, "-f", "json")
    assert r.exit_code == 0, r.stderr
    counts = {row["table"]: row["rows"] for row in json.loads(r.stdout)}
    assert counts["sources"] == 4 and counts["zones"] == 5
    assert " 0 unaccounted" in r.stderr  # every number phrase of every source is curated

    # 5. diff: exactly the new rows, nothing removed or changed
    r = cli("diff", "--db", db, "--seeds", seeds, "-f", "json")
    assert r.exit_code == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["counts"]["indicators"]["added"] == FACTS
    assert d["counts"]["ignored_mentions"]["added"] == 4
    assert {t: c["added"] for t, c in d["counts"].items() if c["added"]} == {
        "sources": 1, "zones": 1, "metrics": 3, "indicators": FACTS, "ignored_mentions": 4}
    assert not any(c["removed"] or c["changed"] for c in d["counts"].values())
    added = {c["row"]: c["new"] for c in d["changes"] if c["table"] == "indicators"}
    assert added["tongxi/total_investment/2024"] == 8.65e9
    r = cli("diff", "--db", db, "--seeds", seeds, "-f", "csv")
    assert r.exit_code == 0 and "indicators,added,tongxi/total_investment/2024,value," \
        in r.stdout, r.stdout
    r = cli("diff", "--db", db, "--seeds", seeds)
    assert r.exit_code == 0 and re.search(r"^indicators\s+11\s+0\s+0\s", r.stdout, re.M)
    assert snapshot(db) == db_before

    # 6. seed: the summary says what changed; seeding again changes nothing
    r = cli("seed", "--db", db, "--seeds", seeds)
    assert r.exit_code == 0, r.stderr
    assert f"Changes: sources +1, zones +1, metrics +3, indicators +{FACTS}, " \
           "ignored_mentions +4" in r.stderr
    r = cli("seed", "--db", db, "--seeds", seeds)
    assert "Changes: no changes" in r.stderr

    # 7. query, cite, coverage
    r = cli("query", "indicators", "--db", db, "--zone", "tongxi", "-f", "json")
    assert r.exit_code == 0, r.stderr
    rows = json.loads(r.stdout)
    assert len(rows) == FACTS
    got = {(x["metric"], x.get("role")): (x["value"], x["period"]) for x in rows}
    assert got[("total_investment", None)] == (8.65e9, "2024")
    assert got[("above_scale_industrial_firms", "after")] == (61, "2024")
    assert got[("service_time_cut", None)][0] == 40
    investment = next(x for x in rows if x["metric"] == "total_investment")
    r = cli("cite", str(investment["id"]), "--db", db, "-f", "json")
    assert r.exit_code == 0, r.stderr
    c = json.loads(r.stdout)
    assert c["verified"] and c["source"] == SLUG and c["sha256"] == digest
    assert ARTICLE[c["start"]:c["end"]] == c["quote"] and "86.\n5亿元" in c["quote"]
    r = cli("coverage", "--db", db, "--source", SLUG, "-f", "json")
    assert r.exit_code == 0, r.stdout
    assert {m["status"] for m in json.loads(r.stdout)} <= {"linked", "ignored"}

    # 8. a redraft offers nothing: every mention is accounted for
    r = cli("draft", SLUG, "--seeds", seeds)
    assert r.exit_code == 0 and yaml.safe_load(r.stdout) is None

    # 9. the source text is corrected after curation (61家 -> 62家, 18家 -> 19家): seed
    # names the sha256 change and every fact whose quote no longer matches, file:line
    copied.write_text(ARTICLE.replace("61家", "62家").replace("18家", "19家"), encoding="utf-8")
    db_before = snapshot(db)  # on SQLite this includes the file's sha256
    r = cli("seed", "--db", db, "--seeds", seeds)
    assert r.exit_code == 1
    problems = _problems(r.stderr)
    [changed] = [p for p in problems if "the text changed after curation" in p]
    where, line, _ = changed.split(":", 2)
    assert where.endswith("sources/manifest.yaml") and new_digest_in(changed, copied)
    assert manifest.read_text(encoding="utf-8").splitlines()[int(line) - 1] == \
        f"  sha256: {digest}"
    stale = [p for p in problems if "the source text changed since curation" in p]
    facts_lines = facts_file.read_text(encoding="utf-8").splitlines()
    stale_quotes = {facts_lines[int(p.split(":")[1]) - 1].split("quote: ")[1] for p in stale}
    assert stale_quotes == {"规模以上工业企业由45家增至61家",
                            "规模以上工业企业由45家增至61家，新增高新技术企业18家"}
    assert len(stale) == 3  # 45家 and 61家 share a quote; 18家 has its own
    assert snapshot(db) == db_before

    # 10. the curator updates the sha256 and the facts; diff shows old -> new values
    new_digest = hashlib.sha256(copied.read_bytes()).hexdigest()
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(digest, new_digest),
                        encoding="utf-8")
    facts_file.write_text(facts_file.read_text(encoding="utf-8")
                          .replace("61家", "62家").replace("18家", "19家"), encoding="utf-8")
    r = cli("diff", "--db", db, "--seeds", seeds, "-f", "json")
    assert r.exit_code == 0, r.stderr
    d = json.loads(r.stdout)
    values = {(c["row"], c["field"]): (c["old"], c["new"]) for c in d["changes"]}
    assert values[("tongxi/above_scale_industrial_firms/2024 (after)", "value")] == (61, 62)
    assert values[("tongxi/high_tech_firms/2024 (change)", "value")] == (18, 19)
    assert values[(SLUG, "sha256")] == (digest, new_digest)
    assert d["counts"]["indicators"] == {"added": 0, "removed": 0, "changed": 3,
                                         "unchanged": counts["indicators"] - 3}
    r = cli("seed", "--db", db, "--seeds", seeds)
    assert r.exit_code == 0, r.stderr
    assert "Changes: sources ~1, indicators ~3" in r.stderr


def test_sources_add_refusals(cli, seeds_copy: Path, tmp_path: Path) -> None:
    seeds = str(seeds_copy)
    manifest = seeds_copy / "sources" / "manifest.yaml"
    before = manifest.read_bytes()
    listing = sorted(p.name for p in (seeds_copy / "sources").iterdir())
    existing = seeds_copy / "sources" / "jiangxi-zones-roundup.txt"
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes("国家级经济技术开发区".encode("gb18030"))
    empty = tmp_path / "empty.txt"
    empty.write_text(" \n\n", encoding="utf-8")
    fresh = tmp_path / "fresh.txt"
    fresh.write_text(ARTICLE, encoding="utf-8")
    cases = [
        (fresh, "jiangxi-zones-roundup", 1, "already in"),
        (existing, "roundup-again", 1, "same content"),
        (gbk, "gbk-article", 1, "not UTF-8"),
        (empty, "empty-article", 1, "is empty"),
        (fresh, "Bad Slug", 2, "bad slug"),
    ]
    for path, slug, code, message in cases:
        r = cli("sources", "add", str(path), "--slug", slug, "--seeds", seeds)
        assert r.exit_code == code, (slug, r.stderr)
        assert message in r.stderr and "Traceback" not in r.stderr
    r = cli("sources", "add", str(fresh), "--slug", "fresh", "--zone", "nowhere",
            "--seeds", seeds)
    assert r.exit_code == 2 and "unknown zone 'nowhere'" in r.stderr
    assert manifest.read_bytes() == before
    assert sorted(p.name for p in (seeds_copy / "sources").iterdir()) == listing
    r = cli("draft", "no-such-source", "--seeds", seeds)
    assert r.exit_code == 2 and "unknown source 'no-such-source'" in r.stderr


def test_diff_against_a_missing_database(cli, seeds_copy: Path, any_new_db: str,
                                         snapshot) -> None:
    before = snapshot(any_new_db)  # None: no SQLite file; {}: a PostgreSQL one without tables
    r = cli("diff", "--db", any_new_db, "--seeds", str(seeds_copy), "-f", "json")
    assert r.exit_code == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["summary"] == "new database"
    assert d["counts"]["indicators"]["added"] > 0
    assert before in (None, {}) and snapshot(any_new_db) == before


def test_diff_shows_a_corrected_period_as_a_change(cli, shared_db: str,
                                                   seeds_copy: Path) -> None:
    facts = seeds_copy / "facts" / "jiangxi-zones-roundup.yaml"
    text = facts.read_text(encoding="utf-8")
    first = text.index("  metric: investment_promotion_teams\n  period: null")
    facts.write_text(text[:first] + text[first:].replace("period: null", "period: 2024", 1),
                     encoding="utf-8")
    r = cli("diff", "--db", shared_db, "--seeds", str(seeds_copy), "-f", "json")
    assert r.exit_code == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["summary"] == "indicators ~1"
    [change] = d["changes"]
    assert (change["row"], change["field"], change["old"], change["new"]) == (
        "ruijin/investment_promotion_teams/2024", "period", None, "2024")


def test_diff_of_unchanged_seeds_is_empty_on_each_engine(cli, shared_db: str) -> None:
    seeds = str(Path(__file__).resolve().parent.parent / "seeds")
    r = cli("diff", "--db", shared_db, "--seeds", seeds, "-f", "json")
    assert r.exit_code == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["summary"] == "no changes" and d["changes"] == []
    assert d["counts"]["indicators"]["unchanged"] > 0
