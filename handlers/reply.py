"""Putting a screen into the chat: a new message, or an edit of the message whose button was pressed."""

from __future__ import annotations

import logging

from telegram import Bot, CallbackQuery, ForceReply, InputFile, Message
from telegram.error import BadRequest

from handlers.turn import Screen

log = logging.getLogger(__name__)


async def send_screen(message: Message, screen: Screen) -> None:
    await message.reply_text(screen.text, reply_markup=screen.markup())
    await send_files(message.get_bot(), message.chat_id, screen)
    await ask_in_group(message.get_bot(), message.chat_id, screen)


async def ask_in_group(bot: Bot, chat_id: int, screen: Screen) -> None:
    """In a group the bot (privacy mode on) only sees replies to its own messages: ask for one. The
    text mentions the person asked, so the selective ForceReply opens the reply box for them alone."""
    if screen.asks is not None:
        await bot.send_message(chat_id, screen.asks, reply_markup=ForceReply(selective=True))


async def send_files(bot: Bot, chat_id: int, screen: Screen) -> None:
    for file in screen.files:
        await bot.send_document(chat_id, InputFile(file.data, filename=file.name), caption=file.caption)


async def edit_screen(query: CallbackQuery, screen: Screen) -> None:
    """Edit in place. A double tap ("not modified") is fine; a vanished message gets a new one."""
    chat_id = query.message.chat.id if query.message else query.from_user.id
    try:
        await query.edit_message_text(screen.text, reply_markup=screen.markup())
    except BadRequest as error:
        reason = error.message.lower()
        if "not found" in reason:
            await query.get_bot().send_message(chat_id, screen.text, reply_markup=screen.markup())
        elif "not modified" not in reason:
            raise
    await send_files(query.get_bot(), chat_id, screen)
    await ask_in_group(query.get_bot(), chat_id, screen)
