"""Telegram's "typing…" line under the chat's name, shown before something that takes a moment (a file).

It is only a hint: Telegram shows it for about 5 seconds or until the bot's next message. A chat action that
does not go through is logged by its type and never stops the send it comes before.
"""

from __future__ import annotations

import logging

from telegram import Bot
from telegram.constants import ChatAction

log = logging.getLogger(__name__)


async def show_action(bot: Bot, chat_id: int, action: ChatAction) -> None:
    """Say in the chat that the bot is busy (``action``: ``TYPING``, ``UPLOAD_DOCUMENT`` before a file)."""
    try:
        await bot.send_chat_action(chat_id, action)
    except Exception as error:  # best effort: nothing about the hint may stop what follows
        log.info("a chat action was not shown: %s", type(error).__name__)
