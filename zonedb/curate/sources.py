"""Adding an article to the seeds, and the seeds helpers drafting shares.

``add_source`` copies a text into ``seeds/sources/`` byte for byte and appends
its manifest entry as text (the manifest's comments survive). Drafting a fact file
from a source lives in ``zonedb.curate.draft``; ``seed_coverage`` counts what `zonedb seed
--check` reports.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from zonedb.errors import Refused, SeedError, UsageError
from zonedb.seeds.read import default_seeds_dir
from zonedb.seeds.spec import ENUMS, enum_problem, is_date
from zonedb.seeds.yamlio import Record, YamlProblem, load_records
from zonedb.text.extract import extract_mentions
from zonedb.text.match import NotUtf8, read_utf8, zones_named

SLUG = re.compile(r"[a-z0-9][a-z0-9-]{1,79}")  # fullmatch: no newline slips past a '$'


@dataclass
class AddedSource:
    slug: str
    path: Path
    sha256: str
    chars: int
    mentions: int


def seeds_folder(seeds_dir: Path | str | None) -> Path:
    directory = Path(seeds_dir) if seeds_dir is not None else default_seeds_dir()
    if not (directory / "sources" / "manifest.yaml").is_file():
        raise UsageError(f"{directory}: not a seeds folder (no sources/manifest.yaml); "
                         "pass --seeds DIR")
    return directory


def bundled_seeds() -> Path:
    return Path(str(resources.files("zonedb._seeds")))


def writable_seeds(seeds_dir: Path | str | None) -> Path:
    """The seeds folder a command may write into: --seeds DIR or ./seeds, never the copy
    bundled with zonedb (a reinstall would lose what was written there)."""
    seeds = seeds_folder(seeds_dir)
    bundled = bundled_seeds().resolve()
    inside_package = bundled.is_relative_to(Path(__file__).resolve().parent.parent)
    if seeds.resolve() == bundled and (seeds_dir is None or inside_package):
        raise Refused(f"{seeds} holds the example seeds bundled with zonedb, which are "
                      "read-only (a reinstall would lose your work); make a seeds folder "
                      "of your own with `zonedb init DIR` and pass --seeds DIR (or run "
                      "from the folder that holds ./seeds); nothing was written")
    return seeds


def init_seeds(target: Path) -> int:
    """Copy the bundled seeds into ``target`` (new or empty); the number of files copied."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise Refused(f"{target} exists and is not an empty folder; `zonedb init` never "
                      "writes over files; choose a new folder")
    source = bundled_seeds()
    files = [p for p in source.rglob("*") if p.is_file() and p.suffix in (".yaml", ".txt")]
    for path in files:
        copy = target / path.relative_to(source)
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, copy)
    return len(files)


def read_records(path: Path) -> list[Record]:
    try:
        return load_records(path, str(path))
    except YamlProblem as exc:
        raise SeedError([f"{path}:{exc.line}: {exc.message}"]) from exc


def yaml_scalar(value: Any) -> str:
    """One value as a YAML scalar on one line (quoted only where YAML needs it)."""
    text = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10**9)
    return text.removesuffix("\n...\n").rstrip("\n")


def zone_names(seeds: Path) -> dict[str, list[str]]:
    """Zone slug -> its names (name_zh and aliases), from zones.yaml."""
    path = seeds / "zones.yaml"
    if not path.exists():
        return {}
    return {str(r.get("slug")): [str(n) for n in [r.get("name_zh"), *(r.get("aliases") or [])]
                                 if n] for r in read_records(path)}


def resolve_zone(seeds: Path, zones: dict[str, list[str]], zone: str | None) -> str | None:
    """The slug of ``zone``, given as a slug, its name_zh or an alias (as ``--zone`` is
    everywhere else); ``zones`` is ``zone_names(seeds)``, read once by the caller."""
    if zone is None:
        return None
    named = zones_named(zones, zone)
    if len(named) == 1:
        return named[0]
    if named:
        raise UsageError(f"zone '{zone}' names {len(named)} zones in {seeds / 'zones.yaml'} "
                         f"({', '.join(named)}): give the slug")
    raise UsageError(f"unknown zone '{zone}': add it to {seeds / 'zones.yaml'} first "
                     f"(known: {', '.join(zones) or 'none'})")


def add_source(file: Path | str, slug: str, *, seeds_dir: Path | str | None = None,
               title: str | None = None, publisher: str | None = None,
               date: str | None = None, author: str | None = None,
               zone: str | None = None, kind: str = "article",
               language: str = "zh") -> AddedSource:
    """Copy ``file`` into the seeds as source ``slug`` and append it to the manifest.

    Refuses (``Refused``, nothing written) a taken slug, a text already in the seeds
    under another slug, an empty file and one that is not UTF-8; a malformed slug, date
    or unknown zone is a UsageError."""
    seeds = writable_seeds(seeds_dir)
    file = Path(file)
    if not SLUG.fullmatch(slug):
        raise UsageError(f"bad slug '{slug}': use lowercase letters, digits and hyphens, "
                         "e.g. xinfeng-park-2024")
    if date is not None and not is_date(date):
        raise UsageError(f"bad date {date[:40]!r}: write YYYY, YYYY-MM or YYYY-MM-DD "
                         "(a real date)")
    for key, value in (("kind", kind), ("language", language)):
        if (problem := enum_problem(key, value, ENUMS["source"][key])) is not None:
            raise UsageError(problem)
    zone = resolve_zone(seeds, zone_names(seeds), zone)
    try:
        text, data = read_utf8(file)
    except OSError as exc:
        raise Refused(f"cannot read {file}: {exc.strerror}") from exc
    except NotUtf8 as exc:
        raise Refused(f"{file} is not UTF-8 text (byte {exc.byte} is not valid UTF-8); "
                      "convert it first, e.g. iconv -f GB18030 -t UTF-8") from exc
    if not text.strip():
        raise Refused(f"{file} is empty")
    digest = hashlib.sha256(data).hexdigest()
    folder = seeds / "sources"
    manifest = folder / "manifest.yaml"
    for rec in read_records(manifest):
        if rec.get("slug") == slug:
            raise Refused(f"source '{slug}' is already in {manifest} (line {rec.line}); "
                             "choose another --slug")
        known = rec.get("sha256")
        if known is None and rec.get("file") and (folder / str(rec["file"])).is_file():
            known = hashlib.sha256((folder / str(rec["file"])).read_bytes()).hexdigest()
        if known == digest:
            raise Refused(f"{file} has the same content (sha256 {digest[:12]}…) as source "
                             f"'{rec.get('slug')}' ({manifest}, line {rec.line})")
    target = folder / f"{slug}.txt"
    if target.exists() or target.is_symlink():
        raise Refused(f"{target} exists already; choose another --slug")
    mentions = len(extract_mentions(text))  # before anything is written
    target.write_bytes(data)  # the bytes read and checked, not the file again
    fields = {"slug": slug, "file": target.name, "sha256": digest, "title": title,
              "publisher": publisher, "date": date, "author": author, "kind": kind,
              "language": language}
    entry = "".join(f"{'- ' if i == 0 else '  '}{k}: {yaml_scalar(v)}\n"
                    for i, (k, v) in enumerate(fields.items()))
    if zone is not None:
        entry += f"  # zone: {zone}   (the default zone of `zonedb draft {slug}`)\n"
    try:
        old = manifest.read_bytes()
        with manifest.open("a", encoding="utf-8") as out:
            out.write(("" if not old or old.endswith(b"\n") else "\n") + entry)
    except OSError:
        target.unlink(missing_ok=True)
        raise
    return AddedSource(slug, target, digest, len(text), mentions)




def seed_coverage(tables: dict[str, list[dict[str, Any]]]) -> dict[str, int]:
    """Counts of linked, ignored and unaccounted number phrases in validated seed rows
    (what `zonedb coverage` would say after seeding), for `zonedb seed --check`."""
    from zonedb.reports.coverage import STATUSES, classify_sources

    sources = tables.get("sources", [])
    shift = {s["id"]: (s["parent_id"] or s["id"], s["parent_start"] or 0) for s in sources}
    spans = {table: [(r["source_id"], r["quote_start"], r["quote_end"], r["written_start"],
                      r["written_end"], "", r.get("period"), r.get("reason"))
                     for r in tables.get(table, [])]
             for table in ("indicators", "ignored_mentions")}
    counts = dict.fromkeys(STATUSES, 0)
    for covered in classify_sources(
            [(s["id"], s["slug"], s["text"]) for s in sources if s["parent_id"] is None],
            shift, spans["indicators"], spans["ignored_mentions"]):
        counts[covered.status] += 1
    return counts
