"""Putting a screen into the chat: a new message, or an edit of the message whose button was pressed."""

from __future__ import annotations

import logging

from telegram import CallbackQuery, Message
from telegram.error import BadRequest

from handlers.turn import Screen

log = logging.getLogger(__name__)


async def send_screen(message: Message, screen: Screen) -> None:
    await message.reply_text(screen.text, reply_markup=screen.markup())


async def edit_screen(query: CallbackQuery, screen: Screen) -> None:
    """Edit in place. A double tap ("not modified") is fine; a vanished message gets a new one."""
    try:
        await query.edit_message_text(screen.text, reply_markup=screen.markup())
    except BadRequest as error:
        reason = error.message.lower()
        if "not modified" in reason:
            return
        if "not found" not in reason:
            raise
        chat_id = query.message.chat.id if query.message else query.from_user.id
        await query.get_bot().send_message(chat_id, screen.text, reply_markup=screen.markup())
