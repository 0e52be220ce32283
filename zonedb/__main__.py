"""`python -m zonedb`: exits 130 on Ctrl-C every time.

Under -m, a KeyboardInterrupt raised while CPython runs exec'd code (a dataclass being
built during a lazy import) is recorded as unhandled, and at shutdown the interpreter
re-kills itself with SIGINT (status -2) after zonedb already printed its message. Leaving
with os._exit after flushing skips that shutdown step.
"""

import contextlib
import os
import sys


def _leave(code: int) -> None:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)


try:
    from zonedb.cli import main

    main()
except KeyboardInterrupt:
    print("Interrupted; nothing was changed.", file=sys.stderr)
    _leave(130)
except SystemExit as exc:
    if exc.code == 130:
        _leave(130)
    raise
