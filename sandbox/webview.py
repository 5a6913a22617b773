"""What the web chat page shows of a chat: messages as plain JSON a browser can draw, read from the
sandbox state. Nothing here changes the state; the inbound actions do that."""

from __future__ import annotations

from typing import Any

from sandbox import events
from sandbox.methods_bot import scope_key
from sandbox.state import Chat, MessageRecord, SandboxState, UserProfile

ACTION_SECONDS = 5.0  # how long Telegram shows a chat action ("typing…") unless a message ends it
_BOT_MESSAGES = frozenset({events.SENT, events.SENT_DOCUMENT, events.SENT_PHOTO})


def file_url(file_id: str) -> str:
    return f"/api/files/{file_id}"


def display_name(profile: UserProfile | None) -> str:
    if profile is None:
        return ""
    return f"{profile.first_name} {profile.last_name}" if profile.last_name else profile.first_name


def chat_version(chat: Chat) -> int:
    """Changes whenever anything happens in the chat (a message, an edit, a deletion, an answer)."""
    return chat.events[-1].seq if chat.events else 0


def _buttons(record: MessageRecord) -> list[list[dict[str, Any]]]:
    rows = []
    for row in (record.inline_markup or {}).get("inline_keyboard", []):
        drawn = []
        for button in row:
            if "callback_data" in button:
                drawn.append({"text": str(button["text"]), "kind": "callback"})
            elif "url" in button:
                drawn.append({"text": str(button["text"]), "kind": "url", "url": str(button["url"])})
            else:  # web apps, inline queries, games: not emulated, shown but inert
                drawn.append({"text": str(button["text"]), "kind": "other"})
        rows.append(drawn)
    return rows


def _snippet(message: dict[str, Any]) -> str:
    text = str(message.get("text") or message.get("caption") or "")
    if not text and "document" in message:
        text = str(message["document"].get("file_name") or "File")
    return text[:80] or ("Photo" if "photo" in message else "Message")


def message_view(state: SandboxState, record: MessageRecord) -> dict[str, Any]:
    """One message as the page draws it. Bot text is the HTML it sent (the page whitelists the tags);
    a user's text is plain text."""
    message = record.message
    sender = message.get("from", {})
    view: dict[str, Any] = {
        "id": record.message_id,
        "from_bot": record.from_bot,
        "sender_id": int(sender.get("id", 0)),
        "sender": display_name(state.users.get(int(sender.get("id", 0))))
        or str(sender.get("first_name", "")),
        "date": int(message.get("date", 0)),
        "edited": "edit_date" in message,
    }
    if record.from_bot:
        view["html"] = record.html
    else:
        view["text"] = str(message.get("text") or message.get("caption") or "")
    if "document" in message:
        document = message["document"]
        view["document"] = {
            "url": file_url(str(document["file_id"])),
            "file_name": str(document.get("file_name") or "file"),
            "size": int(document.get("file_size", 0)),
        }
    if message.get("photo"):
        biggest = message["photo"][-1]
        view["photo"] = {
            "url": file_url(str(biggest["file_id"])),
            "width": biggest.get("width"),
            "height": biggest.get("height"),
        }
    if "location" in message:
        view["location"] = dict(message["location"])
    if "reply_to_message" in message:
        replied = message["reply_to_message"]
        view["reply_to"] = {"id": replied.get("message_id"), "snippet": _snippet(replied)}
    buttons = _buttons(record)
    if buttons:
        view["buttons"] = buttons
    return view


def keyboard_view(chat: Chat, user_id: int) -> dict[str, Any] | None:
    """The keyboard the bot's latest ``reply_markup`` gives the user: a reply keyboard (until removed;
    a one-time one until the user writes), or ForceReply on the bot's latest message."""
    records = list(chat.messages.values())
    for index in range(len(records) - 1, -1, -1):
        record = records[index]
        if not record.from_bot or record.keyboard is None:
            continue
        markup = record.keyboard
        later_from_user = any(r.message["from"].get("id") == user_id for r in records[index + 1 :])
        placeholder = str(markup.get("input_field_placeholder") or "")
        if markup.get("force_reply"):
            if later_from_user or any(r.from_bot for r in records[index + 1 :]):
                return None
            return {"type": "force_reply", "message_id": record.message_id, "placeholder": placeholder}
        if "keyboard" in markup:
            if markup.get("one_time_keyboard") and later_from_user:
                return None
            rows = [[_reply_button(button) for button in row] for row in markup["keyboard"]]
            return {"type": "keyboard", "rows": rows, "placeholder": placeholder}
        return None  # remove_keyboard
    return None


def _reply_button(button: Any) -> dict[str, Any]:
    if isinstance(button, str):
        return {"text": button}
    return {"text": str(button.get("text", "")), "location": bool(button.get("request_location"))}


def answers_since(chat: Chat, after: int) -> list[dict[str, Any]]:
    """Texts the bot answered button presses with (``answerCallbackQuery``), for a toast or an alert."""
    return [
        {"seq": e.seq, "text": str(e.detail.get("text") or ""), "alert": bool(e.detail.get("show_alert"))}
        for e in chat.events
        if e.kind == events.ANSWERED_CALLBACK and e.seq > after and e.detail.get("text")
    ]


def action_view(chat: Chat, now: float) -> dict[str, Any] | None:
    """The bot's chat action ("typing…") still showing at ``now`` (``time.monotonic()``, as events are
    stamped), and for how many more seconds: Telegram shows one for 5 s or until the bot's next message."""
    for event in reversed(chat.events):
        if event.at + ACTION_SECONDS <= now:
            return None  # events are in time order: every earlier one is over too
        if event.kind in _BOT_MESSAGES:
            return None
        if event.kind == events.CHAT_ACTION:
            left = round(event.at + ACTION_SECONDS - now, 3)
            return {"action": str(event.detail.get("action") or ""), "seconds": left}
    return None


def chat_view(state: SandboxState, chat: Chat, user_id: int, after: int, now: float) -> dict[str, Any]:
    """Everything the page needs to redraw the chat; it keeps bubbles whose view did not change.
    ``now``: ``time.monotonic()``, for how long the bot's chat action still shows."""
    return {
        "version": chat_version(chat),
        "messages": [message_view(state, record) for record in chat.messages.values()],
        "keyboard": keyboard_view(chat, user_id),
        "answers": answers_since(chat, after),
        "action": action_view(chat, now),
    }


def commands_view(state: SandboxState) -> list[dict[str, str]]:
    """The bot's command menu (``setMyCommands``, default scope)."""
    return [dict(command) for command in state.commands.get(scope_key(None), [])]
