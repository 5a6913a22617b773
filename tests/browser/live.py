"""The stack `make run` starts without a token (sandbox, web chat, bot), run in a background thread so a
synchronous browser driver can use it from the test's thread."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from types import TracebackType
from zoneinfo import ZoneInfo

from handlers.plumbing.ratelimit import ChatAwareRateLimiter
from localrun import local_stack
from sandbox import SandboxServer
from settings import Settings
from tests.e2e.harness import Clock


class LiveChat:
    """``with LiveChat(data_dir) as live:`` serves the web chat at ``live.url`` until the block ends."""

    def __init__(self, data_dir: Path, clock: Clock | None = None) -> None:
        self.data_dir = data_dir
        self.clock = clock or Clock()
        self.url = ""
        self.server: SandboxServer | None = None
        self._ready = threading.Event()
        self._failure: BaseException | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=self._run, name="live-chat", daemon=True)

    def __enter__(self) -> LiveChat:
        self._thread.start()
        if not self._ready.wait(30):
            raise AssertionError("the sandbox, web chat and bot did not start within 30 s")
        if self._failure is not None:
            raise AssertionError("the sandbox stack failed to start") from self._failure
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(30)

    def _run(self) -> None:
        try:
            asyncio.run(self._main())
        except BaseException as failure:  # reported to the test thread, which raises it
            self._failure = failure
            self._ready.set()

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        settings = Settings(None, "", self.data_dir, "INFO", ZoneInfo("America/Chicago"))
        # A test types faster than a person: the per-chat limit is relaxed, as in the e2e tests.
        limiter = ChatAwareRateLimiter(private_burst=1000, private_period=1.0)
        async with local_stack(settings, self.data_dir, 0, clock=self.clock, limiter=limiter) as (
            server,
            web,
        ):
            self.server, self.url = server, web.url
            self._ready.set()
            await self._stop.wait()
