"""Several bot workers behind Debian's nginx, on one PostgreSQL, against the sandbox in webhook mode.

`Workers` starts, in a folder of its own, nginx listening on 127.0.0.1 with an `upstream` of N workers and N
`python bot.py` processes in webhook mode (tests/e2e/process.py::bot_env), each with its own port and log
file, and returns once every worker's /readyz answers 200 and nginx answers. The sandbox posts every update
to nginx (WEBHOOK_URL is nginx's address: plain http on this machine), which hands it to any worker; a
worker that is dead or answers 502/503 is skipped and the request goes to the next, POSTs included
(`non_idempotent`: the inbox stores an update once, by its update_id, so a second delivery is harmless).
`kill(i)` sends SIGKILL to worker i; `stop()` sends SIGTERM to the rest, then stops nginx.

`HeldSends` is the sandbox with a gate on sends to chosen chats: a send waits there until the gate opens,
then goes through, unless its worker died meanwhile (its connection closed): then it never arrives, as a
send that had not left when the worker was killed. `holder()` names the worker a held send came from, so a
test can kill a worker that holds claims on due reminders. `reminder_plan` is a plan whose one reminder
falls due when asked.

Used by tests/e2e/test_workers.py and bench/workers.py. Without nginx the tests that use it skip and say
how to install it, except in CI (CI set), where they fail, as tests/postgres_cluster.py does.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
import time
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from journey import appointments, reminders
from journey.cases import set_patient_name, start_case
from journey.models import Case, Reminder, ReminderKind
from sandbox import SandboxServer
from sandbox.http_io import read_params
from tests.e2e.process import ROOT, bot_env

NGINX = Path("/usr/sbin/nginx")
MISSING = (
    "nginx is not installed (no /usr/sbin/nginx), so the several-workers tests skip. "
    "To run them: sudo apt-get install nginx (or `make nginx` as root)"
)
SECRET = "workers_webhook-Secret7"
START_TIMEOUT = 30.0


def require_nginx(env: Mapping[str, str] = os.environ) -> Path:
    """nginx's binary; without it, skip the test, or fail it in CI (where it must run)."""
    if not NGINX.exists():
        if env.get("CI"):
            pytest.fail(MISSING + " (in CI it must run: .ci/run calls make nginx)")
        pytest.skip(MISSING)
    return NGINX


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def nginx_conf(folder: Path, port: int, upstreams: list[int]) -> str:
    """One server on 127.0.0.1:port passing /telegram to the workers; logs and temp files in `folder`."""
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;" for p in upstreams)
    # As root, nginx's workers would switch to an unprivileged user that cannot read the test's folder.
    user = "user root root;\n" if os.geteuid() == 0 else ""
    return f"""{user}worker_processes 1;
error_log {folder}/error.log info;
events {{ worker_connections 1024; }}
http {{
    log_format upstreams '$request $status $upstream_addr $upstream_status $request_time';
    access_log {folder}/access.log upstreams;
    client_body_temp_path {folder}/tmp/body;
    proxy_temp_path {folder}/tmp/proxy;
    fastcgi_temp_path {folder}/tmp/fastcgi;
    uwsgi_temp_path {folder}/tmp/uwsgi;
    scgi_temp_path {folder}/tmp/scgi;
    upstream workers {{
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        location = /telegram {{
            proxy_pass http://workers/telegram;
            # A dead worker's request goes to the next one, a POST too: the inbox keeps an update once.
            proxy_next_upstream error timeout http_502 http_503 non_idempotent;
            proxy_connect_timeout 1s;
            proxy_read_timeout 15s;
            client_max_body_size 1m;
        }}
    }}
}}
"""


def reminder_plan(case_id: str, user_id: int, due_at: datetime, now: datetime) -> Case:
    """A plan of one person with a visit in 30 days, whose week-before reminder is due at `due_at`."""
    case = start_case(case_id, user_id, now, ())
    set_patient_name(case, "Ann")
    case.members[0].settings.zone = "UTC"
    appointments.add(case, "a1", now + timedelta(days=30), "UTC", now)
    reminders.replan(case, now)
    week_before(case).due_at = due_at
    return case


def week_before(case: Case) -> Reminder:
    return next(r for r in case.reminders if r.kind is ReminderKind.WEEK_BEFORE)


@dataclass
class Held:
    chat_id: int
    peer_port: int  # the sending worker's side of the connection
    at: float


@dataclass
class Gate:
    chats: set[int]
    opened: asyncio.Event = field(default_factory=asyncio.Event)
    held: list[Held] = field(default_factory=list)
    dropped: list[int] = field(default_factory=list)  # chats whose send never arrived (its worker died)
    passed: list[int] = field(default_factory=list)


class HeldSends(SandboxServer):
    """The sandbox, with a gate on sendMessage to `gate.chats` (see the module's docstring)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.gate = Gate(set())
        self.gate.opened.set()

    def close_gate(self, chats: set[int]) -> Gate:
        self.gate = Gate(set(chats))
        return self.gate

    async def _handle_method(self, request: web.Request) -> web.Response:
        gate = self.gate
        if request.match_info["method"].lower() == "sendmessage" and not gate.opened.is_set():
            chat = (await read_params(request)).raw().get("chat_id")
            if chat is not None and int(chat) in gate.chats:
                peer = request.transport.get_extra_info("peername") if request.transport else None
                gate.held.append(Held(int(chat), int(peer[1]) if peer else 0, time.monotonic()))
                await gate.opened.wait()
                if request.transport is None or request.transport.is_closing():
                    gate.dropped.append(int(chat))  # its worker is gone: the send never arrives
                    return web.Response(status=499)
                gate.passed.append(int(chat))
        return await super()._handle_method(request)


@asynccontextmanager
async def held_sends(reply_timeout: float) -> AsyncIterator[HeldSends]:
    """A started HeldSends sandbox, stopped at the end (the workers tests' `sandbox`)."""
    server = HeldSends(quiet_period=0.1, reply_timeout=reply_timeout)
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


def process_of_port(local_port: int, pids: list[int]) -> int | None:
    """Which of `pids` owns the loopback TCP socket bound to `local_port` (from /proc, Linux)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == local_port:
                inodes.add(f"socket:[{fields[9]}]")
    for pid in pids:
        try:
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                if os.readlink(fd) in inodes:
                    return pid
        except OSError:
            continue
    return None


@dataclass
class Worker:
    port: int
    log: Path
    process: asyncio.subprocess.Process | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.returncode is None


class Workers:
    """N bot.py workers in webhook mode behind nginx; `async with` starts and stops them all."""

    def __init__(
        self,
        sandbox: SandboxServer,
        database_url: str,
        folder: Path,
        count: int = 3,
        *,
        claim_timeout: int = 5,
        wake_refresh: int = 1,
        log_level: str = "INFO",
    ) -> None:
        self.nginx = require_nginx()
        self.sandbox = sandbox
        self.database_url = database_url
        self.folder = folder
        self.port = free_port()
        self.workers = [Worker(free_port(), folder / f"worker{i}.log") for i in range(count)]
        self.settings = {
            "CLAIM_TIMEOUT_SECONDS": str(claim_timeout),
            "WAKE_REFRESH_SECONDS": str(wake_refresh),
            "LOG_LEVEL": log_level,
        }
        self._nginx: asyncio.subprocess.Process | None = None

    @property
    def url(self) -> str:
        """Where the sandbox posts updates: nginx."""
        return f"http://127.0.0.1:{self.port}/telegram"

    async def __aenter__(self) -> Workers:
        try:
            await self.start()
        except BaseException:
            await self.stop()
            raise
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / "tmp").mkdir(exist_ok=True)
        conf = self.folder / "nginx.conf"
        conf.write_text(nginx_conf(self.folder, self.port, [w.port for w in self.workers]))
        with (self.folder / "nginx.out").open("ab") as out:
            self._nginx = await asyncio.create_subprocess_exec(
                str(self.nginx),
                "-p",
                str(self.folder),
                "-e",
                str(self.folder / "error.log"),
                "-c",
                str(conf),
                "-g",
                f"daemon off; pid {self.folder}/nginx.pid;",
                stdout=out,
                stderr=out,
            )
        # One at a time: each tells the sandbox the same webhook, and a second setWebhook restarts delivery.
        for worker in self.workers:
            await self._start_worker(worker)
        await self._wait_for_nginx()

    async def _start_worker(self, worker: Worker) -> None:
        data_dir = self.folder / "data"  # unused with DATABASE_URL, but bot.py reads the setting
        env = bot_env(
            self.sandbox,
            data_dir,
            DATABASE_URL=self.database_url,
            WEBHOOK_URL=self.url,
            WEBHOOK_SECRET=SECRET,
            WEBHOOK_LISTEN="127.0.0.1",
            WEBHOOK_PORT=str(worker.port),
            **self.settings,
        )
        with worker.log.open("ab") as out:
            worker.process = await asyncio.create_subprocess_exec(
                sys.executable, str(ROOT / "bot.py"), cwd=self.folder, env=env, stdout=out, stderr=out
            )
        deadline = time.monotonic() + START_TIMEOUT
        while await _status(f"{worker.url}/readyz") != 200:
            if not worker.alive or time.monotonic() > deadline:
                raise AssertionError(f"a worker did not get ready; its log:\n{self.log(worker)}")
            await asyncio.sleep(0.05)

    async def _wait_for_nginx(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        # GET /telegram reaches a worker through nginx (405: only POST is served there).
        while await _status(self.url) not in (405, 403):
            if self._nginx is None or self._nginx.returncode is not None or time.monotonic() > deadline:
                raise AssertionError(f"nginx did not start:\n{self.nginx_log()}")
            await asyncio.sleep(0.05)

    def holder(self, held: Held) -> int | None:
        """The index of the worker a held send came from (None when it cannot be told)."""
        pids = [w.process.pid for w in self.workers if w.alive and w.process is not None]
        pid = process_of_port(held.peer_port, pids)
        return next((i for i, w in enumerate(self.workers) if w.process and w.process.pid == pid), None)

    def kill(self, index: int) -> None:
        """SIGKILL worker `index`: no goodbye, its connections and advisory locks just go."""
        process = self.workers[index].process
        assert process is not None and process.returncode is None, "that worker is not running"
        process.send_signal(signal.SIGKILL)

    async def restart(self, index: int) -> int:
        """Roll worker `index` as an operator does: SIGTERM, wait for it to finish and exit, start it again
        and wait for /readyz. Returns the old process's exit code."""
        worker = self.workers[index]
        process = worker.process
        assert process is not None and process.returncode is None, "that worker is not running"
        process.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(process.wait(), 30)
        await self._start_worker(worker)
        return code

    async def wait_killed(self, index: int) -> None:
        process = self.workers[index].process
        assert process is not None
        await process.wait()

    async def stop(self) -> None:
        living = [w.process for w in self.workers if w.alive and w.process is not None]
        for process in living:
            process.send_signal(signal.SIGTERM)
        for process in living:
            try:
                await asyncio.wait_for(process.wait(), 25)
            except TimeoutError:
                process.kill()
                await process.wait()
        if self._nginx is not None and self._nginx.returncode is None:
            self._nginx.send_signal(signal.SIGQUIT)  # nginx's graceful stop
            try:
                await asyncio.wait_for(self._nginx.wait(), 10)
            except TimeoutError:
                self._nginx.kill()
                await self._nginx.wait()

    def log(self, worker: Worker | int) -> str:
        worker = self.workers[worker] if isinstance(worker, int) else worker
        return worker.log.read_text(errors="replace") if worker.log.exists() else ""

    def nginx_log(self) -> str:
        logs = [self.folder / name for name in ("nginx.out", "error.log")]
        return "\n".join(p.read_text(errors="replace") for p in logs if p.exists())

    def access_log(self) -> list[str]:
        path = self.folder / "access.log"
        return path.read_text().splitlines() if path.exists() else []


async def _status(url: str) -> int | None:
    try:
        timeout = aiohttp.ClientTimeout(total=3)
        async with aiohttp.ClientSession(timeout=timeout) as session, session.get(url) as answer:
            return answer.status
    except (aiohttp.ClientError, TimeoutError):
        return None
