"""The optional first questions: who the patient is, the diagnosis, why a second opinion, urgency."""

from __future__ import annotations

from handlers.menu import screens as menu
from handlers.onboarding.taps import ReasonsDoneTap, ReasonTap, UrgencyAnswer, UrgencyTap
from handlers.plumbing.turn import Screen, Turn, toggles
from journey import cases
from journey.models import Reason


def show_reasons(turn: Turn, _: ReasonTap | None = None) -> Screen:
    labels = turn.words.content.reasons
    rows = toggles(
        turn,
        Reason,
        turn.case.profile.reasons.__contains__,
        lambda r: labels[r].label,
        ReasonTap,
    )
    rows.append([turn.button(turn.label("done"), ReasonsDoneTap())])
    return turn.screen("onboarding/reasons", rows)


def on_reason(turn: Turn, tap: ReasonTap) -> Screen:
    cases.toggle_reason(turn.case, tap.reason, tap.on)
    return show_reasons(turn)


def show_urgency(turn: Turn, _: ReasonsDoneTap | None = None) -> Screen:
    answers = [a for a in UrgencyAnswer if a is not UrgencyAnswer.NONE]
    rows = [[turn.button(turn.label(f"urgency_{a.value}"), UrgencyTap(a))] for a in answers]
    rows.append([turn.button(turn.label("skip"), UrgencyTap(UrgencyAnswer.NONE))])
    return turn.screen("onboarding/urgency", rows)


def on_urgency(turn: Turn, tap: UrgencyTap) -> Screen:
    cases.set_urgency(turn.case, tap.answer.urgency)
    screen = menu.show_menu(turn)
    return Screen(turn.render("onboarding/done") + "\n\n" + screen.text, screen.rows)
