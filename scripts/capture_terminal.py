"""Capture what the main commands look like on real 80- and 120-column terminals.

Each command runs in a tmux pane of that width (a real terminal: wide characters, line
wrapping, stdout and stderr interleaved as a user sees them), and the pane's text is
written to docs/terminal-80.md and docs/terminal-120.md for a reader to check by eye.

    python scripts/capture_terminal.py            # rewrite both files
    python scripts/capture_terminal.py --check    # exit 1 if a file is out of date

Needs tmux. The database is seeded afresh from seeds/ in a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WIDTHS = (80, 120)
COMMANDS = (
    "zonedb query indicators --zone ganzhou --limit 8",
    "zonedb query indicators --search 基金 --limit 5",
    "zonedb query people --limit 6",
    "zonedb query reforms --zone ruijin --limit 4",
    "zonedb show ruijin --limit 3",
    "zonedb compare above_scale_industrial_firms",
    "zonedb compare signed_investment --all",
    "zonedb cite 28",
)
HEADER = """# zonedb in a terminal {width} columns wide

Captured from a real terminal (a tmux pane {width} columns wide) by
`python scripts/capture_terminal.py`; the test suite checks that no line is wider than
{width} columns. stdout and stderr appear interleaved, as on a terminal; colour is not kept.
"""


def _tmux(socket: Path, *args: str, check: bool = True) -> str:
    done = subprocess.run(["tmux", "-S", str(socket), *args], capture_output=True, text=True,
                          check=check)
    return done.stdout


def capture(width: int, db: Path, home: Path) -> str:
    """The markdown page for one width: each command and what its pane shows."""
    socket = home / f"tmux-{width}.sock"  # a server of our own, gone with the folder
    env = {"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "HOME": str(home),
           "ZONEDB_DB": str(db), "TERM": "xterm-256color", "LANG": "C.UTF-8",
           "PS1": "$ ", "HISTFILE": "/dev/null",
           # The pane's shell has no TMUX variable (env -i): it names the server itself,
           # and says at every prompt that the last command is done.
           "PROMPT_COMMAND": f"tmux -S {socket} wait -S ready"}
    shell = "env -i " + " ".join(f"{k}='{v}'" for k, v in env.items()) + \
        " bash --norc --noprofile"
    _tmux(socket, "-u", "new-session", "-d", "-x", str(width), "-y", "200", "-s", "cap", shell)
    parts = [HEADER.format(width=width)]
    try:
        _tmux(socket, "wait", "ready")
        for command in COMMANDS:
            _tmux(socket, "send-keys", "-t", "cap", "clear", "Enter")
            _tmux(socket, "wait", "ready")
            _tmux(socket, "clear-history", "-t", "cap")
            _tmux(socket, "send-keys", "-t", "cap", command, "Enter")
            _tmux(socket, "wait", "ready")
            lines = [line.rstrip() for line in
                     _tmux(socket, "capture-pane", "-p", "-t", "cap", "-S", "-").splitlines()]
            start = lines.index(f"$ {command}")
            end = max(i for i, line in enumerate(lines) if line not in ("", "$"))
            parts.append(f"## `{command}`\n\n```text\n" + "\n".join(lines[start:end + 1])
                         + "\n```\n")
    finally:
        _tmux(socket, "kill-server", check=False)
    return "\n".join(parts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args()
    if not shutil.which("tmux"):
        print("tmux is needed to capture a real terminal", file=sys.stderr)
        return 2
    stale = []
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as tmp:
        db = Path(tmp) / "zonedb.db"
        subprocess.run([sys.executable, "-m", "zonedb", "seed", "--db", str(db), "--seeds",
                        str(REPO / "seeds")], check=True, capture_output=True,
                       env={**os.environ, "ZONEDB_DB": ""})
        for width in WIDTHS:
            page = capture(width, db, Path(tmp))
            path = REPO / "docs" / f"terminal-{width}.md"
            if args.check:
                if not path.exists() or path.read_text(encoding="utf-8") != page:
                    stale.append(path)
            else:
                path.write_text(page, encoding="utf-8")
                print(f"wrote {path.relative_to(REPO)}", file=sys.stderr)
    for path in stale:
        print(f"{path.relative_to(REPO)} is out of date: run scripts/capture_terminal.py",
              file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
