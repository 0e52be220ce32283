"""``zonedb extract`` and ``zonedb coverage``: finding number phrases in free text."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from zonedb.cli.options import (
    CsvOpt,
    DbOpt,
    Format,
    FormatOpt,
    JsonOpt,
    NlOpt,
    TableOpt,
    output_format,
    reader_for,
)


def extract(file: Annotated[Path, typer.Argument(metavar="FILE", help="A UTF-8 text file.",
                                                 exists=True, dir_okay=False)],
            fmt: FormatOpt = Format.table, csv: CsvOpt = False, json: JsonOpt = False,
            nl: NlOpt = False, table: TableOpt = False) -> None:
    """Print every quantity mention in a text file, with raw offsets and parsed values.

    Example: zonedb extract seeds/sources/jiangxi-zones-roundup.txt -f json
    """
    from dataclasses import astuple, fields

    from zonedb.errors import ZonedbError
    from zonedb.render import render
    from zonedb.text.extract import Mention, extract_mentions
    from zonedb.text.match import NotUtf8, read_utf8

    fmt = output_format(fmt, csv=csv, json=json, nl=nl, table=table)
    try:  # the bytes as they are (CR LF kept: offsets are those seed and coverage use)
        text = read_utf8(file)[0]
    except OSError as exc:
        raise ZonedbError(f"cannot read {file}: {exc.strerror}") from exc
    except NotUtf8 as exc:
        raise ZonedbError(f"{file}: {exc}") from exc
    mentions = extract_mentions(text)
    columns = [f.name for f in fields(Mention)]
    render(columns, [astuple(m) for m in mentions], fmt.value, title=str(file))


def coverage(db: DbOpt = None,
             source: Annotated[str | None, typer.Option(
                 "--source", metavar="SLUG", help="Only this source slug.")] = None,
             fmt: FormatOpt = Format.table, csv: CsvOpt = False, json: JsonOpt = False,
             nl: NlOpt = False, table: TableOpt = False,
             show_all: Annotated[bool, typer.Option(
                 "--all", help="List every mention, not only the unaccounted ones (table).")
             ] = False) -> None:
    """Account for every number phrase in the seeded sources: linked, ignored or unaccounted.

    Exits with status 1 when any mention is unaccounted.

    Example: zonedb coverage --source ganzhou-etdz-reform -f json
    """
    from zonedb.render import render
    from zonedb.reports.coverage import coverage as run_coverage
    from zonedb.reports.coverage import summary

    fmt = output_format(fmt, csv=csv, json=json, nl=nl, table=table)
    with reader_for(db) as reader:
        rows = run_coverage(reader, source)
    if fmt is Format.table:
        listed = rows if show_all else [r for r in rows if r.status == "unaccounted"]
        if listed:
            render(["source", "text", "start", "end", "kind", "status", "row"],
                   [(r.source, r.text, r.start, r.end, r.kind, r.status, r.row or r.reason)
                    for r in listed], "table", title="mentions")
        render(["source", "linked", "ignored", "unaccounted"], summary(rows), "table",
               title="coverage")
    else:
        keys = ["source", "text", "start", "end", "kind", "status", "row", "reason"]
        render(keys, [tuple(r.as_dict()[k] for k in keys) for r in rows], fmt.value)
    if any(r.status == "unaccounted" for r in rows):
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command()(extract)
    app.command()(coverage)
