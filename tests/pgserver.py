"""A throwaway PostgreSQL server for the tests: initdb + pg_ctl in a temporary folder.

One server per test session, on 127.0.0.1 at a free port, trust authentication,
durability off (fsync, full-page writes) because its data dies with the session.
initdb refuses to run as root, so as root the server runs as the ``postgres``
system user (or ``nobody``) through a setuid in the child process.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

SUPERUSER = "postgres"


class Unavailable(Exception):
    """No PostgreSQL server can be started here; the message says why."""


def find_bindir() -> Path | None:
    """The folder holding initdb and pg_ctl: PATH first, then Debian's versioned folders."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(os.path.realpath(found)).parent
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if (Path(candidate) / "initdb").exists():
            return Path(candidate)
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run_as() -> tuple[pwd.struct_passwd | None, Callable[[], None] | None]:
    """As root: the unprivileged account to run the server as, and a preexec_fn switching to it."""
    if os.geteuid() != 0:
        return None, None
    for name in ("postgres", "nobody"):
        try:
            account = pwd.getpwnam(name)
        except KeyError:
            continue

        def switch(account: pwd.struct_passwd = account) -> None:
            os.setgid(account.pw_gid)
            os.setgroups([])
            os.setuid(account.pw_uid)

        return account, switch
    raise Unavailable("running as root and there is no 'postgres' or 'nobody' account to run "
                      "the server as")


@dataclass
class PgServer:
    bindir: Path
    root: Path
    port: int
    _preexec: Callable[[], None] | None = field(default=None, repr=False)
    _env: dict[str, str] = field(default_factory=dict, repr=False)

    @property
    def datadir(self) -> Path:
        return self.root / "data"

    def url(self, dbname: str) -> str:
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{dbname}"

    def conninfo(self, dbname: str = "postgres") -> str:
        return f"host=127.0.0.1 port={self.port} user={SUPERUSER} dbname={dbname}"

    def admin(self, sql: str) -> None:
        """Run one statement outside a transaction (CREATE/DROP DATABASE) as the superuser."""
        import psycopg

        with psycopg.connect(self.conninfo(), autocommit=True) as conn:
            conn.execute(sql)  # type: ignore[arg-type]

    def create_database(self, name: str, template: str | None = None) -> str:
        """A new database (copied from ``template`` if given); returns its zonedb URL."""
        clause = f' TEMPLATE "{template}"' if template else ""
        self.admin(f'CREATE DATABASE "{name}"{clause}')
        return self.url(name)

    def drop_database(self, name: str) -> None:
        self.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def _ctl(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(self.bindir / "pg_ctl"), "-D", str(self.datadir), *args],
                              capture_output=True, text=True, timeout=timeout,
                              preexec_fn=self._preexec, env=self._env, cwd=self.root)

    def log(self) -> str:
        with contextlib.suppress(OSError):
            return (self.root / "server.log").read_text(errors="replace")[-2000:]
        return ""

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self._ctl("stop", "-m", "immediate", "-w", timeout=30)
        shutil.rmtree(self.root, ignore_errors=True)


def start() -> PgServer:
    """Initialise and start a server, or raise Unavailable with the reason."""
    try:
        import psycopg  # noqa: F401
    except ImportError as exc:
        raise Unavailable("psycopg is not installed (pip install '.[test]')") from exc
    bindir = find_bindir()
    if bindir is None:
        raise Unavailable("initdb/pg_ctl not found (Debian: apt-get install postgresql)")
    account, preexec = _run_as()
    root = Path(tempfile.mkdtemp(prefix="zonedb-pg-"))
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C.UTF-8",
           "TZ": "UTC", "HOME": str(root)}
    if account is not None:
        os.chown(root, account.pw_uid, account.pw_gid)
    server = PgServer(bindir, root, _free_port(), preexec, env)
    try:
        init = subprocess.run(
            [str(bindir / "initdb"), "-D", str(server.datadir), "-U", SUPERUSER,
             "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync",
             "--no-instructions"],
            capture_output=True, text=True, timeout=120, preexec_fn=preexec, env=env, cwd=root)
        if init.returncode != 0:
            raise Unavailable(f"initdb failed: {(init.stderr or init.stdout).strip()[-500:]}")
        options = (f"-c listen_addresses=127.0.0.1 -p {server.port} "
                   "-c unix_socket_directories='' -c fsync=off -c synchronous_commit=off "
                   "-c full_page_writes=off -c max_connections=50")
        started = server._ctl("start", "-w", "-t", "60", "-l", str(root / "server.log"),
                              "-o", options, timeout=90)
        if started.returncode != 0:
            raise Unavailable(f"pg_ctl start failed: {started.stderr.strip()[-300:]} "
                              f"{server.log()[-700:]}")
    except (OSError, subprocess.SubprocessError) as exc:
        server.stop()
        raise Unavailable(f"cannot start PostgreSQL from {bindir}: {exc}") from exc
    except Unavailable:
        server.stop()
        raise
    return server
