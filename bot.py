"""Second Opinion Companion: settings -> Application -> handlers -> run."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from dotenv import load_dotenv
from telegram import BotCommand, BotCommandScopeAllGroupChats, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, Defaults

import handlers
from handlers.news import Newsroom
from handlers.ratelimit import ChatAwareRateLimiter
from handlers.reminders import ReminderDesk
from handlers.turn import SERVICES_KEY, Services, services
from settings import HOW_TO_GET_A_TOKEN, Settings, SettingsError, configure_logging, load_settings
from storage import TinyDBCaseRepository
from storage.repository import CaseRepository
from templates import Renderer

log = logging.getLogger("bot")
DESK_KEY = "reminder_desk"

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
    "share",
    "members",
    "cases",
    "settings",
    "help",
    "leave",
    "cancel",
)
# In group chats (the family's progress chat): what makes sense with others reading along.
GROUP_COMMANDS = ("start", "menu", "progress", "records", "appointment", "members", "stop", "cancel")


def utc_now() -> datetime:
    return datetime.now(UTC)


def build_application(
    settings: Settings,
    repo: CaseRepository,
    clock: Callable[[], datetime] = utc_now,
    reminder_tick: float = 30.0,
    limiter: AIORateLimiter | None = None,
) -> Application:  # type: ignore[type-arg]
    """The whole bot, ready to run: the same code path for Telegram, a local server and the tests."""
    assert settings.token is not None
    app = (
        ApplicationBuilder()
        .token(settings.token)
        .base_url(settings.bot_url)
        .base_file_url(settings.file_url)
        .defaults(
            Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True))
        )
        .rate_limiter(limiter or rate_limiter())
        .post_init(_start)
        .build()
    )
    desk = ReminderDesk(repo, clock)
    newsroom = Newsroom(app)
    app.bot_data[SERVICES_KEY] = Services(
        repo,
        Renderer(),
        clock,
        settings.timezone,
        on_saved=desk.note,
        on_news=newsroom.publish,
        bot_username=lambda: app.bot.username,
    )
    app.bot_data[DESK_KEY] = desk
    handlers.register(app)
    assert app.job_queue is not None, "install python-telegram-bot[job-queue]"
    # The scheduler only wakes the desk; what is due, and what was sent, lives in storage.
    app.job_queue.run_repeating(
        desk.tick,
        interval=reminder_tick,
        first=reminder_tick,
        name="reminders",
        # Decided, not defaulted: a late tick still runs (grace None), missed ticks collapse into one.
        job_kwargs={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
    )
    return app


def rate_limiter() -> AIORateLimiter:
    """Telegram's limits, set on purpose (PTB's defaults retry nothing and ignore private chats):
    30 messages a second overall, 20 a minute per group, about one a second per private chat, and a 429
    retried up to 5 times after the wait Telegram asks for. What still fails, the reminder desk retries."""
    return ChatAwareRateLimiter()


async def _start(app: Application) -> None:  # type: ignore[type-arg]
    """Before polling: settle reminders from the last run, then tell Telegram our commands."""
    desk: ReminderDesk = app.bot_data[DESK_KEY]
    indexed = desk.rebuild()
    log.info("reminders: %d cases have pending reminders", indexed)
    await _announce(app)


async def _announce(app: Application) -> None:  # type: ignore[type-arg]
    """Register the command list and descriptions with Telegram. Failing here must not stop the bot."""
    renderer = services(app).renderer
    commands = [BotCommand(name, renderer.label(f"commands/{name}")) for name in COMMANDS]
    in_groups = [BotCommand(name, renderer.label(f"commands/{name}")) for name in GROUP_COMMANDS]
    try:
        await app.bot.set_my_commands(commands)
        await app.bot.set_my_commands(in_groups, scope=BotCommandScopeAllGroupChats())
        await app.bot.set_my_description(renderer.label("about/description"))
        await app.bot.set_my_short_description(renderer.label("about/short"))
    except TelegramError as error:
        log.warning("could not register commands with Telegram: %s", type(error).__name__)


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Second Opinion Companion, a Telegram bot.")
    parser.add_argument(
        "--sandbox", action="store_true", help="run against a local simulated Telegram with a web chat"
    )
    parser.add_argument("--port", type=int, default=8080, help="the web chat's port (sandbox only)")
    parser.add_argument("--no-browser", action="store_true", help="do not open the web chat (sandbox only)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    load_dotenv(Path(".env"))  # a .env file in the working folder fills in what the environment does not set
    try:
        settings = load_settings(os.environ)
    except SettingsError as problem:
        print(problem, file=sys.stderr)
        return 2
    configure_logging(settings.log_level)
    if args.sandbox or settings.token is None:
        import localrun  # imports this module: loaded only when wanted

        if settings.token is None:
            print(HOW_TO_GET_A_TOKEN, flush=True)
        keep_data = bool(os.environ.get("DATA_DIR", "").strip())
        return localrun.run(settings, port=args.port, keep_data=keep_data, open_browser=not args.no_browser)
    repo = TinyDBCaseRepository(settings.data_dir)
    try:
        app = build_application(settings, repo)
        log.info("starting; Bot API at %s, data in %s", settings.api_url, settings.data_dir)
        app.run_polling(allowed_updates=Update.ALL_TYPES)
    finally:
        repo.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
