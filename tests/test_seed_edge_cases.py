"""Edge cases of re-seeding (unreadable or older databases replaced) and of drafting (section
bounds, encodings, zone names and aliases)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SEEDS


@pytest.mark.parametrize("old", [b"\x00garbage" * 1000, b""], ids=["garbage", "empty"])
def test_reseeding_an_unreadable_file_says_it_was_replaced(cli, tmp_path: Path,
                                                           old: bytes) -> None:
    """The seeding succeeded: its summary must not advise running `zonedb seed` again."""
    path = tmp_path / "old.db"
    path.write_bytes(old)
    force = ["--force"] if old else []  # not SQLite: replaced only on purpose (issue 15)
    result = cli("seed", "--db", str(path), "--seeds", str(SEEDS), *force)
    assert result.exit_code == 0, result.output
    assert "Changes: replaced a file that could not be read as a zonedb database" \
        in result.stderr
    assert "rebuild" not in result.stderr


def test_reseeding_an_older_schema_says_it_was_replaced(cli, db: Path) -> None:
    assert cli("db", "downgrade", "base", "--db", str(db)).exit_code == 0
    result = cli("seed", "--db", str(db), "--seeds", str(SEEDS))
    assert result.exit_code == 0, result.output
    assert "Changes: replaced a file that could not be read as a zonedb database" \
        in result.stderr


def test_draft_of_a_section_whose_bounds_occur_twice_is_refused(cli, seeds_copy: Path) -> None:
    """`zonedb draft` finds a section's bounds as strictly as `zonedb seed` does: a begins
    quote that occurs twice is refused by both, not resolved to its first occurrence."""
    assert cli("draft", "ganzhou-etdz-commentary", "--seeds", str(seeds_copy)).exit_code == 0
    text = seeds_copy / "sources" / "ganzhou-etdz-reform.txt"
    text.write_text(text.read_text(encoding="utf-8") + "\n加快首创性和集成式探索\n",
                    encoding="utf-8")
    r = cli("draft", "ganzhou-etdz-commentary", "--seeds", str(seeds_copy))
    assert r.exit_code == 2, r.output
    assert "source 'ganzhou-etdz-commentary': section begins quote found 2 times in " \
        f"{text}" in r.stderr
    r = cli("seed", "--check", "--seeds", str(seeds_copy))
    assert r.exit_code == 1
    assert "section begins quote found 2 times in source ganzhou-etdz-reform" in r.stderr


def test_draft_of_a_source_that_is_not_utf8_names_the_byte(cli, seeds_copy: Path) -> None:
    text = seeds_copy / "sources" / "jiangxi-zones-roundup.txt"
    text.write_bytes(b"\xff" + text.read_bytes())
    r = cli("draft", "jiangxi-zones-roundup", "--seeds", str(seeds_copy))
    assert r.exit_code == 2, r.output
    assert f"{text} is not UTF-8 text (byte 0)" in r.stderr


def test_zone_given_by_name_or_alias_is_resolved_to_its_slug(cli, seeds_copy: Path,
                                                             tmp_path: Path) -> None:
    """`--zone 赣州经开区` works for `sources add` and `draft` as for every other command."""
    seeds = str(seeds_copy)
    article = tmp_path / "article.txt"
    article.write_text("赣州经开区今年新增企业45家，总数达到61家。\n", encoding="utf-8")
    r = cli("sources", "add", str(article), "--slug", "gz-new", "--zone", "赣州经开区",
            "--seeds", seeds)
    assert r.exit_code == 0, r.output
    manifest = (seeds_copy / "sources" / "manifest.yaml").read_text(encoding="utf-8")
    assert "  # zone: ganzhou   (the default zone of `zonedb draft gz-new`)" in manifest
    for zone in ("瑞金经开区", "瑞金经济技术开发区", "ruijin"):
        r = cli("draft", "gz-new", "--zone", zone, "--seeds", seeds)
        assert r.exit_code == 0, r.output
        zones = [line for line in r.stdout.splitlines() if line.startswith("- zone:")]
        assert zones and set(zones) == {"- zone: ruijin   # zone given by --zone"}, (zone, zones)
    r = cli("draft", "gz-new", "--zone", "nowhere", "--seeds", seeds)
    assert r.exit_code == 2 and "unknown zone 'nowhere'" in r.stderr


def test_zone_alias_shared_by_two_zones_is_refused(cli, seeds_copy: Path) -> None:
    zones = seeds_copy / "zones.yaml"
    zones.write_text(zones.read_text(encoding="utf-8").replace(
        "aliases: [瑞金经开区, 瑞金开发区]", "aliases: [瑞金经开区, 赣州经开区]"), encoding="utf-8")
    r = cli("draft", "jiangxi-zones-roundup", "--zone", "赣州经开区", "--seeds", str(seeds_copy))
    assert r.exit_code == 2
    assert "zone '赣州经开区' names 2 zones" in r.stderr and "ganzhou, ruijin" in r.stderr
