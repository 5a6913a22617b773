"""Typed text and files: answers to the pending question, or a kind word about what we expected."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from functools import partial

from telegram import Location, Message, MessageEntity, Update
from telegram.ext import ContextTypes

from handlers.menu.taps import MenuTap
from handlers.plumbing.reply import send_screen
from handlers.plumbing.turn import Screen, Services, Turn, plans, services, words_of
from handlers.prompts import offers, prompting
from handlers.prompts.asking import show_prompt
from handlers.records import screens as records
from handlers.visit import picker
from journey import cases, prompts
from journey.access import find_member, require_member
from journey.errors import JourneyError
from journey.ids import id_from
from journey.models import Attachment, AttachmentKind, Member, Prompt
from service.work import Work

log = logging.getLogger(__name__)


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Apply typed text to the pending question; bad text gets a reason and the question again."""
    message = update.effective_message
    if message is None or message.text is None:
        return
    mentioned, text = _mention(message, context.bot.username)
    await in_chat(
        update,
        context,
        lambda turn: answer_screen(turn, text, update.update_id),
        may_offer=True,
        mentioned=mentioned,
    )


def _mention(message: Message, username: str | None) -> tuple[bool, str]:
    """Does the message name the bot (@its_name)? And the text without that name, to read."""
    text = message.text or ""
    if not username:
        return False, text
    handle = re.compile(rf"(?<![\w@])@{re.escape(username)}\b", re.IGNORECASE)
    named = any(
        found.casefold() == f"@{username}".casefold()
        for found in message.parse_entities([MessageEntity.MENTION]).values()
    )
    if not (named or handle.search(text)):
        return False, text
    return True, re.sub(r"[ \t]{2,}", " ", handle.sub(" ", text)).strip()


def answer_screen(turn: Turn, text: str, update_id: int) -> Screen:
    """Apply text to the pending question and save; or say why not (nothing saved) and ask again."""
    pending = prompts.pending(turn.case, turn.user_id)
    try:
        step = prompts.answer(
            turn.case,
            turn.user_id,
            text,
            turn.new_id,
            turn.now,
            turn.today,
            turn.where,
            locale=turn.typist_language,
        )
    except prompts.NothingPending:  # typed outside any question: offer the words a place
        return offers.offer_screen(turn, text, update_id)
    except prompts.AskedElsewhere:
        return _not_expected(turn, "errors/asked_elsewhere")
    except prompts.QuestionGone:
        prompts.leave(turn.case, turn.user_id)  # nothing left to answer: stop asking
        turn.save(update_id)
        return _not_expected(turn, "errors/question_gone")
    except JourneyError as refused:
        log.info("refused typed text: %s", type(refused).__name__)
        taps = picker.after_reading_error(turn, refused, pending.target or "") if pending else None
        return taps or _refusal(turn, refused, pending)
    turn.save(update_id)
    return prompting.after(turn, step)


async def on_file(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A photo or document: attach it where we asked for one, or ask which record it is."""
    message = update.effective_message
    if message is None or not (message.photo or message.document is not None):
        return
    await in_chat(update, context, lambda turn: _file_screen(turn, message, update.update_id))


def _file_screen(turn: Turn, message: Message, update_id: int) -> Screen | None:
    attachment = _attachment(message, turn)
    if attachment is None:
        return None
    try:
        kind = prompts.receive_file(turn.case, turn.user_id, attachment, turn.where)
    except JourneyError as refused:
        return Screen(turn.render(refused.key, **refused.details))
    turn.save(update_id)
    return records.attached_screen(turn, kind) if kind else records.which_record_screen(turn)


async def on_voice(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A voice note: the answer to a question at a visit (visit mode), kept by its file_id; anywhere else
    a kind word about where voice notes are kept."""
    message = update.effective_message
    if message is None or message.voice is None:
        return
    file_id = message.voice.file_id
    await in_chat(update, context, lambda turn: _voice_screen(turn, file_id, update.update_id))


def _voice_screen(turn: Turn, file_id: str, update_id: int) -> Screen:
    try:
        step = prompts.answer_voice(turn.case, turn.user_id, file_id, turn.where)
    except (prompts.NothingPending, prompts.AskedElsewhere):
        return Screen(turn.render("errors/voice_unasked"))
    except JourneyError as refused:
        return Screen(turn.render(refused.key, **refused.details))
    turn.save(update_id)
    return prompting.after(turn, step)


async def on_location(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A shared location sets the time zone when we asked for it; the location itself is not stored."""
    message = update.effective_message
    if message is None or (where := message.location) is None:
        return
    await in_chat(update, context, lambda turn: _location_screen(turn, where, update.update_id))


def _location_screen(turn: Turn, where: Location, update_id: int) -> Screen:
    try:
        step = prompts.answer_location(turn.case, turn.user_id, where.latitude, where.longitude, turn.where)
    except (prompts.NothingPending, prompts.AskedElsewhere):
        return Screen(turn.render("errors/location_unasked"))
    except JourneyError as refused:
        return Screen(turn.render(refused.key, **refused.details))
    turn.save(update_id)
    return prompting.after(turn, step)


async def on_other(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stickers, voice notes...: say what we can read."""
    if update.effective_message is not None:
        code = update.effective_user.language_code if update.effective_user is not None else None
        words = services(context).words_for(code)
        await update.effective_message.reply_text(words.render("errors/not_understood"))


Act = Callable[[Turn], Screen | None]


async def in_chat(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    act: Act,
    *,
    may_offer: bool = False,
    mentioned: bool = False,
) -> None:
    """Run `act` on the plan of this chat in one unit of work, then show what it returned.

    A member may act (journey/prompts.py checks the question itself: viewers answer only their own
    settings). In a group, only someone the bot asked gets an answer; other chatter is not ours. Typed
    text (`may_offer`) addressed to the bot, a reply to it or a mention of it, from someone the bot is
    asking nothing, is offered a place.
    """
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    s = services(context)
    replied = message.reply_to_message
    to_bot = replied is not None and replied.from_user is not None and replied.from_user.id == context.bot.id
    reply_to = replied.message_id if replied is not None and to_bot else None
    addressed = may_offer and (reply_to is not None or mentioned)
    decide = partial(
        _decide,
        s,
        act,
        id_from(message.chat_id, message.message_id),
        update.update_id,
        reply_to,
        addressed=addressed,
    )
    try:
        screen = await plans(context).run_in_chat(
            message.chat_id,
            user.id,
            decide,
            actor_name=user.first_name,
            actor_language=user.language_code,
            update_id=update.update_id,
            message_id=message.message_id,
        )
    except JourneyError as refused:  # refused at save time (journey/access.py): nothing was written
        screen = Screen(s.words_for(user.language_code).render(refused.key, **refused.details))
    if screen is not None:
        await send_screen(message, screen)


def _decide(
    s: Services,
    act: Act,
    new_id: str,
    update_id: int,
    reply_to: int | None,
    work: Work,
    *,
    addressed: bool = False,
) -> Screen | None:
    in_group = work.chat_id != work.actor
    if work.case is None:
        return None if in_group else Screen(words_of(s, work).render("errors/no_case"))
    member = find_member(work.case, work.actor) if work.actor is not None else None
    if in_group and not _ours(member, work, reply_to):
        # Chatter among the family, an answer to a question asked elsewhere, or a reply to an old message:
        # stay out of it. Someone outside the plan who replies to the bot hears why nothing happened.
        # Text said to the bot (a reply or a mention) by a member it asks nothing is offered a place.
        if member is None and (reply_to is not None or addressed):
            return Screen(words_of(s, work).render("errors/group_not_member"))
        if not (addressed and member is not None and member.prompt is None):
            return None
    try:
        member = require_member(work.case, work.person)
    except JourneyError as refused:
        return Screen(words_of(s, work).render(refused.key, **refused.details))
    if cases.is_repeat(member, update_id):
        return None
    return act(Turn.of(s, work, work.case, new_id, reply_to))


def _ours(member: Member | None, work: Work, reply_to: int | None) -> bool:
    """In a group: is this message the answer to a question the bot asked this person, here?"""
    if member is None or member.prompt is None or work.chat_id is None:
        return False
    return prompts.answers_here(member.prompt, member.user_id, prompts.Where(work.chat_id, None, reply_to))


def _attachment(message: Message, turn: Turn) -> Attachment | None:
    if message.photo:
        best = message.photo[-1]  # the largest size Telegram made
        return Attachment(best.file_id, best.file_unique_id, AttachmentKind.PHOTO, None, turn.now)
    if message.document is not None:
        doc = message.document
        return Attachment(doc.file_id, doc.file_unique_id, AttachmentKind.DOCUMENT, doc.file_name, turn.now)
    return None


def _not_expected(turn: Turn, why: str = "errors/nothing_pending") -> Screen:
    return Screen(
        turn.render(why),
        ((turn.button(turn.label("menu"), MenuTap()),),),
    )


def _refusal(turn: Turn, refused: JourneyError, pending: Prompt | None) -> Screen:
    """The reason, then the same question again so the user can simply try once more."""
    reason = turn.render(refused.key, **refused.details)
    if pending is None:
        return Screen(reason)
    return show_prompt(turn, pending).with_head(reason)
