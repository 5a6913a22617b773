"""Slash commands: /start creates the case; the others open a screen (and leave any pending question)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.ext import ContextTypes

from handlers import (
    appointment,
    insurance,
    menu,
    messages,
    questions,
    records,
    settings_screen,
    sharing_views,
    specialist,
)
from handlers.asking import show_prompt
from handlers.reply import send_screen
from handlers.sharing_views import join_screen
from handlers.turn import Screen, Turn, case_of_chat, services
from journey import cases, prompts, sharing
from journey.access import require_member
from journey.errors import InviteUnknown, JourneyError
from journey.ids import id_from, new_case_id
from journey.models import PromptKind

log = logging.getLogger(__name__)


async def on_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Create the case on first contact and begin onboarding; later, welcome back to the menu."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    s = services(context)
    now = s.now()
    token = context.args[0] if context.args else None
    if token:
        await _invited(update, context, token)
        return
    case = case_of_chat(s, message.chat_id, user.id)
    if case is None:
        case = cases.start_case(new_case_id(), user.id, now)
        turn = Turn(
            s,
            case,
            user.id,
            now,
            id_from(message.chat_id, message.message_id),
            message.chat_id,
            user.first_name,
        )
        prompt = prompts.ask(case, user.id, PromptKind.PATIENT_NAME)
        turn.save()
        s.repo.link_chat(message.chat_id, case.id)
        log.info("started a case")
        screen = show_prompt(turn, prompt)
        await send_screen(message, Screen(turn.render("start/welcome") + "\n\n" + screen.text, screen.rows))
        return
    await _open(update, context, _welcome_back)


async def _invited(update: Update, context: ContextTypes.DEFAULT_TYPE, token: str) -> None:
    """/start <token> from an invite link: say who invites to what, with Join and No thanks.

    Nothing changes until Join is pressed. Every way a link can fail gets its own plain reason.
    """
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    s = services(context)
    try:
        parsed = sharing.parse_token(token)
        case = s.repo.load_case(parsed.case_id)
        if case is None:
            raise InviteUnknown()
        turn = Turn(s, case, user.id, s.now(), id_from(message.chat_id, message.message_id), message.chat_id)
        screen = join_screen(turn, parsed.secret)
    except JourneyError as refused:
        log.info("refused an invite link: %s", type(refused).__name__)
        await message.reply_text(s.renderer.render(refused.key, **refused.details))
        return
    await send_screen(message, screen)


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
    case = case_of_chat(s, message.chat_id, user.id)
    if case is None:
        await message.reply_text(s.renderer.render("errors/no_case"))
        return
    try:
        require_member(case, user.id)
    except JourneyError as refused:
        await message.reply_text(s.renderer.render(refused.key, **refused.details))
        return
    now = s.now()
    turn = Turn(
        s, case, user.id, now, id_from(message.chat_id, message.message_id), message.chat_id, user.first_name
    )
    had_pending = prompts.leave(case, user.id)
    if had_pending:
        turn.save()
    await send_screen(message, build(turn, had_pending))


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
}


async def on_appointment(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/appointment opens the visit; /appointment 3 Dec 2026 14:30 starts a new one with that time."""
    typed = " ".join(context.args or [])
    if not typed.strip():
        await _open(update, context, lambda turn, _: appointment.show_appointment(turn))
        return

    def start_with_time(turn: Turn, _: bool) -> Screen:
        screen = appointment.ask_time(turn, appointment.NEW)  # the time question, or the zone first
        turn.save()  # the question is open even if the typed time needs another try
        pending = prompts.pending(turn.case, turn.user_id)
        if pending is not None and pending.kind is PromptKind.APPOINTMENT_TIME:
            return messages.answer_screen(turn, typed, update.update_id)
        return screen  # the time zone comes first; the user types the time after it

    await _open(update, context, start_with_time)


async def on_unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.effective_message is not None:
        await update.effective_message.reply_text(services(context).renderer.render("errors/unknown_command"))
