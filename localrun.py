"""Try the bot without Telegram: the real bot against the in-process sandbox, with a web chat.

``make run`` with no ``TELEGRAM_BOT_TOKEN`` (or ``python bot.py --sandbox``) lands here. One asyncio loop
runs the sandbox Bot API server, the web chat on http://127.0.0.1:8080 and the bot, which polls the
sandbox exactly as it polls Telegram. A few people and a family group are made up so that caregivers
can be tried by switching "I am" in the page.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import os
import shutil
import signal
import sys
import tempfile
import webbrowser
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path

from telegram import Update
from telegram.ext import AIORateLimiter

from sandbox import SandboxServer
from sandbox.webchat import WebChat
from settings import Settings
from storage import TinyDBCaseRepository
from wiring import build_application, polling, utc_now

log = logging.getLogger("localrun")

DEFAULT_PORT = 8080
# (user id, first name, what the page calls them). Private chat ids equal user ids, as on Telegram.
# Telegram tells the bot each person's app language: Lucía's phone is in Spanish, so she reads Spanish.
PEOPLE = (
    (1001, "Maria", "Maria (patient)", "en"),
    (1002, "Dana", "Dana (daughter)", "en"),
    (1003, "Sam", "Sam (friend)", "en"),
    (1004, "Lucía", "Lucía (sister, reads Spanish)", "es-MX"),
)
FAMILY_GROUP = (-1001, "Family")


def populate(server: SandboxServer) -> dict[int, str]:
    """Make up the people and the family group; returns the page's labels for them."""
    for user_id, first_name, _, language_code in PEOPLE:
        server.user(user_id, first_name, language_code)
    group_id, title = FAMILY_GROUP
    server.group(group_id, title, privacy_mode=True)
    return {user_id: label for user_id, _, label, _ in PEOPLE}


def banner(url: str, data_dir: Path, temporary: bool) -> str:
    where = (
        f"in a temporary folder, deleted when you stop (Ctrl+C):\n       {data_dir}\n"
        "       Set DATA_DIR to keep it."
        if temporary
        else f"in DATA_DIR: {data_dir}"
    )
    rule = "=" * 72
    return (
        f"\n{rule}\n"
        "  LOCAL SANDBOX: this is NOT Telegram.\n"
        "  The bot talks to a simulated Telegram inside this process. No one else can\n"
        "  reach it, nothing is sent to Telegram, and no token or internet is used.\n"
        f"  Web chat: {url}  (this computer only)\n"
        f"  Data is kept {where}\n"
        "  To run on real Telegram, set TELEGRAM_BOT_TOKEN (README, Settings).\n"
        f"{rule}"
    )


@asynccontextmanager
async def local_stack(
    settings: Settings,
    data_dir: Path,
    port: int = DEFAULT_PORT,
    *,
    clock: Callable[[], datetime] = utc_now,
    limiter: AIORateLimiter | None = None,
) -> AsyncIterator[tuple[SandboxServer, WebChat]]:
    """Sandbox server, web chat and the bot, all running until the block ends. The browser tests run
    this same stack, with a fixed clock and a relaxed per-chat limit."""
    async with SandboxServer(bot_name="Second Opinion Companion") as server:
        labels = populate(server)
        # No DATABASE_URL: neither the plans nor the send pace of made-up people go to a real database.
        sandbox_settings = dataclasses.replace(
            settings, token=server.token, api_url=server.url, data_dir=data_dir, database_url=None
        )
        repo = TinyDBCaseRepository(data_dir)
        app = build_application(sandbox_settings, repo, clock=clock, limiter=limiter)
        try:
            # post_init registers the command menu the page offers
            async with (
                polling(app, poll_timeout=10, allowed_updates=Update.ALL_TYPES),
                WebChat(server.state, port, labels=labels) as web,
            ):
                yield server, web
        finally:
            repo.close()


async def serve(
    settings: Settings,
    data_dir: Path,
    temporary: bool,
    port: int,
    on_ready: Callable[[str], None],
) -> None:
    """Run until SIGINT or SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    async with local_stack(settings, data_dir, port) as (_, web):
        log.warning("%s", banner(web.url, data_dir, temporary))
        on_ready(web.url)
        await stop.wait()
    log.info("stopped")


def _open_browser(url: str) -> None:
    """Open the page where there is a screen; on a bare server, Python would pick a text browser."""
    has_screen = sys.platform in ("darwin", "win32") or bool(
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    )
    if has_screen:
        with contextlib.suppress(webbrowser.Error):
            webbrowser.open(url)


def run(settings: Settings, *, port: int, keep_data: bool, open_browser: bool) -> int:
    """The sandbox from the command line; ``keep_data``: DATA_DIR was set, so use it and keep it."""
    data_dir = settings.data_dir if keep_data else Path(tempfile.mkdtemp(prefix="second-opinion-sandbox-"))
    if settings.database_url is not None:
        # Made-up people must never land in a real database: the sandbox keeps its plans in files.
        log.warning("the sandbox does not use DATABASE_URL; its plans are kept in %s", data_dir)

    def ready(url: str) -> None:
        print(f"Web chat ready: {url}", flush=True)
        if open_browser:
            _open_browser(url)

    try:
        asyncio.run(serve(settings, data_dir, not keep_data, port, ready))
    except OSError as problem:
        print(f"Could not start the local sandbox: {problem}. Try another port: --port 8081", file=sys.stderr)
        return 1
    finally:
        if not keep_data:
            shutil.rmtree(data_dir, ignore_errors=True)
    return 0
