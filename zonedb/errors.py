"""Errors a user can meet. Each carries a message written for them and an exit status;
the CLI catches ZonedbError once, prints the message and exits, never a traceback."""

from __future__ import annotations


class ZonedbError(Exception):
    """Base class: ``str(err)`` is the whole message shown to the user."""

    exit_code = 1


class SeedError(ZonedbError):
    """One or more problems in the seeds, each as ``file:line: what is wrong``."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        noun = "problem" if len(problems) == 1 else "problems"
        super().__init__("\n".join(problems) + f"\n{len(problems)} {noun} in the seeds; "
                         "the database was not changed.")


class UsageError(ZonedbError):
    """A bad option value, such as an unknown zone or metric (exit status 2, like --help errors)."""

    exit_code = 2


class DatabaseError(ZonedbError):
    """The database is missing, corrupt, locked, of an older schema, or refused a statement."""


class MissingDriverError(ZonedbError):
    """A PostgreSQL URL without psycopg installed."""
