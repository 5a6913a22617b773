"""What simulated users do: write, send files, press buttons, block the bot. Each action stores the
user's message in the chat, logs it and queues the update the bot will get from ``getUpdates``.

Misuse by a test (pressing a button that is not there, writing into a chat the user is not in) raises
``AssertionError`` with an explanation, since it is the test that is wrong, not the bot.
"""

from __future__ import annotations

import html
from typing import Any

from sandbox import events
from sandbox.markup import button_labels
from sandbox.state import CallbackQueryRecord, Chat, MessageRecord, SandboxState, UserProfile
from sandbox.text import command_entities, commands_in


def _bot_sees(state: SandboxState, chat: Chat, text: str, replied: MessageRecord | None) -> bool:
    """Privacy mode: in a group the bot sees commands for it, replies to it and mentions of it."""
    if chat.type == "private" or not chat.privacy_mode:
        return True
    if replied is not None and replied.from_bot:
        return True
    username = state.bot_username.lower()
    if f"@{username}" in text.lower():
        return True
    return any("@" not in command for command in commands_in(text))


def _check_sender(user: UserProfile, chat: Chat) -> None:
    if chat.type == "private" and chat.id != user.id:
        raise AssertionError(f"user {user.id} cannot write in the private chat of user {chat.id}")
    if chat.blocked:
        raise AssertionError(f"{user.first_name} has blocked the bot; call unblock_bot() first")


def user_message(
    state: SandboxState,
    user: UserProfile,
    chat: Chat,
    content: dict[str, Any],
    *,
    reply_to: int | None = None,
    summary: str = "",
) -> MessageRecord:
    """Store a message from ``user`` in ``chat``, log it, and queue it for the bot if it may see it."""
    _check_sender(user, chat)
    replied = None
    if reply_to is not None:
        replied = chat.messages.get(reply_to)
        if replied is None:
            raise AssertionError(f"there is no message {reply_to} in chat {chat.id} to reply to")
    body = dict(content)
    if replied is not None:
        body["reply_to_message"] = replied.snapshot()
        body["reply_to_message"].pop("reply_to_message", None)
    text = str(content.get("text") or content.get("caption") or "")
    record = state.new_message(chat, user.as_api(), body, from_bot=False, html=html.escape(text, quote=False))
    chat.members.add(user.id)
    chat.started = True
    state.record(chat, events.USER_SENT, record.message_id, user_id=user.id, summary=summary or text[:80])
    if _bot_sees(state, chat, text, replied):
        state.updates.push("message", record.snapshot())
    return record


def send_text(
    state: SandboxState, user: UserProfile, chat: Chat, text: str, reply_to: int | None = None
) -> MessageRecord:
    """The user types ``text``; ``/commands`` get their ``bot_command`` entities as on Telegram."""
    if not text.strip():
        raise AssertionError("Telegram clients do not send empty messages")
    content: dict[str, Any] = {"text": text}
    entities = command_entities(text)
    if entities:
        content["entities"] = entities
    return user_message(state, user, chat, content, reply_to=reply_to)


def send_document(
    state: SandboxState,
    user: UserProfile,
    chat: Chat,
    file_name: str,
    data: bytes,
    mime_type: str,
    caption: str | None = None,
) -> MessageRecord:
    """The user sends a file as a document."""
    stored = state.files.add("document", data, file_name, mime_type)
    content: dict[str, Any] = {"document": stored.as_document()}
    if caption:
        content["caption"] = caption
    return user_message(state, user, chat, content, summary=f"document {file_name}")


def send_photo(
    state: SandboxState,
    user: UserProfile,
    chat: Chat,
    data: bytes,
    size: tuple[int, int],
    caption: str | None = None,
) -> MessageRecord:
    """The user sends a photo (``data`` need not be a real image: users' photos are not decoded)."""
    stored = state.files.add("photo", data, size=size)
    content: dict[str, Any] = {"photo": stored.as_photo()}
    if caption:
        content["caption"] = caption
    return user_message(state, user, chat, content, summary="photo")


def send_voice(
    state: SandboxState,
    user: UserProfile,
    chat: Chat,
    data: bytes,
    duration: int,
    reply_to: int | None = None,
) -> MessageRecord:
    """The user sends a voice note (``data`` need not be real audio: it is never played)."""
    stored = state.files.add("voice", data)
    content: dict[str, Any] = {"voice": stored.as_voice(duration)}
    return user_message(state, user, chat, content, reply_to=reply_to, summary="voice note")


def send_location(
    state: SandboxState, user: UserProfile, chat: Chat, latitude: float, longitude: float
) -> MessageRecord:
    """The user shares a location (from the attachment menu)."""
    content = {"location": {"latitude": latitude, "longitude": longitude}}
    return user_message(state, user, chat, content, summary="location")


def chat_instance(state: SandboxState, chat: Chat) -> str:
    """A stable opaque id of the chat, as ``callback_query.chat_instance`` carries it."""
    return str(abs(chat.id) * 1_000_003 + state.bot_id)


def press(
    state: SandboxState, user: UserProfile, chat: Chat, message_id: int, data: str
) -> CallbackQueryRecord:
    """The user presses a button carrying ``data`` on message ``message_id`` (not checked: forgeable)."""
    record = chat.messages.get(message_id)
    if record is None:
        raise AssertionError(f"there is no message {message_id} in chat {chat.id} to press a button on")
    query = CallbackQueryRecord(
        query_id=str(4_000_000_000 + state.next_seq()), chat_id=chat.id, message_id=message_id
    )
    state.callbacks[query.query_id] = query
    payload = {
        "id": query.query_id,
        "from": user.as_api(),
        "message": record.snapshot(),
        "chat_instance": chat_instance(state, chat),
        "data": data,
    }
    state.record(chat, events.USER_PRESSED, message_id, user_id=user.id, data=data, summary=data)
    state.updates.push("callback_query", payload)
    return query


def find_button(record: MessageRecord, label: str) -> str:
    """The callback data of the button labelled ``label`` (or, failing that, uniquely containing it)."""
    markup = record.inline_markup
    buttons = [button for row in (markup or {}).get("inline_keyboard", []) for button in row]
    matches = [button for button in buttons if button["text"] == label]
    if not matches:
        matches = [button for button in buttons if label.lower() in str(button["text"]).lower()]
    labels = button_labels(markup)
    if len(matches) != 1:
        problem = "no button" if not matches else "more than one button"
        raise AssertionError(
            f"{problem} matching {label!r} on message {record.message_id}; buttons: {labels}"
        )
    button = matches[0]
    if "callback_data" not in button:
        raise AssertionError(f"button {button['text']!r} is not a callback button: {button}")
    return str(button["callback_data"])


def set_blocked(state: SandboxState, user: UserProfile, chat: Chat, blocked: bool) -> None:
    """The user blocks (or unblocks) the bot; the bot gets a ``my_chat_member`` update, as on Telegram."""
    if chat.blocked == blocked:
        return
    chat.blocked = blocked
    bot = dict(state.bot_user)
    old, new = ("member", "kicked") if blocked else ("kicked", "member")
    member_update = {
        "chat": chat.as_api(),
        "from": user.as_api(),
        "date": state.now(),
        "old_chat_member": {"status": old, "user": bot, **({"until_date": 0} if old == "kicked" else {})},
        "new_chat_member": {"status": new, "user": bot, **({"until_date": 0} if new == "kicked" else {})},
    }
    state.updates.push("my_chat_member", member_update)


def upgrade_group(
    state: SandboxState, user: UserProfile, chat: Chat, new_id: int, *, tell_bot: bool = True
) -> Chat:
    """``user`` makes the group a supergroup (as Telegram does when, say, it grows or gets public):
    the chat lives on under ``new_id`` with the same people; the bot gets a service message in each
    (``migrate_to_chat_id`` in the old group, ``migrate_from_chat_id`` in the new one, whatever the
    privacy mode; ``tell_bot=False`` loses them, as a bot that was down past Telegram's 24 hours would),
    and a send to the old id is refused with the new id from then on."""
    if chat.type != "group" or chat.migrated_to is not None:
        raise AssertionError(f"chat {chat.id} is not a group that can be upgraded")
    if new_id in state.chats or new_id >= 0:
        raise AssertionError(f"{new_id} cannot be the new supergroup's id")
    new = Chat(
        id=new_id,
        type="supergroup",
        title=chat.title,
        privacy_mode=chat.privacy_mode,
        started=True,
        members=set(chat.members),
    )
    state.chats[new_id] = new
    for where, content in ((chat, {"migrate_to_chat_id": new_id}), (new, {"migrate_from_chat_id": chat.id})):
        record = state.new_message(where, user.as_api(), content, from_bot=False)
        state.record(where, events.USER_SENT, record.message_id, user_id=user.id, summary="upgraded")
        if tell_bot:
            state.updates.push("message", record.snapshot())
    chat.migrated_to = new_id
    return new
