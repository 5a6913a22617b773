"""Run the real bot (bot.build_application, real PTB HTTP stack) against the sandbox over loopback."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from telegram.ext import Application

from handlers.plumbing.ratelimit import ChatAwareRateLimiter
from sandbox import SandboxServer, SandboxUser
from settings import Settings
from storage import TinyDBCaseRepository
from storage.repository import CaseRepository
from webhook import WebhookServer
from wiring import build_application, polling, webhook

# The secret the bot and the sandbox share in webhook mode.
WEBHOOK_SECRET = "e2e_webhook-secret"

# The bot's clock in these tests: dates the user sees are then fixed (a Monday, in Chicago time).
NOW = datetime(2026, 11, 23, 15, 30, tzinfo=UTC)


def settings_for(sandbox: SandboxServer, data_dir: Path) -> Settings:
    return Settings(
        token=sandbox.token,
        api_url=sandbox.url,
        data_dir=data_dir,
        log_level="INFO",
        timezone=ZoneInfo("America/Chicago"),
    )


async def choose_zone(user: SandboxUser, city: str) -> None:
    """Set the user's time zone the way a person does: /settings, Time zone, tap the city."""
    await user.send("/settings")
    await user.tap("Time zone")
    await user.tap(city)


class Clock:
    """The bot's clock in a test: it stands still until the test moves it."""

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def set(self, now: datetime) -> None:
        self.now = now


@asynccontextmanager
async def running_bot(
    sandbox: SandboxServer,
    data_dir: Path,
    clock: Clock | None = None,
    limiter: ChatAwareRateLimiter | None = None,
) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    """The bot polling the sandbox until the block ends; then stopped the way run_polling stops it.

    Reminders are checked every 50 ms here (30 s in production), so moving the clock shows them at once.
    """
    repo = TinyDBCaseRepository(data_dir)
    # A test user types faster than any person: the per-chat limit is relaxed here and tested on its own.
    limiter = limiter or ChatAwareRateLimiter(private_burst=1000, private_period=1.0)
    app = build_application(
        settings_for(sandbox, data_dir), repo, clock=clock or Clock(), reminder_tick=0.05, limiter=limiter
    )
    try:
        async with polling(app):
            yield app
    finally:
        repo.close()
        await asyncio.sleep(0)


@asynccontextmanager
async def running_bot_webhook(
    sandbox: SandboxServer,
    data_dir: Path,
    repo: CaseRepository | None = None,
    port: int = 0,
    inbox_url: str | None = None,
) -> AsyncIterator[WebhookServer]:
    """As `running_bot`, but in webhook mode: the bot serves its own web server on loopback and has the
    sandbox post updates to it (WEBHOOK_SECRET); with `inbox_url`, through PostgreSQL's inbox."""
    repo = repo or TinyDBCaseRepository(data_dir)
    limiter = ChatAwareRateLimiter(private_burst=1000, private_period=1.0)
    app = build_application(
        settings_for(sandbox, data_dir), repo, clock=Clock(), reminder_tick=0.05, limiter=limiter
    )
    try:
        async with webhook(app, WEBHOOK_SECRET, port=port, inbox_url=inbox_url) as server:
            yield server
    finally:
        repo.close()
        await asyncio.sleep(0)
