"""Behaviour pinned while the seeding, curation and diff modules were restructured."""

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
    result = cli("seed", "--db", str(path), "--seeds", str(SEEDS))
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
