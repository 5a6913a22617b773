"""Everything one sandbox knows: the bot, its users and chats, messages, files, updates and logs.

Nothing here speaks HTTP: the methods (``sandbox/methods_*.py``) change this state for the bot, the
inbound actions (``sandbox/inbound.py``) change it for simulated users, and the server and the driver
only read it.
"""

from __future__ import annotations

import copy
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from sandbox.errors import BLOCKED, CANT_INITIATE, CHAT_NOT_FOUND, bad_request, forbidden, migrated
from sandbox.events import ChatEvent, Signal
from sandbox.faults import FaultPlan
from sandbox.files import FileStore
from sandbox.updates import UpdateQueue

ChatType = Literal["private", "group", "supergroup"]


@dataclass(frozen=True)
class UserProfile:
    """A simulated Telegram user."""

    id: int
    first_name: str
    language_code: str = "en"
    last_name: str | None = None
    username: str | None = None

    def as_api(self) -> dict[str, Any]:
        """The Bot API ``User`` object."""
        user: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.last_name:
            user["last_name"] = self.last_name
        if self.username:
            user["username"] = self.username
        user["language_code"] = self.language_code
        return user


@dataclass
class MessageRecord:
    """A message as it is now (edits applied), plus what the Bot API object does not show."""

    message: dict[str, Any]
    from_bot: bool
    html: str = ""  # the bot's text or caption as it sent it (HTML), for tests to read
    keyboard: dict[str, Any] | None = None  # ForceReply / ReplyKeyboard* sent with it

    @property
    def message_id(self) -> int:
        return int(self.message["message_id"])

    @property
    def inline_markup(self) -> dict[str, Any] | None:
        markup = self.message.get("reply_markup")
        return dict(markup) if markup else None

    def snapshot(self) -> dict[str, Any]:
        """A deep copy of the Bot API ``Message``, safe to hand out."""
        return copy.deepcopy(self.message)


@dataclass
class Chat:
    """A private chat (its id is the user's id) or a group (negative id). A group upgraded to a
    supergroup lives on under a new id (``migrated_to``); the old one refuses every send."""

    id: int
    type: ChatType
    title: str | None = None
    user: UserProfile | None = None
    privacy_mode: bool = True
    started: bool = False  # a private chat opens when the user writes to the bot
    blocked: bool = False
    members: set[int] = field(default_factory=set)
    messages: dict[int, MessageRecord] = field(default_factory=dict)
    events: list[ChatEvent] = field(default_factory=list)
    next_message_id: int = 1
    migrated_to: int | None = None

    def as_api(self) -> dict[str, Any]:
        """The Bot API ``Chat`` object."""
        if self.type == "private" and self.user is not None:
            chat: dict[str, Any] = {"id": self.id, "first_name": self.user.first_name}
            if self.user.last_name:
                chat["last_name"] = self.user.last_name
            if self.user.username:
                chat["username"] = self.user.username
            chat["type"] = "private"
            return chat
        return {"id": self.id, "title": self.title or "", "type": self.type}


@dataclass
class CallbackQueryRecord:
    """A button press waiting for ``answerCallbackQuery``."""

    query_id: str
    chat_id: int
    message_id: int
    answered: bool = False
    answer: dict[str, Any] | None = None


@dataclass(frozen=True)
class ApiCall:
    """One Bot API call the bot made, and how it ended."""

    method: str
    params: dict[str, Any]
    error: str | None = None


def bot_id_from_token(token: str) -> int:
    """The bot's user id: the number before the colon of its token."""
    head, sep, tail = token.partition(":")
    if not (sep and head.isdigit() and tail):
        raise ValueError("a bot token looks like '123456:secret'")
    return int(head)


class SandboxState:
    """The whole simulated Telegram of one sandbox, for one bot."""

    def __init__(self, token: str, bot_username: str, bot_name: str, clock: Callable[[], float]) -> None:
        self.token = token
        self.bot_user: dict[str, Any] = {
            "id": bot_id_from_token(token),
            "is_bot": True,
            "first_name": bot_name,
            "username": bot_username,
        }
        self.clock = clock
        self.updates = UpdateQueue()
        self.files = FileStore()
        self.faults = FaultPlan()
        self.signal = Signal()  # fires on every chat event
        self.users: dict[int, UserProfile] = {}
        self.chats: dict[int, Chat] = {}
        self.callbacks: dict[str, CallbackQueryRecord] = {}
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.descriptions: dict[tuple[str, str], str] = {}  # (kind, language_code) -> text
        self.calls: deque[ApiCall] = deque(maxlen=10_000)
        self._seq = 0

    @property
    def bot_id(self) -> int:
        return int(self.bot_user["id"])

    @property
    def bot_username(self) -> str:
        return str(self.bot_user["username"])

    def now(self) -> int:
        """The current date in unix seconds, from the injectable clock."""
        return int(self.clock())

    def next_seq(self) -> int:
        self._seq += 1
        return self._seq

    # Users and chats

    def add_user(self, profile: UserProfile) -> Chat:
        """Register a user and their private chat with the bot (idempotent for the same id)."""
        self.users[profile.id] = profile
        chat = self.chats.get(profile.id)
        if chat is None:
            chat = Chat(id=profile.id, type="private", user=profile, members={profile.id})
            self.chats[profile.id] = chat
        chat.user = profile
        return chat

    def add_group(self, chat_id: int, title: str, privacy_mode: bool = True) -> Chat:
        """A group the bot is a member of; group ids are negative as on Telegram."""
        if chat_id >= 0:
            raise ValueError("group chat ids are negative")
        if chat_id in self.chats:
            return self.chats[chat_id]
        chat = Chat(id=chat_id, type="group", title=title, privacy_mode=privacy_mode, started=True)
        self.chats[chat_id] = chat
        return chat

    def chat(self, chat_id: int) -> Chat:
        """The chat, or Telegram's "chat not found"."""
        chat = self.chats.get(chat_id)
        if chat is None:
            raise bad_request(CHAT_NOT_FOUND)
        return chat

    def chat_for_bot(self, chat_id: int) -> Chat:
        """A chat the bot may send to: refuses unknown chats, unopened and blocked private chats, and
        groups that became supergroups (naming the new id, as Telegram does)."""
        chat = self.chat(chat_id)
        if chat.migrated_to is not None:
            raise migrated(chat.migrated_to)
        if chat.type == "private" and chat.blocked:
            raise forbidden(BLOCKED)
        if chat.type == "private" and not chat.started:
            raise forbidden(CANT_INITIATE)
        return chat

    # Messages and events

    def new_message(
        self, chat: Chat, sender: dict[str, Any], body: dict[str, Any], *, from_bot: bool, html: str = ""
    ) -> MessageRecord:
        """Store a new message in ``chat`` with the next id and the current date."""
        message = {"message_id": chat.next_message_id, "from": dict(sender), "chat": chat.as_api()}
        message["date"] = self.now()
        message.update(body)
        chat.next_message_id += 1
        record = MessageRecord(message=message, from_bot=from_bot, html=html)
        chat.messages[record.message_id] = record
        return record

    def record(self, chat: Chat, kind: str, message_id: int | None = None, **detail: Any) -> ChatEvent:
        """Append an event to the chat's log and wake whoever waits for one."""
        event = ChatEvent(
            seq=self.next_seq(),
            kind=kind,
            chat_id=chat.id,
            message_id=message_id,
            detail=detail,
            at=time.monotonic(),
        )
        chat.events.append(event)
        self.signal.fire()
        return event
