"""Bot API methods for files: sending documents and photos, and ``getFile``."""

from __future__ import annotations

from typing import Any

from sandbox import events
from sandbox.errors import ApiError, bad_request
from sandbox.files import MAX_BOT_DOWNLOAD, MAX_BOT_UPLOAD, FileKind, StoredFile, image_size
from sandbox.methods_messages import outgoing_body, reply_markup, store_bot_message
from sandbox.params import Params, UploadedFile
from sandbox.state import SandboxState
from sandbox.text import format_text, source_html


def _upload(state: SandboxState, kind: FileKind, upload: UploadedFile) -> StoredFile:
    if not upload.content:
        raise bad_request("file must be non-empty")
    if len(upload.content) > MAX_BOT_UPLOAD:
        raise ApiError(413, "Request Entity Too Large")
    if kind == "photo":
        size = image_size(upload.content)
        if size is None:
            raise bad_request("IMAGE_PROCESS_FAILED")
        return state.files.add("photo", upload.content, size=size)
    mime = upload.content_type if upload.content_type not in ("", "application/octet-stream") else None
    return state.files.add("document", upload.content, upload.filename or "document", mime)


def input_file(state: SandboxState, params: Params, kind: FileKind) -> StoredFile:
    """The file of a send: an upload in the part named like the parameter, attach://, or a file_id."""
    upload = params.file(kind)
    if upload is not None:
        return _upload(state, kind, upload)
    value = params.str_(kind)
    if not value:
        raise bad_request(f"there is no {kind} in the request")
    if value.startswith("attach://"):
        attached = params.file(value.removeprefix("attach://"))
        if attached is None:
            raise bad_request(f"there is no {kind} in the request")
        return _upload(state, kind, attached)
    if value.startswith(("http://", "https://")):
        raise bad_request("failed to get HTTP URL content")  # the sandbox does not fetch URLs
    return state.files.reuse(value, kind)


async def _send_file(state: SandboxState, params: Params, kind: FileKind) -> Any:
    chat = state.chat_for_bot(params.chat_id())
    stored = input_file(state, params, kind)
    caption, mode = params.str_("caption"), params.str_("parse_mode")
    content: dict[str, Any] = {"document": stored.as_document()} if kind == "document" else {}
    if kind == "photo":
        content["photo"] = stored.as_photo()
    if caption:
        formatted = format_text(caption, mode, params.json_("caption_entities"), caption=True)
        content["caption"] = formatted.text
        if formatted.entities:
            content["caption_entities"] = formatted.entities
    markup = reply_markup(params)
    body = outgoing_body(state, chat, params, content, markup)
    record = store_bot_message(state, chat, body, html=source_html(caption, mode), markup=markup)
    kind_event = events.SENT_DOCUMENT if kind == "document" else events.SENT_PHOTO
    state.record(
        chat,
        kind_event,
        record.message_id,
        file_id=stored.file_id,
        file_name=stored.file_name,
        summary=stored.file_name or kind,
    )
    return record.snapshot()


async def send_document(state: SandboxState, params: Params) -> Any:
    return await _send_file(state, params, "document")


async def send_photo(state: SandboxState, params: Params) -> Any:
    return await _send_file(state, params, "photo")


async def get_file(state: SandboxState, params: Params) -> Any:
    stored = state.files.get(params.str_("file_id") or "")
    if stored is None:
        raise bad_request("invalid file_id")
    if len(stored.content) > MAX_BOT_DOWNLOAD:
        raise bad_request("file is too big")
    return stored.as_file()
