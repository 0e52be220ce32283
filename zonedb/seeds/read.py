"""Reading and validating a seeds folder into rows ready to insert.

Everything is checked before anything is written: field names and types,
references between records, every quote against its source text, every number
against the words it was read from. All problems are collected and reported
together as ``file:line: what is wrong`` (``SeedError``); nothing is half-loaded.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from zonedb.errors import SeedError
from zonedb.seeds.context import (
    FLUSH_ROWS,
    TABLE_OF,
    SeedContext,
    SeedSet,
    Sink,
    SourceText,
    folder_files,
)
from zonedb.seeds.records import BUILDERS, read_sources, read_zones
from zonedb.text.match import IndexedText

# Tables in load order: a record may only refer to tables loaded before it.
FOLDERS = ("metrics", "firms", "funds", "projects", "people", "reforms", "facts", "ignore")
STATEMENTS = ("facts", "ignore")  # the last kinds: no record refers to their rows


def default_seeds_dir() -> Path:
    """./seeds when it exists, else the copy shipped inside the installed package."""
    local = Path("seeds")
    if (local / "sources" / "manifest.yaml").exists():
        return local
    return Path(str(resources.files("zonedb._seeds")))


def stray_files(ctx: SeedContext) -> None:
    """YAML that zonedb would not read (``fact/`` for ``facts/``) is an error, not ignored."""
    folders, top = {*FOLDERS, "sources"}, ["zones.yaml"]
    for child in sorted(ctx.dir.iterdir()):
        if child.name.startswith((".", "_")):
            continue
        if child.is_dir() and child.name not in folders:
            files = sorted(child.glob("*.y*ml"))
            hint = difflib.get_close_matches(child.name, sorted(folders), n=1)
            if files:
                tail = f" (did you mean {hint[0]}/?)" if hint else ""
                ctx.problems.add(ctx.shown(files[0]), 1, f"zonedb does not read the "
                                  f"folder {child.name}/{tail}; known: {', '.join(FOLDERS)}")
        elif child.suffix in (".yaml", ".yml") and child.name not in top:
            hint = difflib.get_close_matches(child.name, top + sorted(folders), n=1)
            tail = f" (did you mean {hint[0]}?)" if hint else ""
            ctx.problems.add(ctx.shown(child), 1, f"zonedb does not read this file{tail}")

def read_folder(ctx: SeedContext, folder: str) -> None:
    ctx.out.tables.setdefault(TABLE_OF.get(folder, folder), [])  # counted when empty too
    for path in folder_files(ctx.dir, folder):
        read_file(ctx, folder, path)


def read_file(ctx: SeedContext, folder: str, path: Path) -> None:
    """The records of one file of a per-kind folder; counts the rows it gave."""
    table = TABLE_OF.get(folder, folder)
    ctx.out.tables.setdefault(table, [])
    build = BUILDERS[folder]
    first = ctx.out.next_id(table)
    for rec in ctx.records(path, table):
        if not ctx.checked(rec, folder):
            continue
        row = build(ctx, rec)
        if row is not None:
            ctx.out.tables[table].append(row)
            if ctx.sink is not None and len(ctx.out.tables[table]) >= FLUSH_ROWS:
                ctx.flush()
    ctx.out.file_rows[path.relative_to(ctx.dir).as_posix()] = ctx.out.next_id(table) - first


@dataclass
class Known:
    """What the database already holds that a re-read file may refer to: slug -> id per
    table, metric units, and each source's text (looked up only for quotes checked)."""

    ids: dict[str, dict[str, int]]
    metric_units: dict[str, str | None]
    source_text: Callable[[str], str]


class _LazySources(dict[str, SourceText]):
    def __init__(self, known: Known) -> None:
        super().__init__()
        self.known = known

    def __missing__(self, slug: str) -> SourceText:
        found = self[slug] = SourceText(self.known.ids["sources"][slug], slug,
                                        IndexedText(self.known.source_text(slug)))
        return found


def read_changed(seeds_dir: Path, files: list[tuple[str, Path]], known: Known
                 ) -> dict[str, list[dict[str, Any]]]:
    """Read and validate only ``files`` (folder, path) of the per-kind folders whose kinds
    nothing else refers to (facts/, ignore/), against what the database holds; rows by
    file, ids from 1 (the caller places them). Raises SeedError like ``read_seeds``."""
    ctx = SeedContext(seeds_dir)
    ctx.ids = {t: dict(v) for t, v in known.ids.items()}
    ctx.metric_units = dict(known.metric_units)
    ctx.sources = _LazySources(known)
    out: dict[str, list[dict[str, Any]]] = {}
    for folder, path in files:
        table = TABLE_OF.get(folder, folder)
        ctx.out.tables[table] = []
        read_file(ctx, folder, path)
        out[path.relative_to(seeds_dir).as_posix()] = ctx.out.tables[table]
    stray_files(ctx)
    if ctx.problems.items:
        raise SeedError(ctx.problems.items)
    return out


def _read_references(ctx: SeedContext) -> None:
    """Sources, zones and every kind a fact or an ignore entry may refer to."""
    ctx.out.tables = {"sources": [], "zones": []}
    read_sources(ctx)
    read_zones(ctx)
    for folder in FOLDERS:
        if folder not in STATEMENTS:
            read_folder(ctx, folder)


def read_references(seeds_dir: Path) -> dict[str, list[dict[str, Any]]]:
    """Read and validate everything but facts/ and ignore/: the rows of every table the
    statements refer to, ids as a full reading gives them. Raises SeedError."""
    ctx = SeedContext(seeds_dir)
    _read_references(ctx)
    stray_files(ctx)
    if ctx.problems.items:
        raise SeedError(ctx.problems.items)
    return ctx.out.tables


def read_seeds(seeds_dir: Path | str | None = None,
               sink: Sink | None = None) -> SeedSet:
    """Read and validate a whole seeds folder; raise SeedError listing every problem.

    With ``sink``, rows are handed over in batches as they are validated (memory stays
    flat however large the corpus) and the returned SeedSet only counts them; the caller
    must discard what the sink wrote when SeedError is raised."""
    directory = Path(seeds_dir) if seeds_dir is not None else default_seeds_dir()
    if not directory.is_dir():
        raise SeedError([f"{directory}: no such seeds folder (pass --seeds DIR)"])
    reader = SeedContext(directory)
    reader.sink = sink
    _read_references(reader)
    for folder in STATEMENTS:
        read_folder(reader, folder)
    stray_files(reader)
    if reader.problems.items:
        raise SeedError(reader.problems.items)
    if sink is not None:
        reader.flush()
    return reader.out


__all__ = ["FOLDERS", "STATEMENTS", "Known", "SeedSet", "default_seeds_dir", "read_changed",
           "read_references", "read_seeds"]
