"""A person's data rights on screen: /privacy, /export, /delete, and the notices about unused plans.

/privacy needs no plan (it answers anyone, in private and in groups). /export and /delete are about the
person, across every plan they are in, so they run in a private chat only. /export reads the plans
through the repository off the event loop (`Plans.read`); /delete asks first, then erases plan by plan
through the unit of work (service/erasure.py) once "Yes, delete everything" is pressed.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import datetime
from functools import partial

from telegram import Update
from telegram.ext import ContextTypes

from handlers.menu.taps import MenuTap
from handlers.paper.screens import sheet_file
from handlers.plumbing.dispatch import Press
from handlers.plumbing.reply import send_screen
from handlers.plumbing.turn import OutgoingFile, Screen, Services, Turn, chat_words, plans, services
from handlers.rights.taps import EraseYesTap, KeepPlanTap
from handlers.sharing.screens import plan_name
from journey import language, retention, rights
from journey.access import find_member
from journey.errors import Gone
from journey.models import Reminder, ReminderKind
from service.erasure import erase_person
from storage.repository import CaseRepository
from templates import Renderer

log = logging.getLogger(__name__)

EXPORT_NAME = "second-opinion-export.json"

# The prep sheet joins the export once the paper module exists: a function that makes the sheet of one
# plan, as the person sees it, or None when that plan has nothing to print. Set where the bot is wired.
PrepSheet = Callable[[Turn], OutgoingFile | None]


# --- /privacy -----------------------------------------------------------------------------------------


def privacy_text(s: Services, words: Renderer) -> str:
    return words.render(
        "rights/privacy",
        operator=s.operator_name,
        contact=s.operator_contact,
        months=s.retention_months,
    )


async def on_privacy(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """What is kept, where, for how long, who sees it, and how to take it or delete it. Anyone, anywhere."""
    message, user = update.effective_message, update.effective_user
    if message is not None and user is not None:
        words = await chat_words(context, message.chat_id, user.id, user.language_code)
        await send_screen(message, Screen(privacy_text(services(context), words)))


# --- /export ------------------------------------------------------------------------------------------


def export_screen(
    s: Services,
    repo: CaseRepository,
    user_id: int,
    now: datetime,
    prep_sheet: PrepSheet | None = None,
    language_code: str | None = None,
) -> Screen:
    """Everything stored about the person as one JSON file (and each plan's prep sheet, when there is a
    maker for it). Runs in a worker thread: it reads every plan they are in."""
    theirs = repo.cases_of_user(user_id)
    guess = language.from_telegram(language_code)
    # Their choice in the plan they used last (the list ends with it), else Telegram's guess.
    words = s.words.of(language.of_member(theirs[-1], user_id, guess) if theirs else guess)
    if not theirs:
        return Screen(words.render("rights/nothing_stored"))
    data = rights.export(theirs, user_id, now)
    body = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False).encode()
    files = [OutgoingFile(EXPORT_NAME, body, words.label("export_caption"))]
    if prep_sheet is not None:
        for case in theirs:
            sheet = prep_sheet(Turn(s, case, user_id, now, new_id="export", chat_id=user_id))
            if sheet is not None:
                files.append(sheet)
    text = words.render("rights/export", plans=len(theirs))
    return Screen(text, files=tuple(files))


PREP_SHEET: PrepSheet | None = sheet_file  # each plan's prep sheet goes with the export


async def on_export(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    s = services(context)
    screen = await plans(context).read(partial(_export, s, user.id, user.language_code, PREP_SHEET))
    await send_screen(message, screen)
    log.info("sent an export (%d files)", len(screen.files))


def _export(
    s: Services, user_id: int, code: str | None, prep_sheet: PrepSheet | None, repo: CaseRepository
) -> Screen:
    return export_screen(s, repo, user_id, s.now(), prep_sheet, code)


# --- /delete ------------------------------------------------------------------------------------------


def show_erase(turn: Turn) -> Screen:
    """Says in plain words what goes: plans they own (for everyone), their place in the others."""
    if turn.in_group:
        raise Gone()  # about the person: only in their private chat
    theirs = turn.services.repo.cases_of_user(turn.user_id)
    owned = [plan_name(turn, c) for c in theirs if rights.owns(c, turn.user_id)]
    helped = [plan_name(turn, c) for c in theirs if not rights.owns(c, turn.user_id)]
    rows = [
        [turn.button(turn.label("erase_yes"), EraseYesTap())],
        [turn.button(turn.label("erase_no"), MenuTap())],
    ]
    return turn.screen("rights/confirm_delete", rows, owned=owned, helped=helped)


def on_erase_yes(turn: Turn, _: EraseYesTap) -> Screen:
    """Pressed: the confirmation turns into "Deleting...", and the erasing follows (`erase_then`), plan by
    plan. Nothing changes in this plan's own unit of work."""
    if turn.in_group:
        raise Gone()
    return Screen(turn.render("rights/erasing"))


async def erase_then(context: ContextTypes.DEFAULT_TYPE, press: Press) -> Screen | None:
    if press.chat_id != press.user_id:
        return None
    words = await chat_words(context, press.chat_id, press.user_id, press.language_code)  # before it goes
    erased = await erase_person(plans(context), press.user_id, press.user_id, words.render("someone"))
    return Screen(words.render("rights/erased", deleted=erased.deleted, left=erased.left))


# --- retention ------------------------------------------------------------------------------------------


def retention_screen(turn: Turn, reminder: Reminder) -> Screen:
    """The owner's notice that the plan will be deleted (with "Keep this plan"), or word that it was."""
    plan = plan_name(turn)
    if reminder.kind is ReminderKind.RETENTION_END:
        return Screen(turn.render("rights/expired_owner", plan=plan, months=turn.services.retention_months))
    rows = [[turn.button(turn.label("keep_plan"), KeepPlanTap())]]
    ends = retention.ends_at(reminder)
    return turn.screen(
        "rights/notice", rows, plan=plan, ends=ends, zone=_zone(turn), months=turn.services.retention_months
    )


def _zone(turn: Turn) -> str:
    member = find_member(turn.case, turn.user_id)
    return (member.settings.zone if member else None) or str(turn.services.zone)


def on_keep_plan(turn: Turn, _: KeepPlanTap) -> Screen:
    """Saved like any change, so the time without use starts again (service/work.py)."""
    rows = [[turn.button(turn.label("menu"), MenuTap())]]
    return turn.screen("rights/kept", rows, plan=plan_name(turn), months=turn.services.retention_months)
