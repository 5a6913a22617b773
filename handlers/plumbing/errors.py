"""The one error handler, and how errors are logged: the type and where, never the message.

An exception's message can hold what a user typed (or a name), so logs carry the error's type and the
frames it passed through (file, line, function), and nothing else.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import BadRequest, Forbidden, NetworkError, TimedOut
from telegram.ext import ContextTypes

from logline import where

log = logging.getLogger(__name__)
PLANS_KEY = "plans"


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    error = context.error
    if error is None:
        return
    if isinstance(error, (TimedOut, Forbidden)) or (
        isinstance(error, NetworkError) and not isinstance(error, BadRequest)
    ):
        # Transport trouble: PTB retries polling itself; a reply would fail the same way.
        log.warning("telegram error: %s", type(error).__name__)
        return
    update_id = update.update_id if isinstance(update, Update) else None
    # A BadRequest (too long, bad HTML) is a bug like any other: its trail, then a plain word to the user.
    log.error("error while handling update %s: %s", update_id, where(error))
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    plans = context.application.bot_data.get(PLANS_KEY)
    saved = update_id is not None and plans is not None and plans.committed(update_id)
    user = update.effective_user
    words = context.application.bot_data["services"].words_for(user.language_code if user else None)
    text = words.render("errors/saved_not_shown" if saved else "errors/generic")
    if update.callback_query is not None:
        # Stop the button's spinner: an unanswered press keeps the person's app waiting.
        try:
            await update.callback_query.answer()
        except Exception as failed:  # already answered, or too late: the message below still goes
            log.info("could not answer the press after an error: %s", type(failed).__name__)
    try:
        await context.bot.send_message(update.effective_chat.id, text)
    except Exception as failed:  # a failing apology must not raise again inside the error handler
        log.warning("could not send the error reply: %s", type(failed).__name__)
