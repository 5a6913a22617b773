"""The one error handler: log what broke (never what the user typed) and answer kindly."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, NetworkError, TimedOut
from telegram.ext import ContextTypes

from handlers.turn import services

log = logging.getLogger(__name__)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    error = context.error
    if isinstance(error, (NetworkError, TimedOut, Forbidden)):
        # Transport trouble: PTB retries polling itself; a reply would fail the same way.
        log.warning("telegram error: %s", type(error).__name__)
        return
    update_id = update.update_id if isinstance(update, Update) else None
    # exc_info gives the traceback; the update itself (with the user's words) is not logged.
    log.error("error while handling update %s", update_id, exc_info=error)
    if isinstance(update, Update) and update.effective_chat is not None:
        text = services(context).renderer.render("errors/generic")
        try:
            await context.bot.send_message(update.effective_chat.id, text)
        except Exception:  # a failing apology must not raise again inside the error handler
            log.warning("could not send the error reply", exc_info=False)
