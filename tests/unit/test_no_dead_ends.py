"""No screen is a dead end: every screen has a button to go on (a Back, the Menu, or the next thing),
and a screen that only waits for typed text has Cancel. "Do this now" opens where the next action is done.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from handlers.menu import screens as menu
from handlers.plumbing.callbacks import decode
from handlers.plumbing.turn import Screen
from handlers.records.taps import RecordTap
from handlers.specialist import screens as specialist
from handlers.specialist.taps import AddCandidateTap, CandidateTap
from journey import specialist as sp
from journey.models import CandidateStatus, Case, Member, RecordStatus, Role
from tests.unit.factories import new_case
from tests.unit.test_screens import RENDERER, SCREENS, full_case, turn_for, with_visit

# Rendered here from their template alone (the real offer screen adds its buttons in handlers/prompts/offers.py),
# and the word that a plan was deleted, sent when there is no plan left to open.
WITHOUT_BUTTONS = {name for name in SCREENS if name.startswith("offer ")} | {"reminder keep_end"}


def labels(screen: Screen) -> list[str]:
    return [button.text for row in screen.rows for button in row]


@pytest.mark.parametrize("name", sorted(set(SCREENS) - WITHOUT_BUTTONS))
@pytest.mark.parametrize("make_case", [new_case, full_case], ids=["empty", "full"])
def test_every_screen_has_a_way_on(name: str, make_case: Callable[[], Case]) -> None:
    case = with_visit(make_case())
    if name.startswith(("candidate", "call script")) and not case.specialist.candidates:
        pytest.skip("no candidates in an empty case")
    if name == "delete note?" and not case.notes:
        pytest.skip("no notes in an empty case")
    shown = labels(SCREENS[name](turn_for(case)))
    assert shown, f"{name}: no button, a dead end"
    if name.startswith("prompt "):
        assert RENDERER.label("cancel") in shown, f"{name}: a question with no Cancel"


def do_this_now(case: Case, user_id: int | None = None) -> object:
    turn = turn_for(case)
    if user_id is not None:
        turn.user_id = user_id
    screen = menu.show_menu(turn)
    row = screen.rows[0]
    assert [b.text for b in row] == [RENDERER.label("do_next")]
    return decode(str(row[0].callback_data)).tap


def test_do_this_now_opens_where_the_next_action_is_done() -> None:
    case = new_case()
    assert do_this_now(case) == AddCandidateTap()
    sp.add_candidate(case, "c1", "Dr. Rivera")
    assert do_this_now(case) == CandidateTap("c1")
    sp.set_candidate_status(case, "c1", CandidateStatus.BOOKED)
    first = case.records.items[0]
    assert do_this_now(case) == RecordTap(first.kind)
    for item in case.records.items:
        item.status = RecordStatus.RECEIVED
    assert do_this_now(case) == RecordTap(first.kind)  # received, not yet sent


def test_do_this_now_is_on_progress_too() -> None:
    case = full_case()
    progress = menu.show_progress(turn_for(case))
    assert RENDERER.label("do_next") in labels(progress)


def test_someone_who_can_only_look_is_not_sent_to_a_question() -> None:
    case = new_case()
    viewer = 4242
    case.members.append(Member(user_id=viewer, role=Role.VIEWER, name="Sam"))
    tap = do_this_now(case, viewer)
    assert not isinstance(tap, AddCandidateTap)


def test_where_to_look_fits_a_phone_screen_and_adds_a_doctor() -> None:
    screen = specialist.show_where(turn_for(new_case()))
    assert len(screen.text) <= 900
    assert RENDERER.label("add_candidate") in labels(screen)
    assert RENDERER.label("back") in labels(screen)


def test_a_screen_without_buttons_ends_with_a_command_to_type() -> None:
    """The word that an owner's plan was deleted has no plan left for a button to open: its last sentence says
    what to type instead. (The offer screens get their buttons in handlers/prompts/offers.py, tested in
    tests/e2e/test_typed_offers.py.)"""
    screen = SCREENS["reminder keep_end"](turn_for(with_visit(new_case())))
    assert not screen.rows
    last = screen.text.strip().rsplit(". ", 1)[-1]
    assert "/start" in last, last
