"""``zonedb query TABLE``: one subcommand per view, each filtering and sorting its rows.

Each subcommand's options are built from what its view declares (``reports.queries.View``):
``query metrics`` has no --zone, ``query people`` no --period, so --help lists only what
applies."""

from __future__ import annotations

import inspect
import sys
from typing import Annotated, Any

import typer

from zonedb.cli.options import (
    ROLE_WORDS,
    AllOpt,
    AsOfOpt,
    ColumnsOpt,
    CsvOpt,
    DbOpt,
    Format,
    FormatOpt,
    Group,
    JsonOpt,
    Lang,
    LangOpt,
    LimitOpt,
    MetricOpt,
    NlOpt,
    NoColorOpt,
    OffsetOpt,
    PeriodOpt,
    SearchOpt,
    SortOpt,
    TableOpt,
    ZoneOpt,
    as_of_notice,
    chosen_columns,
    color_choice,
    more_line,
    output_format,
    reader_for,
    row_cap,
)
from zonedb.reports.queries import VIEWS

query_app = typer.Typer(cls=Group, no_args_is_help=True, rich_markup_mode=None,
                        help="Query one table through its view.\n\nExample: zonedb query "
                             "indicators --zone ganzhou --format csv")

_EXAMPLES = {
    "indicators": "zonedb query indicators --zone ganzhou --period 2020..2024 --csv",
    "reforms": "zonedb query reforms --zone ruijin",
    "firms": "zonedb query firms --zone ganzhou --with-figures",
    "funds": "zonedb query funds --zone ganzhou -f json",
    "projects": "zonedb query projects --zone zhanggong",
    "people": "zonedb query people --search 主任 -c name_zh,role_en,organisation",
    "zones": "zonedb query zones -f markdown",
    "metrics": "zonedb query metrics --search firms",
    "sources": "zonedb query sources",
}

SinceOpt = Annotated[str | None, typer.Option(
    "--since", metavar="YEAR", help="Periods from YEAR on (same as --period YEAR..).")]
RoleOpt = Annotated[str | None, typer.Option(
    "--role", metavar="ROLE",
    help=f"Only figures stated as {ROLE_WORDS} (or several: before,after).")]
FiguresOpt = Annotated[bool, typer.Option(
    "--with-figures", help="Only firms that indicators are about (the figures column).")]
PreferredOpt = Annotated[bool, typer.Option(
    "--preferred", help="One statement per figure, the one giving its preferred value (as "
                        "compare --preferred and v_indicators.preferred); figures whose "
                        "sources disagree are left out and named (see zonedb conflicts).")]


def _hidden(opt: Any) -> Any:
    """The same option, left out of --help."""
    import copy

    info = copy.copy(opt.__metadata__[0])
    info.hidden = True
    return Annotated[opt.__origin__, info]


def _param(name: str, annotation: Any, default: Any) -> inspect.Parameter:
    return inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation,
                             default=default)


def _query_command(table: str) -> None:
    view = VIEWS[table]
    params = [_param("db", DbOpt, None)]
    # Filters the view lacks are hidden from --help but still parsed, so that using one
    # says "--zone does not apply to sources" rather than "no such option".
    for name, opt, present in (("zone", ZoneOpt, view.zone_column),
                               ("metric", MetricOpt, view.metric_column),
                               ("period", PeriodOpt, view.period_column),
                               ("since", SinceOpt, view.period_column),
                               ("role", RoleOpt, view.role_column)):
        params.append(_param(name, opt if present else _hidden(opt), None))
    if view.figures:
        params.append(_param("with_figures", FiguresOpt, False))
    params.append(_param("preferred", PreferredOpt if view.ranks else _hidden(PreferredOpt),
                         False))
    params.append(_param("as_of", AsOfOpt if table not in ("zones", "metrics")
                         else _hidden(AsOfOpt), None))
    params += [_param("search", SearchOpt, None), _param("sort", SortOpt, None),
               _param("columns", ColumnsOpt, None), _param("limit", LimitOpt, None),
               _param("offset", OffsetOpt, 0), _param("every", AllOpt, False),
               _param("fmt", FormatOpt, Format.table), _param("csv", CsvOpt, False),
               _param("json", JsonOpt, False), _param("nl", NlOpt, False),
               _param("table", TableOpt, False)]
    if any(c.endswith("_zh") for c in view.columns):
        params.append(_param("lang", LangOpt, Lang.en))
    params.append(_param("no_color", NoColorOpt, False))

    def command(**kw: Any) -> None:
        from zonedb.render import render
        from zonedb.reports.queries import count, figure_label, in_conflict, query, stream

        fmt = output_format(kw.pop("fmt"), csv=kw.pop("csv"), json=kw.pop("json"),
                            nl=kw.pop("nl"), table=kw.pop("table"))
        chosen = chosen_columns(kw.pop("columns"), view.names)
        lang, color = kw.pop("lang", Lang.en), color_choice(kw.pop("no_color"))
        limit, capped = row_cap(fmt, kw.pop("limit"), kw.pop("every"))
        db, sort, offset = kw.pop("db"), kw.pop("sort"), kw.pop("offset")
        filters = {"zones": kw.pop("zone"), "metrics": kw.pop("metric"), **kw}
        with reader_for(db) as reader:
            if fmt is not Format.table:  # written as fetched: a million rows in a pipe too
                rows = stream(reader, table, sort=sort, offset=offset, limit=limit, **filters)
            else:
                result = query(reader, table, sort=sort, offset=offset,
                               limit=limit + 1 if capped and limit is not None else limit,
                               **filters)
            if table != "sources":  # the filters were checked: the notices apply
                as_of_notice(reader, filters.get("as_of"), view.name)
            left_out = [figure_label(f) for f in in_conflict(reader, **filters)] \
                if filters.get("preferred") else []
            if fmt is not Format.table:
                render(rows.columns, rows.rows, fmt.value, chosen=chosen)
            else:
                more = None
                if capped and limit is not None and len(result.rows) > limit:
                    result.rows = result.rows[:limit]
                    total = offset + count(reader, table, **filters)
                    more = more_line(offset + limit, total, f"zonedb query {table} ...")
                render(result.columns, result.rows, fmt.value, lang=lang.value, title=table,
                       chosen=chosen, color=color, more=more)
        if left_out:
            sys.stdout.flush()  # the notice after the rows it is about
            figures = "figure" if len(left_out) == 1 else "figures"
            typer.echo(f"left out {len(left_out)} {figures} in conflict (zonedb conflicts): "
                       + ", ".join(left_out), err=True)

    command.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    example = _EXAMPLES[table]
    if table == "indicators":
        example += "\n\nAs the sources published by a date told it: zonedb query indicators " \
            "--zone ganzhou --as-of 2024-06-30\n\nOne statement per figure, its preferred " \
            "one: zonedb query indicators --metric operating_revenue --preferred"
    command.__doc__ = f"List {table}, filtered and sorted.\n\nExample: {example}"
    command.__name__ = table
    query_app.command(name=table)(command)


for _table in _EXAMPLES:
    _query_command(_table)


def register(app: typer.Typer) -> None:
    app.add_typer(query_app, name="query")
