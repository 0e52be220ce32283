"""The ``zonedb`` command: a thin layer that parses options, calls the package's API and
hands rows to ``render``. Each command module registers its commands here, one way
(``register(app)``, as Datasette plugins do); errors users can meet are caught once, by
``options.Group``."""

from __future__ import annotations

import atexit
import functools
import gc
from typing import Annotated, Any

import typer

import zonedb.cli.curate as curate
import zonedb.cli.database as database
import zonedb.cli.prov as prov
import zonedb.cli.query as query
import zonedb.cli.reports as reports
import zonedb.cli.search as search
import zonedb.cli.text as text
import zonedb.cli.web as web
from zonedb import __version__
from zonedb.cli.options import Group
from zonedb.interrupts import install as note_interrupts

# The order `zonedb --help` lists commands in: reading first, then curating, then plumbing.
_ORDER = ("query", "search", "show", "cite", "compare", "series", "conflicts", "sql", "export",
          "serve", "seed", "diff", "sources", "draft", "init", "extract", "coverage", "db")


class Root(Group):
    def list_commands(self, ctx: Any) -> list[str]:
        names = super().list_commands(ctx)
        return sorted(names, key=lambda n: (_ORDER.index(n) if n in _ORDER else len(_ORDER), n))


app = typer.Typer(cls=Root, no_args_is_help=True, add_completion=True,
                  pretty_exceptions_enable=False, rich_markup_mode=None,
                  help="zonedb: figures about China's development zones, each traceable to "
                       "the words of its source.\n\nExample: zonedb query indicators --zone "
                       "ganzhou")


def version_callback(value: bool) -> None:
    if value:
        typer.echo(f"zonedb {__version__}")
        raise typer.Exit()


@app.callback()
def _root(version: Annotated[bool, typer.Option(
        "--version", callback=version_callback, is_eager=True,
        help="Show the version and exit.")] = False) -> None:
    """zonedb: figures about China's development zones, each traceable to its source."""


for _module in (query, search, database, reports, curate, text, prov, web):
    _module.register(app)


def lazy_command(typer_app: typer.Typer, info: Any = None) -> Any:
    """The click group of ``typer_app`` (a sub-app: its ``add_typer`` ``info``) whose
    commands are made only when asked for. Typer makes every command's options from its
    signature up front (~80 ms for zonedb's 60-odd commands on a loaded machine); a run
    needs one. ``zonedb --help`` asks for them all and gets the same group."""
    from typer.main import (
        get_command,
        get_command_from_info,
        get_command_name,
        get_group_from_info,
    )

    commands, groups = typer_app.registered_commands, typer_app.registered_groups
    typer_app.registered_commands, typer_app.registered_groups = [], []
    try:  # the group itself (callback, options, help), without its commands
        group = get_command(typer_app) if info is None else get_group_from_info(
            info, pretty_exceptions_short=typer_app.pretty_exceptions_short,
            rich_markup_mode=typer_app.rich_markup_mode,
            suggest_commands=typer_app.suggest_commands)
    finally:
        typer_app.registered_commands, typer_app.registered_groups = commands, groups
    lazy: dict[str, Any] = {}
    for registered in commands:
        name = registered.name or get_command_name(getattr(registered.callback, "__name__", ""))
        lazy[name] = functools.partial(get_command_from_info, registered,
                             pretty_exceptions_short=typer_app.pretty_exceptions_short,
                             rich_markup_mode=typer_app.rich_markup_mode)
    for sub in groups:
        if sub.name and sub.typer_instance:  # zonedb names every sub-app it adds
            lazy[sub.name] = functools.partial(lazy_command, sub.typer_instance, sub)
    assert isinstance(group, Group)
    group.lazy, group.lazy_order = lazy, list(lazy)
    return group


@functools.cache
def command() -> Any:
    """The click group ``zonedb`` runs: ``app``'s, each command made when first asked for;
    one per process (the tests' runner invokes it too)."""
    return lazy_command(app)


def main() -> None:
    """Console-script entry point; Ctrl-C before a command starts is not a traceback either."""
    note_interrupts()  # a Ctrl-C from the first moment counts, even one Python loses
    # At exit, move every object to the GC's permanent generation: interpreter shutdown then
    # skips its collections over all of them (~55 ms of a cold PostgreSQL query with
    # psycopg's ~40,000 objects, ~16 ms on SQLite; docs/benchmarks.md). Registered first, it
    # runs after every other exit handler. Cycles still alive then are not collected: CPython
    # never promises to finalize objects that outlive the interpreter anyway.
    atexit.register(gc.freeze)
    try:
        command()(prog_name="zonedb")
    except KeyboardInterrupt:
        typer.echo("Interrupted; nothing was changed.", err=True)
        raise SystemExit(130) from None
