"""Alembic for zonedb: `zonedb db upgrade|downgrade|current` on SQLite and PostgreSQL alike,
and the `upgrade` seeding runs on its new file or transaction."""

from __future__ import annotations

import sqlite3

from zonedb.errors import DatabaseError, UnreadableDatabase
from zonedb.store.db import (
    display,
    make_engine,
    no_database,
    not_zonedb,
    resolve_url,
    sqlite_error,
    sqlite_path,
)
from zonedb.store.revisions import alembic_config, head_revision


def upgrade(connection: object, url: str, revision: str = "head") -> None:
    from alembic import command

    cfg = alembic_config(url)
    cfg.attributes["connection"] = connection
    command.upgrade(cfg, revision)


def migrate(db: str | None, direction: str, revision: str) -> str:
    """Run migrations up or down; returns a one-line summary."""
    from alembic import command

    url = resolve_url(db)
    path = sqlite_path(url)
    if direction == "downgrade" and path is not None and not path.exists():
        raise no_database(path)
    refuse_foreign(url)
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            cfg = alembic_config(url)
            cfg.attributes["connection"] = conn
            getattr(command, direction)(cfg, revision)
    except Exception as exc:
        from alembic.util import CommandError
        from sqlalchemy.exc import SQLAlchemyError

        if not isinstance(exc, SQLAlchemyError | CommandError):
            raise
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        orig = getattr(exc, "orig", None)
        unreadable = isinstance(orig, sqlite3.Error) and isinstance(
            sqlite_error(orig), UnreadableDatabase)
        message = f"{direction} of {display(url)} failed: {reason}"
        if unreadable:  # no advice to seed over a file that may be anything (issue 15)
            raise UnreadableDatabase(f"{message}; check the path (`zonedb seed --force` "
                                     "replaces a damaged database)") from exc
        raise DatabaseError(message) from exc
    finally:
        engine.dispose()
    return f"{display(url)} is now at revision {current_revision(url) or 'base (empty)'}"


def refuse_foreign(url: str) -> None:
    """UnreadableDatabase, before anything is opened for writing, for an SQLite file that is
    not a zonedb database (``not_zonedb``: the rule `zonedb seed` refuses by)."""
    path = sqlite_path(url)
    why = not_zonedb(path) if path is not None else None
    if why:
        raise UnreadableDatabase(f"{path} is not a zonedb database (it {why}); check the "
                                 "path: zonedb will not write into it")


def current_revision(url: str) -> str | None:
    """The schema revision, or None for a missing SQLite file or a database never migrated.
    A server that cannot be reached is an error, not "no revision"."""
    from zonedb.store.db import Reader, is_postgres

    try:
        reader = Reader(url)
    except DatabaseError:
        path = sqlite_path(url)
        if is_postgres(url) or (path is not None and path.exists()):
            raise  # unreachable, corrupt or locked: say so rather than "no revision"
        return None
    with reader:
        try:
            rows = reader.execute("SELECT version_num FROM alembic_version").rows
        except DatabaseError:
            return None
    return str(rows[0][0]) if rows else None


def current(db: str | None) -> str:
    url = resolve_url(db)
    path = sqlite_path(url)
    if path is not None and not path.exists():
        raise no_database(path)
    refuse_foreign(url)  # no advice to upgrade a file `db upgrade` refuses
    rev = current_revision(url)
    head = head_revision()
    if rev == head:
        return f"{display(url)}: revision {rev} (up to date)"
    return (f"{display(url)}: revision {rev or 'none'}; newest is {head}: "
            f"run `zonedb db upgrade`")
