"""zonedb: a relational database of what articles say about China's development zones.

The Python API mirrors the CLI::

    import zonedb
    zonedb.seed("zonedb.db")                              # build from ./seeds
    with zonedb.Reader(zonedb.resolve_url("zonedb.db")) as reader:
        rows = zonedb.query(reader, "indicators", zones=["ganzhou"]).rows
        for row in zonedb.stream(reader, "indicators").rows:  # as fetched: any size
            ...
    zonedb.parse_quantity("1300余家")                      # one number phrase
    zonedb.extract_mentions(text)                         # every number phrase in a text

Names are imported on first use, so ``import zonedb`` stays as cheap as the CLI's read
path (no ORM, Alembic or YAML until a name that needs them is touched).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_HOMES = {
    "seed": "zonedb.store.load",
    "Reader": "zonedb.store.db",
    "resolve_url": "zonedb.store.db",
    "query": "zonedb.reports.queries",
    "stream": "zonedb.reports.queries",
    "read_seeds": "zonedb.seeds.read",
    "parse_quantity": "zonedb.text.quantity",
    "Quantity": "zonedb.text.quantity",
    "extract_mentions": "zonedb.text.extract",
    "Mention": "zonedb.text.extract",
    "ZonedbError": "zonedb.errors",
    "SeedError": "zonedb.errors",
    "UsageError": "zonedb.errors",
    "DatabaseError": "zonedb.errors",
}

__all__ = [  # the names of _HOMES, written out for readers and linters
    "DatabaseError", "Mention", "Quantity", "Reader", "SeedError", "UsageError", "ZonedbError",
    "__version__", "extract_mentions", "parse_quantity", "query", "read_seeds", "resolve_url",
    "seed", "stream",
]

if TYPE_CHECKING:
    from zonedb.errors import DatabaseError, SeedError, UsageError, ZonedbError
    from zonedb.reports.queries import query, stream
    from zonedb.seeds.read import read_seeds
    from zonedb.store.db import Reader, resolve_url
    from zonedb.store.load import seed
    from zonedb.text.extract import Mention, extract_mentions
    from zonedb.text.quantity import Quantity, parse_quantity


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'zonedb' has no attribute {name!r}")
    value = getattr(import_module(home), name)
    globals()[name] = value
    return value
