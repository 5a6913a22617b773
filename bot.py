"""Second Opinion Companion: read the settings, build the bot (wiring.py), run it: long polling, or
webhook mode when WEBHOOK_URL and WEBHOOK_SECRET are set (webhook.py)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
from pathlib import Path

from dotenv import load_dotenv
from telegram import Update
from telegram.ext import Application

from settings import HOW_TO_GET_A_TOKEN, Settings, SettingsError, configure_logging, load_settings
from storage import StorageError
from wiring import build_application, open_repository, webhook

log = logging.getLogger("bot")


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
    try:
        repo = open_repository(settings)
    except StorageError as problem:
        print(f"Could not open the plans' storage: {problem}", file=sys.stderr)
        return 1
    where = "PostgreSQL (DATABASE_URL)" if settings.database_url else str(settings.data_dir)
    try:
        app = build_application(settings, repo)
        mode = "webhook" if settings.webhook_url else "long polling"
        log.info("starting (%s); Bot API at %s, data in %s", mode, settings.api_url, where)
        if settings.webhook_url is None:
            app.run_polling(allowed_updates=Update.ALL_TYPES)
        else:
            asyncio.run(serve_webhook(app, settings))
    finally:
        repo.close()
    return 0


async def serve_webhook(app: Application, settings: Settings) -> None:  # type: ignore[type-arg]
    """Webhook mode until SIGTERM or SIGINT (Ctrl-C): then stop taking updates and finish those taken."""
    assert settings.webhook_url is not None and settings.webhook_secret is not None
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signal_number in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signal_number, stopping.set)
    async with webhook(
        app,
        settings.webhook_secret,
        url=settings.webhook_url,
        listen=settings.webhook_listen,
        port=settings.webhook_port,
        allowed_updates=Update.ALL_TYPES,
        # Several workers on one database: updates go through its inbox (per-chat order across workers).
        inbox_url=settings.database_url,
    ):
        await stopping.wait()
        log.info("stopping: no new updates; finishing those taken")


if __name__ == "__main__":
    sys.exit(main())
