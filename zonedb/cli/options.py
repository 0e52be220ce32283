"""What every command shares, defined once: the error-catching command group, the
output formats and label languages, the common options and the database connections."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

from zonedb.errors import SeedError, UsageError, ZonedbError
from zonedb.text.vocab import ROLES


def _drop_stdout() -> None:
    """Point stdout at /dev/null, so that the exit's flush of what could not be written
    does not fail again after the message."""
    # no file descriptor under the tests' runner
    with contextlib.suppress(OSError, ValueError, AttributeError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


class Group(TyperGroup):
    """Catches every ZonedbError once: message on stderr, its exit status, no traceback.
    Subcommands in ``lazy`` (name -> a function making it) are made when first asked for
    (``zonedb.cli.app.lazy_command``): a run builds the options of its own command only."""

    lazy: dict[str, Callable[[], Any]]
    lazy_order: list[str]  # the order the commands were registered in (--help lists it)

    def list_commands(self, ctx: Any) -> list[str]:
        made = super().list_commands(ctx)
        return list(getattr(self, "lazy_order", made)) + [
            n for n in made if n not in getattr(self, "lazy_order", made)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        make = getattr(self, "lazy", {}).pop(cmd_name, None)
        if make is not None:
            self.add_command(make(), cmd_name)
        return super().get_command(ctx, cmd_name)

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        lazy = getattr(self, "lazy", {})
        if args and args[0] not in self.commands and args[0] not in lazy:
            for name in list(lazy):  # Typer's "did you mean" looks at the commands made
                self.get_command(ctx, name)
        return super().resolve_command(ctx, args)

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
        except OSError as exc:  # e.g. the output's disk is full: said, not a traceback
            _drop_stdout()
            where = f" ({exc.filename})" if exc.filename else ""
            typer.echo(f"Error: {exc.strerror or exc}{where}", err=True)
            raise typer.Exit(1) from None

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """The command list, each command's first sentence up to its first clause (before
        ':', ';' or '(') when the whole sentence is longer than a line, never cut with
        "..." as click does."""
        import re

        commands = [(n, c) for n in self.list_commands(ctx)
                    if (c := self.get_command(ctx, n)) is not None and not c.hidden]
        room = formatter.width - 6 - max((len(n) for n, _ in commands), default=0)
        rows = []
        for name, cmd in commands:
            text = cmd.get_short_help_str(limit=1000).rstrip(".")
            if len(text) > room:
                text = re.split(r":\s|;\s|\s\(", text, maxsplit=1)[0]
            rows.append((name, text))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


class StatementCommand(TyperCommand):
    """A command whose argument may itself begin with '-' (``zonedb sql``, ``db downgrade
    -1``), so unknown options are taken as arguments; a word that is only a misspelt option
    (``--fromat``) is still said to be one, with the option it was meant to be."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        import difflib

        known = [name for param in self.get_params(ctx) for name in param.opts
                 if name.startswith("--")]
        for arg in args:
            word = arg.split("=", 1)[0]
            if word.startswith("--") and word[2:].replace("-", "").isalpha() \
                    and word not in known:
                close = difflib.get_close_matches(word, known, n=1)
                if close:
                    raise UsageError(f"no such option: {word} (did you mean {close[0]}?)")
        return super().parse_args(ctx, args)


class Format(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    jsonl = "jsonl"
    markdown = "markdown"


class Lang(StrEnum):
    en = "en"
    zh = "zh"


ROLE_WORDS = ", ".join(ROLES[:-1]) + " or " + ROLES[-1]  # --role help: before, ... or target
TERMINAL_ROWS = 50  # rows a table shows on a terminal unless --limit or --all

# Options shared by many commands, defined once.
DbOpt = Annotated[str | None, typer.Option(
    "--db", envvar="ZONEDB_DB", show_envvar=True, metavar="PATH|URL",
    help="SQLite file or SQLAlchemy URL (default ./zonedb.db).")]
FormatOpt = Annotated[Format, typer.Option(
    "--format", "-f", case_sensitive=False, metavar="FORMAT",
    help="Output format (table on a terminal, csv/json/jsonl/markdown for "
    "pipes).")]
LangOpt = Annotated[Lang, typer.Option("--lang", case_sensitive=False, metavar="en|zh",
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
OffsetOpt = Annotated[int, typer.Option("--offset", min=0, metavar="N",
    help="Skip the first N rows (with --limit: pages).")]
AllOpt = Annotated[bool, typer.Option(
    "--all", help=f"Every row (a table on a terminal shows the first {TERMINAL_ROWS}).")]
ColumnsOpt = Annotated[str | None, typer.Option(
    "--columns", "-c", metavar="COLUMNS",
    help="Columns to print, in this order, comma-separated, e.g. id,zone,value,as_written.")]
CsvOpt = Annotated[bool, typer.Option("--csv", help="Same as --format csv.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Same as --format json.")]
NlOpt = Annotated[bool, typer.Option("--nl", help="Same as --format jsonl: one JSON object "
                                     "a line.")]
TableOpt = Annotated[bool, typer.Option("--table", help="Same as --format table.")]
NoColorOpt = Annotated[bool, typer.Option(
    "--no-color", help="No bold or colour (also NO_COLOR=1; FORCE_COLOR=1 forces them).")]
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
    from zonedb.render import count_of, notice
    from zonedb.reports.queries import as_of_date, undated_sources

    left_out = undated_sources(reader, view)
    if left_out:
        sys.stdout.flush()
        notice(f"as of {as_of_date(as_of)}: left out {count_of(len(left_out), 'sources')} "
               f"without a date: {', '.join(left_out)}")


def reader_for(db: str | None) -> Any:
    """A read-only connection; the default database is seeded on first use."""
    from zonedb.store.db import DEFAULT_DB, Reader, resolve_url

    url = resolve_url(db)
    if db is None and not os.environ.get("ZONEDB_DB") and not Path(DEFAULT_DB).exists():
        from zonedb.seeds.read import default_seeds_dir  # imports yaml: only when seeding
        from zonedb.store.load import seed

        seeds = default_seeds_dir()
        bundled = "" if seeds == Path("seeds") else \
            " (the examples bundled with zonedb; `zonedb init DIR` makes a copy to edit)"
        typer.echo(f"No database yet: seeding {Path(DEFAULT_DB).absolute()} from the seeds "
                   f"in {seeds}{bundled}...", err=True)
        seed(None, None)
    return Reader(url)


def writer_for(db: str | None) -> Any:
    from zonedb.store.db import Writer, resolve_url

    return Writer(resolve_url(db))


def output_format(fmt: Format, *, csv: bool = False, json: bool = False, nl: bool = False,
                  table: bool = False, default: Format = Format.table) -> Format:
    """--format, or the one shortcut (--csv, --json, --nl, --table) given instead (``fmt``
    is ``default`` when --format was not given)."""
    picked = [f for f, on in ((Format.csv, csv), (Format.json, json), (Format.jsonl, nl),
                              (Format.table, table)) if on]
    if len(picked) > 1 or picked and fmt is not default and fmt is not picked[0]:
        given = [f"--format {fmt.value}"] if fmt is not default else []
        given += ["--" + ("nl" if f is Format.jsonl else f.value) for f in picked]
        raise UsageError(f"give one output format, not {' and '.join(given)}")
    return picked[0] if picked else fmt


def chosen_columns(spec: str | None, columns: list[str]) -> list[str] | None:
    """The --columns list checked against the command's columns (did-you-mean on a typo)."""
    if not spec:
        return None
    import difflib

    wanted = [c.strip() for c in spec.split(",") if c.strip()]
    for name in wanted:
        if name not in columns:
            close = difflib.get_close_matches(name, columns, n=3, cutoff=0.5)
            hint = f"did you mean {' or '.join(close)}?" if close else \
                f"choose from: {', '.join(columns)}"
            raise UsageError(f"--columns: no column '{name}' ({hint})")
    return wanted


def color_choice(no_color: bool) -> bool | None:
    """False for --no-color; otherwise None: the renderer looks at NO_COLOR, FORCE_COLOR and
    whether stdout is a terminal."""
    return False if no_color else None


def row_cap(fmt: Format, limit: int | None, every: bool) -> tuple[int | None, bool]:
    """The rows to fetch and whether that is the terminal's cap (then the table says how
    many more there are): a table on a terminal shows TERMINAL_ROWS unless --limit/--all."""
    if every and limit is not None:
        raise UsageError("give --all or --limit, not both")
    if limit is None and not every and fmt is Format.table and sys.stdout.isatty():
        return TERMINAL_ROWS, True
    return limit, False


def more_line(shown: int, total: int, command: str) -> str:
    """The stderr line under a table cut to the terminal's first rows."""
    rest = total - shown
    return (f"… {rest:,} more row{'s' if rest != 1 else ''} ({total:,} in all): add --all to "
            f"see them, or --csv for a file: {command} --csv > rows.csv")
