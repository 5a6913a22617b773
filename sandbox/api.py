"""The table of Bot API methods the sandbox serves (names are case-insensitive, as on Telegram)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from types import MappingProxyType
from typing import Any

from sandbox import methods_bot, methods_files, methods_messages
from sandbox.params import Params
from sandbox.state import SandboxState

Method = Callable[[SandboxState, Params], Awaitable[Any]]

_TABLE: tuple[tuple[str, Method], ...] = (
    ("getMe", methods_bot.get_me),
    ("logOut", methods_bot.log_out),
    ("close", methods_bot.close),
    ("setWebhook", methods_bot.set_webhook),
    ("deleteWebhook", methods_bot.delete_webhook),
    ("getWebhookInfo", methods_bot.get_webhook_info),
    ("getUpdates", methods_bot.get_updates),
    ("setMyCommands", methods_bot.set_my_commands),
    ("getMyCommands", methods_bot.get_my_commands),
    ("deleteMyCommands", methods_bot.delete_my_commands),
    ("setMyDescription", methods_bot.set_my_description),
    ("getMyDescription", methods_bot.get_my_description),
    ("setMyShortDescription", methods_bot.set_my_short_description),
    ("getMyShortDescription", methods_bot.get_my_short_description),
    ("sendMessage", methods_messages.send_message),
    ("editMessageText", methods_messages.edit_message_text),
    ("editMessageCaption", methods_messages.edit_message_caption),
    ("editMessageReplyMarkup", methods_messages.edit_message_reply_markup),
    ("deleteMessage", methods_messages.delete_message),
    ("answerCallbackQuery", methods_messages.answer_callback_query),
    ("sendChatAction", methods_messages.send_chat_action),
    ("sendDocument", methods_files.send_document),
    ("sendPhoto", methods_files.send_photo),
    ("getFile", methods_files.get_file),
)

#: Lower-cased method name -> implementation. Read-only.
METHODS: Mapping[str, Method] = MappingProxyType({name.lower(): method for name, method in _TABLE})
#: The method names as Telegram spells them.
METHOD_NAMES: tuple[str, ...] = tuple(name for name, _ in _TABLE)


def find_method(name: str) -> Method | None:
    """The implementation of Bot API method ``name``, or None if the sandbox does not serve it."""
    return METHODS.get(name.lower())
