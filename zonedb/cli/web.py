"""``zonedb serve``: browse the database in Datasette (the optional ``web`` extra)."""

from __future__ import annotations

from typing import Annotated

import typer

from zonedb.cli.options import DbOpt, reader_for


def serve(db: DbOpt = None,
          host: Annotated[str, typer.Option(
              "--host", help="Address to bind; loopback unless you mean to share it.")
          ] = "127.0.0.1",
          port: Annotated[int, typer.Option("--port", "-p", min=1, max=65535,
                                            help="Port to listen on.")] = 8001,
          open_browser: Annotated[bool, typer.Option(
              "--open", help="Open the home page in a web browser.")] = False) -> None:
    """Browse the database in a web page (Datasette): facets, zone pages, cite pages with
    the quote highlighted in its source, Chinese search. Read-only. Needs
    pip install 'zonedb[web]'.

    Example: zonedb serve --db zonedb.db --port 8001 --open
    """
    import importlib.util

    from zonedb.errors import UsageError, ZonedbError
    from zonedb.store.db import display, is_postgres, resolve_url, sqlite_path

    url = resolve_url(db)
    if is_postgres(url):
        raise UsageError(f"zonedb serve reads an SQLite file (Datasette opens SQLite only), not "
                         f"{display(url)}; build a copy from the same seeds with `zonedb seed "
                         "--db zonedb.db --seeds seeds/` and serve that with --db zonedb.db")
    if importlib.util.find_spec("datasette") is None:
        raise ZonedbError("zonedb serve needs the web extra: pip install 'zonedb[web]'")
    reader_for(db).close()  # the default database is seeded on first use; others must exist
    path = sqlite_path(url)
    assert path is not None
    from zonedb.web import run

    typer.echo(f"Serving {path} read-only at http://{host}:{port}/ (Ctrl-C stops)", err=True)
    run(path, host, port, open_browser)


def register(app: typer.Typer) -> None:
    app.command()(serve)
