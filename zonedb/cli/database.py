"""``zonedb seed``, ``zonedb sql`` and ``zonedb db``: building the database, reading it
with SQL and migrating its schema."""

from __future__ import annotations

from typing import Annotated

import typer

from zonedb.cli.options import (
    AllOpt,
    ColumnsOpt,
    CsvOpt,
    DbOpt,
    Format,
    FormatOpt,
    Group,
    JsonOpt,
    NlOpt,
    NoColorOpt,
    SeedsOpt,
    StatementCommand,
    TableOpt,
    chosen_columns,
    color_choice,
    more_line,
    output_format,
    reader_for,
    row_cap,
    writer_for,
)


def seed(db: DbOpt = None, seeds: SeedsOpt = None,
         check: Annotated[bool, typer.Option(
             "--check", help="Validate the seeds and print row counts; write nothing.")] = False,
         full: Annotated[bool, typer.Option(
             "--full", help="Read and validate every seed file, even those unchanged since "
             "the last seeding.")] = False,
         fmt: FormatOpt = Format.table,
         force: Annotated[bool, typer.Option(
             "--force", help="Replace --db even if it is not a zonedb database.")] = False,
         ) -> None:
    """Build the database from the seeds folder (all or nothing).

    Only the seed files changed since the last seeding are read again when nothing else
    depends on them (facts/, ignore/); --full rebuilds from every file.

    Example: zonedb seed --db zonedb.db --seeds seeds/
    """
    from zonedb.render import count_of, render
    from zonedb.store import load

    trial = load.preview(db, seeds) if check and not full else None
    if trial is not None:  # only the changed files were validated, then rolled back
        counts = trial.counts
        typer.echo(f"Seeds are valid; nothing was written ({trial.how}; `zonedb coverage` "
                   "lists the number phrases once seeded).", err=True)
    elif check:
        from zonedb.curate.sources import seed_coverage
        from zonedb.seeds.read import read_seeds

        seedset = read_seeds(seeds)
        counts = seedset.counts()
        typer.echo("Seeds are valid; nothing was written. Number phrases in the sources: "
                   + ", ".join(f"{n} {k}" for k, n in seed_coverage(seedset.tables).items())
                   + " (zonedb coverage lists them once seeded).", err=True)
    else:
        report = load.seed(db, seeds, summarise=True, full=full, force=force)
        counts = report.counts
        if report.how:
            typer.echo(f"Incremental: {report.how}" if report.how.startswith("re-read")
                       else f"Full rebuild: {report.how}", err=True)
        typer.echo(f"Seeded {report.target}: " + ", ".join(
            count_of(n, t) for t, n in counts.items()), err=True)
        typer.echo(f"Changes: {report.changes}", err=True)
    if check or fmt is not Format.table:
        render(["table", "rows"], list(counts.items()), fmt.value)


def sql(statement: Annotated[str, typer.Argument(metavar="STATEMENT",
                                                 help="One SQL statement.")],
        db: DbOpt = None, fmt: FormatOpt = Format.table, csv: CsvOpt = False,
        json: JsonOpt = False, nl: NlOpt = False, table: TableOpt = False,
        columns: ColumnsOpt = None, every: AllOpt = False, no_color: NoColorOpt = False,
        write: Annotated[bool, typer.Option(
            "--write", help="Allow statements that change the database.")] = False,
        max_rows: Annotated[int, typer.Option(
            "--max-rows", min=1, metavar="N",
            help="Refuse a result of more than N rows (default 100,000).")] = 100_000,
        max_mb: Annotated[int, typer.Option(
            "--max-mb", min=1, metavar="N",
            help="Refuse a result holding more than N MiB of values (default 64).")] = 64,
        ) -> None:
    """Run one SQL statement (read-only unless --write). Read the v_* views.

    Example: zonedb sql "SELECT zone, metric, value FROM v_indicators WHERE unit = 'CNY'"
    """
    from zonedb.render import render
    from zonedb.store.sqlguard import run_sql

    fmt = output_format(fmt, csv=csv, json=json, nl=nl, table=table)
    result = run_sql(reader_for(db) if not write else writer_for(db), statement, write=write,
                     max_rows=max_rows, max_bytes=max_mb * 2**20)
    if write:  # the search index is derived from the rows: keep it in step with them
        from zonedb.store.db import resolve_url
        from zonedb.store.search import reindex

        reindex(resolve_url(db))
    chosen = chosen_columns(columns, list(result.columns))
    cap, capped = row_cap(fmt, None, every)
    rows, more = result.rows, None
    if capped and cap is not None and len(rows) > cap:
        more = more_line(cap, len(rows), "zonedb sql ...")
        rows = rows[:cap]
    render(result.columns, rows, fmt.value, title=None, chosen=chosen,
           color=color_choice(no_color), more=more, every_column=True)

db_app = typer.Typer(cls=Group, no_args_is_help=True, rich_markup_mode=None,
                     help="Schema migrations (Alembic).\n\nExample: zonedb db upgrade")


@db_app.command("upgrade")
def db_upgrade(db: DbOpt = None, revision: Annotated[str, typer.Argument(
        metavar="[REVISION]")] = "head") -> None:
    """Migrate the database schema up to REVISION (default head).

    A missing SQLite file is created with zonedb's empty schema; a file zonedb did not
    make is refused, unchanged (`zonedb seed` fills a database).

    Example: zonedb db upgrade --db zonedb.db
    """
    from zonedb.store.migrate import migrate

    typer.echo(migrate(db, "upgrade", revision), err=True)


@db_app.command("downgrade", cls=StatementCommand,
                 context_settings={"ignore_unknown_options": True})
def db_downgrade(revision: Annotated[str, typer.Argument(metavar="REVISION",
                                                        help="Target, e.g. -1 or base.")],
                 db: DbOpt = None) -> None:
    """Migrate the database schema down to REVISION.

    Example: zonedb db downgrade base --db /tmp/scratch.db
    """
    from zonedb.store.migrate import migrate

    typer.echo(migrate(db, "downgrade", revision), err=True)


@db_app.command("current")
def db_current(db: DbOpt = None) -> None:
    """Print the schema revision of the database and the newest one zonedb knows.

    Example: zonedb db current
    """
    from zonedb.store.migrate import current

    typer.echo(current(db))


@db_app.command("grant-reader")
def db_grant_reader(role: Annotated[str | None, typer.Argument(
        help="A login role to grant the reader role to.", metavar="ROLE")] = None,
        db: DbOpt = None) -> None:
    """Create the NOLOGIN role zonedb_reader (SELECT on zonedb's tables only) on
    PostgreSQL; read commands switch to it, even when connected as a superuser.

    Example: zonedb db grant-reader analyst --db postgresql://localhost/zonedb
    """
    from zonedb.store.db import grant_reader, resolve_url

    typer.echo(grant_reader(resolve_url(db), role), err=True)


@db_app.command("path")
def db_path(db: DbOpt = None) -> None:
    """Print which database zonedb would use (after --db and ZONEDB_DB).

    Example: ZONEDB_DB=/data/zones.db zonedb db path
    """
    from zonedb.store.db import display, resolve_url

    typer.echo(display(resolve_url(db)))


def register(app: typer.Typer) -> None:
    app.command()(seed)
    app.command(cls=StatementCommand, context_settings={"ignore_unknown_options": True})(sql)
    app.add_typer(db_app, name="db")
