"""Alembic environment: `alembic upgrade head` from the repo root, or zonedb's own `db` commands.

The URL comes from a connection handed over by zonedb, else from ``sqlalchemy.url``
in the config, else from ``ZONEDB_DB`` (a path or an SQLAlchemy URL), else ./zonedb.db.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from zonedb.store.db import resolve_url
from zonedb.store.models import Base
from zonedb.store.search import include_name

config = context.config
target_metadata = Base.metadata


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_engine(_url())
    with engine.begin() as conn:
        _run(conn)
    engine.dispose()


def _run(connection: object) -> None:
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=True, compare_type=True, include_name=include_name)
    with context.begin_transaction():
        context.run_migrations()


def _url() -> str:
    return config.get_main_option("sqlalchemy.url") or resolve_url(None)


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
