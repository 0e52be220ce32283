"""Ctrl-C that is never lost. CPython drops the KeyboardInterrupt a signal handler raises
when it runs inside a finalizer or C code that clears errors ("Exception ignored"), and a
seeding that went on would then replace the database after the user asked it to stop. So
the handler also remembers the signal, and the seeding checks at its point of no return.
The console script installs it first thing (a Ctrl-C while it is still importing counts);
``zonedb.store.load.seed`` installs it for callers of the Python API."""

from __future__ import annotations

import signal
import threading

_seen = False  # a Ctrl-C reached this process since note() was installed


def note(signum: int, frame: object) -> None:
    """Python's own Ctrl-C handler (raise KeyboardInterrupt) that also remembers it."""
    global _seen
    _seen = True
    raise KeyboardInterrupt


def install() -> None:
    """Make ``note`` the SIGINT handler if Python's default is (an embedding application
    keeps its own; a process started ignoring SIGINT keeps ignoring it), forgetting any
    Ctrl-C of an earlier install. Already installed (by the console script), it stays: a
    Ctrl-C since then still counts."""
    global _seen
    if threading.current_thread() is not threading.main_thread():
        return  # signals are the main thread's business
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        _seen = False
        signal.signal(signal.SIGINT, note)


def stop_if_interrupted() -> None:
    """At a point of no return: a Ctrl-C seen so far stops here, even one whose
    KeyboardInterrupt was lost on the way."""
    if _seen:
        raise KeyboardInterrupt
