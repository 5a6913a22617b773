"""Text typed when no question was asked: offer it a place (journey/offers.py decides which), and what
Yes and No under the offer do.

The words stay on the member (`Member.offer`) until the next tap; the buttons carry only the choice and
the typed message they are about, never the words.
"""

from __future__ import annotations

import logging

from handlers.menu.taps import MenuTap
from handlers.notes import screens as notes_screens
from handlers.plumbing.turn import Screen, Turn
from handlers.prompts.asking import show_prompt
from handlers.prompts.taps import AcceptOfferTap, DeclineOfferTap
from handlers.questions import screens as questions_screens
from handlers.specialist import screens as specialist_screens
from handlers.visit import picker
from handlers.visit import screens as appointment
from handlers.visit.taps import ConfirmTimeTap
from journey import notes, offers, prompts, questions, specialist
from journey.access import Right, may
from journey.errors import JourneyError
from journey.models import Offer, OfferKind, PromptKind
from journey.targets import NEW_VISIT

log = logging.getLogger(__name__)

K = OfferKind


def offer_screen(turn: Turn, text: str, update_id: int) -> Screen:
    """Where these words might go, asked with Yes and No; a kind line first when they speak of distress.

    Nothing of the plan changes here: the offer is kept on the member for their next tap."""
    member_zone = _zone(turn)
    try:
        found = offers.classify(text, turn.now, member_zone, locale=turn.typist_language)
    except JourneyError as refused:  # empty, or longer than any place can hold
        return _with_menu(turn, turn.render(refused.key, **refused.details))
    if not found.distress:
        return _offer(turn, found, update_id)
    kind_line = turn.render("offers/distress")
    if found.kind is None:  # a feeling alone: the kind line, and nothing kept
        return _with_menu(turn, kind_line)
    return _offer(turn, found, update_id).with_head(kind_line)


def _zone(turn: Turn) -> str | None:
    member = next(m for m in turn.case.members if m.user_id == turn.user_id)
    return member.settings.zone


def _offer(turn: Turn, found: offers.Classified, update_id: int) -> Screen:
    if found.kind is None:  # a thank-you: nothing to place
        return _with_menu(turn, turn.render("errors/nothing_pending"))
    if not may(turn.case, turn.user_id, Right.EDIT):
        return _with_menu(turn, turn.render("errors/read_only"))
    message = turn.message_id or 0  # the typed message: only the buttons under its offer act on it
    try:
        offer = offers.keep(turn.case, turn.user_id, found, turn.now, turn.chat_id, message)
    except JourneyError as refused:  # the list it would go on is full: said before the tap
        log.info("no offer for typed text: %s", type(refused).__name__)
        return _with_menu(turn, turn.render(refused.key, **refused.details))
    turn.save(update_id)
    yes = turn.label(f"offer_yes_{offer.kind.value}")
    rows = [
        [
            turn.button(yes, AcceptOfferTap(offer.kind, message)),
            turn.button(turn.label("offer_no"), DeclineOfferTap()),
        ],
        [turn.button(turn.label("menu"), MenuTap())],
    ]
    return turn.screen(f"offers/{offer.kind.value}", rows, offer=offer, zone=_zone(turn))


def _with_menu(turn: Turn, text: str) -> Screen:
    return Screen(text, ((turn.button(turn.label("menu"), MenuTap()),),))


def on_accept(turn: Turn, tap: AcceptOfferTap) -> Screen:
    """Yes: put the words where they were offered, as the usual screen for that place does."""
    if tap.kind is K.VISIT:
        return _accept_visit(
            turn, offers.offered(turn.case, turn.user_id, tap.kind, tap.message, turn.chat_id)
        )
    offer = offers.take(turn.case, turn.user_id, tap.kind, tap.message, turn.chat_id)
    match offer.kind:
        case K.QUESTION:
            questions.add_own_question(turn.case, turn.new_id, offer.text)
            page = (len(turn.case.questions.chosen) - 1) // 5
            screen = questions_screens.list_screen(turn, page)
        case K.DOCTOR:
            doctor = specialist.add_candidate(turn.case, turn.new_id, offer.text)
            screen = specialist_screens.candidate_screen(turn, doctor.id)
        case _:
            notes.add_note(turn.case, turn.new_id, offer.text, turn.now, turn.user_id)
            screen = notes_screens.list_screen(turn, 0)
    return screen.with_head(turn.render(f"offers/added_{offer.kind.value}"))


def _accept_visit(turn: Turn, offer: Offer) -> Screen:
    """A time read back in the offer is saved as /appointment's confirm saves it; a time the bot must ask
    about (which day, or the zone first) goes into the time question, the typed words as its answer."""
    if offer.starts_at is not None:
        minutes = appointment.epoch_minutes(offer.starts_at)
        return appointment.on_confirm(turn, ConfirmTimeTap(minutes, NEW_VISIT.text()))
    # The zone first, if the member has none: the zone question holds the typed time, as for
    # /appointment <time>, and reads it once the zone is known (prompting.after_zone).
    screen = appointment.ask_time(turn, NEW_VISIT, typed=offer.text)
    pending = prompts.pending(turn.case, turn.user_id)
    if pending is None or pending.kind is not PromptKind.APPOINTMENT_TIME:
        offers.drop(turn.case, turn.user_id)
        return screen
    return time_answer(turn, offer)


def time_answer(turn: Turn, offer: Offer) -> Screen:
    """The offered words as the answer to the time question just asked: the time to confirm, or the
    question again with what it needs (which day, which hour), as if the member had typed them there."""
    offers.drop(turn.case, turn.user_id)
    try:
        step = prompts.answer(
            turn.case,
            turn.user_id,
            offer.text,
            turn.new_id,
            turn.now,
            turn.today,
            None,
            locale=turn.typist_language,
        )
    except JourneyError as refused:
        pending = prompts.pending(turn.case, turn.user_id)
        if pending is None:
            return Screen(turn.render(refused.key, **refused.details))
        taps = picker.after_reading_error(turn, refused, pending.target or "")
        return taps or show_prompt(turn, pending).with_head(turn.render(refused.key, **refused.details))
    if step.proposed is None:  # cannot be: the time question always proposes
        return show_prompt(turn, step.answered)
    return appointment.propose(turn, step.proposed, NEW_VISIT)


def on_decline(turn: Turn, _: DeclineOfferTap) -> Screen:
    """No: the dispatcher has already dropped the offer (a tap leaves it); nothing was saved."""
    return _with_menu(turn, turn.render("offers/declined"))
