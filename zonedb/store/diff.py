"""What re-seeding would change: the rows of validated seeds against the database's.

Ids and offsets are not compared (ids are positions in seed order, offsets move
with the text, whose change shows as the source's sha256); foreign keys are
compared by slug. Rows with a slug are matched by slug. Indicators are matched
in passes, tightest key first: the same row; the same (zone, metric, period,
source, role, links, as_written); the same number phrase of the same quote (a
corrected period or metric); the same (zone, metric, period, source, role,
links). So an edited number shows as ``value 45 -> 50`` and a corrected period
as ``period None -> 2024``, rather than a removal and an addition.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from zonedb.seeds.read import SeedSet
from zonedb.store.db import Reader, Result

Row = dict[str, Any]
# Shared with zonedb.store.diff_sql: foreign-key columns (compared by the slug they point to),
# columns not compared, and the matching passes after the whole-row one.
FKS = {"source_id": "sources", "parent_id": "sources", "zone_id": "zones",
       "metric_id": "metrics", "firm_id": "firms", "fund_id": "funds",
       "project_id": "projects"}
SKIP = {"id", "text", "quote_start", "quote_end", "written_start", "written_end",
        "seed_file", "seed_line", "parent_start", "parent_end"}
_LINKS = ("zone", "metric", "period", "source", "role", "firm", "fund", "project")
KEYS: dict[str, list[tuple[str, ...]]] = {
    # the same figure of the same quote, with its period or metric corrected, before the
    # loosest pass (same zone/metric/period/links, a different number)
    "indicators": [(*_LINKS, "as_written"), ("zone", "source", "quote", "as_written", "role"),
                   _LINKS],
    "ignored_mentions": [("source", "as_written")],
}


@dataclass
class Change:
    table: str
    change: str  # added | removed | changed
    row: str  # a label a curator recognises: slug, or zone/metric/period
    field: str | None = None
    old: Any = None
    new: Any = None


@dataclass
class Diff:
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)
    database_exists: bool = True

    def summary(self) -> str:
        """One line: ``indicators +2 -1 ~1, sources +1`` or ``no changes``."""
        if not self.database_exists:
            return "new database"
        parts = []
        for table, c in self.counts.items():
            marks = [f"{sign}{c[k]}" for k, sign in (("added", "+"), ("removed", "-"),
                                                     ("changed", "~")) if c[k]]
            if marks:
                parts.append(f"{table} {' '.join(marks)}")
        return ", ".join(parts) if parts else "no changes"

    def as_dict(self) -> dict[str, Any]:
        return {"summary": self.summary(), "counts": self.counts,
                "changes": [c.__dict__ for c in self.changes]}


def _comparable(tables: dict[str, list[Row]]) -> dict[str, list[Row]]:
    """Rows without ids and offsets, foreign keys replaced by slugs."""
    slugs = {t: {r["id"]: r.get("slug") for r in tables.get(t, [])} for t in set(FKS.values())}
    out: dict[str, list[Row]] = {}
    for table in tables:
        rows = []
        for r in tables.get(table, []):
            row: Row = {}
            for k, v in r.items():
                if k in SKIP:
                    continue
                if k in FKS:
                    row[k.removesuffix("_id")] = slugs[FKS[k]].get(v) if v is not None else None
                else:
                    row[k] = v
            rows.append(row)
        out[table] = rows
    return out


def _label(table: str, row: Row) -> str:
    if "slug" in row:
        return str(row["slug"])
    if table == "indicators":
        return "/".join(str(row.get(k) or "-") for k in ("zone", "metric", "period")) + \
            (f" ({row['role']})" if row.get("role") else "")
    return f"{row.get('source')}: {row.get('as_written')}"


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        try:
            return a is not None and b is not None and abs(float(a) - float(b)) <= \
                1e-9 * max(1.0, abs(float(a)))
        except (TypeError, ValueError):
            return False
    return bool(a == b)


def _match(old: list[Row], new: list[Row], key: Callable[[Row], Any]
           ) -> tuple[list[tuple[Row, Row]], list[Row], list[Row]]:
    """Pair rows with equal keys, in order; return pairs and the unpaired of each side."""
    waiting: dict[Any, list[Row]] = {}
    for r in old:
        waiting.setdefault(key(r), []).append(r)
    pairs, left_new = [], []
    for r in new:
        bucket = waiting.get(key(r))
        if bucket:
            pairs.append((bucket.pop(0), r))
        else:
            left_new.append(r)
    left_old = [r for bucket in waiting.values() for r in bucket]
    return pairs, left_old, left_new


def _by(keys: tuple[str, ...]) -> Callable[[Row], tuple[Any, ...]]:
    return lambda r: tuple(r.get(k) for k in keys)


def _fields(old: Row, new: Row) -> list[str]:
    return [k for k in new if k in old and not _same(old[k], new[k])]


def compare(old_tables: dict[str, list[Row]], new_tables: dict[str, list[Row]]) -> Diff:
    """The changes that turn ``old_tables`` into ``new_tables`` (raw rows, as in the DB)."""
    old_c, new_c = _comparable(old_tables), _comparable(new_tables)
    diff = Diff()
    for table in dict.fromkeys([*new_tables, *old_tables]):
        old, new = old_c.get(table, []), new_c.get(table, [])
        common = [k for k in (new[0] if new else old[0] if old else {})
                  if (not old or k in old[0]) and (not new or k in new[0])]

        def whole(r: Row, common: list[str] = common) -> tuple[Any, ...]:
            return tuple(round(v, 9) if isinstance(v, float) else v
                         for v in (r.get(k) for k in common))

        keys: list[Callable[[Row], Any]] = [whole]
        if old and "slug" in old[0]:
            keys = [_by(("slug",))]
        keys += [_by(ks) for ks in KEYS.get(table, [])]
        pairs: list[tuple[Row, Row]] = []
        for key in keys:
            found, old, new = _match(old, new, key)
            pairs += found
        changed = 0
        for a, b in pairs:
            fields = [k for k in _fields(a, b) if k in common]
            if fields:
                changed += 1
                diff.changes += [Change(table, "changed", _label(table, b), k, a[k], b[k])
                                 for k in fields]
        diff.changes += [Change(table, "removed", _label(table, r)) for r in old]
        diff.changes += [Change(table, "added", _label(table, r),
                                "value" if "value" in r else None, None, r.get("value"))
                         for r in new]
        diff.counts[table] = {"added": len(new), "removed": len(old), "changed": changed,
                              "unchanged": len(pairs) - changed}
    return diff


class Executes(Protocol):
    """What ``database_rows`` needs: a Reader, or the seeding's own locked connection."""

    def execute(self, sql: str) -> Result: ...


def database_rows(reader: Executes, tables: list[str]) -> dict[str, list[Row]]:
    """The rows of ``tables`` in the database (the sources' texts are not read)."""
    out: dict[str, list[Row]] = {}
    for table in tables:
        cols = [c for c in reader.execute(f"SELECT * FROM {table} WHERE 1 = 0").columns
                if c != "text"]
        out[table] = list(reader.execute(f"SELECT {', '.join(cols)} FROM {table} "
                                         "ORDER BY id").dicts())
    return out


def diff_database(db: str | None, seedset: SeedSet) -> Diff:
    """Compare validated seeds with the database ``db``; a missing SQLite file counts as
    an empty database."""
    from zonedb.store.db import resolve_url, sqlite_path

    url = resolve_url(db)
    path = sqlite_path(url)
    if (path is not None and not path.exists()) or (path is None and _never_migrated(url)):
        result = compare({}, seedset.tables)
        result.database_exists = False
        return result
    with Reader(url) as reader:
        return compare(database_rows(reader, list(seedset.tables)), seedset.tables)


def _never_migrated(url: str) -> bool:
    """A server database without zonedb's tables yet: new, like a missing SQLite file."""
    from zonedb.store.migrate import current_revision

    return current_revision(url) is None


def rows(diff: Diff) -> tuple[list[str], list[tuple[Any, ...]]]:
    """The changes as columns and rows for ``zonedb.render``."""
    columns = ["table", "change", "row", "field", "old", "new"]
    return columns, [(c.table, c.change, c.row, c.field, c.old, c.new) for c in diff.changes]
