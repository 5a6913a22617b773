"""The driver against a tiny real PTB Application polling the sandbox: the whole loop works."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    filters,
)

from sandbox import SandboxServer, SandboxUser

Context = ContextTypes.DEFAULT_TYPE
MENU = InlineKeyboardMarkup(
    [
        [InlineKeyboardButton("Records", callback_data="records")],
        [
            InlineKeyboardButton("Help me", callback_data="help"),
            InlineKeyboardButton("Silent", callback_data="mute"),
        ],
    ]
)


async def start(update: Update, context: Context) -> None:
    assert update.message is not None and update.effective_user is not None
    name = update.effective_user.first_name
    await update.message.reply_text(f"Welcome <b>{name}</b> &amp; family", reply_markup=MENU)


async def twice(update: Update, context: Context) -> None:
    assert update.message is not None
    await update.message.reply_text("one")
    await update.message.reply_text("two")


async def bad_html(update: Update, context: Context) -> None:
    assert update.message is not None
    await update.message.reply_text("broken <br> markup")


async def on_button(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None
    if query.data == "mute":
        return  # forgets to answer: the driver must notice
    if query.data not in ("records", "help"):
        await query.answer("That button is not for you.", show_alert=True)
        return
    await query.answer()
    back = InlineKeyboardMarkup([[InlineKeyboardButton("Back", callback_data="help")]])
    await query.edit_message_text(f"You chose <i>{query.data}</i>", reply_markup=back)


@pytest.fixture
async def server() -> AsyncIterator[SandboxServer]:
    async with SandboxServer() as running:
        yield running


@pytest.fixture
async def app(server: SandboxServer) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    application = (
        ApplicationBuilder()
        .token(server.token)
        .base_url(server.bot_url)
        .base_file_url(server.file_url)
        .defaults(Defaults(parse_mode=ParseMode.HTML))
        .build()
    )
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CommandHandler("twice", twice))
    application.add_handler(CommandHandler("bad", bad_html))
    application.add_handler(CallbackQueryHandler(on_button))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, lambda u, c: _noop()))
    async with application:
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(poll_interval=0, timeout=timedelta(seconds=2))
        yield application
        await application.updater.stop()
        await application.stop()


async def _noop() -> None:
    return None


@pytest.fixture
def alice(server: SandboxServer, app: Application) -> SandboxUser:  # type: ignore[type-arg]
    return server.user(111, "Alice")


async def test_command_then_button(server: SandboxServer, alice: SandboxUser) -> None:
    reply = await alice.send("/start")
    assert reply.text == "Welcome Alice & family"
    assert reply.html == "Welcome <b>Alice</b> &amp; family"
    assert reply.buttons == ["Records", "Help me", "Silent"] == alice.buttons()

    tapped = await alice.tap("Records")
    assert tapped.text == "You chose records" and alice.last_html() == "You chose <i>records</i>"
    assert tapped.answer == {"text": "", "show_alert": False, "url": None}
    assert alice.buttons() == ["Back"]
    assert await alice.tap("Bac") and alice.last_text() == "You chose help"  # unique partial label

    history = alice.history()
    assert [m.get("text") for m in history] == ["/start", "You chose help"]  # edited in place
    kinds = [event.kind for event in alice.log()]
    assert kinds.count("answered_callback") == 2 and kinds.count("edited") == 2


async def test_replies_are_collected_until_quiet(alice: SandboxUser) -> None:
    reply = await alice.send("/twice")
    assert reply.texts == ["one", "two"]
    nothing = await alice.send("just chatting", expect_reply=False)
    assert nothing.messages == ()


async def test_failures_explain_themselves(alice: SandboxUser) -> None:
    with pytest.raises(AssertionError, match=r"did not send or edit a message") as silent:
        await alice.send("hello?", within=0.3)
    assert "user_sent" in str(silent.value)

    with pytest.raises(AssertionError, match="Unsupported start tag") as refused:
        await alice.send("/bad", within=0.3)
    assert "sendMessage" in str(refused.value)

    await alice.send("/start")
    with pytest.raises(AssertionError, match=r"answer the callback query \(answerCallbackQuery\)"):
        await alice.tap("Silent", within=0.3)
    with pytest.raises(AssertionError, match="no button matching 'Settings'"):
        await alice.tap("Settings")


async def test_forged_callback_data(alice: SandboxUser) -> None:
    await alice.send("/start")
    message_id = alice.last_message().message_id
    reply = await alice.press_raw(message_id, "case:other-family:delete")
    assert reply.answer == {"text": "That button is not for you.", "show_alert": True, "url": None}
    assert reply.messages == ()
    assert alice.last_text() == "Welcome Alice & family"
