"""``zonedb sources add``, ``zonedb draft`` and ``zonedb diff``: the curator's loop of
adding an article, drafting its facts and seeing what re-seeding would change. Each a
few lines over zonedb.curate and zonedb.store.diff."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from zonedb.cli.options import (
    CsvOpt,
    DbOpt,
    Format,
    FormatOpt,
    Group,
    JsonOpt,
    NlOpt,
    SeedsOpt,
    TableOpt,
    output_format,
)

sources_app = typer.Typer(cls=Group, no_args_is_help=True, rich_markup_mode=None,
                          help="Source texts in the seeds folder.\n\nExample: zonedb sources "
                               "add article.txt --slug xinfeng-park-2024")


@sources_app.command("add")
def sources_add(
        file: Annotated[Path, typer.Argument(
            metavar="FILE", help="The article, as UTF-8 text.", exists=True,
            dir_okay=False)],
        slug: Annotated[str, typer.Option(
            "--slug", metavar="SLUG", help="Its name in the seeds, e.g. xinfeng-park-2024.")],
        title: Annotated[str | None, typer.Option(
            metavar="TEXT", help="The title as the text states it.")] = None,
        publisher: Annotated[str | None, typer.Option(
            metavar="TEXT", help="Only where the text states it.")] = None,
        date: Annotated[str | None, typer.Option(
            metavar="DATE", help="YYYY or YYYY-MM-DD, only where stated.")] = None,
        author: Annotated[str | None, typer.Option(
            metavar="TEXT", help="The author, as written.")] = None,
        zone: Annotated[str | None, typer.Option(
            "--zone", "-z", metavar="ZONE",
            help="Zone (slug, name or alias) the article is about (the default of `zonedb "
                 "draft`).")] = None,
        seeds: SeedsOpt = None) -> None:
    """Copy an article into seeds/sources/ byte for byte and add it to the manifest with
    its sha256. Refuses a taken slug, a text already in the seeds, and non-UTF-8 or empty
    files.

    Example: zonedb sources add xinfeng.txt --slug xinfeng-park-2024 --zone xinfeng
    """
    from zonedb.curate.sources import add_source

    added = add_source(file, slug, seeds_dir=seeds, title=title, publisher=publisher,
                       date=date, author=author, zone=zone)
    typer.echo(f"Added {added.path} ({added.chars} characters, sha256 {added.sha256[:12]}…, "
               f"{added.mentions} number phrases).", err=True)
    typer.echo(f"Next: zonedb draft {slug} (to read it), then zonedb draft {slug} --write",
               err=True)


class DraftFormat(StrEnum):
    yaml = "yaml"
    json = "json"


def draft(slug: Annotated[str, typer.Argument(metavar="SLUG",
                                              help="Source slug in the manifest.")],
          zone: Annotated[str | None, typer.Option(
              "--zone", "-z", metavar="ZONE",
              help="Zone (slug, name or alias) of every fact (default: the zone named before "
                   "each figure in its paragraph, else the article's zone).")] = None,
          write: Annotated[bool, typer.Option(
              "--write", help="Write the drafted files into the seeds folder (facts/, "
                              "ignore/, metrics/, firms/, funds/ SLUG.yaml; new zones appended "
                              "to zones.yaml); never overwrites a file.")] = False,
          fmt: Annotated[DraftFormat, typer.Option(
              "--format", "-f", case_sensitive=False, metavar="FORMAT",
              help="yaml: the fact file with comments; json: one object with facts, "
                   "metrics, zones, firms, funds, ignore.")
          ] = DraftFormat.yaml,
          seeds: SeedsOpt = None) -> None:
    """Draft every seed record of a source from its text: facts with zone, metric, period,
    role and subject filled in (each with the words it came from; '# CHECK' where unsure),
    ignore entries for dates and other non-facts, and the new metrics, zones, firms and
    funds it needs. Review it with `zonedb seed --check`, `zonedb diff` and `zonedb show`.

    Example: zonedb draft xinfeng-park-2024 --write && zonedb seed --check
    """
    from zonedb.curate.draft import build_draft, draft_files, render_facts, write_draft
    from zonedb.render import render_json

    dr = build_draft(slug, seeds_dir=seeds, zone=zone)
    if write:
        for path in write_draft(dr, seeds):
            typer.echo(f"Wrote {path}", err=True)
    elif fmt is DraftFormat.json:
        render_json(dr.as_json())
    else:
        sys.stdout.write(render_facts(dr))
        extra = [p for p in draft_files(dr) if not p.startswith("facts/")]
        if extra:
            typer.echo(f"Also drafted: {', '.join(extra)} (`--write` writes them all).",
                       err=True)
    unsure = sum(1 for f in dr.facts if f.unsure)
    typer.echo(f"{len(dr.facts)} facts, {len(dr.ignore)} ignore entries, {len(dr.metrics)} new "
               f"metrics, {len(dr.zones)} new zones; {unsure} facts marked CHECK.", err=True)


def diff(db: DbOpt = None, seeds: SeedsOpt = None, fmt: FormatOpt = Format.table,
         csv: CsvOpt = False, json: JsonOpt = False, nl: NlOpt = False,
         table: TableOpt = False) -> None:
    """What re-seeding would change in the database: rows added, removed and changed
    (old -> new), per table. Writes nothing.

    Example: zonedb diff --db zonedb.db --seeds seeds/ --format json
    """
    from zonedb.render import render, render_json
    from zonedb.seeds.read import read_seeds
    from zonedb.store.diff import diff_database, rows
    from zonedb.store.load import preview

    fmt = output_format(fmt, csv=csv, json=json, nl=nl, table=table)
    trial = preview(db, seeds)  # only the files changed since the last seeding, if it can
    result = trial.diff if trial is not None else diff_database(db, read_seeds(seeds))
    if fmt is Format.json:
        return render_json(result.as_dict())
    if not result.database_exists:  # everything would be "added": say why, once
        from zonedb.store.db import display, resolve_url

        typer.echo(f"No database at {display(resolve_url(db))} yet: seeding would add every "
                   "row below. Create it with: zonedb seed", err=True)
    columns, changes = rows(result)
    if changes or fmt is not Format.table:
        render(columns, changes, fmt.value, title="changes")
    if fmt is Format.table:
        render(["table", "added", "removed", "changed", "unchanged"],
               [(t, *c.values()) for t, c in result.counts.items()], "table", title="rows")
    typer.echo(f"Re-seeding would change: {result.summary()}", err=True)


def init(directory: Annotated[Path, typer.Argument(
        help="A new or empty folder (default ./seeds).", metavar="DIR")] = Path("seeds")) -> None:
    """Copy the example seeds bundled with zonedb into a folder of your own, to edit and
    seed from (the bundled copy is read-only).

    Example: zonedb init myseeds && zonedb sources add article.txt --slug a-2024 --seeds myseeds
    """
    from zonedb.curate.sources import init_seeds

    count = init_seeds(directory)
    typer.echo(f"Copied {count} files of the bundled seeds into {directory}; edit them and "
               f"run `zonedb seed --seeds {directory}`", err=True)


def register(app: typer.Typer) -> None:
    app.command()(init)
    app.add_typer(sources_app, name="sources")
    app.command()(draft)
    app.command()(diff)
