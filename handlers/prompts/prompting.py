"""Asking for typed answers, and where the user lands once a chain of questions is done."""

from __future__ import annotations

import logging

from handlers.insurance import screens as insurance
from handlers.menu import screens as menu
from handlers.onboarding import screens as onboarding
from handlers.outcome import screens as outcome
from handlers.plumbing.callbacks import InvalidButton
from handlers.plumbing.turn import Screen, Turn
from handlers.prompts.asking import show_prompt
from handlers.prompts.taps import CancelTap, SetZoneTap, SkipTap
from handlers.questions import screens as questions
from handlers.records import screens as records
from handlers.settings import screens as settings_screen
from handlers.specialist import screens as specialist
from handlers.visit import mode, picker
from handlers.visit import screens as appointment
from journey import prompts, visit_mode
from journey.errors import Gone, JourneyError
from journey.models import PromptKind, RecordKind
from journey.targets import VisitTarget, zone_leads_to_settings
from journey.zones import COMMON_ZONES

K = PromptKind

log = logging.getLogger(__name__)


def after(turn: Turn, step: prompts.PromptStep) -> Screen:
    """The next question in the chain, or the screen the chain belongs to."""
    if step.proposed is not None:
        return appointment.propose(turn, step.proposed, VisitTarget.read(step.answered.target))
    if step.next is not None:
        return show_prompt(turn, step.next)
    answered = step.answered
    target = answered.target or ""
    match answered.kind:
        case K.DIAGNOSIS:
            return onboarding.show_reasons(turn)
        case K.CANDIDATE_NOTES:
            return specialist.candidate_screen(turn, target)
        case K.RECORD_REQUESTED_FROM:
            return records.item_screen(turn, RecordKind(target))
        case K.CALL_NOTES:
            return insurance.calls_screen(turn, 0)
        case K.EXPECTED_COST:
            return insurance.show_insurance(turn)
        case K.OWN_QUESTION:
            return questions.list_screen(turn, 0)
        case K.APPOINTMENT_DETAIL:
            return appointment.after_detail(turn, target)
        case K.VISIT_NOTE:
            return _after_note(turn, visit_mode.NoteTarget.read(target))
        case K.VISIT_ANSWER:
            return mode.after_answer(turn, target)
        case K.VISIT_ADVICE | K.FIRST_PLAN:
            return outcome.after_typed(turn, target)
        case K.ZONE:
            return after_zone(turn, target, answered.held)
        case _:
            return menu.show_menu(turn)


def _after_note(turn: Turn, note: visit_mode.NoteTarget) -> Screen:
    """Back where the note was asked: visit mode (still at the visit), or the visit's screen."""
    saved = turn.render("appointment/note_saved")
    if note.in_mode:
        return mode.mode_screen(turn, note.visit_id).with_head(saved)
    return appointment.visit_screen(turn, note.visit_id).with_head(saved)


def after_zone(turn: Turn, target: str, held: str | None = None) -> Screen:
    """Where the zone question leads: settings, on to the visit's time (a time typed with /appointment
    and held by the zone question is read now, in that zone), or back to the visit."""
    if zone_leads_to_settings(target):
        return settings_screen.show_settings(turn)
    visit = VisitTarget.read(target)
    if visit.visit_id is None:
        question = appointment.ask_time(turn, visit)
        return question if held is None else _read_held(turn, held, question)
    return appointment.visit_screen(turn, visit.visit_id)


def _read_held(turn: Turn, held: str, question: Screen) -> Screen:
    """The held time as if typed now to the time question just asked: the same reading and read-back to
    confirm; a time that does not read gets the same taps or reason, with the question to try again."""
    pending = prompts.pending(turn.case, turn.user_id)
    target = pending.target if pending is not None else None
    try:
        # The bot answers on the person's behalf (where=None): the words came with their own command.
        step = prompts.answer(
            turn.case, turn.user_id, held, turn.new_id, turn.now, turn.today, locale=turn.typist_language
        )
    except JourneyError as refused:
        log.info("held time not read: %s", type(refused).__name__)
        taps = picker.after_reading_error(turn, refused, target or "")
        return taps or question.with_head(turn.render(refused.key, **refused.details))
    return after(turn, step)


def on_set_zone(turn: Turn, tap: SetZoneTap) -> Screen:
    """A zone button under the zone question: index into COMMON_ZONES, then the same path as typing."""
    if not tap.index < len(COMMON_ZONES):
        raise InvalidButton()
    step = prompts.answer_zone(turn.case, turn.user_id, COMMON_ZONES[tap.index], tap.target, turn.where)
    return after(turn, step)


def on_skip(turn: Turn, tap: SkipTap) -> Screen:
    """Skip the question this button was shown with; a Skip from an older question is stale."""
    pending = prompts.pending(turn.case, turn.user_id)
    if pending is None or pending.kind is not tap.kind:
        raise Gone()
    return after(turn, prompts.skip(turn.case, turn.user_id, turn.new_id, turn.today, turn.where))


def on_cancel(turn: Turn, _: CancelTap) -> Screen:
    """Cancel: the dispatcher has already dropped the prompt; say so and go back to the menu."""
    screen = menu.show_menu(turn)
    return Screen(turn.render("cancelled") + "\n\n" + screen.text, screen.rows)
