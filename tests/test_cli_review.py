"""Review findings on the CLI, each checked through the real ``zonedb`` command."""

from __future__ import annotations

from pathlib import Path

from conftest import query_rows


def test_db_downgrade_takes_a_relative_revision(cli, db: Path) -> None:
    result = cli("db", "downgrade", "-1", "--db", str(db))
    assert result.exit_code == 0, result.output
    assert query_rows(str(db), "SELECT count(*) FROM sqlite_master WHERE name = 'indicators'"
                      ) == [(0,)]
    assert "revision none" in cli("db", "current", "--db", str(db)).stdout


def test_not_a_database_names_the_seed_command_with_its_path(cli, tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"plain text, not SQLite " * 100)
    result = cli("query", "zones", "--db", str(path))
    assert result.exit_code != 0
    assert f"run `zonedb seed --db {path}` to rebuild it" in result.stderr
