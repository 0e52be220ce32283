"""Reading and validating a seeds folder into rows ready to insert.

Everything is checked before anything is written: field names and types,
references between records, every quote against its source text, every number
against the words it was read from. All problems are collected and reported
together as ``file:line: what is wrong`` (``SeedError``); nothing is half-loaded.
"""

from __future__ import annotations

import difflib
import hashlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from zonedb.errors import SeedError
from zonedb.schema_spec import SPECS, check_fields
from zonedb.textmatch import IndexedText, NotUtf8, SectionNotFound, read_utf8, section_bounds
from zonedb.yamlio import Record, YamlProblem, load_records

# Tables in load order: a record may only refer to tables loaded before it.
FOLDERS = ("metrics", "firms", "funds", "projects", "people", "reforms", "facts", "ignore")
TABLE_OF = {"facts": "indicators", "ignore": "ignored_mentions"}
FLUSH_ROWS = 5000  # rows buffered per table before a streaming read hands them over


def default_seeds_dir() -> Path:
    """./seeds when it exists, else the copy shipped inside the installed package."""
    local = Path("seeds")
    if (local / "sources" / "manifest.yaml").exists():
        return local
    return Path(str(resources.files("zonedb._seeds")))


@dataclass
class SeedSet:
    """Validated rows for every table, with ids assigned in seed order (stable across runs)."""

    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # Streaming (``read_seeds(sink=...)``): rows already handed to the sink, per table.
    flushed: dict[str, int] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        return {name: self.flushed.get(name, 0) + len(rows) for name, rows in self.tables.items()}

    def next_id(self, table: str) -> int:
        return self.flushed.get(table, 0) + len(self.tables.setdefault(table, [])) + 1


class _Problems:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, where: str, line: int, message: str) -> None:
        self.items.append(f"{where}:{line}: {message}")


@dataclass
class _Source:
    id: int
    slug: str
    text: IndexedText
    changed: bool = False


class _Reader:
    def __init__(self, seeds_dir: Path) -> None:
        self.dir = seeds_dir
        self.problems = _Problems()
        self.out = SeedSet()
        self.sources: dict[str, _Source] = {}
        self.ids: dict[str, dict[str, int]] = {}  # table -> slug -> id
        # Records already reported as broken (table -> slugs; "*" when a whole file failed):
        # references to them are not reported again as unknown.
        self.broken: dict[str, set[str]] = {}
        self.metric_units: dict[str, str | None] = {}
        self.sink: Callable[[str, list[dict[str, Any]]], None] | None = None

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
            return load_records(path, shown)
        except YamlProblem as exc:
            self.problems.add(shown, exc.line, exc.message)
            self.broken.setdefault(table, set()).add("*")
            return []

    def folder(self, name: str) -> Iterator[Record]:
        folder = self.dir / name
        if not folder.is_dir():
            return
        for path in sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")):
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
        hint = difflib.get_close_matches(str(value), list(known), n=3)
        tail = f" (did you mean {', '.join(hint)}?)" if hint else ""
        noun = {"zones": "zone", "metrics": "metric", "sources": "source", "firms": "firm",
                "funds": "fund", "projects": "project"}[table]
        self.problems.add(rec.file, rec.line_of(key), f"unknown {noun} '{value}'{tail}")
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
        if occurrence is None and len(spans) > 1:
            self.problems.add(rec.file, line, f"quote occurs {len(spans)} times in source "
                              f"{src.slug}; add `occurrence: N` (1 to {len(spans)})")
            return None
        index = (occurrence or 1) - 1
        if not 0 <= index < len(spans):
            self.problems.add(rec.file, rec.line_of("occurrence"),
                              f"occurrence {occurrence} but the quote occurs {len(spans)} "
                              f"time(s) in source {src.slug}")
            return None
        start, end = spans[index]
        return source_id, src.text.raw[start:end], start, end

    def checked(self, rec: Record, kind: str) -> bool:
        before = len(self.problems.items)
        for line, message in check_fields(rec, SPECS[kind]):
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

    # -- the tables ----------------------------------------------------------
    def read_sources(self) -> None:
        manifest = self.dir / "sources" / "manifest.yaml"
        if not manifest.exists():
            self.problems.add(self.shown(manifest), 1, "missing: every seeds folder needs "
                              "sources/manifest.yaml listing its source texts")
            return
        for rec in self.records(manifest, "sources"):
            if not self.checked(rec, "source"):
                continue
            if rec.get("section_of"):
                self._read_section(rec)
            else:
                self._read_file_source(rec)

    def _read_file_source(self, rec: Record) -> None:
        name = rec.get("file")
        if not name:
            self.problems.add(rec.file, rec.line, "a source needs `file` (or `section_of`)")
            return
        path = self.dir / "sources" / name
        where = self.shown(path)
        try:
            text, data = read_utf8(path)
        except OSError as exc:
            self.problems.add(rec.file, rec.line_of("file"),
                              f"cannot read source file {where}: {exc.strerror}")
            self.mark_broken(rec, "sources")
            return
        except NotUtf8 as exc:
            self.problems.add(where, 1, f"source file is {exc}")
            self.mark_broken(rec, "sources")
            return
        digest = hashlib.sha256(data).hexdigest()
        if not text.strip():
            self.problems.add(where, 1, "source file is empty")
            self.mark_broken(rec, "sources")
            return
        if not rec.get("sha256"):
            self.problems.add(rec.file, rec.line, "missing required field 'sha256' (the file's "
                              f"is {digest}; check the text before you copy it)")
        changed = rec.get("sha256") not in (None, digest)
        if changed:
            self.problems.add(rec.file, rec.line_of("sha256"),
                              f"{where} has sha256 {digest} but the manifest says "
                              f"{rec['sha256']}: the text changed after curation; facts whose "
                              "quotes no longer match are listed below")
        self._add_source(rec, IndexedText(text), digest, name, None, None, None, changed)

    def _read_section(self, rec: Record) -> None:
        parent = self.sources.get(rec["section_of"])
        if parent is None:
            self.ref(rec, "section_of", "sources")
            self.mark_broken(rec, "sources")
            return
        try:
            start, end = section_bounds(parent.text, str(rec.get("begins") or ""),
                                        str(rec.get("ends") or ""))
        except SectionNotFound as exc:
            self.problems.add(rec.file, rec.line_of(exc.key), f"{exc} in source {parent.slug}")
            self.mark_broken(rec, "sources")
            return
        text = parent.text.raw[start:end]
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        self._add_source(rec, IndexedText(text), digest, None, parent.id, start, end,
                         parent.changed)

    def _add_source(self, rec: Record, text: IndexedText, digest: str, name: str | None,
                    parent_id: int | None, start: int | None, end: int | None,
                    changed: bool) -> None:
        new = self.new_id(rec, "sources", rec["slug"])
        self.sources[rec["slug"]] = _Source(new, rec["slug"], text, changed)
        self.out.tables["sources"].append({
            "id": new, "slug": rec["slug"], "title": rec.get("title"),
            "publisher": rec.get("publisher"), "date": _str(rec.get("date")),
            "author": rec.get("author"), "kind": rec.get("kind") or "article",
            "language": rec.get("language"), "file": name, "sha256": digest,
            "text": text.raw, "parent_id": parent_id, "parent_start": start,
            "parent_end": end, "note": rec.get("note"), "url": rec.get("url"),
            "date_accessed": _str(rec.get("date_accessed")), "licence": rec.get("licence"),
            "citation": rec.get("citation"),
        })

    def read_zones(self) -> None:
        path = self.dir / "zones.yaml"
        if not path.exists():
            self.problems.add(self.shown(path), 1, "missing: the seeds folder needs zones.yaml")
            return
        from zonedb.records import aliases, quote_fields

        for rec in self.records(path, "zones"):
            if not self.checked(rec, "zone"):
                continue
            new = self.new_id(rec, "zones", rec["slug"])
            row = {"id": new, "slug": rec["slug"], "name_zh": rec["name_zh"],
                   "name_en": rec["name_en"], "aliases": aliases(rec),
                   **{k: rec.get(k) for k in ("province", "city", "district", "level", "kind")},
                   "source_id": None, "quote": None, "quote_start": None, "quote_end": None}
            if rec.get("quote") is not None:
                row.update(quote_fields(self, rec) or {})
            self.out.tables["zones"].append(row)

    def stray_files(self) -> None:
        """YAML that zonedb would not read (``fact/`` for ``facts/``) is an error, not ignored."""
        folders, top = {*FOLDERS, "sources"}, ["zones.yaml"]
        for child in sorted(self.dir.iterdir()):
            if child.name.startswith((".", "_")):
                continue
            if child.is_dir() and child.name not in folders:
                files = sorted(child.glob("*.y*ml"))
                hint = difflib.get_close_matches(child.name, sorted(folders), n=1)
                if files:
                    tail = f" (did you mean {hint[0]}/?)" if hint else ""
                    self.problems.add(self.shown(files[0]), 1, f"zonedb does not read the "
                                      f"folder {child.name}/{tail}; known: {', '.join(FOLDERS)}")
            elif child.suffix in (".yaml", ".yml") and child.name not in top:
                hint = difflib.get_close_matches(child.name, top + sorted(folders), n=1)
                tail = f" (did you mean {hint[0]}?)" if hint else ""
                self.problems.add(self.shown(child), 1, f"zonedb does not read this file{tail}")

    def read_folder(self, folder: str) -> None:
        from zonedb.records import BUILDERS

        table = TABLE_OF.get(folder, folder)
        self.out.tables.setdefault(table, [])
        build = BUILDERS[folder]
        for rec in self.folder(folder):
            if not self.checked(rec, folder):
                continue
            row = build(self, rec)
            if row is not None:
                self.out.tables[table].append(row)
                if self.sink is not None and len(self.out.tables[table]) >= FLUSH_ROWS:
                    self.flush()

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


def read_seeds(seeds_dir: Path | str | None = None,
               sink: Callable[[str, list[dict[str, Any]]], None] | None = None) -> SeedSet:
    """Read and validate a whole seeds folder; raise SeedError listing every problem.

    With ``sink``, rows are handed over in batches as they are validated (memory stays
    flat however large the corpus) and the returned SeedSet only counts them; the caller
    must discard what the sink wrote when SeedError is raised."""
    directory = Path(seeds_dir) if seeds_dir is not None else default_seeds_dir()
    if not directory.is_dir():
        raise SeedError([f"{directory}: no such seeds folder (pass --seeds DIR)"])
    reader = _Reader(directory)
    reader.sink = sink
    reader.out.tables = {"sources": [], "zones": []}
    reader.read_sources()
    reader.read_zones()
    for folder in FOLDERS:
        reader.read_folder(folder)
    reader.stray_files()
    if reader.problems.items:
        raise SeedError(reader.problems.items)
    if sink is not None:
        reader.flush()
    return reader.out


def _str(value: Any) -> str | None:
    return None if value is None else str(value)

