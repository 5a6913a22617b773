"""Advice tailored to the reasons given at the start: the rule (journey/tailor.py) and what the screens say."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from handlers.menu import screens as menu
from handlers.specialist import screens as specialist
from journey import cases, tailor
from journey.models import Reason, Urgency
from journey.tailor import Tip
from tests.unit.factories import new_case
from tests.unit.test_screens import RENDERER, turn_for

SAFE_WAIT = "It is fine to ask your care team how long it is safe to wait."
PATHOLOGY = "Ask about a pathology review"
EXPERT = "Look for a doctor who treats many people with your type of cancer."
TRIALS = "Ask each doctor if a clinical trial could fit you."


def tips_for(*reasons: Reason, urgency: Urgency | None = None) -> list[Tip]:
    case = new_case()
    case.profile.reasons = list(reasons)
    if urgency is not None:
        cases.set_urgency(case, urgency)
    return tailor.tips(case)


def test_each_reason_gets_the_advice_the_articles_give() -> None:
    assert tips_for(Reason.RARE_OR_UNCLEAR) == [Tip.PATHOLOGY, Tip.EXPERT]
    assert tips_for(Reason.CAME_BACK) == [Tip.PATHOLOGY, Tip.EXPERT, Tip.TRIALS]
    assert tips_for(Reason.TRIALS) == [Tip.TRIALS]
    assert tips_for(Reason.RUSHED) == [Tip.SAFE_WAIT]
    assert tips_for(Reason.LITTLE_EXPERIENCE) == [Tip.EXPERT]
    assert tips_for(Reason.CONFLICTING_ADVICE, Reason.NOT_COMFORTABLE) == []
    assert tips_for() == []


def test_a_time_sensitive_plan_is_not_told_twice_to_ask_how_long_to_wait() -> None:
    assert tips_for(Reason.RUSHED, urgency=Urgency.SOON) == []
    assert tips_for(Reason.RUSHED, urgency=Urgency.NOT_SOON) == [Tip.SAFE_WAIT]


@given(st.lists(st.sampled_from(Reason)))
def test_tips_are_each_said_once_in_a_fixed_order(reasons: list[Reason]) -> None:
    found = tips_for(*reasons)
    assert len(found) == len(set(found))
    assert found == sorted(found, key=list(Tip).index)


def test_every_tip_has_words() -> None:
    for tip in Tip:
        assert RENDERER.render(f"tips/{tip.value}").strip()


def test_the_menu_shows_one_or_two_lines_for_the_reasons() -> None:
    case = new_case()
    case.profile.reasons = [Reason.RUSHED]
    assert SAFE_WAIT in menu.show_menu(turn_for(case)).text
    case.profile.reasons = [Reason.CAME_BACK]
    text = menu.show_menu(turn_for(case)).text
    assert PATHOLOGY in text and EXPERT in text and TRIALS not in text  # two lines at most
    case.profile.reasons = [Reason.CONFLICTING_ADVICE]
    assert "💡" not in menu.show_menu(turn_for(case)).text


def test_the_specialist_step_shows_the_advice_about_whom_to_see() -> None:
    case = new_case()
    case.profile.reasons = [Reason.CAME_BACK, Reason.RUSHED]
    text = specialist.show_specialist(turn_for(case)).text
    assert PATHOLOGY in text and TRIALS in text
    assert SAFE_WAIT not in text  # that one is on the menu
