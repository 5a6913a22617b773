"""Bot API methods that send, edit and delete messages, answer button presses and show chat actions."""

from __future__ import annotations

from typing import Any

from sandbox import errors, events
from sandbox.errors import bad_request
from sandbox.html_check import FormattedText
from sandbox.markup import Markup, check_reply_markup
from sandbox.params import Params
from sandbox.state import Chat, MessageRecord, SandboxState
from sandbox.text import format_text, source_html

MAX_ANSWER_TEXT = 200
#: Telegram's chat actions (sendChatAction); any other is refused.
CHAT_ACTIONS = frozenset(
    {
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
    }
)


def reply_markup(params: Params) -> Markup:
    return check_reply_markup(params.json_("reply_markup", "reply keyboard markup"))


def replied_message(state: SandboxState, chat: Chat, params: Params) -> dict[str, Any] | None:
    """The message a send replies to (``reply_parameters`` or the older ``reply_to_message_id``)."""
    reply = params.json_("reply_parameters", "reply parameters")
    if isinstance(reply, dict):
        message_id = reply.get("message_id")
        allow_missing = bool(reply.get("allow_sending_without_reply"))
        target = state.chat(int(reply["chat_id"])) if reply.get("chat_id") is not None else chat
    else:
        message_id = params.int_("reply_to_message_id")
        allow_missing = params.bool_("allow_sending_without_reply")
        target = chat
    if message_id is None:
        return None
    record = target.messages.get(int(message_id))
    if record is None:
        if allow_missing:
            return None
        raise bad_request(errors.REPLY_NOT_FOUND)
    replied = record.snapshot()
    replied.pop("reply_to_message", None)
    return replied


def outgoing_body(
    state: SandboxState, chat: Chat, params: Params, content: dict[str, Any], markup: Markup
) -> dict[str, Any]:
    """The parts every sent message shares: what it replies to and its inline keyboard."""
    body = dict(content)
    replied = replied_message(state, chat, params)
    if replied is not None:
        body["reply_to_message"] = replied
    if markup.inline:
        body["reply_markup"] = markup.inline
    return body


def store_bot_message(
    state: SandboxState, chat: Chat, body: dict[str, Any], *, html: str, markup: Markup
) -> MessageRecord:
    record = state.new_message(chat, state.bot_user, body, from_bot=True, html=html)
    record.keyboard = markup.keyboard
    return record


async def send_message(state: SandboxState, params: Params) -> Any:
    chat = state.chat_for_bot(params.chat_id())
    text, mode = params.str_("text"), params.str_("parse_mode")
    formatted = format_text(text, mode, params.json_("entities"))
    markup = reply_markup(params)
    content: dict[str, Any] = {"text": formatted.text}
    if formatted.entities:
        content["entities"] = formatted.entities
    body = outgoing_body(state, chat, params, content, markup)
    record = store_bot_message(state, chat, body, html=source_html(text, mode), markup=markup)
    state.record(chat, events.SENT, record.message_id, summary=formatted.text[:80])
    return record.snapshot()


def editable(state: SandboxState, params: Params) -> tuple[Chat, MessageRecord]:
    """The bot message an ``editMessage*`` call names, or Telegram's refusal."""
    if params.str_("inline_message_id"):
        raise bad_request("MESSAGE_ID_INVALID")  # inline mode is not emulated
    chat = state.chat(params.chat_id())
    message_id = params.int_("message_id")
    if message_id is None:
        raise bad_request("message identifier is not specified")
    record = chat.messages.get(message_id)
    if record is None:
        raise bad_request(errors.EDIT_NOT_FOUND)
    if not record.from_bot:
        raise bad_request("message can't be edited")
    return chat, record


def edit_markup(params: Params) -> Markup:
    markup = reply_markup(params)
    if markup.keyboard is not None:
        raise bad_request("inline keyboard expected")
    return markup


def apply_edit(
    state: SandboxState, chat: Chat, record: MessageRecord, formatted: FormattedText | None, markup: Markup
) -> Any:
    """Apply new text (None: keep it) and inline keyboard (None: remove it), unless nothing changes."""
    message = record.message
    text_field, entities_field = (
        ("text", "entities") if "text" in message else ("caption", "caption_entities")
    )
    if formatted is not None:
        same_text = message.get(text_field) == formatted.text
        same_text = same_text and message.get(entities_field, []) == formatted.entities
    else:
        same_text = True
    if same_text and record.inline_markup == markup.inline:
        raise bad_request(errors.NOT_MODIFIED)
    if formatted is not None:
        message[text_field] = formatted.text
        message.pop(entities_field, None)
        if formatted.entities:
            message[entities_field] = formatted.entities
    message.pop("reply_markup", None)
    if markup.inline:
        message["reply_markup"] = markup.inline
    message["edit_date"] = state.now()
    summary = str(message.get(text_field, ""))[:80]
    state.record(chat, events.EDITED, record.message_id, summary=summary)
    return record.snapshot()


async def edit_message_text(state: SandboxState, params: Params) -> Any:
    chat, record = editable(state, params)
    if "text" not in record.message:
        raise bad_request("there is no text in the message to edit")
    text, mode = params.str_("text"), params.str_("parse_mode")
    formatted = format_text(text, mode, params.json_("entities"))
    markup = edit_markup(params)
    result = apply_edit(state, chat, record, formatted, markup)
    record.html = source_html(text, mode)
    return result


async def edit_message_caption(state: SandboxState, params: Params) -> Any:
    chat, record = editable(state, params)
    if "text" in record.message:
        raise bad_request("there is no caption in the message to edit")
    caption, mode = params.str_("caption"), params.str_("parse_mode")
    formatted = format_text(caption, mode, params.json_("caption_entities"), caption=True)
    result = apply_edit(state, chat, record, formatted, edit_markup(params))
    record.html = source_html(caption, mode)
    return result


async def edit_message_reply_markup(state: SandboxState, params: Params) -> Any:
    chat, record = editable(state, params)
    return apply_edit(state, chat, record, None, edit_markup(params))


async def delete_message(state: SandboxState, params: Params) -> Any:
    chat = state.chat(params.chat_id())
    message_id = params.int_("message_id")
    if message_id is None or message_id not in chat.messages:
        raise bad_request(errors.DELETE_NOT_FOUND)
    del chat.messages[message_id]
    state.record(chat, events.DELETED, message_id)
    return True


async def answer_callback_query(state: SandboxState, params: Params) -> Any:
    query = state.callbacks.get(params.str_("callback_query_id") or "")
    if query is None or query.answered:
        raise bad_request(errors.QUERY_TOO_OLD)
    text = params.str_("text") or ""
    if len(text) > MAX_ANSWER_TEXT:
        raise bad_request("MESSAGE_TOO_LONG")
    query.answered = True
    query.answer = {"text": text, "show_alert": params.bool_("show_alert"), "url": params.str_("url")}
    chat = state.chat(query.chat_id)
    state.record(
        chat,
        events.ANSWERED_CALLBACK,
        query.message_id,
        query_id=query.query_id,
        summary=text,
        **query.answer,
    )
    return True


async def send_chat_action(state: SandboxState, params: Params) -> Any:
    chat = state.chat_for_bot(params.chat_id())
    action = params.str_("action") or ""
    if action not in CHAT_ACTIONS:
        raise bad_request(errors.WRONG_ACTION)
    state.record(chat, events.CHAT_ACTION, action=action)
    return True
