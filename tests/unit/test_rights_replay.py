"""Every button the owner can press and every question the owner can answer, replayed by people who may not.

In process (the real routes, the real unit of work, an in-memory store), so the whole button surface runs
in seconds: a viewer, a removed member, someone in the family group who is not in the plan, and a stranger
each try what the owner can do. Nothing they may not do changes the stored plan, and each gets a reply
in words. The owner's own presses show the replay is real: the same buttons do change the plan.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from handlers import commands
from handlers.onboarding import screens as onboarding
from handlers.plumbing import dispatch
from handlers.plumbing.callbacks import InvalidButton, Tap, decode, registered
from handlers.plumbing.dispatch import Access, Press, Unchanged
from handlers.plumbing.turn import Screen, Services, Turn
from handlers.prompts import offers, typed
from handlers.reminders import screens as reminder_views
from handlers.rights import screens as rights_views
from handlers.routes import ALL
from journey import (
    appointments,
    insurance,
    notes,
    outcome,
    questions,
    records,
    reminders,
    retention,
    sharing,
    specialist,
)
from journey.access import find_member
from journey.errors import JourneyError
from journey.models import Case, Member, OpinionSays, Prompt, PromptKind, RecordKind, RecordStatus, Role
from journey.targets import SETTINGS
from service.work import Plans, Work
from storage import InMemoryCaseRepository, case_to_dict
from templates import Words
from tests.unit.factories import NOW, OWNER, STRANGER, TODAY, VIEWER, new_case

CASE = "case-0001"
EDITOR = 333
REMOVED = 444  # was in the plan, taken off: the old buttons and chat link still point at it
OUTSIDER = 555  # in the family group chat, never in the plan
GROUP = -100123
BOT_MESSAGE = 90  # a message of the bot in each chat, sent after every question was asked
WORDS = Words()
RENDERER = WORDS.default
K = PromptKind


def seed() -> Case:
    """A plan with something in every step, a visit, reminders, an open invite and a linked group."""
    case = new_case(CASE)  # the owner and a viewer; the invite rules that add people have their own tests
    case.members[0].name, case.members[1].name = "Olivia", "Victor"
    case.members.append(Member(EDITOR, Role.EDITOR, name="Edith"))
    case.profile.patient_name = "Ann"
    case.profile.onboarded = True
    case.profile.decide_by = TODAY + timedelta(days=7)  # before the visit: its warnings show, "Remove" too
    specialist.add_candidate(case, "c1", "Dr. Rivera")
    records.set_status(case, RecordKind.LABS, RecordStatus.REQUESTED, TODAY)
    records.set_requested_from(case, RecordKind.LABS, "City Lab")  # so the records letter is offered
    insurance.start_call(case, "k1", TODAY, who="Sam")
    questions.add_own_question(case, "q1", "How sure are you?")
    notes.add_note(case, "n1", "Bring the scans", NOW, OWNER)
    appointments.add(case, "a1", NOW + timedelta(days=10), "America/Chicago", NOW)
    # A visit that is over, with what it said: /outcome, side by side, "Get a third opinion".
    appointments.add(case, "a0", NOW - timedelta(days=3), "America/Chicago", NOW - timedelta(days=20))
    outcome.set_says(case, "a0", OpinionSays.CHANGES)
    sharing.create_invite(case, OWNER, Role.VIEWER, NOW, "i1")
    sharing.link_group(case, GROUP, OWNER, NOW)
    reminders.replan(case, NOW)
    return case


@dataclass
class World:
    repo: InMemoryCaseRepository
    plans: Plans
    services: Services
    start: Case
    update_id: int = 1000

    def reset(self, case: Case | None = None) -> None:
        self.repo.save_case(copy.deepcopy(case or self.start))
        for chat in (OWNER, VIEWER, EDITOR, REMOVED, GROUP):
            self.repo.link_chat(chat, CASE)

    def stored(self) -> dict[str, Any]:
        case = self.repo.load_case(CASE)
        return {} if case is None else case_to_dict(case)  # {}: deleted

    def next_update(self) -> int:
        self.update_id += 1
        return self.update_id


@pytest.fixture
def world() -> Iterator[World]:
    repo = InMemoryCaseRepository()
    services = Services(repo, WORDS, lambda: NOW, ZoneInfo("America/Chicago"))
    world = World(repo, Plans(repo, lambda: NOW), services, seed())
    world.reset()
    yield world


# --- pressing -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pressed:
    screen: Screen | None = None
    refused: JourneyError | None = None
    stale: bool = False
    unchanged: bool = False

    def words(self) -> str:
        """What the person reads: the refusal's kind reply, or the screen."""
        if self.refused is not None:
            return RENDERER.render(self.refused.key, **self.refused.details)
        if self.stale:
            return RENDERER.render("errors/stale_button")
        return self.screen.text if self.screen is not None else ""


async def press(world: World, data: str, user: int, chat: int) -> Pressed:
    """A button press, as dispatch.press_button handles it, without Telegram around it."""
    update_id = world.next_update()
    try:
        case_id, tap = decode(data)
        screen = await world.plans.run(
            case_id,
            partial(dispatch._press, world.services, ALL, tap, Press(user, "Name", chat, "q", update_id)),
            actor=user,
            actor_name="Name",
            chat_id=chat,
            update_id=update_id,
            message_id=BOT_MESSAGE,
        )
    except Unchanged:
        return Pressed(unchanged=True)
    except InvalidButton:
        return Pressed(stale=True)
    except JourneyError as refused:
        return Pressed(refused=refused)
    return Pressed(screen=screen)


def buttons_of(screen: Screen | None) -> list[str]:
    if screen is None:
        return []
    return [str(b.callback_data) for row in screen.rows for b in row if b.callback_data is not None]


async def open_screen(world: World, build: Callable[[Turn], Screen]) -> Screen | None:
    def decide(work: Work) -> Screen | None:
        assert work.case is not None
        return build(Turn.of(world.services, work, work.case, "cmd"))

    result: Screen | None = await world.plans.run(CASE, decide, actor=OWNER, chat_id=OWNER)
    return result


def roots() -> list[Callable[[Turn], Screen]]:
    """Where the owner starts: every command's screen, the onboarding questions, each reminder message."""
    start: list[Callable[[Turn], Screen]] = [
        *commands.SCREENS.values(),
        onboarding.show_reasons,
        onboarding.show_urgency,
    ]
    for reminder in seed().reminders:
        start.append(partial(reminder_views.reminder_screen, reminder=reminder))
    for typed_words in OFFERED:  # text typed outside a question, offered a place
        start.append(partial(offers.offer_screen, text=typed_words, update_id=1))
    # /delete (its own command: it first looks whether the person is in any plan), and the owner's notice
    # that the unused plan will be deleted.
    start.append(rights_views.show_erase)
    for reminder in retention.planned(seed(), retention.Retention(), NOW)[:1]:
        start.append(partial(reminder_views.reminder_screen, reminder=reminder))
    return start


# Typed with no question pending: a question, a doctor, a note, a visit time (no zone yet: asked first).
OFFERED = ("What are my options?", "Dr. Chen", "Bring the scans", "Friday 11 December 2026 9:30am")


PER_KIND = 4  # presses sampled per kind of button (a day picker has dozens of the same kind)


@dataclass(frozen=True)
class Found:
    state: Case  # the plan as it was when the button was on the screen (a pending question, say)
    owner: Pressed


async def owner_buttons(world: World) -> dict[str, Found]:
    """Every kind of button the owner can reach, pressing on through each screen from the plan it showed."""
    found: dict[str, Found] = {}
    per_kind: dict[type[Tap], int] = {}
    queue: list[tuple[str, Case]] = []
    for build in roots():
        world.reset()
        screen = await open_screen(world, build)
        queue += [(data, current(world)) for data in buttons_of(screen)]
    while queue:
        data, state = queue.pop(0)
        kind = type(decode(data)[1])
        if data in found or per_kind.get(kind, 0) >= PER_KIND:
            continue
        per_kind[kind] = per_kind.get(kind, 0) + 1
        world.reset(state)
        pressed = await press(world, data, OWNER, OWNER)
        found[data] = Found(state, pressed)
        queue += [(more, current(world)) for more in buttons_of(pressed.screen)]
    return found


def current(world: World) -> Case:
    case = world.repo.load_case(CASE)
    assert case is not None
    return case


def plan_part(doc: dict[str, Any], viewer_may_change: bool) -> dict[str, Any]:
    """The stored plan, less what a viewer may change of their own (their entry, their "Later", news)."""
    if not viewer_may_change:
        return doc
    kept = {k: v for k, v in doc.items() if k not in ("reminders", "outbox", "updated_at")}
    kept["members"] = [m for m in doc["members"] if m["user_id"] != VIEWER]
    return kept


OTHERS = {
    "a removed member": (REMOVED, REMOVED),
    "a group member outside the plan": (OUTSIDER, GROUP),
    "a stranger": (STRANGER, STRANGER),
}


async def test_every_owner_button_replayed_by_people_who_may_not(world: World) -> None:
    found = await owner_buttons(world)
    changed_by_owner = 0
    for data, seen in found.items():
        world.reset(seen.state)
        before = world.stored()
        await press(world, data, OWNER, OWNER)
        changed_by_owner += world.stored() != before

        route = ALL[type(decode(data)[1])]
        for who, (user, chat) in {"a viewer": (VIEWER, VIEWER), **OTHERS}.items():
            world.reset(seen.state)
            pressed = await press(world, data, user, chat)
            after = world.stored()
            may_own = user == VIEWER and route.access in (Access.READ, Access.OWN)
            assert plan_part(after, may_own) == plan_part(before, may_own), (
                f"{who} changed the plan with {data}"
            )
            if route.access is Access.SELF:
                pass  # checks its own proof (an invite's secret) or acts only for the person (a new plan)
            elif user != VIEWER:
                assert pressed.refused is not None or pressed.stale or pressed.unchanged, (who, data)
            elif route.access is Access.EDIT:
                assert pressed.refused is not None, f"a viewer was not refused {data}"
            assert pressed.unchanged or pressed.words().strip(), (who, data)
    assert changed_by_owner >= 40  # the replay is real: the owner's presses do change the plan


async def test_unreached_buttons_are_the_ones_under_letters(world: World) -> None:
    """Buttons the owner's walk cannot reach are only these: someone else's (an invite's Join, a helper's
    Leave) or ones that need a file sent first. Named, so a new screen's buttons are never left out."""
    found = await owner_buttons(world)
    reached = {type(decode(data)[1]).__name__ for data in found}
    unreached = {kind.__name__ for kind in registered().values()} - reached
    assert unreached <= UNDER_LETTERS, sorted(unreached - UNDER_LETTERS)


# (SettingsTap: no screen shows it today; kept so the button on messages already sent still works.
# CasesPageTap: only someone in more than 8 plans sees pages of /cases. AsideToNotesTap: only after a
# pasted invitation; its rights are the same as every visit detail's, EDIT.)
UNDER_LETTERS = {
    "JoinTap",
    "DeclineTap",
    "LeaveYesTap",
    "AttachPendingTap",
    "CasesTap",
    "CasesPageTap",
    "SettingsTap",
    "AsideToNotesTap",
}


# --- typing -----------------------------------------------------------------------------------------------

# An answer the owner could give to each question, and what it is about.
ANSWERS: dict[tuple[PromptKind, str | None], str] = {
    (K.PATIENT_NAME, None): "Ann Lee",
    (K.DIAGNOSIS, None): "Stage 2",
    (K.CANDIDATE_NAME, None): "Dr. Chen",
    (K.CANDIDATE_INSTITUTION, "c1"): "City Cancer Center",
    (K.CANDIDATE_CONTACT, "c1"): "555-0100",
    (K.CANDIDATE_NOTES, "c1"): "Nurse suggested her",
    (K.RECORD_REQUESTED_FROM, RecordKind.LABS.value): "Lab office",
    (K.CALL_WHO, None): "Sam",
    (K.CALL_REFERENCE, "k1"): "REF-1",
    (K.CALL_NOTES, "k1"): "Said yes",
    (K.EXPECTED_COST, None): "$50",
    (K.OWN_QUESTION, None): "What are my options?",
    (K.APPOINTMENT_DETAIL, "a1.doctor"): "Dr. Chen",
    (K.VISIT_NOTE, "a1"): "It went well",
    (K.VISIT_ANSWER, "a1.q1"): "Quite sure",
    (K.VISIT_ADVICE, "a0"): "Surgery first",
    (K.FIRST_PLAN, "a0"): "Chemo first",
    (K.ZONE, "a1"): "Houston",
    (K.DECIDE_BY, None): "23 Dec",
}
# Questions whose answer saves nothing by itself: a time is confirmed by a tap; a file is not typed.
SAVES_NOTHING = {K.APPOINTMENT_TIME, K.RECORD_FILE}


def test_every_question_kind_is_replayed() -> None:
    asked = {kind for kind, _ in ANSWERS} | SAVES_NOTHING
    assert asked == set(PromptKind)


def asked_of(case: Case, user: int, kind: PromptKind, target: str | None, chat: int) -> Case:
    """The same plan with `user` waiting on this question in `chat` (for a viewer: as if it was left over
    from when they could edit, or forged)."""
    case = copy.deepcopy(case)
    member = find_member(case, user)
    if member is not None:
        member.prompt = Prompt(kind, target, chat, 10)
    return case


async def typed_text(
    world: World, user: int, chat: int, text: str, reply_to: int | None = BOT_MESSAGE
) -> Screen | None:
    """Typed text, as handlers/prompts/typed.py handles it (in a group: a reply to `reply_to`)."""
    update_id = world.next_update()

    def act(turn: Turn) -> Screen:
        return typed.answer_screen(turn, text, update_id)

    decide = partial(typed._decide, world.services, act, f"m{update_id}", update_id, reply_to)
    result: Screen | None = await world.plans.run_in_chat(
        chat, user, decide, actor_name="Name", update_id=update_id, message_id=update_id
    )
    return result


@pytest.mark.parametrize(("kind", "target"), list(ANSWERS), ids=[f"{k.value}:{t}" for k, t in ANSWERS])
async def test_every_typed_answer_replayed_by_people_who_may_not(
    world: World, kind: PromptKind, target: str | None
) -> None:
    text = ANSWERS[(kind, target)]
    world.reset(asked_of(world.start, OWNER, kind, target, OWNER))
    before = world.stored()
    await typed_text(world, OWNER, OWNER, text)
    assert plan_part(world.stored(), True) != plan_part(before, True), "the owner's answer changed nothing"

    world.reset(asked_of(world.start, VIEWER, kind, target, VIEWER))
    before = world.stored()
    screen = await typed_text(world, VIEWER, VIEWER, text)
    assert world.stored() == before, "a viewer's answer changed the plan"
    assert screen is not None and RENDERER.render("errors/read_only") in screen.text

    for who, (user, chat) in OTHERS.items():
        world.reset()
        before = world.stored()
        screen = await typed_text(world, user, chat, text)
        assert world.stored() == before, f"{who} changed the plan by typing"
        assert screen is not None and screen.text.strip(), f"{who} got no reply"


async def test_a_viewer_may_answer_their_own_zone_question_and_it_changes_only_theirs(world: World) -> None:
    world.reset(asked_of(world.start, VIEWER, K.ZONE, SETTINGS, VIEWER))
    before = world.stored()
    await typed_text(world, VIEWER, VIEWER, "Houston")
    after = world.stored()
    viewer = next(m for m in after["members"] if m["user_id"] == VIEWER)
    assert viewer["settings"]["zone"] == "America/Chicago"
    assert plan_part(after, True) == plan_part(before, True)


async def test_a_zone_button_from_a_question_about_the_visit_cannot_move_it_for_a_viewer(
    world: World,
) -> None:
    """The side door the review found: a zone tapped under a question, carrying the visit as its target."""
    from handlers.plumbing.callbacks import encode
    from handlers.prompts.taps import SetZoneTap

    data = encode(CASE, SetZoneTap(0, "a1"))
    for prompt_left_over in (False, True):
        start = asked_of(world.start, VIEWER, K.ZONE, "a1", VIEWER) if prompt_left_over else world.start
        world.reset(start)
        before = world.stored()
        pressed = await press(world, data, VIEWER, VIEWER)
        assert world.stored() == before
        assert pressed.refused is not None and pressed.words().strip()
    # The owner, asked the same question, may.
    world.reset(asked_of(world.start, OWNER, K.ZONE, "a1", OWNER))
    before = world.stored()
    pressed = await press(world, data, OWNER, OWNER)
    assert pressed.refused is None and world.stored() != before


async def test_a_question_asked_in_private_is_not_answered_from_the_group(world: World) -> None:
    world.reset(asked_of(world.start, OWNER, K.CANDIDATE_NAME, None, OWNER))
    before = world.stored()
    assert await typed_text(world, OWNER, GROUP, "Dr. Chen") is None  # family chatter: the bot stays out
    assert world.stored() == before
    # In private, where it was asked, the same words are the answer.
    await typed_text(world, OWNER, OWNER, "Dr. Chen")
    assert world.stored() != before


async def test_a_question_asked_in_the_group_needs_a_reply_to_the_bot_after_it(world: World) -> None:
    start = copy.deepcopy(world.start)
    owner = find_member(start, OWNER)
    assert owner is not None
    owner.prompt = Prompt(K.CANDIDATE_NAME, None, GROUP, BOT_MESSAGE)  # asked after message 90
    world.reset(start)
    before = world.stored()
    for reply_to in (None, BOT_MESSAGE - 5):  # plain chatter; a reply to an older message of the bot
        assert await typed_text(world, OWNER, GROUP, "Dr. Chen", reply_to) is None
        assert world.stored() == before
    await typed_text(world, OWNER, GROUP, "Dr. Chen", BOT_MESSAGE + 1)
    assert world.stored() != before
