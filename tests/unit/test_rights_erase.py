"""/delete: everything of a person goes, and no byte of what they typed is left under DATA_DIR.

A real TinyDB repository in a temporary DATA_DIR and the real unit of work: a marker is typed into every
field a person can type (every typed question of journey/prompts.py, every visit detail, the member's
name), then the person is erased. Another family's plan is untouched, byte for byte.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from handlers.plumbing.turn import Services
from handlers.sharing import news
from journey import appointments, records, rights, sharing
from journey.appointments import DETAILS
from journey.models import Case, Letter, Member, PromptKind, RecordKind, RecordStatus, Role
from journey.prompts import _APPLY
from service.erasure import erase_person
from service.work import Plans
from storage import CURRENT_SCHEMA, TinyDBCaseRepository
from templates import Words
from tests.unit.factories import NOW, OWNER, TODAY, VIEWER, new_case

MARK = "Zq7mark"  # typed into every field; must not be left anywhere
OTHER_OWNER, THEIR_GROUP, STRANGERS = 777, -100555, 888
K = PromptKind

# Where each typed answer goes (the target the question carries), for a plan seeded by `typed_plan`.
TARGETS: dict[PromptKind, str | None] = {
    K.PATIENT_NAME: None,
    K.DIAGNOSIS: None,
    K.CANDIDATE_NAME: None,
    K.CANDIDATE_INSTITUTION: "c1",
    K.CANDIDATE_CONTACT: "c1",
    K.CANDIDATE_NOTES: "c1",
    K.RECORD_REQUESTED_FROM: RecordKind.LABS.value,
    K.CALL_WHO: None,
    K.CALL_REFERENCE: "k1",
    K.CALL_NOTES: "k1",
    K.EXPECTED_COST: None,
    K.OWN_QUESTION: None,
    K.VISIT_NOTE: "a1",
    K.VISIT_ANSWER: "a1.id11",  # the answer at visit a1 to the question typed above (OWN_QUESTION, n=11)
    K.VISIT_ADVICE: "a1",
    K.FIRST_PLAN: "a1",
}


def typed_plan(case_id: str) -> Case:
    """A plan of OWNER's with the marker in every field a person can type."""
    case = new_case(case_id)
    case.members[0].name = f"{MARK}name"
    case.members[1].name = "Vera"
    appointments.add(case, "a1", NOW + timedelta(days=10), "America/Chicago", NOW)
    for n, (kind, target) in enumerate(TARGETS.items()):
        _APPLY[kind](case, target, f"{MARK} {kind.value}", f"id{n}", TODAY)
        if kind is K.CANDIDATE_NAME:
            case.specialist.candidates[-1].id = "c1"
        if kind is K.CALL_WHO:
            case.insurance.calls[-1].id = "k1"
    for detail in DETAILS:
        text = f"https://example.com/{MARK}" if detail == "video_link" else f"{MARK} {detail}"
        if detail == "phone":
            text = f"555 0100 {MARK}"
        _APPLY[K.APPOINTMENT_DETAIL](case, f"a1.{detail}", text, "d", TODAY)
    records.set_status(case, RecordKind.LABS, RecordStatus.REQUESTED, TODAY)
    return case


def test_every_typed_question_is_in_the_marker_plan() -> None:
    """A new typed question must get its marker here (the time, the zone and the decide-by date are read,
    not kept as typed; a file is not typed; visit details are typed one by one above)."""
    assert set(TARGETS) | {K.APPOINTMENT_DETAIL, K.DECIDE_BY} == set(_APPLY)


@pytest.fixture
def repo(tmp_path: Path) -> Iterator[TinyDBCaseRepository]:
    with TinyDBCaseRepository(tmp_path) as repository:
        yield repository


def all_bytes(data_dir: Path) -> dict[str, bytes]:
    return {str(p.relative_to(data_dir)): p.read_bytes() for p in data_dir.rglob("*") if p.is_file()}


def plans_for(repo: TinyDBCaseRepository, farewells: list[Letter]) -> Plans:
    s = Services(repo, Words(), lambda: NOW, ZoneInfo("America/Chicago"))
    return Plans(repo, lambda: NOW, compose=partial(news.compose, s), on_farewell=farewells.extend)


async def test_delete_leaves_no_byte_of_what_they_typed(repo: TinyDBCaseRepository, tmp_path: Path) -> None:
    mine = typed_plan("plan-mine-01")
    # Before the save: the plan's own content must be all that is in it (the marker is everywhere).
    assert MARK in json.dumps(rights.plain(mine))
    repo.save_case(mine)
    repo.link_chat(OWNER, mine.id)
    repo.link_chat(VIEWER, mine.id)

    # A plan of another family they help with: their name, a group they linked, news naming them.
    helped = new_case("plan-help-01")
    helped.members[0].user_id = OTHER_OWNER
    helped.members[1].user_id = 4242
    helped.members.append(Member(OWNER, Role.EDITOR, name=f"{MARK}name", joined_at=NOW))
    sharing.link_group(helped, THEIR_GROUP, OWNER, NOW)
    invite = sharing.create_invite(helped, OTHER_OWNER, Role.VIEWER, NOW, "inv1")
    assert invite.token
    helped.outbox.append(Letter("l1", 4242, f"<b>News</b>\n{MARK}name marked the labs as asked for.", NOW))
    repo.save_case(helped)
    repo.link_chat(THEIR_GROUP, helped.id)

    # Another family altogether: not touched, byte for byte.
    strangers = new_case("plan-other-1")
    strangers.members[0].user_id, strangers.members[1].user_id = STRANGERS, STRANGERS + 1
    strangers.profile.patient_name = "Nina"
    repo.save_case(strangers)
    repo.link_chat(STRANGERS, strangers.id)

    # A plan of theirs that was set aside as unreadable: its copy names them too.
    spoilt = typed_plan("plan-spoilt1")
    repo.save_case(spoilt)
    path = tmp_path / "cases" / "plan-spoilt1.json"
    path.write_text(path.read_text()[:-40])  # cut short: cannot be read
    assert repo.load_case(spoilt.id) is None and repo.quarantined() == [spoilt.id]

    before = all_bytes(tmp_path)
    assert any(MARK.encode() in data for data in before.values())
    others_file = before["cases/plan-other-1.json"]

    farewells: list[Letter] = []
    erased = await erase_person(plans_for(repo, farewells), OWNER, OWNER, "Someone")

    assert (erased.deleted, erased.left) == (1, 1)
    after = all_bytes(tmp_path)
    left_over = sorted(name for name, data in after.items() if MARK.encode() in data)
    assert left_over == []
    assert after["cases/plan-other-1.json"] == others_file
    assert repo.load_case(strangers.id) is not None
    # Their own plan is gone, with its links; the viewer is told (at once: no plan left to keep it in).
    assert repo.load_case(mine.id) is None and repo.linked_case_id(VIEWER) is None
    assert [letter.chat_id for letter in farewells] == [VIEWER]
    assert "deleted" in farewells[0].text
    # The plan they helped with goes on without them; its news says "Someone" where their name was.
    kept = repo.load_case(helped.id)
    assert kept is not None and OWNER not in {m.user_id for m in kept.members}
    assert kept.groups == [] and repo.linked_case_id(THEIR_GROUP) is None
    texts = [letter.text for letter in kept.outbox]
    assert any("Someone marked the labs" in t for t in texts)
    assert any("Someone left the plan." in t for t in texts)
    # Their index, their chat link and the copy set aside are gone; the wake index names no plan of theirs.
    assert "users/u111.json" not in after and "chats/p111.json" not in after
    assert repo.quarantined() == [] and repo.cases_of_user(OWNER) == []
    assert all(case_id != mine.id for case_id, _ in repo.wake_index())


async def test_delete_twice_changes_nothing_the_second_time(
    repo: TinyDBCaseRepository, tmp_path: Path
) -> None:
    repo.save_case(typed_plan("plan-mine-01"))
    plans = plans_for(repo, [])
    assert (await erase_person(plans, OWNER, OWNER, "Someone")).deleted == 1
    before = all_bytes(tmp_path)
    again = await erase_person(plans, OWNER, OWNER, "Someone")
    assert (again.deleted, again.left) == (0, 0)
    assert all_bytes(tmp_path) == before


async def test_a_helper_erasing_themselves_leaves_the_owners_plan_and_its_content(
    repo: TinyDBCaseRepository,
) -> None:
    """What a helper typed into someone else's plan stays (it is the owner's plan); only they go."""
    case = typed_plan("plan-mine-01")
    repo.save_case(case)
    erased = await erase_person(plans_for(repo, []), VIEWER, VIEWER, "Someone")
    assert (erased.deleted, erased.left) == (0, 1)
    kept = repo.load_case(case.id)
    assert kept is not None and [m.user_id for m in kept.members] == [OWNER]
    assert kept.profile.patient_name == case.profile.patient_name


def test_a_set_aside_copy_of_another_familys_plan_is_kept_for_the_operator(tmp_path: Path) -> None:
    with TinyDBCaseRepository(tmp_path) as repo:
        theirs = new_case("plan-help-01")
        theirs.members[0].user_id = OTHER_OWNER
        theirs.members[1].user_id = OWNER  # the person is a viewer in it
        repo.save_case(theirs)
        path = tmp_path / "cases" / "plan-help-01.json"
        text = path.read_text()
        path.write_text(
            text.replace(f'"schema":{CURRENT_SCHEMA}', '"schema":99')
        )  # a newer bot's: set aside, readable
        assert '"schema":99' in path.read_text()
        assert repo.load_case(theirs.id) is None
        repo.forget_user(OWNER)
        assert repo.quarantined() == [theirs.id]
        assert not (tmp_path / "users" / f"u{OWNER}.json").exists()
