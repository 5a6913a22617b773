"""Slash commands: /start creates the case; the others open a screen (and leave any pending question)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from functools import partial
from typing import Any

from telegram import Update
from telegram.ext import ContextTypes

from handlers.insurance import screens as insurance
from handlers.menu import screens as menu
from handlers.outcome import screens as outcome
from handlers.paper import screens as paper
from handlers.plumbing.reply import send_screen
from handlers.plumbing.turn import Screen, Services, Turn, plans, services, words_of
from handlers.prompts import typed as messages
from handlers.prompts.asking import show_prompt
from handlers.questions import screens as questions
from handlers.records import screens as records
from handlers.rights import screens as rights
from handlers.settings import screens as settings_screen
from handlers.sharing import screens as sharing_views
from handlers.sharing.screens import join_screen
from handlers.specialist import screens as specialist
from handlers.visit import screens as appointment
from journey import cases, prompts, sharing
from journey.access import require_member
from journey.errors import InviteUnknown, JourneyError
from journey.ids import id_from, new_case_id
from journey.models import PromptKind
from journey.prompts import Where
from journey.targets import NEW_VISIT
from service.work import Work

log = logging.getLogger(__name__)


async def on_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Create the case on first contact and begin onboarding; later, welcome back to the menu."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    token = context.args[0] if context.args else None
    if token:
        await _invited(update, context, token)
        return
    s = services(context)
    new_id = id_from(message.chat_id, message.message_id)
    screen = await plans(context).run_in_chat(
        message.chat_id,
        user.id,
        partial(_start, s, new_id, update.update_id),
        actor_name=user.first_name,
        actor_language=user.language_code,
        update_id=update.update_id,
        message_id=message.message_id,
    )
    if screen is not None:
        await send_screen(message, screen)


def _start(s: Services, new_id: str, update_id: int, work: Work) -> Screen | None:
    if work.case is not None:
        return _member_screen(s, work, new_id, update_id, _welcome_back)
    assert work.actor is not None and work.chat_id is not None
    try:
        case = cases.start_case(new_case_id(), work.actor, work.now, s.repo.cases_of_user(work.actor))
    except JourneyError as refused:
        log.info("refused a new plan: %s", type(refused).__name__)
        return Screen(words_of(s, work).render(refused.key, **refused.details))
    prompt = prompts.ask(
        case, work.actor, PromptKind.PATIENT_NAME, where=Where(work.chat_id, work.message_id)
    )
    work.create(case)
    work.link(work.chat_id, case.id)
    log.info("started a case")
    turn = Turn.of(s, work, case, new_id)
    screen = show_prompt(turn, prompt)
    return Screen(turn.render("start/welcome") + "\n\n" + screen.text, screen.rows)


async def _invited(update: Update, context: ContextTypes.DEFAULT_TYPE, token: str) -> None:
    """/start <token> from an invite link: say who invites to what, with Join and No thanks.

    Nothing changes until Join is pressed. Every way a link can fail gets its own plain reason.
    """
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    s = services(context)
    try:
        parsed = sharing.parse_token(token)
        new_id = id_from(message.chat_id, message.message_id)
        screen = await plans(context).run(
            parsed.case_id,
            partial(_join_preview, s, new_id, parsed.secret),
            actor=user.id,
            chat_id=message.chat_id,
            actor_language=user.language_code,
        )
    except JourneyError as refused:
        log.info("refused an invite link: %s", type(refused).__name__)
        await message.reply_text(s.words_for(user.language_code).render(refused.key, **refused.details))
        return
    await send_screen(message, screen)


def _join_preview(s: Services, new_id: str, secret: str, work: Work) -> Screen:
    if work.case is None:
        raise InviteUnknown()
    return join_screen(Turn.of(s, work, work.case, new_id), secret)


def _welcome_back(turn: Turn, _: bool) -> Screen:
    screen = menu.show_menu(turn)
    return Screen(turn.render("start/welcome_back") + "\n\n" + screen.text, screen.rows)


def _cancel(turn: Turn, had_pending: bool) -> Screen:
    screen = menu.show_menu(turn)
    head = turn.render("cancelled" if had_pending else "nothing_to_cancel")
    return Screen(head + "\n\n" + screen.text, screen.rows)


Build = Callable[[Turn, bool], Screen]  # (turn, a pending question was just dropped) -> screen


async def _open(update: Update, context: ContextTypes.DEFAULT_TYPE, build: Build) -> None:
    """Load the chat's case, drop any pending question (saving that), and send the screen."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    s = services(context)
    new_id = id_from(message.chat_id, message.message_id)
    try:
        screen = await plans(context).run_in_chat(
            message.chat_id,
            user.id,
            partial(_opened, s, new_id, update.update_id, build),
            actor_name=user.first_name,
            actor_language=user.language_code,
            update_id=update.update_id,
            message_id=message.message_id,
        )
    except JourneyError as refused:  # refused at save time (journey/access.py): nothing was written
        screen = Screen(s.words_for(user.language_code).render(refused.key, **refused.details))
    if screen is not None:
        await send_screen(message, screen)


def _opened(s: Services, new_id: str, update_id: int, build: Build, work: Work) -> Screen | None:
    if work.case is None:
        return Screen(words_of(s, work).render("errors/no_case"))
    return _member_screen(s, work, new_id, update_id, build)


def _member_screen(s: Services, work: Work, new_id: str, update_id: int, build: Build) -> Screen | None:
    assert work.case is not None
    try:
        member = require_member(work.case, work.person)
    except JourneyError as refused:
        return Screen(words_of(s, work).render(refused.key, **refused.details))
    if cases.is_repeat(member, update_id):
        return None
    turn = Turn.of(s, work, work.case, new_id)
    had_pending = prompts.leave(work.case, member.user_id)
    if had_pending:
        turn.save(update_id)
    try:
        return build(turn, had_pending)
    except JourneyError as refused:  # e.g. /appointment <time> from a viewer, or no room for a visit
        log.info("refused a command: %s", type(refused).__name__)
        return Screen(turn.words.render(refused.key, **refused.details))


def screen_command(
    build: Callable[[Turn], Screen],
) -> Callable[[Update, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]:
    async def command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await _open(update, context, lambda turn, _: build(turn))

    command.__doc__ = f"Open the screen built by {build.__qualname__}."
    return command


async def on_cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/cancel: leave whatever question is pending and go back to the menu."""
    await _open(update, context, _cancel)


# Command name -> the screen it opens. /start and /cancel have their own handlers above.
SCREENS: dict[str, Callable[[Turn], Screen]] = {
    "menu": menu.show_menu,
    "progress": menu.show_progress,
    "help": menu.show_help,
    "specialist": specialist.show_specialist,
    "records": records.show_records,
    "insurance": insurance.show_insurance,
    "questions": questions.show_questions,
    "settings": settings_screen.show_settings,
    "share": sharing_views.show_share,
    "members": sharing_views.show_members,
    "leave": sharing_views.show_leave,
    "cases": sharing_views.show_cases,
    "summary": paper.show_prep_sheet,
    "outcome": outcome.show_latest,
}


async def on_appointment(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/appointment opens the visit; /appointment 3 Dec 2026 14:30 starts a new one with that time."""
    typed = " ".join(context.args or [])
    if not typed.strip():
        await _open(update, context, lambda turn, _: appointment.show_appointment(turn))
        return

    def start_with_time(turn: Turn, _: bool) -> Screen:
        # The time question, or the zone first: that question holds the typed time until the zone is known.
        screen = appointment.ask_time(turn, NEW_VISIT, typed)
        turn.save()  # the question is open even if the typed time needs another try
        pending = prompts.pending(turn.case, turn.user_id)
        if pending is not None and pending.kind is PromptKind.APPOINTMENT_TIME:
            return messages.answer_screen(turn, typed, update.update_id)
        return screen  # the time zone comes first; the held time is read once it is answered

    await _open(update, context, start_with_time)


async def on_delete(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/delete: what will go, then "Yes, delete everything" or "No, keep" (handlers/rights). Someone in no
    plan has at most an index and a chat link left: those go at once."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    if not await plans(context).read(lambda repo: bool(repo.cases_of_user(user.id))):
        await plans(context).read(lambda repo: repo.forget_user(user.id))
        await send_screen(
            message, Screen(services(context).words_for(user.language_code).render("rights/nothing_stored"))
        )
        return
    await _open(update, context, lambda turn, _: rights.show_erase(turn))


async def on_unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.effective_message is not None:
        code = update.effective_user.language_code if update.effective_user is not None else None
        words = services(context).words_for(code)
        await update.effective_message.reply_text(words.render("errors/unknown_command"))
