"""Shared fixtures: real seeded databases in temporary folders and the real CLI."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zonedb.cli import app
from zonedb.load import seed

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One database seeded from the real seeds, copied by tests that need their own."""
    path = tmp_path_factory.mktemp("template") / "zonedb.db"
    seed(str(path), SEEDS)
    return path


@pytest.fixture
def db(seeded_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the seeded SQLite database for one test."""
    path = tmp_path / "zonedb.db"
    shutil.copy(seeded_template, path)
    return path


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    """A writable copy of the seeds folder, for tests that break it on purpose."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


@pytest.fixture
def cli() -> Callable[..., object]:
    """Run the real CLI in-process; returns the click Result (exit_code, stdout, stderr)."""
    runner = CliRunner()

    def run(*args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
        return runner.invoke(app, list(args), env=env, catch_exceptions=False)

    return run
