"""A full export: one CSV (or JSON) file per table, read through its view, and a
Frictionless ``datapackage.json`` describing them, so the data opens in pandas,
Excel, Datasette or Frictionless tools. Written by hand with the json module: the
Table Schema needed here is small (field names and types, the primary key).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from zonedb import __version__
from zonedb.errors import CannotWrite, Refused, UsageError
from zonedb.render import plain_rows, render
from zonedb.reports.cite import origin, sources_to_cite
from zonedb.store.db import Reader

# Resource name -> the SELECT that reads it (full rows, in id order).
RESOURCES: dict[str, str] = {
    **{name: f"SELECT * FROM v_{name} ORDER BY id" for name in (
        "indicators", "reforms", "firms", "funds", "projects", "people", "zones", "metrics")},
    "sources": "SELECT v.*, s.text FROM v_sources v JOIN sources s ON s.id = v.id ORDER BY v.id",
    "ignored_mentions": "SELECT i.id, s.slug AS source, i.as_written, i.reason, i.quote, "
                        "i.quote_start, i.quote_end FROM ignored_mentions i "
                        "JOIN sources s ON s.id = i.source_id ORDER BY i.id",
}


def _package_source(src: dict[str, Any]) -> dict[str, Any]:
    """A Frictionless ``sources`` entry: the citation as title, the URL as path."""
    entry = {"title": src["citation"]}
    if src.get("url"):
        entry["path"] = src["url"]
    return entry


@dataclass
class Written:
    name: str
    path: Path
    rows: int


# Types of numeric columns that may be empty in a given database (no value to infer from).
_WHEN_EMPTY = {"value": "number", "value_high": "number", "count": "integer",
               "parent_start": "integer", "parent_end": "integer", "chars": "integer"}


class ColumnType:
    """A column's Table Schema type (integer, number or string) from its values, seen one
    at a time as they are written: a column of whole numbers is integer, of numbers number,
    anything else string; with no value, what the column holds elsewhere (_WHEN_EMPTY)."""

    def __init__(self, name: str = "") -> None:
        self.name, self.seen, self.integer, self.number = name, False, True, True

    def add(self, value: Any) -> None:
        if value is None:
            return
        self.seen = True
        if isinstance(value, bool) or not isinstance(value, int):
            self.integer = False
            if isinstance(value, bool) or not isinstance(value, float):
                self.number = False

    @property
    def type(self) -> str:
        if not self.seen:
            return _WHEN_EMPTY.get(self.name, "string")
        return "integer" if self.integer else "number" if self.number else "string"


def field_type(values: list[Any], name: str = "") -> str:
    """Table Schema type of a column from its values: integer, number or string."""
    column = ColumnType(name)
    for value in values:
        column.add(value)
    return column.type


class _Observed:
    """A table's rows on their way to its file (read as fetched, never all held): what the
    datapackage says of them is gathered as they pass (column types, sources, count)."""

    def __init__(self, columns: list[str], rows: Iterable[tuple[Any, ...]],
                 citations: dict[str, str] | None) -> None:
        self.types = [ColumnType(c) for c in columns]
        self.sources: set[str] = set()
        self.count = 0
        self._rows, self._citations = rows, citations
        self._source = columns.index("source") if "source" in columns else None
        self._citation = columns.index("citation") if citations is not None else None

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        at, cite, types = self._source, self._citation, self.types
        for row in plain_rows(self._rows):
            if cite is not None and self._citations is not None:  # sources: the ready
                row[cite] = self._citations[row[1]]  # citation, where the seeds give none
            for column, value in zip(types, row, strict=True):
                column.add(value)
            if at is not None and row[at]:
                self.sources.add(row[at])
            self.count += 1
            yield tuple(row)


# Units of indicators.value: money is stored in yuan of its currency, whatever the words
# said (40亿元 is 4000000000 CNY); the rest are counted units.
_CURRENCY_UNITS = {"CNY": "Chinese yuan", "USD": "US dollar", "EUR": "euro", "HKD": "Hong Kong "
                   "dollar", "JPY": "Japanese yen", "GBP": "pound sterling"}


def _units(reader: Reader) -> dict[str, dict[str, Any]]:
    units = [r[0] for r in reader.execute(
        "SELECT DISTINCT unit FROM indicators WHERE unit IS NOT NULL ORDER BY unit").rows]
    return {u: ({"currency": u, "name": _CURRENCY_UNITS.get(u, u), "scale": 1,
                 "note": "values in single yuan: 40亿元 as written is 4000000000"
                 if u == "CNY" else f"values in single units of {u}"}
                if u in _CURRENCY_UNITS or (len(u) == 3 and u.isupper())
                else {"name": u, "scale": 1}) for u in units}


def _field_metadata(reader: Reader, name: str, fields: list[dict[str, Any]],
                    units: dict[str, dict[str, Any]]) -> None:
    """Describe the indicators' value, unit and metric fields: each metric's unit and
    description, and the scale of money (yuan), so the numbers need no guessing."""
    if name != "indicators":
        return
    metrics = [dict(r) for r in reader.execute(
        "SELECT slug, label_zh, label_en, unit, description FROM metrics ORDER BY slug").dicts()]
    for f in fields:
        if f["name"] == "value":
            f["description"] = ("The figure as a number in the row's unit; money in single "
                                "yuan (or units of its currency), never in 万 or 亿.")
            f["zonedb:units"] = units
        elif f["name"] == "unit":
            f["description"] = "Unit of value: an ISO 4217 currency, or the counted unit."
        elif f["name"] == "metric":
            f["description"] = "What the figure measures: a metric slug (see zonedb:metrics)."
            f["zonedb:metrics"] = metrics


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _ours(directory: Path) -> set[str]:
    """Files an earlier export wrote into ``directory``: those its datapackage.json lists."""
    try:
        package = json.loads((directory / "datapackage.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    if not isinstance(package, dict) or package.get("name") != "zonedb":
        return set()
    return {"datapackage.json"} | {str(r.get("path")) for r in package.get("resources", [])
                                   if isinstance(r, dict)}


def _check_targets(directory: Path, names: list[str], force: bool) -> None:
    """Refused (nothing written) for a symlink among the targets, or a file an earlier
    export did not write (unless ``force``)."""
    ours = _ours(directory)
    for name in names:
        path = directory / name
        if path.is_symlink():
            raise Refused(f"{path} is a symlink; export never writes through one (remove "
                          "it, or export into another folder)")
        if path.exists() and not path.is_file():  # --force replaces files only
            what = "a folder" if path.is_dir() else "not a regular file"
            raise Refused(f"{path} is {what}; export writes plain files only (remove it, "
                          "or export into another folder)")
        if path.exists() and name not in ours and not force:
            raise Refused(f"{path} exists and an earlier zonedb export did not write it; "
                          "export into another folder, or add --force to overwrite it")


def _write(path: Path, write: Callable[[IO[str]], object]) -> None:
    """Write through a temporary file renamed over ``path``: never half a file, and a
    symlink at ``path`` would be replaced, not followed."""
    tmp = path.with_name(f".{path.name}.zonedb-tmp-{os.getpid()}")
    try:
        with tmp.open("w", encoding="utf-8", newline="") as fh:
            write(fh)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def export(reader: Reader, directory: Path, *, fmt: str = "csv",
           force: bool = False) -> list[Written]:
    """Write every table to ``directory`` (created if needed) and its datapackage.json;
    refuses symlinks and files an earlier export did not write (unless ``force``)."""
    if fmt not in ("csv", "json"):
        raise UsageError(f"export writes csv or json, not {fmt}")
    if directory.exists() and not directory.is_dir():
        raise UsageError(f"{directory} exists and is not a folder")
    try:
        return _export(reader, directory, fmt, force)
    except OSError as exc:
        raise CannotWrite(f"cannot write the export in {directory}: "
                          f"{exc.strerror or exc}") from exc


def _export(reader: Reader, directory: Path, fmt: str, force: bool) -> list[Written]:
    directory.mkdir(parents=True, exist_ok=True)
    _check_targets(directory, [f"{name}.{fmt}" for name in RESOURCES] + ["datapackage.json"],
                   force)
    written: list[Written] = []
    resources: list[dict[str, Any]] = []
    cited = sources_to_cite(reader, "sources")
    by_slug = {src["slug"]: src for src in cited}
    units = _units(reader)
    for name, sql in RESOURCES.items():
        result = reader.stream(sql)
        rows = _Observed(result.columns, result.rows, {slug: src["citation"] for slug, src in
                                                       by_slug.items()}
                         if name == "sources" else None)
        path = directory / f"{name}.{fmt}"

        def write_rows(fh: IO[str], columns: list[str] = result.columns,
                       rows: _Observed = rows) -> None:
            render(columns, rows, fmt, out=fh)  # the CLI's own writers

        _write(path, write_rows)
        fields = [{"name": col, "type": kind.type}
                  for col, kind in zip(result.columns, rows.types, strict=True)]
        _field_metadata(reader, name, fields, units)
        resource: dict[str, Any] = {
            "name": name.replace("_", "-"), "path": path.name,
            "profile": "tabular-data-resource", "format": fmt,
            "mediatype": "text/csv" if fmt == "csv" else "application/json",
            "encoding": "utf-8",
            "schema": {"fields": fields, "primaryKey": ["id"]},
        }
        if "source" in result.columns and name != "sources":
            slugs = sorted(rows.sources, key=lambda slug: by_slug[slug]["id"])
            resource["sources"] = [_package_source(by_slug[slug]) for slug in slugs]
        if fmt == "csv":  # Frictionless checks these for CSV; its JSON reader cannot
            resource["bytes"] = path.stat().st_size
            resource["hash"] = f"sha256:{_sha256(path)}"
        resources.append(resource)
        written.append(Written(name, path, rows.count))
    package = {
        "profile": "tabular-data-package", "name": "zonedb",
        "title": "zonedb: figures about China's development zones, each with its source quote",
        "description": "Exported by zonedb " + __version__ + ". Every indicator, reform, firm, "
                       "fund, project and person carries the verbatim quote it rests on and its "
                       "offsets into sources.text (source = sources.slug).",
        "sources": [_package_source(src) for src in cited],
        "origins": [origin(src) for src in cited],
        "resources": resources,
    }
    target = directory / "datapackage.json"
    text = json.dumps(package, ensure_ascii=False, indent=2) + "\n"
    _write(target, lambda fh: fh.write(text))
    return written
