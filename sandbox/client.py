"""A driver that plays a Telegram user against the bot, for tests (and later the web chat).

::

    alice = sandbox.user(111, "Alice")
    reply = await alice.send("/start")      # returns once the bot has answered and gone quiet
    assert "Welcome" in reply.text
    await alice.tap("Records")              # presses a button on the latest message with buttons
    assert alice.buttons() == ["Back"]

Every action says what it expects: by default a reply (a message sent or edited, or a file); with
``expect_reply=False`` only a quiet period. A press also expects ``answerCallbackQuery``. If the bot
does not do what is expected in time, the action fails with an ``AssertionError`` listing the chat log.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from sandbox import events, inbound
from sandbox.events import ChatEvent
from sandbox.markup import button_labels
from sandbox.state import CallbackQueryRecord, Chat, MessageRecord, SandboxState, UserProfile

_LOG_LINES = 30


@dataclass(frozen=True)
class BotMessage:
    """A bot message as it is now: plain text (or caption), the HTML it was sent as, its buttons."""

    message_id: int
    text: str
    html: str
    buttons: tuple[str, ...]
    raw: dict[str, Any]

    @classmethod
    def of(cls, record: MessageRecord) -> BotMessage:
        message = record.snapshot()
        text = str(message.get("text", message.get("caption", "")))
        return cls(record.message_id, text, record.html, tuple(button_labels(record.inline_markup)), message)


@dataclass(frozen=True)
class ReceivedFile:
    """A file the bot sent into the chat."""

    message_id: int
    file_id: str
    file_name: str | None
    data: bytes


@dataclass(frozen=True)
class Reply:
    """What the bot did in answer to one action."""

    messages: tuple[BotMessage, ...]  # sent or edited, current state, in order of first change
    events: tuple[ChatEvent, ...]  # everything logged in the chat since the action, the action included
    answer: dict[str, Any] | None = None  # the answerCallbackQuery of a press

    @property
    def text(self) -> str:
        """Plain text of the last message sent or edited ("" if none)."""
        return self.messages[-1].text if self.messages else ""

    @property
    def texts(self) -> list[str]:
        return [message.text for message in self.messages]

    @property
    def html(self) -> str:
        return self.messages[-1].html if self.messages else ""

    @property
    def buttons(self) -> list[str]:
        """Labels of the last message of the reply that has buttons."""
        for message in reversed(self.messages):
            if message.buttons:
                return list(message.buttons)
        return []

    @property
    def refusals(self) -> list[str]:
        """Bot API calls the sandbox refused meanwhile (``"sendMessage: Bad Request: ..."``)."""
        return [str(e.detail.get("summary")) for e in self.events if e.kind == events.REFUSED]


class SandboxUser:
    """One simulated user, acting in one chat (their private chat unless :meth:`in_group` is used)."""

    def __init__(
        self,
        state: SandboxState,
        profile: UserProfile,
        chat_id: int,
        *,
        reply_timeout: float = 5.0,
        quiet_period: float = 0.15,
    ) -> None:
        self._state = state
        self.profile = profile
        self.chat_id = chat_id
        self.reply_timeout = reply_timeout
        self.quiet_period = quiet_period

    @property
    def id(self) -> int:
        return self.profile.id

    @property
    def chat(self) -> Chat:
        """The chat this user acts in."""
        chat = self._state.chats.get(self.chat_id)
        if chat is None:
            raise AssertionError(f"chat {self.chat_id} does not exist in the sandbox")
        return chat

    def in_group(self, chat_id: int) -> SandboxUser:
        """The same user acting in group ``chat_id`` (create it with ``server.group``)."""
        if self._state.chats.get(chat_id) is None or self._state.chats[chat_id].type == "private":
            raise AssertionError(f"there is no group {chat_id}; create it with server.group()")
        return SandboxUser(
            self._state,
            self.profile,
            chat_id,
            reply_timeout=self.reply_timeout,
            quiet_period=self.quiet_period,
        )

    # Actions

    async def send(
        self,
        text: str,
        *,
        expect_reply: bool = True,
        reply_to: int | None = None,
        within: float | None = None,
    ) -> Reply:
        """Type ``text`` (``reply_to``: a message id, e.g. for ForceReply) and wait for the bot."""
        since = self._state.next_seq()
        inbound.send_text(self._state, self.profile, self.chat, text, reply_to)
        return await self._settle(since, f"sent {text!r}", expect_reply=expect_reply, within=within)

    async def send_document(
        self,
        file_name: str,
        data: bytes,
        mime_type: str = "application/octet-stream",
        *,
        caption: str | None = None,
        expect_reply: bool = True,
        within: float | None = None,
    ) -> Reply:
        """Send a file as a document and wait for the bot."""
        since = self._state.next_seq()
        inbound.send_document(self._state, self.profile, self.chat, file_name, data, mime_type, caption)
        return await self._settle(
            since, f"sent document {file_name!r}", expect_reply=expect_reply, within=within
        )

    async def send_photo(
        self,
        data: bytes = b"\xff\xd8\xff\xe0sandbox-photo",
        *,
        width: int = 1280,
        height: int = 960,
        caption: str | None = None,
        expect_reply: bool = True,
        within: float | None = None,
    ) -> Reply:
        """Send a photo and wait for the bot."""
        since = self._state.next_seq()
        inbound.send_photo(self._state, self.profile, self.chat, data, (width, height), caption)
        return await self._settle(since, "sent a photo", expect_reply=expect_reply, within=within)

    async def send_voice(
        self,
        data: bytes = b"OggS sandbox-voice",
        *,
        duration: int = 4,
        reply_to: int | None = None,
        expect_reply: bool = True,
        within: float | None = None,
    ) -> Reply:
        """Send a voice note (``reply_to``: a message id, e.g. for ForceReply) and wait for the bot."""
        since = self._state.next_seq()
        inbound.send_voice(self._state, self.profile, self.chat, data, duration, reply_to)
        return await self._settle(since, "sent a voice note", expect_reply=expect_reply, within=within)

    async def send_location(
        self, latitude: float, longitude: float, *, expect_reply: bool = True, within: float | None = None
    ) -> Reply:
        """Share a location and wait for the bot."""
        since = self._state.next_seq()
        inbound.send_location(self._state, self.profile, self.chat, latitude, longitude)
        return await self._settle(since, "shared a location", expect_reply=expect_reply, within=within)

    async def tap(
        self,
        label: str,
        *,
        message_id: int | None = None,
        expect_reply: bool = True,
        within: float | None = None,
    ) -> Reply:
        """Press the button labelled ``label`` (exactly, or else the one label containing it) on the
        latest bot message with buttons (or on ``message_id``); waits for the answer and a reply."""
        record = self._keyboard_record() if message_id is None else self.chat.messages.get(message_id)
        if record is None:
            raise AssertionError(f"there is no message {message_id} in chat {self.chat_id}")
        data = inbound.find_button(record, label)
        return await self._press(record.message_id, data, f"tapped {label!r}", True, expect_reply, within)

    async def press_raw(
        self,
        message_id: int,
        data: str,
        *,
        expect_answer: bool = True,
        expect_reply: bool = False,
        within: float | None = None,
    ) -> Reply:
        """Press a button carrying any ``data`` on ``message_id``, as a forged client could."""
        action = f"pressed raw data {data!r} on message {message_id}"
        return await self._press(message_id, data, action, expect_answer, expect_reply, within)

    def send_nowait(self, text: str, reply_to: int | None = None) -> dict[str, Any]:
        """Type ``text`` without waiting for the bot; returns the user's message (Bot API dict)."""
        return inbound.send_text(self._state, self.profile, self.chat, text, reply_to).snapshot()

    def press_nowait(self, message_id: int, data: str) -> str:
        """Press a button carrying ``data`` without waiting; returns the callback query id."""
        return inbound.press(self._state, self.profile, self.chat, message_id, data).query_id

    async def wait_for_reply(self, within: float | None = None) -> Reply:
        """Wait for the bot to do something in this chat on its own (a reminder, say)."""
        since = self._state.next_seq()
        return await self._settle(since, "waited", expect_reply=True, within=within)

    def upgrade_group(self, new_id: int, *, tell_bot: bool = True) -> SandboxUser:
        """Make the group this user acts in a supergroup with id ``new_id``; the same user acting there."""
        inbound.upgrade_group(self._state, self.profile, self.chat, new_id, tell_bot=tell_bot)
        return self.in_group(new_id)

    def block_bot(self) -> None:
        """Block the bot: its sends to this user now fail with 403 Forbidden."""
        inbound.set_blocked(self._state, self.profile, self._state.chat(self.profile.id), True)

    def unblock_bot(self) -> None:
        inbound.set_blocked(self._state, self.profile, self._state.chat(self.profile.id), False)

    # Reading

    def history(self) -> list[dict[str, Any]]:
        """The chat as Bot API messages (user's and bot's), edits applied, deleted ones gone."""
        return [record.snapshot() for record in self.chat.messages.values()]

    def log(self) -> list[ChatEvent]:
        """Every event of the chat, oldest first."""
        return list(self.chat.events)

    def bot_messages(self) -> list[BotMessage]:
        return [BotMessage.of(record) for record in self.chat.messages.values() if record.from_bot]

    def last_message(self) -> BotMessage:
        """The latest bot message still in the chat."""
        for record in reversed(self.chat.messages.values()):
            if record.from_bot:
                return BotMessage.of(record)
        raise AssertionError(f"the bot has not sent anything in chat {self.chat_id}\n{self.describe_log()}")

    def last_text(self) -> str:
        """Plain text (tags removed) of the latest bot message, or its caption."""
        return self.last_message().text

    def last_html(self) -> str:
        """The latest bot message as the bot sent it (HTML)."""
        return self.last_message().html

    def buttons(self) -> list[str]:
        """Labels of the latest bot message with an inline keyboard, rows flattened ([] if none)."""
        record = self._keyboard_record(required=False)
        return button_labels(record.inline_markup) if record is not None else []

    def documents(self) -> list[ReceivedFile]:
        """Files the bot sent into this chat, oldest first."""
        received = []
        for event in self.chat.events:
            if event.kind in (events.SENT_DOCUMENT, events.SENT_PHOTO) and event.message_id is not None:
                stored = self._state.files.get(str(event.detail["file_id"]))
                if stored is not None:
                    received.append(
                        ReceivedFile(event.message_id, stored.file_id, stored.file_name, stored.content)
                    )
        return received

    def describe_log(self, since: int = 0) -> str:
        """The chat log as text for failure messages (newest last; ``*`` marks events after ``since``)."""
        chat_events = self.chat.events[-_LOG_LINES:]
        lines = [f"  {'*' if e.seq > since else ' '} {e.describe()}" for e in chat_events]
        return f"chat {self.chat_id} log (last {len(lines)}):\n" + ("\n".join(lines) or "  (empty)")

    # Waiting

    def _keyboard_record(self, required: bool = True) -> MessageRecord | None:
        for record in reversed(self.chat.messages.values()):
            if record.from_bot and record.inline_markup:
                return record
        if required:
            raise AssertionError(f"no bot message with buttons in chat {self.chat_id}\n{self.describe_log()}")
        return None

    async def _press(
        self,
        message_id: int,
        data: str,
        action: str,
        expect_answer: bool,
        expect_reply: bool,
        within: float | None,
    ) -> Reply:
        since = self._state.next_seq()
        query = inbound.press(self._state, self.profile, self.chat, message_id, data)
        return await self._settle(
            since,
            action,
            expect_reply=expect_reply,
            query=query,
            expect_answer=expect_answer,
            within=within,
        )

    def _since(self, since: int) -> list[ChatEvent]:
        found = []
        for event in reversed(self.chat.events):
            if event.seq <= since:
                break
            found.append(event)
        return found[::-1]

    def _missing(self, since: int, expect_reply: bool, query: CallbackQueryRecord | None) -> list[str]:
        recent = self._since(since)
        missing = []
        if expect_reply and not any(e.kind in events.RESPONSE_KINDS for e in recent):
            missing.append("send or edit a message")
        if query is not None and not query.answered:
            missing.append("answer the callback query (answerCallbackQuery)")
        return missing

    async def _settle(
        self,
        since: int,
        action: str,
        *,
        expect_reply: bool,
        query: CallbackQueryRecord | None = None,
        expect_answer: bool = True,
        within: float | None = None,
    ) -> Reply:
        """Wait until what is expected happened, then for a quiet period; collect what the bot did."""
        limit = self.reply_timeout if within is None else within
        started = time.monotonic()
        deadline = started + limit
        awaited_query = query if expect_answer else None
        while missing := self._missing(since, expect_reply, awaited_query):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(
                    f"{self.profile.first_name} {action}, but within {limit:g} s the bot did not "
                    f"{' and '.join(missing)}.\n{self.describe_log(since)}"
                )
            await self._state.signal.wait(remaining)
        while True:  # quiet period: no bot activity in this chat for `quiet_period` seconds
            bot_times = [e.at for e in self._since(since) if e.kind in events.BOT_KINDS]
            now = time.monotonic()
            quiet_left = max(bot_times, default=started) + self.quiet_period - now
            if quiet_left <= 0 or now >= deadline + self.quiet_period:
                break
            await self._state.signal.wait(quiet_left)
        return self._collect(since, query)

    def _collect(self, since: int, query: CallbackQueryRecord | None) -> Reply:
        recent = self._since(since)
        touched: list[int] = []
        for event in recent:
            if event.kind in events.RESPONSE_KINDS and event.message_id not in touched and event.message_id:
                touched.append(event.message_id)
        messages = [self.chat.messages[i] for i in touched if i in self.chat.messages]
        answer = dict(query.answer) if query is not None and query.answer is not None else None
        return Reply(tuple(BotMessage.of(record) for record in messages), tuple(recent), answer)
