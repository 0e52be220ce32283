"""``zonedb conflicts`` and ``zonedb series``: figures stated by several sources, over
zonedb.reports.figures."""

from __future__ import annotations

import typer

from zonedb.cli.options import (
    AsOfOpt,
    ColumnsOpt,
    CsvOpt,
    DbOpt,
    Format,
    FormatOpt,
    JsonOpt,
    Lang,
    LangOpt,
    NlOpt,
    NoColorOpt,
    TableOpt,
    ZoneOpt,
    as_of_notice,
    chosen_columns,
    color_choice,
    output_format,
    reader_for,
)


def conflicts(db: DbOpt = None, zone: ZoneOpt = None, as_of: AsOfOpt = None,
              columns: ColumnsOpt = None, fmt: FormatOpt = Format.table, csv: CsvOpt = False,
              json: JsonOpt = False, nl: NlOpt = False, table: TableOpt = False,
              lang: LangOpt = Lang.en, no_color: NoColorOpt = False) -> None:
    """Figures whose sources disagree (values incompatible given their qualifiers, and no
    statement ranked preferred), one row per statement with its quote and source.
    Exits with status 1 when there is any, for CI.

    Example: zonedb conflicts --zone ganzhou --format csv
    """
    from zonedb.render import count_of, notice, render
    from zonedb.reports.figures import conflict_rows
    from zonedb.reports.figures import conflicts as find_conflicts

    fmt = output_format(fmt, csv=csv, json=json, nl=nl, table=table)
    with reader_for(db) as reader:
        figures = find_conflicts(reader, zones=zone, as_of=as_of)
        as_of_notice(reader, as_of)
    if not figures and fmt is Format.table:  # one line, not an empty table
        typer.echo("No figures in conflict.")
        return
    names, rows = conflict_rows(figures)
    render(names, rows, fmt.value, lang=lang.value, chosen=chosen_columns(columns, names),
           color=color_choice(no_color))
    if figures:
        notice(f"{count_of(len(figures), 'figures')} in conflict: rank one statement preferred "
               "or the wrong ones deprecated (rank_reason says why) in the fact seeds")
        raise typer.Exit(1)


def series(zone: str = typer.Argument(metavar="ZONE", help="Zone slug or name, e.g. ganzhou."),
           metric: str = typer.Argument(metavar="METRIC", help="Metric slug or label, e.g. "
                                        "above_scale_industrial_firms."),
           db: DbOpt = None, as_of: AsOfOpt = None, columns: ColumnsOpt = None,
           fmt: FormatOpt = Format.table, csv: CsvOpt = False, json: JsonOpt = False,
           nl: NlOpt = False, table: TableOpt = False, lang: LangOpt = Lang.en,
           no_color: NoColorOpt = False) -> None:
    """A zone's figure over its periods: the preferred value of each period, how many
    sources state it, its status (agreed, preferred, conflict) and flags, then a bar chart.

    Example: zonedb series ganzhou above_scale_industrial_firms --format csv

    As the sources published by a date told it: zonedb series ganzhou
    above_scale_industrial_firms --as-of 2024-06-30
    """
    from zonedb.render import render, render_bars
    from zonedb.reports.figures import SERIES_COLUMNS
    from zonedb.reports.figures import series as figure_series

    fmt = output_format(fmt, csv=csv, json=json, nl=nl, table=table)
    chosen = chosen_columns(columns, SERIES_COLUMNS)
    with reader_for(db) as reader:
        z, m, rows = figure_series(reader, zone, metric, as_of=as_of)
        as_of_notice(reader, as_of)
    render(SERIES_COLUMNS, [tuple(r[c] for c in SERIES_COLUMNS) for r in rows], fmt.value,
           lang=lang.value, title=f"{z}: {m}", chosen=chosen, color=color_choice(no_color))
    charted = [r for r in rows if r["value"] is not None]
    if fmt is not Format.table or not charted:
        return
    typer.echo("")
    render_bars([str(r["period"]) for r in charted], [r["value"] for r in charted],
                charted[0]["unit"])


def register(app: typer.Typer) -> None:
    app.command()(conflicts)
    app.command()(series)
