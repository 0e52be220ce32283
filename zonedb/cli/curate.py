"""``zonedb sources add``, ``zonedb draft`` and ``zonedb diff``: the curator's loop of
adding an article, drafting its facts and seeing what re-seeding would change. Each a
few lines over zonedb.curate and zonedb.store.diff."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from zonedb.cli.options import DbOpt, Format, FormatOpt, Group, SeedsOpt

sources_app = typer.Typer(cls=Group, no_args_is_help=True, rich_markup_mode=None,
                          help="Source texts in the seeds folder.\n\nExample: zonedb sources "
                               "add article.txt --slug xinfeng-park-2024")


@sources_app.command("add")
def sources_add(
        file: Annotated[Path, typer.Argument(help="The article, as UTF-8 text.", exists=True,
                                             dir_okay=False)],
        slug: Annotated[str, typer.Option("--slug", help="Its name in the seeds, e.g. "
                                                         "xinfeng-park-2024.")],
        title: Annotated[str | None, typer.Option(help="The title as the text states it.")
                         ] = None,
        publisher: Annotated[str | None, typer.Option(help="Only where the text states it.")
                             ] = None,
        date: Annotated[str | None, typer.Option(help="YYYY or YYYY-MM-DD, only where "
                                                      "stated.")] = None,
        author: Annotated[str | None, typer.Option(help="The author, as written.")] = None,
        zone: Annotated[str | None, typer.Option(
            "--zone", "-z", help="Zone (slug, name or alias) the article is about (the "
                                 "default of `zonedb draft`).")] = None,
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
    typer.echo(f"Next: zonedb draft {slug} > {added.path.parent.parent / 'facts' / slug}.yaml",
               err=True)


def draft(slug: Annotated[str, typer.Argument(help="Source slug in the manifest.")],
          zone: Annotated[str | None, typer.Option(
              "--zone", "-z", help="Zone (slug, name or alias) for every entry (default: the one "
                                   "given to `sources add`, else the zone the text names most).")
          ] = None,
          seeds: SeedsOpt = None) -> None:
    """Print a fact file drafted from the number phrases of a source: quote, as_written and
    the parsed value as comments, `metric: null` and `period: null` to fill in, with the
    closest metrics suggested. `zonedb seed` refuses it until every metric is filled.

    Example: zonedb draft xinfeng-park-2024 > seeds/facts/xinfeng-park-2024.yaml
    """
    from zonedb.curate.draft import draft as draft_facts

    text, count = draft_facts(slug, seeds_dir=seeds, zone=zone)
    sys.stdout.write(text)
    if count:
        noun = "entry" if count == 1 else "entries"
        typer.echo(f"{count} drafted {noun}: set metric and period, delete what is not a fact.",
                   err=True)


def diff(db: DbOpt = None, seeds: SeedsOpt = None, fmt: FormatOpt = Format.table) -> None:
    """What re-seeding would change in the database: rows added, removed and changed
    (old -> new), per table. Writes nothing.

    Example: zonedb diff --db zonedb.db --seeds seeds/ --format json
    """
    from zonedb.render import render, render_json
    from zonedb.seeds.read import read_seeds
    from zonedb.store.diff import diff_database, rows

    result = diff_database(db, read_seeds(seeds))
    if fmt is Format.json:
        return render_json(result.as_dict())
    columns, changes = rows(result)
    if changes or fmt is not Format.table:
        render(columns, changes, fmt.value, title="changes")
    if fmt is Format.table:
        render(["table", "added", "removed", "changed", "unchanged"],
               [(t, *c.values()) for t, c in result.counts.items()], "table", title="rows")
    typer.echo(f"Re-seeding would change: {result.summary()}", err=True)


def register(app: typer.Typer) -> None:
    app.add_typer(sources_app, name="sources")
    app.command()(draft)
    app.command()(diff)
