"""The sandbox server against PTB's own ``telegram.Bot``: PTB accepts every shape, raises every refusal."""

from __future__ import annotations

import asyncio
import struct
import time
import zlib
from collections.abc import AsyncIterator
from datetime import timedelta

import aiohttp
import pytest
from telegram import Bot as PtbBot
from telegram import BotCommand, ForceReply, InlineKeyboardButton, InlineKeyboardMarkup, ReplyParameters
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
)

from sandbox import SandboxServer, SandboxUser, events
from sandbox import errors as tg

NOW = 1_800_000_000.0
ALICE = 111


@pytest.fixture
async def server() -> AsyncIterator[SandboxServer]:
    async with SandboxServer(clock=lambda: NOW) as running:
        yield running


@pytest.fixture
async def bot(server: SandboxServer) -> AsyncIterator[PtbBot]:
    async with PtbBot(server.token, base_url=server.bot_url, base_file_url=server.file_url) as ptb_bot:
        yield ptb_bot


@pytest.fixture
def alice(server: SandboxServer) -> SandboxUser:
    user = server.user(ALICE, "Alice")
    user.send_nowait("/start")  # opens the private chat, as a real user must before the bot can write
    return user


def keyboard(*labels: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=label.lower())] for label in labels]
    )


def as_ptb_says(description: str) -> str:
    """PTB drops the "Bad Request: " prefix and capitalises what is left."""
    return description.removeprefix("Bad Request: ").capitalize()


def png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height)))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


async def test_get_me_and_tokens(server: SandboxServer, bot: PtbBot) -> None:
    me = await bot.get_me()
    assert (me.id, me.username, me.is_bot) == (123456, "SecondOpinionSandboxBot", True)
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("noSuchMethod")
    with pytest.raises(InvalidToken, match="Unauthorized"):
        await PtbBot("999:wrong", base_url=server.bot_url).get_me()


async def test_raw_http_shapes(server: SandboxServer) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{server.url}/bot1:bad/getMe") as response:
            assert response.status == 401
            assert await response.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}
        async with http.post(f"{server.bot_url}{server.token}/nope", json={}) as response:
            assert response.status == 404
            assert await response.json() == {"ok": False, "error_code": 404, "description": "Not Found"}
        async with http.get(f"{server.bot_url}{server.token}/GETME") as response:
            assert (await response.json())["result"]["username"] == "SecondOpinionSandboxBot"
        server.user(5, "Eve").send_nowait("hi")
        body = {"chat_id": 5, "text": "<b>x</b>", "parse_mode": "HTML", "reply_markup": {"force_reply": True}}
        async with http.post(f"{server.bot_url}{server.token}/sendMessage", json=body) as response:
            result = (await response.json())["result"]
    assert result["entities"] == [{"type": "bold", "offset": 0, "length": 1}]
    assert "reply_markup" not in result  # Telegram echoes only inline keyboards
    assert result["date"] == int(NOW)


async def test_send_with_keyboard_then_edit(server: SandboxServer, bot: PtbBot, alice: SandboxUser) -> None:
    sent = await bot.send_message(
        ALICE, "<b>Hello</b>, Alice", parse_mode=ParseMode.HTML, reply_markup=keyboard("Yes")
    )
    assert sent.message_id == 2  # the user's /start is message 1
    assert sent.text == "Hello, Alice"
    assert sent.text_html == "<b>Hello</b>, Alice"
    assert sent.reply_markup == keyboard("Yes")
    assert alice.buttons() == ["Yes"] and alice.last_html() == "<b>Hello</b>, Alice"

    edited = await bot.edit_message_text("Bye", ALICE, sent.message_id, reply_markup=keyboard("No"))
    assert isinstance(edited, type(sent)) and edited.text == "Bye" and edited.edit_date is not None
    assert [m["text"] for m in server.history(ALICE)] == ["/start", "Bye"]
    with pytest.raises(BadRequest) as same:
        await bot.edit_message_text("Bye", ALICE, sent.message_id, reply_markup=keyboard("No"))
    assert same.value.message == as_ptb_says(tg.NOT_MODIFIED)
    await bot.edit_message_text("Bye", ALICE, sent.message_id)  # no markup: the keyboard goes
    assert alice.buttons() == []
    await bot.edit_message_reply_markup(ALICE, sent.message_id, reply_markup=keyboard("Again"))
    assert alice.buttons() == ["Again"]
    kinds = [event.kind for event in server.events(ALICE)]
    assert kinds == ["user_sent", "sent", "edited", "refused", "edited", "edited"]


async def test_refusals(bot: PtbBot, alice: SandboxUser) -> None:
    refusals = {
        "Line<br>two": 'Can\'t parse entities: unsupported start tag "br" at byte offset 4',
        "<b>open": "Can't parse entities: can't find end tag corresponding to start tag \"b\"",
        "x" * 4097: "Message is too long",
        " ": "Message text is empty",
    }
    for text, message in refusals.items():
        with pytest.raises(BadRequest) as refused:
            await bot.send_message(ALICE, text, parse_mode=ParseMode.HTML)
        assert refused.value.message == message  # PTB capitalises the first letter
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        await bot.send_message(ALICE, "x", reply_markup=keyboard("x" * 65))
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(424242, "x")
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("x", ALICE, 99)
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await bot.delete_message(ALICE, 99)
    with pytest.raises(BadRequest, match="Message caption is too long"):
        await bot.send_document(ALICE, b"x", filename="a.txt", caption="c" * 1025)
    with pytest.raises(BadRequest, match="Message to be replied not found"):
        await bot.send_message(ALICE, "x", reply_parameters=ReplyParameters(77))
    sent = await bot.send_message(ALICE, "x" * 4096, reply_parameters=ReplyParameters(1))
    assert sent.reply_to_message is not None and sent.reply_to_message.text == "/start"
    assert len(alice.bot_messages()) == 1  # nothing refused was stored
    assert sum(event.kind == "refused" for event in alice.log()) == 9


async def test_private_chat_must_be_opened_and_blocking_forbids(server: SandboxServer, bot: PtbBot) -> None:
    bob = server.user(222, "Bob")
    with pytest.raises(Forbidden, match="bot can't initiate conversation with a user"):
        await bot.send_message(222, "hello")
    bob.send_nowait("hi")
    await bot.send_message(222, "hello")
    bob.block_bot()
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(222, "hello")
    updates = await bot.get_updates()
    assert updates[-1].my_chat_member is not None
    assert updates[-1].my_chat_member.new_chat_member.status == "kicked"


async def test_long_polling(server: SandboxServer, bot: PtbBot, alice: SandboxUser) -> None:
    first = await bot.get_updates(timeout=5)
    assert first[0].message is not None and first[0].message.text == "/start"
    entity = first[0].message.entities[0]
    assert (entity.type, entity.offset, entity.length) == ("bot_command", 0, 6)

    started = time.monotonic()
    assert await bot.get_updates(offset=first[-1].update_id + 1, timeout=timedelta(milliseconds=300)) == ()
    assert time.monotonic() - started >= 0.25  # it really waited: nothing was pending

    poll = asyncio.create_task(bot.get_updates(offset=first[-1].update_id + 1, timeout=5))
    await asyncio.sleep(0.05)
    started = time.monotonic()
    alice.send_nowait("/start@SecondOpinionSandboxBot deep-link")
    arrived = await poll
    assert time.monotonic() - started < 1.0  # returned as soon as the update arrived
    assert arrived[0].message is not None and str(arrived[0].message.text).startswith("/start@")
    assert arrived[0].update_id == first[-1].update_id + 1

    alice.send_nowait("two")
    alice.send_nowait("three")
    assert (await bot.get_webhook_info()).pending_update_count == 3  # confirmed only by a higher offset
    assert len(await bot.get_updates(offset=arrived[-1].update_id + 1, limit=1)) == 1
    assert (await bot.get_webhook_info()).pending_update_count == 2
    await bot.delete_webhook(drop_pending_updates=True)
    assert await bot.get_updates() == ()


async def test_a_newer_poll_ends_an_older_one(server: SandboxServer, bot: PtbBot) -> None:
    older = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.05)
    async with PtbBot(server.token, base_url=server.bot_url) as second_instance:
        assert await second_instance.get_updates(timeout=0) == ()
    with pytest.raises(Conflict, match="terminated by other getUpdates request"):
        await older


async def test_callback_query_round_trip(bot: PtbBot, alice: SandboxUser) -> None:
    sent = await bot.send_message(ALICE, "Pick", reply_markup=keyboard("Records"))
    query_id = alice.press_nowait(sent.message_id, "records")
    updates = await bot.get_updates(timeout=1)
    query = updates[-1].callback_query
    assert query is not None and query.id == query_id and query.data == "records"
    assert query.message is not None and query.message.message_id == sent.message_id
    assert query.from_user.first_name == "Alice" and query.chat_instance
    assert await bot.answer_callback_query(query.id, text="Done")
    with pytest.raises(BadRequest) as too_old:
        await bot.answer_callback_query(query.id)
    assert too_old.value.message == as_ptb_says(tg.QUERY_TOO_OLD)
    assert [e.kind for e in alice.log()][-2:] == ["answered_callback", "refused"]


async def test_documents_both_ways(server: SandboxServer, bot: PtbBot, alice: SandboxUser) -> None:
    sent = await bot.send_document(
        ALICE,
        b"%PDF-1.4 summary",
        filename="summary.pdf",
        caption="<i>Your</i> file",
        parse_mode=ParseMode.HTML,
    )
    assert sent.document is not None and sent.document.file_name == "summary.pdf"
    assert sent.document.mime_type == "application/pdf" and sent.caption == "Your file"
    assert server.file_bytes(sent.document.file_id) == b"%PDF-1.4 summary"
    assert [(f.file_name, f.data) for f in alice.documents()] == [("summary.pdf", b"%PDF-1.4 summary")]
    again = await bot.send_document(ALICE, sent.document.file_id)
    assert again.document is not None and again.document.file_unique_id == sent.document.file_unique_id

    reply = await alice.send_document("scan.pdf", b"patient scan", "application/pdf", expect_reply=False)
    assert reply.messages == ()
    updates = await bot.get_updates()
    document = updates[-1].message.document if updates[-1].message else None
    assert document is not None and document.file_name == "scan.pdf" and document.file_size == 12
    telegram_file = await document.get_file()
    assert bytes(await telegram_file.download_as_bytearray()) == b"patient scan"
    with pytest.raises(BadRequest, match="Invalid file_id"):
        await bot.get_file("nope")


async def test_photos_both_ways(bot: PtbBot, alice: SandboxUser) -> None:
    sent = await bot.send_photo(ALICE, png(3, 2))
    assert [(size.width, size.height) for size in sent.photo] == [(3, 2)]
    with pytest.raises(BadRequest, match="Image_process_failed"):
        await bot.send_photo(ALICE, b"not an image")
    alice.send_nowait("next")  # keep update order simple
    await alice.send_photo(b"jpeg bytes", width=640, height=480, caption="my scan", expect_reply=False)
    updates = await bot.get_updates()
    photo = updates[-1].message.photo if updates[-1].message else ()
    assert photo[-1].width == 640
    downloaded = await (await photo[-1].get_file()).download_as_bytearray()
    assert bytes(downloaded) == b"jpeg bytes"


async def test_force_reply_and_chat_action(bot: PtbBot, alice: SandboxUser) -> None:
    prompt = await bot.send_message(ALICE, "Which hospital?", reply_markup=ForceReply())
    assert await bot.send_chat_action(ALICE, "typing")
    answer = alice.send_nowait("St Mary's", reply_to=prompt.message_id)
    assert answer["reply_to_message"]["message_id"] == prompt.message_id


TELEGRAMS_CHAT_ACTIONS = (
    "typing",
    "upload_photo",
    "record_video",
    "upload_video",
    "record_voice",
    "upload_voice",
    "upload_document",
    "choose_sticker",
    "find_location",
    "record_video_note",
    "upload_video_note",
)


async def test_chat_actions_are_checked_and_recorded_as_on_telegram(
    server: SandboxServer, bot: PtbBot, alice: SandboxUser
) -> None:
    for action in TELEGRAMS_CHAT_ACTIONS:
        assert await bot.send_chat_action(ALICE, action)
    server.group(-100, "Family")
    assert await bot.send_chat_action(-100, "typing")
    shown = [e.detail["action"] for e in alice.log() if e.kind == events.CHAT_ACTION]
    assert shown == list(TELEGRAMS_CHAT_ACTIONS)
    assert [e.detail["action"] for e in server.events(-100)] == ["typing"]

    async with aiohttp.ClientSession() as http:
        for body in ({"chat_id": ALICE, "action": "dancing"}, {"chat_id": ALICE, "action": "TYPING"}):
            async with http.post(f"{server.bot_url}{server.token}/sendChatAction", json=body) as response:
                assert response.status == 400
                assert (await response.json())["description"] == tg.WRONG_ACTION
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_chat_action(424242, "typing")
    server.user(222, "Bob")  # has never written to the bot
    with pytest.raises(Forbidden, match="bot can't initiate conversation with a user"):
        await bot.send_chat_action(222, "typing")
    assert [e.kind for e in alice.log()].count(events.CHAT_ACTION) == len(TELEGRAMS_CHAT_ACTIONS)


async def test_commands_and_descriptions(server: SandboxServer, bot: PtbBot) -> None:
    await bot.set_my_commands([BotCommand("start", "Begin"), BotCommand("help", "Help")])
    await bot.set_my_description("Helps you prepare a second opinion.")
    await bot.set_my_short_description("Second opinion helper")
    assert [c.command for c in await bot.get_my_commands()] == ["start", "help"]
    assert server.commands() == [
        {"command": "start", "description": "Begin"},
        {"command": "help", "description": "Help"},
    ]
    assert server.description() == "Helps you prepare a second opinion."
    assert server.short_description() == "Second opinion helper"
    with pytest.raises(BadRequest, match="Bot_command_invalid"):
        await bot.set_my_commands([BotCommand("Bad Name", "x")])
    await bot.delete_my_commands()
    assert server.commands() == []


@pytest.mark.filterwarnings("ignore:.*retry_after.*")  # PTB's own str(RetryAfter) warns in 22.x
async def test_fail_next(server: SandboxServer, bot: PtbBot, alice: SandboxUser) -> None:
    server.fail_next("sendMessage", 429, "Too Many Requests: retry after 3", retry_after=3)
    with pytest.raises(RetryAfter) as limited:
        await bot.send_message(ALICE, "x")
    assert "Retry in 3 seconds" in str(limited.value)
    server.fail_next("sendMessage", 502, "Bad Gateway", times=2)
    for _ in range(2):
        with pytest.raises(NetworkError, match="Bad Gateway"):
            await bot.send_message(ALICE, "x")
    await bot.send_message(ALICE, "finally")
    assert [m.text for m in alice.bot_messages()] == ["finally"]


async def test_group_privacy_mode(server: SandboxServer, bot: PtbBot) -> None:
    family = server.group(-100, "Family")
    carol = server.user(333, "Carol").in_group(family)
    carol.send_nowait("chatting among ourselves")
    carol.send_nowait("/menu")
    carol.send_nowait("/menu@OtherBot")
    updates = await bot.get_updates()
    assert [u.message.text for u in updates if u.message] == ["/menu"]
    sent = await bot.send_message(family, "Group menu")
    assert sent.chat.type == "group" and sent.chat.title == "Family"
    carol.send_nowait("Mayo Clinic", reply_to=sent.message_id)
    updates = await bot.get_updates(offset=updates[-1].update_id + 1)
    assert [u.message.text for u in updates if u.message] == ["Mayo Clinic"]


async def test_a_group_upgraded_to_a_supergroup(server: SandboxServer, bot: PtbBot) -> None:
    family = server.group(-100, "Family")
    carol = server.user(333, "Carol").in_group(family)
    carol_super = carol.upgrade_group(-1000000000100)
    updates = await bot.get_updates()
    messages = [u.message for u in updates if u.message is not None]
    moves = [(m.chat.id, m.migrate_to_chat_id, m.migrate_from_chat_id) for m in messages]
    assert moves == [(-100, -1000000000100, None), (-1000000000100, None, -100)]
    with pytest.raises(ChatMigrated) as moved:
        await bot.send_message(family, "News")
    assert moved.value.new_chat_id == -1000000000100
    sent = await bot.send_message(-1000000000100, "News")
    assert sent.chat.type == "supergroup" and carol_super.last_text() == "News"
    with pytest.raises(AssertionError):
        carol.upgrade_group(-1000000000200)  # only once
