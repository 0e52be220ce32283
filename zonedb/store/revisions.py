"""Where zonedb's Alembic migrations live and which revision is the newest: what both
the connection layer (to explain a missing table) and the migration commands need."""

from __future__ import annotations

import re
from pathlib import Path


def migrations_dir() -> Path:
    """The installed package's ``zonedb._migrations`` (pyproject.toml maps the checkout's
    migrations/ folder there); when the checkout's own zonedb/ is the one imported (Python
    started in the checkout after a plain ``pip install .``), that folder itself."""
    from importlib import resources

    try:
        return Path(str(resources.files("zonedb._migrations")))
    except ModuleNotFoundError:
        checkout = Path(__file__).resolve().parents[2] / "migrations"
        if (checkout / "env.py").is_file():
            return checkout
        raise


def alembic_config(url: str):  # type: ignore[no-untyped-def]
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


_LINE = re.compile(r'^(down_revision|revision)\b[^=\n]*=\s*(?:"([^"]*)"|\'([^\']*)\'|None)',
                   re.M)


def head_revision() -> str:
    """The newest migration: the one revision no other names as its down_revision, read
    from the files' assignment lines. Asking Alembic costs 0.3 s of imports on every
    seeding; when the lines are not that simple (a merge, a tuple), Alembic decides.
    tests/test_migrations.py checks both answers agree."""
    revisions, downs = set(), set()
    for path in (migrations_dir() / "versions").glob("[!_]*.py"):
        found = dict((m.group(1), m.group(2) or m.group(3))
                     for m in _LINE.finditer(path.read_text(encoding="utf-8")))
        if "revision" not in found or found["revision"] is None or "down_revision" not in found:
            return alembic_head()
        revisions.add(found["revision"])
        downs.add(found["down_revision"])
    heads = revisions - downs
    return heads.pop() if len(heads) == 1 else alembic_head()


def alembic_head() -> str:
    from alembic.script import ScriptDirectory

    return str(ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head())
