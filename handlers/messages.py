"""Typed text and files: answers to the pending question, or a kind word about what we expected."""

from __future__ import annotations

import logging

from telegram import Message, Update
from telegram.ext import ContextTypes

from handlers import picker, prompting, records
from handlers.asking import show_prompt
from handlers.callbacks import Action
from handlers.reply import send_screen
from handlers.turn import Screen, Turn, case_of_chat, services
from journey import cases, prompts
from journey.access import require_member
from journey.errors import JourneyError
from journey.ids import id_from
from journey.models import Attachment, AttachmentKind, Case, Prompt

log = logging.getLogger(__name__)


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Apply typed text to the pending question; bad text gets a reason and the question again."""
    found = await _editor_turn(update, context)
    if found is None:
        return
    turn, message = found
    if message.text is not None:
        await send_screen(message, answer_screen(turn, message.text, update.update_id))


def answer_screen(turn: Turn, text: str, update_id: int) -> Screen:
    """Apply text to the pending question and save; or say why not (nothing saved) and ask again."""
    pending = prompts.pending(turn.case, turn.user_id)
    try:
        step = prompts.answer(turn.case, turn.user_id, text, turn.new_id, turn.now, turn.today)
    except prompts.NothingPending:
        return _not_expected(turn)
    except JourneyError as refused:
        log.info("refused typed text: %s", type(refused).__name__)
        taps = picker.after_reading_error(turn, refused, pending.target or "") if pending else None
        return taps or _refusal(turn, refused, pending)
    turn.save(update_id)
    return prompting.after(turn, step)


async def on_file(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A photo or document: attach it where we asked for one, or ask which record it is."""
    found = await _editor_turn(update, context)
    if found is None or (attachment := _attachment(found[1], found[0])) is None:
        return
    turn, message = found
    try:
        kind = prompts.receive_file(turn.case, turn.user_id, attachment)
    except JourneyError as refused:
        await message.reply_text(turn.render(refused.key, **refused.details))
        return
    turn.save(update.update_id)
    screen = records.attached_screen(turn, kind) if kind else records.which_record_screen(turn)
    await send_screen(message, screen)


async def on_location(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A shared location sets the time zone when we asked for it; the location itself is not stored."""
    found = await _editor_turn(update, context)
    if found is None or (where := found[1].location) is None:
        return
    turn, message = found
    try:
        step = prompts.answer_location(turn.case, turn.user_id, where.latitude, where.longitude)
    except prompts.NothingPending:
        await message.reply_text(turn.render("errors/location_unasked"))
        return
    except JourneyError as refused:
        await message.reply_text(turn.render(refused.key, **refused.details))
        return
    turn.save(update.update_id)
    await send_screen(message, prompting.after(turn, step))


async def on_other(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stickers, voice notes...: say what we can read."""
    if update.effective_message is not None:
        await update.effective_message.reply_text(services(context).renderer.render("errors/not_understood"))


async def _editor_turn(update: Update, context: ContextTypes.DEFAULT_TYPE) -> tuple[Turn, Message] | None:
    """The turn for a message that may change the case; None when it was answered here (no case,
    not allowed) or is a repeat of an update already applied."""
    turn, message = _turn(update, context)
    if turn is None or message is None:
        await _no_case(message, context)
        return None
    try:
        # A member; journey/prompts.py checks the question itself (viewers answer only their own settings).
        member = require_member(turn.case, turn.user_id)
    except JourneyError as refused:
        await message.reply_text(turn.render(refused.key, **refused.details))
        return None
    if cases.is_repeat(member, update.update_id):
        return None
    return turn, message


def _turn(update: Update, context: ContextTypes.DEFAULT_TYPE) -> tuple[Turn | None, Message | None]:
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return None, None
    s = services(context)
    case: Case | None = case_of_chat(s, message.chat_id, user.id)
    if case is None:
        return None, message
    new_id = id_from(message.chat_id, message.message_id)
    return Turn(s, case, user.id, s.now(), new_id, message.chat_id, user.first_name), message


async def _no_case(message: Message | None, context: ContextTypes.DEFAULT_TYPE) -> None:
    if message is not None:
        await message.reply_text(services(context).renderer.render("errors/no_case"))


def _attachment(message: Message, turn: Turn) -> Attachment | None:
    if message.photo:
        best = message.photo[-1]  # the largest size Telegram made
        return Attachment(best.file_id, best.file_unique_id, AttachmentKind.PHOTO, None, turn.now)
    if message.document is not None:
        doc = message.document
        return Attachment(doc.file_id, doc.file_unique_id, AttachmentKind.DOCUMENT, doc.file_name, turn.now)
    return None


def _not_expected(turn: Turn) -> Screen:
    return Screen(
        turn.render("errors/nothing_pending"),
        ((turn.button(turn.label("menu"), Action.MENU),),),
    )


def _refusal(turn: Turn, refused: JourneyError, pending: Prompt | None) -> Screen:
    """The reason, then the same question again so the user can simply try once more."""
    reason = turn.render(refused.key, **refused.details)
    if pending is None:
        return Screen(reason)
    return show_prompt(turn, pending).with_head(reason)
