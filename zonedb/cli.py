"""The ``zonedb`` command: a thin layer that parses options, calls the package's API
and hands rows to ``render``. Errors users can meet are caught once, here."""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from zonedb import __version__, typerfast
from zonedb.errors import SeedError, ZonedbError

# The order `zonedb --help` lists commands in: reading first, then curating, then plumbing.
_ORDER = ("query", "search", "show", "cite", "compare", "sql", "export", "serve", "seed",
          "diff", "sources", "draft", "extract", "coverage", "db")


class _Group(TyperGroup):
    """Catches every ZonedbError once: message on stderr, its exit status, no traceback."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except ZonedbError as exc:
            # Seed problems are already `file:line: message` lines, ready for editors.
            prefix = "" if isinstance(exc, SeedError) else "Error: "
            typer.echo(f"{prefix}{exc}", err=True)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            typer.echo("Interrupted; nothing was changed.", err=True)
            raise typer.Exit(130) from None
        except BrokenPipeError:
            sys.stderr.close()
            raise typer.Exit(0) from None


class _Root(_Group):
    def list_commands(self, ctx: Any) -> list[str]:
        names = super().list_commands(ctx)
        return sorted(names, key=lambda n: (_ORDER.index(n) if n in _ORDER else len(_ORDER), n))


typerfast.install()  # plain options without pydantic: ~60 ms off every command
app = typer.Typer(cls=_Root, no_args_is_help=True, add_completion=True,
                  pretty_exceptions_enable=False, rich_markup_mode=None,
                  help="zonedb: figures about China's development zones, each traceable to "
                       "the words of its source.\n\nExample: zonedb query indicators --zone "
                       "ganzhou")


class Format(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    jsonl = "jsonl"
    markdown = "markdown"


class Lang(StrEnum):
    en = "en"
    zh = "zh"


# Options shared by many commands, defined once.
DbOpt = Annotated[str | None, typer.Option(
    "--db", envvar="ZONEDB_DB", show_envvar=True, metavar="PATH|URL",
    help="SQLite file or SQLAlchemy URL (default ./zonedb.db).")]
FormatOpt = Annotated[Format, typer.Option(
    "--format", "-f", case_sensitive=False, metavar="FORMAT",
    help="Output format (table on a terminal, csv/json/jsonl/markdown for "
    "pipes).")]
LangOpt = Annotated[Lang, typer.Option("--lang", case_sensitive=False,
    help="Label language in tables.")]
ZoneOpt = Annotated[list[str] | None, typer.Option(
    "--zone", "-z", metavar="ZONE",
    help="Zone slug or name (repeatable), e.g. ganzhou or 赣州经济技术开发区.")]
MetricOpt = Annotated[list[str] | None, typer.Option(
    "--metric", "-m", metavar="METRIC",
    help="Metric slug, label or glob (repeatable), e.g. 'above_scale_*'.")]
PeriodOpt = Annotated[str | None, typer.Option(
    "--period", metavar="PERIOD",
    help="Period such as 2024 or 2024-01/2024-11; 2024 also matches 2024-06.")]
SearchOpt = Annotated[str | None, typer.Option(
    "--search", "-s", metavar="TEXT",
    help="Text to find in quotes, names and labels (Chinese or English).")]
SortOpt = Annotated[str | None, typer.Option(
    "--sort", metavar="COLUMNS",
    help="Column(s) to sort by, comma-separated; prefix - for descending.")]
LimitOpt = Annotated[int | None, typer.Option("--limit", "-n", min=0, metavar="N",
    help="At most N rows.")]
SeedsOpt = Annotated[Path | None, typer.Option(
    "--seeds", metavar="DIR", help="Seeds folder (default ./seeds, else the bundled copy).")]


def version_callback(value: bool) -> None:
    if value:
        typer.echo(f"zonedb {__version__}")
        raise typer.Exit()


@app.callback()
def _root(version: Annotated[bool, typer.Option(
        "--version", callback=version_callback, is_eager=True,
        help="Show the version and exit.")] = False) -> None:
    """zonedb: figures about China's development zones, each traceable to its source."""


def reader_for(db: str | None) -> Any:
    """A read-only connection; the default database is seeded on first use."""
    from zonedb.db import DEFAULT_DB, Reader, resolve_url

    url = resolve_url(db)
    if db is None and not os.environ.get("ZONEDB_DB") and not Path(DEFAULT_DB).exists():
        from zonedb.load import seed
        from zonedb.seeds import default_seeds_dir  # imports yaml: only when seeding

        typer.echo(f"No database yet: seeding {DEFAULT_DB} from the seeds in "
                   f"{default_seeds_dir()}...", err=True)
        seed(None, None)
    return Reader(url)


@app.command()
def seed(db: DbOpt = None, seeds: SeedsOpt = None,
         check: Annotated[bool, typer.Option(
             "--check", help="Validate the seeds and print row counts; write nothing.")] = False,
         fmt: FormatOpt = Format.table) -> None:
    """Build the database from the seeds folder (all or nothing).

    Example: zonedb seed --db zonedb.db --seeds seeds/
    """
    from zonedb import load
    from zonedb.render import render

    if check:
        from zonedb.curate import seed_coverage
        from zonedb.seeds import read_seeds

        seedset = read_seeds(seeds)
        counts = seedset.counts()
        typer.echo("Seeds are valid; nothing was written. Number phrases in the sources: "
                   + ", ".join(f"{n} {k}" for k, n in seed_coverage(seedset.tables).items())
                   + " (zonedb coverage lists them once seeded).", err=True)
    else:
        report = load.seed(db, seeds, summarise=True)
        counts = report.counts
        typer.echo(f"Seeded {report.target}: " + ", ".join(
            f"{n} {t}" for t, n in counts.items()), err=True)
        typer.echo(f"Changes: {report.changes}", err=True)
    if check or fmt is not Format.table:
        render(["table", "rows"], list(counts.items()), fmt.value)


query_app = typer.Typer(cls=_Group, no_args_is_help=True, rich_markup_mode=None,
                        help="Query one table through its view.\n\nExample: zonedb query "
                             "indicators --zone ganzhou --format csv")
app.add_typer(query_app, name="query")

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
                limit: LimitOpt = None, fmt: FormatOpt = Format.table,
                lang: LangOpt = Lang.en) -> None:
        from zonedb.queries import query
        from zonedb.render import render

        with reader_for(db) as reader:
            result = query(reader, table, zones=zone, metrics=metric, period=period,
                           search=search, sort=sort, limit=limit)
        render(result.columns, result.rows, fmt.value, lang=lang.value, title=table)

    command.__doc__ = f"List {table}, filtered and sorted.\n\nExample: {_EXAMPLES[table]}"
    query_app.command(name=table)(command)


for _table in _EXAMPLES:
    _query_command(_table)


@app.command(context_settings={"ignore_unknown_options": True})
def sql(statement: Annotated[str, typer.Argument(help="One SQL statement.")],
        db: DbOpt = None, fmt: FormatOpt = Format.table,
        write: Annotated[bool, typer.Option(
            "--write", help="Allow statements that change the database.")] = False) -> None:
    """Run one SQL statement (read-only unless --write). Read the v_* views.

    Example: zonedb sql "SELECT zone, metric, value FROM v_indicators WHERE unit = 'CNY'"
    """
    from zonedb.render import render
    from zonedb.sqlguard import run_sql

    result = run_sql(reader_for(db) if not write else _writer(db), statement, write=write)
    if write:  # the search index is derived from the rows: keep it in step with them
        from zonedb.db import resolve_url
        from zonedb.search import reindex

        reindex(resolve_url(db))
    render(result.columns, result.rows, fmt.value, title=None)


def _writer(db: str | None) -> Any:
    from zonedb.db import Reader, resolve_url

    return Reader(resolve_url(db), write=True)


db_app = typer.Typer(cls=_Group, no_args_is_help=True, rich_markup_mode=None,
                     help="Schema migrations (Alembic).\n\nExample: zonedb db upgrade")
app.add_typer(db_app, name="db")


@db_app.command("upgrade")
def db_upgrade(db: DbOpt = None, revision: Annotated[str, typer.Argument()] = "head") -> None:
    """Migrate the database schema up to REVISION (default head).

    Example: zonedb db upgrade --db zonedb.db
    """
    from zonedb.migrate import migrate

    typer.echo(migrate(db, "upgrade", revision), err=True)


@db_app.command("downgrade", context_settings={"ignore_unknown_options": True})
def db_downgrade(revision: Annotated[str, typer.Argument(help="Target, e.g. -1 or base.")],
                 db: DbOpt = None) -> None:
    """Migrate the database schema down to REVISION.

    Example: zonedb db downgrade base --db /tmp/scratch.db
    """
    from zonedb.migrate import migrate

    typer.echo(migrate(db, "downgrade", revision), err=True)


@db_app.command("current")
def db_current(db: DbOpt = None) -> None:
    """Print the schema revision of the database and the newest one zonedb knows.

    Example: zonedb db current
    """
    from zonedb.migrate import current

    typer.echo(current(db))


@db_app.command("path")
def db_path(db: DbOpt = None) -> None:
    """Print which database zonedb would use (after --db and ZONEDB_DB).

    Example: ZONEDB_DB=/data/zones.db zonedb db path
    """
    from zonedb.db import display, resolve_url

    typer.echo(display(resolve_url(db)))


def main() -> None:
    """Console-script entry point; Ctrl-C before a command starts is not a traceback either."""
    try:
        app(prog_name="zonedb")
    except KeyboardInterrupt:
        typer.echo("Interrupted; nothing was changed.", err=True)
        raise SystemExit(130) from None


from zonedb import cli_curate  # noqa: E402,F401,I001  (registers sources add, draft, diff)
from zonedb import cli_more  # noqa: E402,F401  (registers show, cite, compare, export)
from zonedb import cli_text  # noqa: E402,F401  (registers extract, coverage)
from zonedb import cli_prov  # noqa: E402,F401  (registers conflicts, series)
from zonedb import cli_search  # noqa: E402,F401  (registers search)
from zonedb import cli_web  # noqa: E402,F401  (registers serve)
