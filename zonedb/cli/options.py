"""What every command shares, defined once: the error-catching command group, the
output formats and label languages, the common options and the database connections."""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from zonedb.errors import SeedError, ZonedbError


class Group(TyperGroup):
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
AsOfOpt = Annotated[str | None, typer.Option(
    "--as-of", metavar="DATE",
    help="Only what sources published by DATE (2024-06-30, 2024-06 or 2024) say; sources "
    "without a date are left out, and counted in a notice.")]
SeedsOpt = Annotated[Path | None, typer.Option(
    "--seeds", metavar="DIR", help="Seeds folder (default ./seeds, else the bundled copy).")]


def as_of_notice(reader: Any, as_of: str | None, view: str = "v_indicators") -> None:
    """On stderr, the undated sources an ``--as-of`` answer left out (none: no notice)."""
    if as_of is None:
        return
    from zonedb.reports.queries import as_of_date, undated_sources

    left_out = undated_sources(reader, view)
    if left_out:
        typer.echo(f"as of {as_of_date(as_of)}: left out {len(left_out)} source(s) without a "
                   f"date: {', '.join(left_out)}", err=True)


def reader_for(db: str | None) -> Any:
    """A read-only connection; the default database is seeded on first use."""
    from zonedb.store.db import DEFAULT_DB, Reader, resolve_url

    url = resolve_url(db)
    if db is None and not os.environ.get("ZONEDB_DB") and not Path(DEFAULT_DB).exists():
        from zonedb.seeds.read import default_seeds_dir  # imports yaml: only when seeding
        from zonedb.store.load import seed

        typer.echo(f"No database yet: seeding {DEFAULT_DB} from the seeds in "
                   f"{default_seeds_dir()}...", err=True)
        seed(None, None)
    return Reader(url)


def writer_for(db: str | None) -> Any:
    from zonedb.store.db import Writer, resolve_url

    return Writer(resolve_url(db))
