"""A throwaway PostgreSQL cluster for the tests, from Debian's server binaries (package `postgresql`).

One cluster per test session (per xdist worker), in a temporary folder, listening only on a unix socket in
that folder (no TCP: nothing else on the machine can reach it or clash with it; the port, picked free,
only names the socket), with fsync off (`start(durable=True)` keeps it on, for bench/storage_pg.py). Each test that asks for `pg_url` gets a fresh, empty schema of its
own, first on the search path of the URL it is given: as good as a new database for the bot (every
table it makes goes there), and made in milliseconds where CREATE DATABASE takes about a second.

Where the binaries are missing the PostgreSQL tests skip and say how to install them, except in CI (CI is
set): there they fail, so the PostgreSQL repository is never silently left untested. `.ci/run` installs
them. initdb refuses to run as root, so as root the cluster runs as the `postgres` system user (or
`nobody`), which owns the folder.
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

BINARIES = Path("/usr/lib/postgresql")
MISSING = (
    "PostgreSQL's server binaries are not installed (no /usr/lib/postgresql/*/bin/initdb), so the "
    "PostgreSQL storage tests skip. To run them: sudo apt-get install postgresql"
)
SUPERUSER = "postgres"
DATABASE = "postgres"


def find_bindir() -> Path | None:
    """The newest installed major version's bin folder, or None."""
    found = [p.parent for p in BINARIES.glob("*/bin/initdb") if p.parent.parent.name.isdigit()]
    return max(found, key=lambda p: int(p.parent.name)) if found else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _run_as() -> tuple[list[str], str | None]:
    """The command prefix to run the server's tools, and who they run as (None: as we are)."""
    if os.geteuid() != 0:
        return [], None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return ["runuser", "-u", name, "--"], name
    raise RuntimeError("running as root, and there is no postgres or nobody user to run PostgreSQL as")


class Cluster:
    """initdb + pg_ctl in a temporary folder; `url(name)` reaches a database in it over the socket."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="pg-tests-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self._prefix, user = _run_as()
        if user is not None:
            entry = pwd.getpwnam(user)
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
        self._names = itertools.count(1)

    def _tool(self, name: str, *args: str) -> None:
        command = [*self._prefix, str(self.bindir / name), *args]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
        if done.returncode != 0:
            log = self.root / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{name} failed ({done.returncode}): {done.stderr[-2000:]}\n{tail}")

    def start(self, *, durable: bool = False) -> None:
        """Start it: with fsync off for the tests, or `durable` (PostgreSQL's defaults: fsync on, every
        commit flushed) for a benchmark that compares it with a store that fsyncs every write."""
        self._tool("initdb", "-D", str(self.data), "-U", SUPERUSER, "--auth=trust", "-E", "UTF8", "--no-sync")
        options = f"-p {self.port} -c listen_addresses='' -c unix_socket_directories='{self.root}'"
        if durable:
            options += " -c fsync=on -c synchronous_commit=on -c full_page_writes=on"
        else:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._tool(
            "pg_ctl", "-D", str(self.data), "-l", str(self.root / "server.log"), "-w", "-o", options, "start"
        )

    def stop(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self._tool("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = DATABASE, schema: str | None = None) -> str:
        url = f"postgresql://{SUPERUSER}@/{database}?host={self.root}&port={self.port}"
        # options=-c search_path=<schema>, URL-encoded
        return url if schema is None else f"{url}&options=-c%20search_path%3D{schema}"

    def new_schema(self) -> str:
        """A fresh empty schema, alone on the search path; the URL that uses it."""
        name = f"t{next(self._names)}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(name)))
        return self.url(schema=name)


def require(bindir: Path | None, env: Mapping[str, str]) -> Path:
    """The bin folder; without one, skip the test, or fail it in CI (where the tests must run)."""
    if bindir is None:
        if env.get("CI"):
            pytest.fail(MISSING + " (in CI they must run: .ci/run installs them)")
        pytest.skip(MISSING)
    return bindir


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    cluster = Cluster(require(find_bindir(), os.environ))
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def pg_url(pg_cluster: Cluster) -> str:
    """The URL of a fresh, empty place for the bot's tables (as DATABASE_URL would be)."""
    return pg_cluster.new_schema()
