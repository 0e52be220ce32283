"""Where zonedb's Alembic migrations live and which revision is the newest: what both
the connection layer (to explain a missing table) and the migration commands need."""

from __future__ import annotations

from pathlib import Path


def migrations_dir() -> Path:
    from importlib import resources

    return Path(str(resources.files("zonedb._migrations")))


def alembic_config(url: str):  # type: ignore[no-untyped-def]
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    url = "sqlite://"
    return str(ScriptDirectory.from_config(alembic_config(url)).get_current_head())
