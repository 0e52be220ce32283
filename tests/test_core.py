"""The core promise: seed from the two articles, query indicators, every figure traceable.

Expected values here were read off the source texts by hand, not copied from output.
Database tests run on SQLite and PostgreSQL (``shared_db``, ``any_db``, ``any_new_db``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, SEEDS, break_seed, query_rows

KEYS = {"zone", "metric", "value", "unit", "qualifier", "period", "as_written", "source",
        "quote", "start", "end"}


def test_sources_are_byte_for_byte_copies_of_shared_seeds() -> None:
    shared = REPO.parent / "shared" / "seeds"
    if not shared.is_dir():
        pytest.skip("../shared/seeds is not beside this checkout")
    ours = sorted(p.read_bytes() for p in (SEEDS / "sources").glob("*.txt"))
    theirs = sorted(p.read_bytes() for p in shared.glob("*.txt"))
    assert ours == theirs


def test_query_ganzhou_json_has_every_key_and_true_quotes(cli, shared_db: str) -> None:
    result = cli("query", "indicators", "--db", shared_db, "--zone", "ganzhou", "-f", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert len(rows) >= 50
    texts = dict(query_rows(shared_db, "SELECT slug, text FROM sources"))
    for row in rows:
        assert KEYS <= set(row)
        assert row["zone"] == "ganzhou"
        assert texts[row["source"]][row["start"]:row["end"]] == row["quote"]


def test_cli_count_matches_plain_sql(cli, shared_db: str) -> None:
    result = cli("query", "indicators", "--db", shared_db, "-f", "json")
    [(count,)] = query_rows(shared_db, "SELECT count(*) FROM v_indicators")
    assert len(json.loads(result.stdout)) == count >= 50


@pytest.mark.parametrize(("as_written", "value", "unit", "qualifier"), [
    ("1300余家", 1300, "家", "more_than"),          # 已培育工业企业1300余家
    ("619.79亿元", 61_979_000_000, "CNY", None),    # 签约总金额619.79亿元
    ("97.15%", 97.15, "percent", None),              # 网上办事率达97.15%
    ("超600亿元", 60_000_000_000, "CNY", "more_than"),  # 解决融资超600亿元
    ("3.31万人次", 33_100, "人次", None),            # 入厅办事人员同比减少3.31万人次
    ("173.83亿元", 17_383_000_000, "CNY", None),    # split by a page break in the source
    ("20.62%", 20.62, "percent", None),              # 营收同比增长20.62%
])
def test_values_are_read_from_the_words(shared_db: str, as_written, value, unit,
                                        qualifier) -> None:
    rows = query_rows(shared_db, "SELECT value, unit, qualifier FROM v_indicators "
                      "WHERE as_written = ?", as_written)
    assert rows, f"{as_written} is not in the database"
    assert all(r == (pytest.approx(value), unit, qualifier) for r in rows)


def test_line_broken_quote_is_stored_raw(shared_db: str) -> None:
    [(quote,)] = query_rows(shared_db,
                            "SELECT quote FROM v_indicators WHERE as_written = '173.83亿元'")
    assert "\n" in quote  # the page-break line break stays in the stored quote


def test_zone_by_chinese_name_and_alias(cli, shared_db: str) -> None:
    by_slug = cli("query", "indicators", "--db", shared_db, "--zone", "ruijin", "-f", "json")
    by_name = cli("query", "indicators", "--db", shared_db, "--zone", "瑞金经济技术开发区",
                  "-f", "json")
    assert json.loads(by_slug.stdout) == json.loads(by_name.stdout) != []


def test_unknown_zone_suggests(cli, shared_db: str) -> None:
    result = cli("query", "indicators", "--db", shared_db, "--zone", "ganzou")
    assert result.exit_code == 2
    assert "did you mean ganzhou" in result.stderr
    assert "Traceback" not in result.output


def test_unknown_metric_suggests(cli, shared_db: str) -> None:
    result = cli("query", "indicators", "--db", shared_db, "--metric", "industrial_firm")
    assert result.exit_code == 2
    assert "industrial_firms" in result.stderr


def test_reseeding_gives_identical_rows(cli, any_new_db: str) -> None:
    outputs = []
    for _ in range(2):
        assert cli("seed", "--db", any_new_db, "--seeds", str(SEEDS)).exit_code == 0
        outputs.append(cli("query", "indicators", "--db", any_new_db, "-f", "json").stdout)
    assert outputs[0] == outputs[1]


@pytest.mark.parametrize(("rel", "old", "new", "message"), [
    ("zones.yaml", "- slug: ruijin", "- slug: [ruijin", "YAML syntax error"),
    ("facts/ganzhou-etdz-reform.yaml", "zone: ganzhou", "zone: ganzou",
     "unknown zone 'ganzou' (did you mean ganzhou"),
    ("facts/ganzhou-etdz-reform.yaml", "as_written: 1300余家", "as_written: 1300余户",
     "not inside the quote"),
    ("facts/ganzhou-etdz-reform.yaml", "已培育工业企业1300余家", "已培育农业企业1300余家",
     "quote not found in source ganzhou-etdz-reform"),
    ("facts/jiangxi-zones-roundup.yaml", "as_written: 8个", "as_written: 个",
     "cannot read a number"),
    # SQLite would store it, PostgreSQL's varchar(40) refuses it: both engines refuse it
    ("zones.yaml", "kind: etdz", "kind: " + "经济技术开发区" * 6,
     "'kind' is 42 characters long; the database takes at most 40"),
])
def test_bad_seed_is_reported_with_file_and_line(cli, shared_db: str, snapshot,
                                                 seeds_copy: Path, rel, old, new,
                                                 message) -> None:
    before = snapshot(shared_db)  # on SQLite this includes the file's sha256
    line = break_seed(seeds_copy, rel, old, new)
    result = cli("seed", "--db", shared_db, "--seeds", str(seeds_copy))
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.output
    shown = [ln for ln in result.stderr.splitlines() if message in ln][0]
    file_part, line_part = shown.split(":")[0:2]
    assert file_part.endswith(rel)
    assert abs(int(line_part) - line) <= 8  # the record's line or the key's own line
    assert snapshot(shared_db) == before


def test_models_and_migrations_do_not_drift(shared_db: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from zonedb.store.db import make_engine, resolve_url
    from zonedb.store.models import Base
    from zonedb.store.search import include_name

    engine = make_engine(resolve_url(shared_db))
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_name": include_name})
        diff = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert diff == []


def test_seed_length_limits_are_the_column_lengths() -> None:
    from sqlalchemy import String

    from zonedb.seeds.spec import SPECS, max_chars
    from zonedb.store.models import Base

    spec_of = {"sources": "source", "zones": "zone", "indicators": "facts"}
    checked = 0
    for table in Base.metadata.tables.values():
        if table.name == "search_rows":  # derived by every seeding, never written in seeds
            continue
        spec = spec_of.get(table.name, table.name)
        for column in table.columns:
            if isinstance(column.type, String) and column.type.length:
                assert max_chars(spec, column.name) == column.type.length, column
                checked += 1
                if column.name != "sha256":  # computed from the file, not written in a seed
                    assert column.name in SPECS[spec], column
    assert checked >= 15


def test_alembic_cli_from_repo_root(tmp_path: Path) -> None:
    env = {**os.environ, "ZONEDB_DB": str(tmp_path / "a.db")}
    alembic = [sys.executable, "-m", "alembic"]
    for args in (["upgrade", "head"], ["check"], ["downgrade", "base"]):
        done = subprocess.run([*alembic, *args], cwd=REPO, env=env, capture_output=True,
                              text=True)
        assert done.returncode == 0, done.stderr


def test_first_query_seeds_the_default_database(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "ZONEDB_DB"}
    done = subprocess.run([sys.executable, "-m", "zonedb", "query", "indicators", "--zone",
                           "anyuan", "-f", "csv"], cwd=tmp_path, env=env, capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr
    assert "seeding" in done.stderr
    assert (tmp_path / "zonedb.db").exists()
    assert done.stdout.startswith("id,zone,metric")
    assert "安源" in done.stdout or "anyuan" in done.stdout


def test_seed_script_wrapper(any_new_db: str) -> None:
    done = subprocess.run([sys.executable, str(REPO / "scripts" / "seed.py"), "--db",
                           any_new_db, "--seeds", str(SEEDS)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    [(seeded,)] = query_rows(any_new_db, "SELECT count(*) FROM indicators")
    assert isinstance(seeded, int) and seeded > 0


def test_sql_may_start_with_a_comment(cli, shared_db: str) -> None:
    result = cli("sql", "--db", shared_db, "-- how many figures\nSELECT count(*) AS n "
                 "FROM v_indicators", "-f", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "n"
