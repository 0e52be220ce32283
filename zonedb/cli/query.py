"""``zonedb query TABLE``: one subcommand per view, each filtering and sorting its rows."""

from __future__ import annotations

import typer

from zonedb.cli.options import (
    AsOfOpt,
    DbOpt,
    Format,
    FormatOpt,
    Group,
    Lang,
    LangOpt,
    LimitOpt,
    MetricOpt,
    PeriodOpt,
    SearchOpt,
    SortOpt,
    ZoneOpt,
    as_of_notice,
    reader_for,
)

query_app = typer.Typer(cls=Group, no_args_is_help=True, rich_markup_mode=None,
                        help="Query one table through its view.\n\nExample: zonedb query "
                             "indicators --zone ganzhou --format csv")

_EXAMPLES = {
    "indicators": "zonedb query indicators --zone ganzhou --metric 'above_scale_*' -f csv",
    "reforms": "zonedb query reforms --zone ruijin",
    "firms": "zonedb query firms --search 电池",
    "funds": "zonedb query funds --zone ganzhou -f json",
    "projects": "zonedb query projects --zone zhanggong",
    "people": "zonedb query people --search 主任",
    "zones": "zonedb query zones -f markdown",
    "metrics": "zonedb query metrics --search firms",
    "sources": "zonedb query sources",
}


def _query_command(table: str) -> None:
    def command(db: DbOpt = None, zone: ZoneOpt = None, metric: MetricOpt = None,
                period: PeriodOpt = None, search: SearchOpt = None, sort: SortOpt = None,
                limit: LimitOpt = None, as_of: AsOfOpt = None, fmt: FormatOpt = Format.table,
                lang: LangOpt = Lang.en) -> None:
        from zonedb.render import render
        from zonedb.reports.queries import VIEWS, query

        with reader_for(db) as reader:
            result = query(reader, table, zones=zone, metrics=metric, period=period,
                           search=search, sort=sort, limit=limit, as_of=as_of)
            if table != "sources":
                as_of_notice(reader, as_of, VIEWS[table].name)
        render(result.columns, result.rows, fmt.value, lang=lang.value, title=table)

    example = _EXAMPLES[table]
    if table == "indicators":
        example += "\n\nAs the sources published by a date told it: zonedb query indicators " \
            "--zone ganzhou --as-of 2024-06-30"
    command.__doc__ = f"List {table}, filtered and sorted.\n\nExample: {example}"
    query_app.command(name=table)(command)


for _table in _EXAMPLES:
    _query_command(_table)


def register(app: typer.Typer) -> None:
    app.add_typer(query_app, name="query")
