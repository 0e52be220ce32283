"""CLI messages and option conventions (relative revisions, did-you-mean lists, auto-seeding,
one-way JSON, the light read path), each checked through the real ``zonedb`` command."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import break_seed, query_rows


def test_db_downgrade_takes_a_relative_revision(cli, db: Path) -> None:
    from alembic.script import ScriptDirectory

    from zonedb.store.revisions import alembic_config

    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    parent = script.get_revision(script.get_current_head()).down_revision
    grandparent = script.get_revision(parent).down_revision
    before = query_rows(str(db), "SELECT count(*) FROM indicators")
    result = cli("db", "downgrade", "-2", "--db", str(db))
    assert result.exit_code == 0, result.output
    # two steps down from the head, whichever it is: the data and v_figures (0002) stay
    assert f"revision {grandparent}" in cli("db", "current", "--db", str(db)).stdout
    assert query_rows(str(db), "SELECT count(*) FROM indicators") == before
    assert query_rows(str(db), "SELECT count(*) FROM sqlite_master WHERE name = 'v_figures'"
                      ) == [(1,)]


def test_not_a_database_names_the_seed_command_with_its_path(cli, tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"plain text, not SQLite " * 100)
    result = cli("query", "zones", "--db", str(path))
    assert result.exit_code != 0
    assert f"{path} is not a zonedb database" in result.stderr
    assert "check the path" in result.stderr and "zonedb seed" not in result.stderr  # issue 15


def test_sources_add_and_draft_take_z_for_zone(cli, seeds_copy: Path, tmp_path: Path) -> None:
    article = tmp_path / "article.txt"
    article.write_text("今年新签约项目12个，总投资35亿元。\n", encoding="utf-8")
    seeds = str(seeds_copy)
    added = cli("sources", "add", str(article), "--slug", "review-article", "-z", "ruijin",
                "--seeds", seeds)
    assert added.exit_code == 0, added.stderr
    assert "# zone: ruijin" in (seeds_copy / "sources" / "manifest.yaml").read_text("utf-8")
    default = cli("draft", "review-article", "--seeds", seeds)
    assert default.exit_code == 0, default.stderr
    assert default.stdout.count("- zone: ruijin") == 2  # the zone -z gave `sources add`
    chosen = cli("draft", "review-article", "-z", "anyuan", "--seeds", seeds)
    assert chosen.exit_code == 0, chosen.stderr
    assert chosen.stdout.count("- zone: anyuan") == 2


def _choices(stderr: str) -> list[str]:
    listed = stderr.split("choose from: ", 1)[1].split("; see", 1)[0].strip()
    return [c for c in listed.split(", ") if c != "…"]


def test_unknown_metric_lists_ten_choices_and_the_search_command(cli, db: Path) -> None:
    result = cli("query", "indicators", "--metric", "zzqqxx", "--db", str(db))
    assert result.exit_code == 2
    assert len(_choices(result.stderr)) == 10  # of 69 metrics
    assert ", …; see `zonedb query metrics --search WORD`" in result.stderr


def test_unknown_zone_lists_ten_choices_at_national_scale(cli, db: Path) -> None:
    assert "see `zonedb query" not in cli("show", "zzqqxx", "--db", str(db)).stderr  # 4 zones
    for i in range(12):
        query_rows(str(db), "INSERT INTO zones (id, slug, name_zh, name_en) VALUES (?, ?, ?, ?)",
                   100 + i, f"extra-{i}", f"额外{i}区", f"Extra {i}")
    result = cli("query", "indicators", "-z", "zzqqxx", "--db", str(db))
    assert result.exit_code == 2
    assert _choices(result.stderr) == ["ganzhou", "ruijin", "zhanggong", "anyuan",
                                       *(f"extra-{i}" for i in range(6))]
    assert ", …; see `zonedb query zones --search WORD`" in result.stderr


def test_metric_glob_still_filters(cli, db: Path) -> None:
    result = cli("query", "indicators", "-m", "ETDZ_evaluation_*", "--db", str(db), "-f", "csv")
    metrics = {line.split(",")[2] for line in result.stdout.splitlines()[1:]}
    assert result.exit_code == 0 and metrics == {
        "etdz_evaluation_national_rank", "etdz_evaluation_regional_rank",
        "etdz_evaluation_provincial_rank"}


def _seeded_from(cli) -> str:
    """Where the auto-seeding notice of a first `zonedb query` says it seeds from."""
    result = cli("query", "zones", "-f", "csv", env={"ZONEDB_DB": None})
    assert result.exit_code == 0, result.stderr
    assert Path("zonedb.db").exists()
    match = re.search(r"No database yet: seeding (.+) from the seeds in (.+?)"
                      r"( \(the examples bundled with zonedb; `zonedb init DIR` makes a copy "
                      r"to edit\))?\.\.\.", result.stderr)
    assert match, result.stderr
    assert match.group(1) == str(Path("zonedb.db").absolute())  # exactly where it was made
    assert bool(match.group(3)) == (match.group(2) != "seeds")
    return match.group(2)


def test_auto_seed_names_the_local_seeds_folder(cli, seeds_copy: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(seeds_copy.parent)
    assert _seeded_from(cli) == "seeds"


def test_auto_seed_names_the_bundled_seeds_folder(cli, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no ./seeds here
    folder = Path(_seeded_from(cli))
    assert folder.is_absolute() and (folder / "sources" / "manifest.yaml").exists()


def test_csv_query_imports_no_yaml_sqlalchemy_rich_or_alembic(db: Path) -> None:
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "zonedb", "query",
                           "indicators", "--db", str(db), "-f", "csv"],
                          capture_output=True, text=True, check=True)
    assert done.stdout.startswith("id,zone,metric")
    heavy = re.findall(r"\| +(yaml|sqlalchemy|rich|alembic)\b", done.stderr)
    assert not heavy, sorted(set(heavy))


def _one_json_style(stdout: str) -> Any:
    """The document, after checking it is written the one way render_json writes JSON."""
    doc = json.loads(stdout)
    assert stdout == json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    return doc


def test_show_cite_and_diff_write_json_one_way(cli, db: Path, seeds_copy: Path) -> None:
    shown = _one_json_style(cli("show", "ganzhou", "--db", str(db), "-f", "json").stdout)
    assert shown["zone"]["name_zh"] == "赣州经济技术开发区"
    cited = _one_json_style(cli("cite", "1", "--db", str(db), "-f", "json").stdout)
    assert cited["quote"] == "目前,已培育工业企业1300余家"
    break_seed(seeds_copy, "facts/ganzhou-etdz-reform.yaml", '"目前" (at present)', "目前（现在）")
    result = cli("diff", "--db", str(db), "--seeds", str(seeds_copy), "-f", "json")
    assert result.exit_code == 0, result.stderr
    changed = _one_json_style(result.stdout)
    assert "目前（现在）" in json.dumps(changed["changes"], ensure_ascii=False)


def _show(cli, db: Path, *args: str) -> Any:
    result = cli("show", "ganzhou", "--db", str(db), "-f", "json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_show_limits_like_query_and_all_shows_everything(cli, db: Path) -> None:
    counts = _show(cli, db)["counts"]
    assert counts["indicators"] > 5 and counts["reforms"] > 5
    assert len(_show(cli, db)["reforms"]) == 5  # the default
    assert len(_show(cli, db, "-n", "2")["reforms"]) == 2
    none = _show(cli, db, "-n", "0")  # like `query -n 0`: no rows
    assert none["counts"] == counts and not any(none[k] for k in counts)
    every = _show(cli, db, "--all")
    assert {k: len(every[k]) for k in counts if k != "indicators"} == \
        {k: n for k, n in counts.items() if k != "indicators"}
    both = cli("show", "ganzhou", "--db", str(db), "--all", "-n", "3")
    assert both.exit_code == 2 and "give --all or --limit, not both" in both.stderr


def test_compare_takes_the_shared_period_option(cli, db: Path) -> None:
    def ids(period: str) -> list[str]:
        result = cli("compare", "etdz_evaluation_national_rank", "--period", period,
                     "--db", str(db), "-f", "csv")
        assert result.exit_code == 0, result.stderr
        return [line.split(",")[0] for line in result.stdout.splitlines()[1:]]

    assert ids("2023") == ["4"] and ids("2022") == []
    helps = [" ".join(cli(*cmd, "--help").stdout.split()) for cmd in
             (["compare"], ["query", "indicators"])]
    assert all("--period PERIOD Period such as 2024 or 2024-01/2024-11; 2024 also matches "
               "2024-06." in h for h in helps)
