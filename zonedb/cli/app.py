"""The ``zonedb`` command: a thin layer that parses options, calls the package's API and
hands rows to ``render``. Each command module registers its commands here, one way
(``register(app)``, as Datasette plugins do); errors users can meet are caught once, by
``options.Group``."""

from __future__ import annotations

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

# The order `zonedb --help` lists commands in: reading first, then curating, then plumbing.
_ORDER = ("query", "search", "show", "cite", "compare", "sql", "export", "serve", "seed",
          "diff", "sources", "draft", "init", "extract", "coverage", "db")


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


def main() -> None:
    """Console-script entry point; Ctrl-C before a command starts is not a traceback either."""
    try:
        app(prog_name="zonedb")
    except KeyboardInterrupt:
        typer.echo("Interrupted; nothing was changed.", err=True)
        raise SystemExit(130) from None
