"""The whole bot, assembled: settings -> Application -> handlers, the unit of work and the courier.

`build_application` is the one way to build the bot; `bot.py` (the entry point), `localrun.py` (the local
sandbox), the tests and the benchmarks all use it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from telegram import BotCommand, BotCommandScopeAllGroupChats, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, Defaults

import handlers
from handlers.plumbing.lanes import LaneProcessor
from handlers.plumbing.ratelimit import ChatAwareRateLimiter
from handlers.plumbing.sender import TelegramSender
from handlers.plumbing.turn import PLANS_KEY, SERVICES_KEY, Services, chat_words, services
from handlers.reminders.screens import reminder_message
from handlers.sharing import news
from journey.retention import Retention
from service.courier import Courier
from service.inbox_reader import InboxReader
from service.work import Plans
from settings import Settings
from storage.repository import CaseRepository
from storage.tinydb_repo import TinyDBCaseRepository
from templates import Words
from webhook import WebhookServer

if TYPE_CHECKING:
    from storage.pg_inbox import PostgresInbox

log = logging.getLogger("bot")
COURIER_KEY = "courier"

# Shown in Telegram's menu, in this order. Descriptions live in templates/<locale>/strings.toml.
COMMANDS = (
    "start",
    "menu",
    "progress",
    "specialist",
    "records",
    "insurance",
    "questions",
    "appointment",
    "summary",
    "outcome",
    "share",
    "members",
    "cases",
    "settings",
    "help",
    "privacy",
    "export",
    "delete",
    "leave",
    "cancel",
)
# In group chats (the family's progress chat): what makes sense with others reading along.
GROUP_COMMANDS = (
    "start",
    "menu",
    "progress",
    "records",
    "appointment",
    "members",
    "privacy",
    "stop",
    "cancel",
)


def utc_now() -> datetime:
    return datetime.now(UTC)


def open_repository(settings: Settings) -> CaseRepository:
    """Where plans live: PostgreSQL when DATABASE_URL is set (its schema brought up to date first),
    else files in DATA_DIR. Close it at shutdown."""
    if settings.database_url is None:
        return TinyDBCaseRepository(settings.data_dir)
    from storage.postgres_repo import PostgresCaseRepository  # psycopg is loaded only when used

    return PostgresCaseRepository(settings.database_url)


def build_application(
    settings: Settings,
    repo: CaseRepository,
    clock: Callable[[], datetime] = utc_now,
    reminder_tick: float = 30.0,
    limiter: AIORateLimiter | None = None,
) -> Application:  # type: ignore[type-arg]
    """The whole bot, ready to run: the same code path for Telegram, a local server and the tests."""
    assert settings.token is not None
    lanes = LaneProcessor()
    app = (
        ApplicationBuilder()
        .token(settings.token)
        .base_url(settings.bot_url)
        .base_file_url(settings.file_url)
        .defaults(
            Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True))
        )
        .rate_limiter(limiter or rate_limiter(settings))
        # Different chats at once, each chat in order (handlers/lanes.py).
        .concurrent_updates(lanes)
        .post_init(_start)
        .post_stop(_stop)
        .build()
    )
    s = Services(
        repo,
        Words(),
        clock,
        settings.timezone,
        bot_username=lambda: app.bot.username,
        operator_name=settings.operator_name,
        operator_contact=settings.operator_contact,
        retention_months=settings.retention_months,
    )
    plans = Plans(
        repo, clock, compose=partial(news.compose, s), retention=Retention(settings.retention_months)
    )
    courier = Courier(
        plans,
        reminder_message(s),
        claim_timeout=timedelta(seconds=settings.claim_timeout_seconds),
        refresh_seconds=settings.wake_refresh_seconds,
    )
    plans.on_commit = courier.note
    plans.on_farewell = lambda letters: courier.send_now(letters)
    lanes.set_on_dropped(partial(_too_many, app))
    app.bot_data[SERVICES_KEY] = s
    app.bot_data[PLANS_KEY] = plans
    app.bot_data[COURIER_KEY] = courier
    handlers.register(app)
    assert app.job_queue is not None, "install python-telegram-bot[job-queue]"
    # The scheduler only wakes the courier; what is due, and what was sent, lives in storage.
    app.job_queue.run_repeating(
        courier.tick,
        interval=reminder_tick,
        first=reminder_tick,
        name="reminders",
        # Decided, not defaulted: a late tick still runs (grace None), missed ticks collapse into one.
        job_kwargs={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
    )
    return app


@asynccontextmanager
async def polling(
    app: Application,  # type: ignore[type-arg]
    poll_timeout: int = 5,
    allowed_updates: Sequence[str] | None = None,
) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    """The bot polling until the block ends, started and stopped in run_polling's order (post_init before
    polling, post_stop to stop the courier): for the local sandbox, the tests and the benchmarks, which run
    the bot inside their own event loop."""
    try:
        await app.initialize()
        if app.post_init is not None:
            await app.post_init(app)
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(
            poll_interval=0, timeout=poll_timeout, allowed_updates=allowed_updates
        )
        yield app
    finally:
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            if app.post_stop is not None:
                await app.post_stop(app)
            await app.stop()
        await app.shutdown()


@asynccontextmanager
async def webhook(
    app: Application,  # type: ignore[type-arg]
    secret: str,
    url: str | None = None,
    listen: str = "127.0.0.1",
    port: int = 8443,
    allowed_updates: Sequence[str] | None = None,
    inbox_url: str | None = None,
) -> AsyncIterator[WebhookServer]:
    """The bot taking updates on its own web server (webhook.py) until the block ends, started and
    stopped in `polling`'s order, with the server in the updater's place. Telegram is told `url` (default:
    the server's own address, for the sandbox) once the bot can take updates. At the end the webhook is
    left set: during a rolling deploy Telegram keeps the updates for the next worker.

    `inbox_url` (the DATABASE_URL, for several workers): updates are stored in the database's inbox before
    Telegram is answered and handled per chat by whichever worker holds the chat (service/inbox_reader.py);
    at the end this worker finishes the updates in hand and lets its chats go to the others."""
    shared = await _open_inbox(app, inbox_url) if inbox_url else None
    server = WebhookServer(app, secret, listen, port, inbox=shared)
    try:
        await app.initialize()
        if app.post_init is not None:
            await app.post_init(app)
        await app.start()
        if shared is not None:
            shared[1].start()
        await server.start()
        await app.bot.set_webhook(url=url or server.url, secret_token=secret, allowed_updates=allowed_updates)
        server.accepting = True
        log.info("webhook set; taking updates%s", " through the inbox" if shared else "")
        yield server
    finally:
        await server.stop()
        if shared is not None:
            await shared[1].stop()
            await shared[0].close()
        if app.running:
            if app.post_stop is not None:
                await app.post_stop(app)
            await app.stop()
        await app.shutdown()


async def _open_inbox(
    app: Application,  # type: ignore[type-arg]
    url: str,
) -> tuple[PostgresInbox, InboxReader]:
    from storage.pg_inbox import PostgresInbox  # psycopg is loaded only when used

    inbox = PostgresInbox(url)
    await inbox.open()

    async def handle(data: dict[str, Any]) -> None:
        # As PTB's own update fetcher does; process_update runs the handlers and the error handler.
        await app.process_update(Update.de_json(data, app.bot))

    return inbox, InboxReader(inbox, handle)


def rate_limiter(settings: Settings | None = None) -> AIORateLimiter:
    """Telegram's limits, set on purpose (PTB's defaults retry nothing and ignore private chats):
    27 messages a second overall (Telegram allows about 30), 20 a minute per group, about one a second per
    private chat, and a 429 retried up to 5 times after the wait Telegram asks for. What still fails, the
    courier retries. With DATABASE_URL the limits are booked in the database first, so that every worker
    on it keeps them together (handlers/plumbing/shared_pace.py)."""
    if settings is None or settings.database_url is None:
        return ChatAwareRateLimiter()
    from handlers.plumbing.shared_pace import SharedRateLimiter
    from storage.pg_pace import SendPace  # psycopg is loaded only when used

    return SharedRateLimiter(SendPace(settings.database_url))


async def _start(app: Application) -> None:  # type: ignore[type-arg]
    """Before polling: find the plans with work waiting (from the wake index), then tell Telegram our
    commands."""
    courier: Courier = app.bot_data[COURIER_KEY]
    courier.attach(TelegramSender(app.bot))
    waiting = await asyncio.to_thread(courier.rebuild)
    quarantined = len(app.bot_data[PLANS_KEY].repo.quarantined())
    log.info("reminders: %d plans have something waiting; %d plan files set aside", waiting, quarantined)
    courier.kick()
    courier.start()  # several workers: ask the database for due plans every few seconds
    await _announce(app)


async def _stop(app: Application) -> None:  # type: ignore[type-arg]
    courier: Courier = app.bot_data[COURIER_KEY]
    await courier.stop()


async def _too_many(app: Application, chat_id: int, count: int) -> None:  # type: ignore[type-arg]
    """A chat sent more at once than we queue: say so once, after answering the rest."""
    words = await chat_words(app, chat_id, chat_id, None)  # a private chat's id is the person's
    text = words.render("errors/too_many", count=count)
    await app.bot.send_message(chat_id, text)


async def _announce(app: Application) -> None:  # type: ignore[type-arg]
    """Register the command list and descriptions with Telegram. Failing here must not stop the bot."""
    words = services(app).words
    try:
        for locale in words.locales:
            # The default locale also answers for every language we have no words in (no language_code).
            code = None if locale == words.default.locale else locale
            renderer = words.of(locale)
            commands = [BotCommand(name, renderer.label(f"commands/{name}")) for name in COMMANDS]
            in_groups = [BotCommand(name, renderer.label(f"commands/{name}")) for name in GROUP_COMMANDS]
            await app.bot.set_my_commands(commands, language_code=code)
            await app.bot.set_my_commands(in_groups, scope=BotCommandScopeAllGroupChats(), language_code=code)
            await app.bot.set_my_description(renderer.label("about/description"), language_code=code)
            await app.bot.set_my_short_description(renderer.label("about/short"), language_code=code)
    except TelegramError as error:
        log.warning("could not register commands with Telegram: %s", type(error).__name__)
