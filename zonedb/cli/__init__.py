"""The ``zonedb`` command line: one module per command group (``database``, ``query``,
``reports``, ``curate``, ``text``, ``prov``), each registering onto the app in ``app``;
shared options and the error-catching group in ``options``."""

from zonedb.cli.app import app, command, main

__all__ = ["app", "command", "main"]
