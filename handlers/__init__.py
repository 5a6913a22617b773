"""The Telegram edge: every handler the bot has is registered here, in the order PTB tries them.

The edge is grouped by feature (`menu/`, `onboarding/`, `specialist/`, `records/`, `insurance/`,
`questions/`, `visit/`, `reminders/`, `settings/`, `sharing/`, and `prompts/` for typed answers), each with
its screens, the taps its buttons carry and their routes; `plumbing/` holds what every feature uses (the button dispatcher
and its callback codec, the turn, replies, lanes, the rate limiter, the Telegram sender, errors).
"""

from __future__ import annotations

from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from handlers import commands, routes
from handlers.plumbing import dispatch, errors
from handlers.prompts import typed
from handlers.rights import screens as rights
from handlers.sharing import group

# New messages only: an edited message is not a new answer to a question.
PRIVATE = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
GROUP = filters.ChatType.GROUPS & filters.UpdateType.MESSAGE
# Personal matters stay in the private chat: an invite link posted in a group could be used by anyone.
PRIVATE_ONLY = ("share", "cases", "settings", "summary", "export", "delete")


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler("start", commands.on_start, filters=PRIVATE))
    app.add_handler(CommandHandler("start", group.on_group_start, filters=GROUP))
    app.add_handler(CommandHandler("stop", group.on_group_stop, filters=GROUP))
    app.add_handler(CommandHandler(list(PRIVATE_ONLY), group.on_private_only, filters=GROUP))
    app.add_handler(CommandHandler("export", rights.on_export, filters=PRIVATE))
    app.add_handler(CommandHandler("delete", commands.on_delete, filters=PRIVATE))
    either = PRIVATE | GROUP
    app.add_handler(CommandHandler("privacy", rights.on_privacy, filters=either))
    app.add_handler(CommandHandler("cancel", commands.on_cancel, filters=either))
    app.add_handler(CommandHandler("appointment", commands.on_appointment, filters=either))
    for name, build in commands.SCREENS.items():
        app.add_handler(CommandHandler(name, commands.screen_command(build), filters=either))
    app.add_handler(CallbackQueryHandler(dispatch.buttons(routes.ALL)))
    app.add_handler(ChatMemberHandler(group.on_bot_membership, ChatMemberHandler.MY_CHAT_MEMBER))
    # A group upgraded to a supergroup gets a new id: before the group's other messages, which ignore it.
    app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, group.on_migrate))
    app.add_handler(MessageHandler(PRIVATE & filters.COMMAND, commands.on_unknown_command))
    app.add_handler(MessageHandler(PRIVATE & filters.TEXT, typed.on_text))
    app.add_handler(MessageHandler(PRIVATE & (filters.PHOTO | filters.Document.ALL), typed.on_file))
    app.add_handler(MessageHandler(PRIVATE & filters.LOCATION, typed.on_location))
    app.add_handler(MessageHandler(PRIVATE & filters.VOICE, typed.on_voice))
    app.add_handler(MessageHandler(PRIVATE, typed.on_other))
    app.add_handler(MessageHandler(GROUP & ~filters.COMMAND, group.on_group_message))
    app.add_error_handler(errors.on_error)
