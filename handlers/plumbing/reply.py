"""Putting a screen into the chat: a new message, or an edit of the message whose button was pressed.

These run after the change is saved. When the edit that answers a tap does not go through (a server
error, a timeout, a message that is gone), the screen is sent as a new message instead, so the person
always sees the state that was saved and a second tap cannot act on an old picture of it.
"""

from __future__ import annotations

import logging

from telegram import Bot, CallbackQuery, ForceReply, InputFile, Message
from telegram.constants import ChatAction
from telegram.error import BadRequest, NetworkError, TelegramError

from handlers.plumbing.actions import show_action
from handlers.plumbing.turn import Screen

log = logging.getLogger(__name__)


async def send_screen(message: Message, screen: Screen) -> None:
    bot = message.get_bot()
    try:
        await message.reply_text(screen.text, reply_markup=screen.markup())
    except BadRequest:
        raise  # ours to fix: the error handler logs where, and tells the person plainly
    except NetworkError:
        # One more try: the reply to a typed answer must not be lost, or the next text lands elsewhere.
        log.warning("a reply did not go through; trying once more")
        await bot.send_message(message.chat_id, screen.text, reply_markup=screen.markup())
    await send_files(bot, message.chat_id, screen)
    await ask_in_group(bot, message.chat_id, screen)


async def send_new(bot: Bot, chat_id: int, screen: Screen) -> None:
    """A screen as a new message (after work that followed a button), with its files."""
    await bot.send_message(chat_id, screen.text, reply_markup=screen.markup())
    await send_files(bot, chat_id, screen)


async def ask_in_group(bot: Bot, chat_id: int, screen: Screen) -> None:
    """In a group the bot (privacy mode on) only sees replies to its own messages: ask for one. The
    text mentions the person asked, so the selective ForceReply opens the reply box for them alone."""
    if screen.asks is not None:
        await bot.send_message(chat_id, screen.asks, reply_markup=ForceReply(selective=True))


async def send_files(bot: Bot, chat_id: int, screen: Screen) -> None:
    for file in screen.files:
        await show_action(bot, chat_id, ChatAction.UPLOAD_DOCUMENT)
        await bot.send_document(chat_id, InputFile(file.data, filename=file.name), caption=file.caption)


async def edit_screen(query: CallbackQuery, screen: Screen) -> None:
    """Edit in place. A double tap ("not modified") is fine; an edit that fails gets a new message."""
    bot = query.get_bot()
    chat_id = query.message.chat.id if query.message else query.from_user.id
    try:
        await query.edit_message_text(screen.text, reply_markup=screen.markup())
    except BadRequest as error:
        reason = error.message.lower()
        if "not modified" in reason:
            pass
        elif "not found" in reason or "can't be edited" in reason:
            await bot.send_message(chat_id, screen.text, reply_markup=screen.markup())
        else:
            raise
    except TelegramError as error:
        # A 5xx or a timeout: the edit may not show. A fresh message shows the saved state for sure.
        log.warning("an edit did not go through (%s); sending the screen anew", type(error).__name__)
        await bot.send_message(chat_id, screen.text, reply_markup=screen.markup())
    await send_files(bot, chat_id, screen)
    await ask_in_group(bot, chat_id, screen)
