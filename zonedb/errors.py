"""Errors a user can meet, all in one place. Each carries a message written for them and
an exit status; the CLI catches ZonedbError once, prints the message and exits, never a
traceback. Code tells them apart by class, never by the words of the message::

    ZonedbError
    ├── SeedError                  problems in the seeds, as `file:line: what is wrong`
    ├── UsageError                 a bad option value (exit status 2)
    ├── Refused                    `sources add` will not write (taken slug, same text, ...)
    ├── CannotWrite                a file to write cannot be written
    ├── MixedUnits                 a comparison across values in different units
    ├── MissingDriverError         a PostgreSQL URL without psycopg installed
    └── DatabaseError              the database cannot do what was asked
        ├── NoDatabase             no file at the path, or a URL zonedb does not know
        ├── UnreadableDatabase     not SQLite, corrupt, or not a zonedb database
        │   └── OldSchema          a zonedb database of another schema revision
        ├── DatabaseBusy           locked by another process or session
        ├── StatementTimeout       a statement ran past the time limit
        ├── ReadOnly               a write through a read-only connection
        ├── RefusedStatement       SQL that `zonedb sql` will not run
        └── ResultTooLarge         a result past the caps of `zonedb sql`
"""

from __future__ import annotations

import reprlib

_SHORT = reprlib.Repr()
_SHORT.maxstring = _SHORT.maxother = 60
_SHORT.maxlist = _SHORT.maxdict = _SHORT.maxtuple = _SHORT.maxset = 4
_SHORT.maxlevel = 2


def excerpt(value: object) -> str:
    """A value as quoted in a message: its repr, cut to about 60 characters (a seed file
    can hold megabytes in one value; a message must stay a line)."""
    return _SHORT.repr(value)


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


class Refused(ZonedbError):
    """A curation step that would lose or duplicate work; nothing was written."""


class MixedUnits(ZonedbError):
    """Values of one metric in several units cannot be charted as one series."""


class MissingDriverError(ZonedbError):
    """A PostgreSQL URL without psycopg installed."""


class DatabaseError(ZonedbError):
    """The database is missing, unreadable, busy, or refused a statement."""


class NoDatabase(DatabaseError):
    """No database at the path given (or a URL zonedb does not understand)."""


class UnreadableDatabase(DatabaseError):
    """A file that is not SQLite, is corrupt, or holds no zonedb schema: seeding rebuilds it."""


class OldSchema(UnreadableDatabase):
    """A zonedb database whose schema revision is not this zonedb's."""


class DatabaseBusy(DatabaseError):
    """Locked by another process (SQLite) or session (PostgreSQL lock timeout)."""


class StatementTimeout(DatabaseError):
    """A statement ran longer than the statement time limit and was cancelled."""


class ReadOnly(DatabaseError):
    """A statement that would write, sent through a read-only connection."""


class RefusedStatement(DatabaseError):
    """SQL that `zonedb sql` refuses before it reaches the database."""


class ResultTooLarge(DatabaseError):
    """A result past the row, byte or value-size cap of a read connection."""


class CannotWrite(ZonedbError):
    """A file zonedb was asked to write cannot be written (permissions, a folder, no space)."""
