"""Property-based: any button data at all, and any value in any field of any button, in several states.

A forged or garbled button, a huge day, a year 0, an id that names nothing: the press never raises past
the dispatcher, gets words back (or is quietly answered), and a refused press changes nothing.
"""

from __future__ import annotations

import asyncio
import copy
import enum
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from handlers.plumbing.callbacks import Tap, encode, fields_of, registered
from handlers.plumbing.turn import Services
from handlers.routes import ALL
from journey.access import find_member
from journey.models import Case, Prompt, PromptKind
from service.work import Plans
from storage import InMemoryCaseRepository
from tests.unit.factories import NOW, OWNER, VIEWER
from tests.unit.test_rights_replay import CASE, WORDS, World, press, seed, typed_text

TAPS = sorted(registered().values(), key=lambda kind: kind.code)
# Ids that name something in the seed plan, so a forged press can reach deep into the rules.
KNOWN = [
    "c1",
    "a1",
    "k1",
    "q1",
    "i1",
    "new",
    "settings",
    "a1.doctor",
    "c-c1",
    "labs",
    str(OWNER),
    str(VIEWER),
]
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def field_values(kind: type) -> st.SearchStrategy[Any]:
    if kind is bool:
        return st.booleans()
    if kind is int:
        edges = st.sampled_from([0, 1, 9, 12, 23, 24, 59, 60, 99, 366, 9999, 10**6, 10**12, 10**23])
        return st.one_of(edges, st.integers(min_value=0, max_value=10**24 - 1))
    if kind is str:
        return st.one_of(st.sampled_from(KNOWN), st.from_regex(r"[A-Za-z0-9_-]{1,24}", fullmatch=True))
    assert issubclass(kind, enum.Enum)
    return st.sampled_from(list(kind))


@st.composite
def any_tap(draw: st.DrawFn) -> Tap:
    kind = draw(st.sampled_from(TAPS))
    values = {name: draw(field_values(field_type)) for name, field_type in fields_of(kind)}
    made: Tap = kind(**values)
    return made


def states() -> list[Case]:
    """The plan as it is, and with the owner in the middle of each question with buttons under it."""
    plain = seed()
    found = [plain]
    for kind, target in (
        (PromptKind.ZONE, "a1"),
        (PromptKind.APPOINTMENT_TIME, "new"),
        (PromptKind.CALL_WHO, None),
    ):
        case = copy.deepcopy(plain)
        owner = find_member(case, OWNER)
        assert owner is not None
        owner.prompt = Prompt(kind, target, OWNER, 10)
        found.append(case)
    return found


STATES = states()


def new_world() -> World:
    repo = InMemoryCaseRepository()
    services = Services(repo, WORDS, lambda: NOW, ZoneInfo("America/Chicago"))
    return World(repo, Plans(repo, lambda: NOW), services, STATES[0])


@SETTINGS
@given(tap=any_tap(), state=st.sampled_from(range(len(STATES))), user=st.sampled_from([OWNER, VIEWER]))
def test_any_value_in_any_button_is_handled(tap: Tap, state: int, user: int) -> None:
    try:
        data = encode(CASE, tap)
    except ValueError:
        assume(False)  # longer than Telegram allows: no button can carry it
        return
    world = new_world()
    world.reset(STATES[state])
    before = world.stored()
    pressed = asyncio.run(press(world, data, user, user))
    if pressed.refused is not None or pressed.stale or pressed.unchanged:
        assert world.stored() == before, data
    assert pressed.unchanged or pressed.words().strip(), data
    assert type(tap) in ALL


@SETTINGS
@given(data=st.one_of(st.text(max_size=80), st.from_regex(r"1:[a-zA-Z]{1,4}:case-0001(:[^:]{0,12}){0,4}")))
def test_any_data_at_all_is_refused_kindly_and_changes_nothing(data: str) -> None:
    world = new_world()
    world.reset()
    before = world.stored()
    pressed = asyncio.run(press(world, data, OWNER, OWNER))
    if pressed.refused is not None or pressed.stale or pressed.unchanged:
        assert world.stored() == before
    assert pressed.unchanged or pressed.words().strip()


@SETTINGS
@given(
    kind=st.sampled_from(list(PromptKind)),
    target=st.one_of(st.none(), st.sampled_from(KNOWN), st.text(max_size=30)),
    text=st.text(max_size=700),
)
def test_any_text_as_the_answer_to_any_question_is_handled(
    kind: PromptKind, target: str | None, text: str
) -> None:
    """Whatever the question (even one whose target names nothing) and whatever the words: a reply, and a
    refusal changes nothing."""
    assume(text.strip())
    world = new_world()
    case = copy.deepcopy(STATES[0])
    owner = find_member(case, OWNER)
    assert owner is not None
    owner.prompt = Prompt(kind, target, OWNER, 10)
    world.reset(case)
    screen = asyncio.run(typed_text(world, OWNER, OWNER, text))
    assert screen is not None and screen.text.strip()
