"""``zonedb search TEXT``: one Chinese-aware index lookup across every table."""

from __future__ import annotations

from typing import Annotated

import typer

from zonedb.cli.options import (
    CsvOpt,
    DbOpt,
    Format,
    FormatOpt,
    JsonOpt,
    LimitOpt,
    NlOpt,
    output_format,
    reader_for,
)


def search(text: Annotated[str, typer.Argument(metavar="TEXT",
                                               help="Word(s) to find, e.g. 外资 or fund.")],
           db: DbOpt = None,
           table: Annotated[list[str] | None, typer.Option(
               "--table", "-t", metavar="TABLE",
               help="Only these tables (repeatable), e.g. indicators. (Here --table names a "
                    "table, so a table of results is --format table.)")] = None,
           limit: LimitOpt = 50, fmt: FormatOpt = Format.table, csv: CsvOpt = False,
           json: JsonOpt = False, nl: NlOpt = False) -> None:
    """Find TEXT in every table (quotes, names, labels; full- or half-width, any case),
    most matches first, the match marked 【like this】 in a snippet.

    Example: zonedb search 外资 --table indicators --table firms -f csv
    """
    from dataclasses import astuple

    from zonedb.errors import UsageError
    from zonedb.render import render
    from zonedb.reports.queries import VIEWS
    from zonedb.reports.search import HIT_COLUMNS, search_all

    fmt = output_format(fmt, csv=csv, json=json, nl=nl)
    for name in table or []:
        if name not in VIEWS:
            raise UsageError(f"unknown table '{name}'; choose from: {', '.join(VIEWS)}")
    with reader_for(db) as reader:
        hits = search_all(reader, text, tables=table, limit=limit)
    if fmt is Format.table and not hits:
        typer.echo(f"No row contains '{text}'.", err=True)
        return
    render(list(HIT_COLUMNS), [astuple(h) for h in hits], fmt.value, title=f"search: {text}")


def register(app: typer.Typer) -> None:
    app.command()(search)
