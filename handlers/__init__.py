"""The Telegram edge: every handler the bot has is registered here, in the order PTB tries them."""

from __future__ import annotations

from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from handlers import buttons, commands, errors, messages

# New messages only: an edited message is not a new answer to a question.
PRIVATE = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler("start", commands.on_start, filters=PRIVATE))
    app.add_handler(CommandHandler("cancel", commands.on_cancel, filters=PRIVATE))
    app.add_handler(CommandHandler("appointment", commands.on_appointment, filters=PRIVATE))
    for name, build in commands.SCREENS.items():
        app.add_handler(CommandHandler(name, commands.screen_command(build), filters=PRIVATE))
    app.add_handler(CallbackQueryHandler(buttons.on_button))
    app.add_handler(MessageHandler(PRIVATE & filters.COMMAND, commands.on_unknown_command))
    app.add_handler(MessageHandler(PRIVATE & filters.TEXT, messages.on_text))
    app.add_handler(MessageHandler(PRIVATE & (filters.PHOTO | filters.Document.ALL), messages.on_file))
    app.add_handler(MessageHandler(PRIVATE & filters.LOCATION, messages.on_location))
    app.add_handler(MessageHandler(PRIVATE, messages.on_other))
    app.add_handler(
        MessageHandler(
            filters.ChatType.GROUPS & filters.UpdateType.MESSAGE & filters.COMMAND, commands.on_group
        )
    )
    app.add_error_handler(errors.on_error)
