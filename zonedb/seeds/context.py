"""The state of one reading of a seeds folder, shared by the builders of every record
kind: the problems found so far, the ids given to slugs, the source texts, and the
streaming sink. Everything here is public so that builders need no private access."""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zonedb.errors import excerpt
from zonedb.seeds.spec import check_fields
from zonedb.seeds.yamlio import Record, YamlProblem, load_records
from zonedb.text.match import IndexedText, OccurrenceProblem, pick_occurrence

FLUSH_ROWS = 5000  # rows buffered per table before a streaming read hands them over
TABLE_OF = {"facts": "indicators", "ignore": "ignored_mentions"}
Sink = Callable[[str, list[dict[str, Any]]], None]


@dataclass
class SeedSet:
    """Validated rows for every table, with ids assigned in seed order (stable across runs)."""

    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # Streaming (``read_seeds(sink=...)``): rows already handed to the sink, per table.
    flushed: dict[str, int] = field(default_factory=dict)
    # Rows each file of a per-kind folder gave, by path inside the seeds folder
    # (``facts/a.yaml``): the fingerprints keep it to place a re-read file's ids.
    file_rows: dict[str, int] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        return {name: self.flushed.get(name, 0) + len(rows) for name, rows in self.tables.items()}

    def next_id(self, table: str) -> int:
        return self.flushed.get(table, 0) + len(self.tables.setdefault(table, [])) + 1


def folder_files(seeds_dir: Path, name: str) -> list[Path]:
    """A per-kind folder's seed files in reading order (which is id order)."""
    folder = seeds_dir / name
    if not folder.is_dir():
        return []
    return sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml"))


MAX_MESSAGE = 600


class Problems:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, where: str, line: int, message: str) -> None:
        """One problem; a message over MAX_MESSAGE characters (a megabyte slug or as_written
        quoted in it) keeps its start and end, so every problem stays one readable line."""
        if len(message) > MAX_MESSAGE:
            half = MAX_MESSAGE // 2 - 2
            message = f"{message[:half]} … {message[-half:]}"
        self.items.append(f"{where}:{line}: {message}")


@dataclass
class SourceText:
    id: int
    slug: str
    text: IndexedText
    changed: bool = False


class SeedContext:
    """One reading of a seeds folder: builders report problems and resolve references here."""

    def __init__(self, seeds_dir: Path) -> None:
        self.dir = seeds_dir
        self.problems = Problems()
        self.out = SeedSet()
        self.sources: dict[str, SourceText] = {}
        self.ids: dict[str, dict[str, int]] = {}  # table -> slug -> id
        # Records already reported as broken (table -> slugs; "*" when a whole file failed):
        # references to them are not reported again as unknown.
        self.broken: dict[str, set[str]] = {}
        self.metric_units: dict[str, str | None] = {}
        self.sink: Sink | None = None

    # -- helpers -------------------------------------------------------------
    def shown(self, path: Path) -> str:
        """Relative to the working folder when inside it, else absolute."""
        try:
            rel = os.path.relpath(path)
        except ValueError:
            return str(path)
        return str(path.absolute()) if rel.startswith("..") else rel

    def records(self, path: Path, table: str) -> list[Record]:
        shown = self.shown(path)
        try:
            records = load_records(path, shown)
        except YamlProblem as exc:
            self.problems.add(shown, exc.line, exc.message)
            self.broken.setdefault(table, set()).add("*")
            return []
        try:
            inside = path.relative_to(self.dir).as_posix()
        except ValueError:  # not under the folder (the builders only read files under it)
            inside = shown
        for rec in records:
            rec.seed_path = inside
        return records

    def folder(self, name: str) -> Iterator[Record]:
        for path in folder_files(self.dir, name):
            yield from self.records(path, TABLE_OF.get(name, name))

    def ref(self, rec: Record, key: str, table: str, *, required: bool = False) -> int | None:
        """Resolve a slug reference; report an unknown one with its closest matches."""
        value = rec.get(key)
        if value is None:
            if required:
                self.problems.add(rec.file, rec.line, f"missing required field '{key}'")
            return None
        known = self.ids.get(table, {})
        if isinstance(value, str) and value in known:
            return known[value]
        broken = self.broken.get(table, set())
        if "*" in broken or (isinstance(value, str) and value in broken):
            return None  # its own problem is reported already
        hint = difflib.get_close_matches(str(value)[:100], list(known), n=3)
        tail = f" (did you mean {', '.join(hint)}?)" if hint else ""
        noun = {"zones": "zone", "metrics": "metric", "sources": "source", "firms": "firm",
                "funds": "fund", "projects": "project"}[table]
        self.problems.add(rec.file, rec.line_of(key), f"unknown {noun} {excerpt(value)}{tail}")
        return None

    def new_id(self, rec: Record, table: str, slug: str | None) -> int:
        new = self.out.next_id(table)
        if slug is not None:
            known = self.ids.setdefault(table, {})
            if slug in known:
                self.problems.add(rec.file, rec.line_of("slug"),
                                  f"duplicate slug '{slug}' in {table}")
            known[slug] = new
        return new

    def locate(self, rec: Record, source_key: str = "source") -> tuple[int, str, int, int] | None:
        """Find ``quote`` in its source; returns (source_id, raw quote, start, end)."""
        source_id = self.ref(rec, source_key, "sources", required=True)
        quote = rec.get("quote")
        if source_id is None or not isinstance(quote, str):
            return None
        src = self.sources[rec[source_key]]  # ref() found the slug, so it is here
        spans = src.text.find_all(quote)
        occurrence = rec.get("occurrence")
        line = rec.line_of("quote")
        short = quote if len(quote) <= 60 else quote[:57] + "..."
        if not spans:
            near = src.text.closest(quote)
            hint = f"; closest passage: \"{near}\"" if near else ""
            changed = " (the source text changed since curation)" if src.changed else ""
            self.problems.add(rec.file, line,
                              f"quote not found in source {src.slug}{changed}: \"{short}\"{hint}")
            return None
        try:
            start, end = pick_occurrence(spans, occurrence)
        except OccurrenceProblem as exc:
            if exc.ambiguous:
                self.problems.add(rec.file, line, f"quote occurs {exc.count} times in source "
                                  f"{src.slug}; add `occurrence: N` (1 to {exc.count})")
            else:
                self.problems.add(rec.file, rec.line_of("occurrence"),
                                  f"occurrence {occurrence} but the quote occurs {exc.count} "
                                  f"time{'s' if exc.count != 1 else ''} in source {src.slug}")
            return None
        return source_id, src.text.raw[start:end], start, end

    def checked(self, rec: Record, kind: str) -> bool:
        before = len(self.problems.items)
        for line, message in check_fields(rec, kind):
            self.problems.add(rec.file, line, message)
        for key in rec.duplicate_keys:
            self.problems.add(rec.file, rec.line_of(key), f"key '{key}' appears twice")
        if len(self.problems.items) == before:
            return True
        self.mark_broken(rec, {"source": "sources", "zone": "zones"}.get(kind, kind))
        return False

    def mark_broken(self, rec: Record, table: str) -> None:
        slug = rec.get("slug")
        self.broken.setdefault(table, set()).add(slug if isinstance(slug, str) else "*")

    def flush(self) -> None:
        """Hand every buffered row to the sink, tables in load order (foreign keys hold),
        and forget them. Once there are problems nothing more is handed over: the seeding
        will fail and its half-built file be thrown away, so rows are only counted."""
        assert self.sink is not None
        for table, rows in self.out.tables.items():
            if rows and not self.problems.items:
                self.sink(table, rows)
            self.out.flushed[table] = self.out.flushed.get(table, 0) + len(rows)
            rows.clear()


