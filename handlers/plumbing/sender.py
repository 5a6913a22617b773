"""The Telegram side of `service.sending.Sender`: one message and its files, and how it ended.

The rate limiter (handlers/ratelimit.py) waits out Telegram's limits inside each call, so a wait for one
chat holds up only the task sending to that chat.
"""

from __future__ import annotations

import logging

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.constants import ChatAction
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from handlers.plumbing.actions import show_action
from handlers.plumbing.ratelimit import ChatAwareRateLimiter
from logline import where
from service.sending import Moved, Outcome, Outgoing, Result, Rows

log = logging.getLogger(__name__)


def markup(rows: Rows) -> InlineKeyboardMarkup | None:
    if not rows:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows]
    )


class TelegramSender:
    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def send(self, message: Outgoing) -> Result:
        outcome = await self._call(self._message, message)
        if outcome is Outcome.SENT and message.files:
            # The message is what matters; a file that fails is logged, not worth a second message.
            await self._call(self._files, message)
        return outcome

    async def ready(self, chat_id: int) -> None:
        limiter = getattr(self._bot, "rate_limiter", None)
        if isinstance(limiter, ChatAwareRateLimiter):
            await limiter.ready(chat_id)

    async def _message(self, message: Outgoing) -> None:
        await self._bot.send_message(message.chat_id, message.text, reply_markup=markup(message.buttons))

    async def _files(self, message: Outgoing) -> None:
        for file in message.files:
            await show_action(self._bot, message.chat_id, ChatAction.UPLOAD_DOCUMENT)
            await self._bot.send_document(
                message.chat_id, InputFile(file.data, filename=file.name), caption=file.caption
            )

    async def _call(self, send: object, message: Outgoing) -> Result:
        assert callable(send)
        try:
            await send(message)
        except Forbidden:
            return Outcome.BLOCKED
        except ChatMigrated as moved:
            # The group became a supergroup: the courier moves the plan's link and sends it there.
            return Moved(int(moved.new_chat_id))
        except RetryAfter:
            return Outcome.RETRY  # the rate limiter already waited out its own retries
        except TimedOut:
            return Outcome.UNKNOWN  # the request may have arrived
        except BadRequest as error:
            # Ours to fix (too long, bad HTML): trying again would fail the same way.
            log.error("Telegram refused a message as malformed: %s", where(error))
            return Outcome.FAILED
        except NetworkError:
            return Outcome.RETRY  # no answer from the server, or a 5xx: not delivered
        except TelegramError as error:
            log.warning("a send failed: %s", type(error).__name__)
            return Outcome.RETRY
        return Outcome.SENT
