"""A throwaway PostgreSQL server from the system binaries, for the tests and the team benchmark.

``initdb`` + ``pg_ctl`` in a temporary folder, on a free port, listening on localhost and on a
socket inside that folder. PostgreSQL refuses to run as root, so as root the server runs as
the ``postgres`` system user (or ``nobody``) through ``runuser``. Trust authentication on
localhost only; the folder is removed on ``stop()``.

(pytest-postgresql does the same, but its process fixture is one more dependency for ~60 lines.)
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

HOW = "apt-get install postgresql (or put initdb and pg_ctl on PATH)"


def binaries() -> Path | None:
    """The folder holding initdb and pg_ctl, or None."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).parent
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]), reverse=True):
        if (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    return None


def _driver() -> bool:
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return False
    return True


def available() -> bool:
    return binaries() is not None and _driver()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ThrowawayPostgres:
    """``with ThrowawayPostgres() as pg: pg.url("db")``: a server for the duration of the block."""

    def __init__(self, durable: bool = False):
        self.durable = durable  # False: no fsync (tests); True: PostgreSQL's default durability (benchmarks)
        self.bin = binaries()
        self.folder = Path(tempfile.mkdtemp(prefix="thematic-pg-"))
        self.port = _free_port()
        self.user = None
        if os.geteuid() == 0:
            for name in ("postgres", "nobody"):
                try:
                    self.user = pwd.getpwnam(name)
                    break
                except KeyError:
                    continue

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        cmd = [str(self.bin / args[0]), *args[1:]]
        if self.user is not None:
            cmd = ["runuser", "-u", self.user.pw_name, "--", *cmd]
        return subprocess.run(cmd, check=check, capture_output=True, text=True, timeout=120)

    def start(self) -> "ThrowawayPostgres":
        data = self.folder / "data"
        if self.user is not None:
            os.chown(self.folder, self.user.pw_uid, self.user.pw_gid)
        self._run("initdb", "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8",
                  "--no-sync")
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c max_connections=60"
        if not self.durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._run("pg_ctl", "-D", str(data), "-l", str(self.folder / "log"), "-o", options, "-w", "-t", "60", "start")
        return self

    def url(self, database: str = "postgres", schema: str | None = None) -> str:
        query = f"?schema={schema}" if schema else ""
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}{query}"

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", "immediate", "-w", "stop", check=False)
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> "ThrowawayPostgres":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
