"""The unit of work: one save per change, news written with it, order per plan, nothing half done."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from functools import partial

import pytest

from journey import records, sharing
from journey.models import Case, GroupChat, Letter, Member, Note, RecordKind, RecordStatus, Role
from service.work import ATTEMPTS, News, Plans, Work, follow_group, locate
from storage import InMemoryCaseRepository
from storage.repository import Conflict
from tests.unit.factories import NOW, OWNER, VIEWER, new_case


class CountingRepo(InMemoryCaseRepository):
    """Counts writes, so a test can say "saved once"."""

    def __init__(self) -> None:
        super().__init__()
        self.saves = 0

    def save_case(self, case: Case) -> None:
        self.saves += 1
        super().save_case(case)


def letters_for(news: News) -> list[Letter]:
    """A stand-in for the edge's renderer: one letter per change, to the viewer."""
    return [Letter(f"l{i}", VIEWER, c.kind.value, NOW) for i, c in enumerate(news.changes)]


def setup() -> tuple[CountingRepo, Plans, list[tuple[str, datetime | None]]]:
    repo = CountingRepo()
    woken: list[tuple[str, datetime | None]] = []
    plans = Plans(repo, lambda: NOW, compose=letters_for, on_commit=lambda c, w: woken.append((c, w)))
    repo.save_case(new_case())
    repo.saves = 0
    return repo, plans, woken


def ask_for_pathology(work: Work) -> str:
    assert work.case is not None
    records.set_status(work.case, RecordKind.PATHOLOGY_REPORT, RecordStatus.REQUESTED, NOW.date())
    work.save(update_id=7)
    return "shown"


async def test_a_change_is_saved_once_with_its_news_and_wakes_the_courier() -> None:
    repo, plans, woken = setup()
    result = await plans.run("case-0001", ask_for_pathology, actor=OWNER, update_id=7)
    assert result == "shown" and repo.saves == 1
    case = repo.load_case("case-0001")
    assert case is not None
    item = records.find_item(case, RecordKind.PATHOLOGY_REPORT)
    assert item.status is RecordStatus.REQUESTED
    # The news for the viewer is in the same saved plan, not sent on the side.
    assert [(letter.chat_id, letter.text) for letter in case.outbox] == [(VIEWER, "record")]
    assert case.members[0].recent_updates == [7]
    assert woken == [("case-0001", NOW)]
    assert plans.committed(7)


async def test_a_decision_that_fails_saves_nothing_and_says_so() -> None:
    repo, plans, woken = setup()

    def fails(work: Work) -> None:
        ask_for_pathology(work)
        raise ValueError("a bug after the change was made in memory")

    with pytest.raises(ValueError):
        await plans.run("case-0001", fails, actor=OWNER, update_id=8)
    assert repo.saves == 0 and woken == [] and not plans.committed(8)
    case = repo.load_case("case-0001")
    assert case is not None and case.outbox == []


async def test_a_look_without_a_change_writes_nothing() -> None:
    repo, plans, woken = setup()
    await plans.run("case-0001", lambda work: None, actor=OWNER, update_id=9)
    assert repo.saves == 0 and woken == [] and not plans.committed(9)


async def test_changes_to_one_plan_run_one_at_a_time_in_order() -> None:
    repo, plans, _ = setup()
    seen: list[str] = []

    def rename(name: str) -> object:
        def decide(work: Work) -> None:
            assert work.case is not None
            seen.append(f"start {name} after {work.case.profile.patient_name}")
            work.case.profile.patient_name = name
            work.save()

        return decide

    await asyncio.gather(*(plans.run("case-0001", rename(n), actor=OWNER) for n in "ABCD"))  # type: ignore[arg-type]
    # Each change saw the one before it: none was lost to a concurrent load.
    assert seen == ["start A after None", "start B after A", "start C after B", "start D after C"]
    case = repo.load_case("case-0001")
    assert case is not None and case.profile.patient_name == "D"


async def test_a_new_plan_and_its_chat_link_are_written_in_a_safe_order() -> None:
    repo, plans, _ = setup()

    def start(work: Work) -> None:
        from journey.cases import start_case

        case = start_case("case-0002", 333, NOW, ())
        work.create(case)
        work.link(333, case.id)

    await plans.run(None, start, actor=333)
    linked = repo.case_for_chat(333)
    assert linked is not None and linked.id == "case-0002"


def test_locate_trusts_a_group_link_only_while_the_plan_lists_the_group() -> None:
    repo = InMemoryCaseRepository()
    case = new_case()
    repo.save_case(case)
    repo.link_chat(-500, case.id)
    # A crash left the link but not the plan's record of the group: the group is not linked.
    assert locate(repo, -500, OWNER) is None
    case.groups.append(GroupChat(-500, OWNER, datetime(2026, 11, 1, tzinfo=UTC)))
    repo.save_case(case)
    assert locate(repo, -500, OWNER) == case.id


def test_locate_falls_back_to_the_latest_plan_the_person_is_in() -> None:
    repo = InMemoryCaseRepository()
    repo.save_case(new_case("case-0001"))
    repo.save_case(new_case("case-0002"))
    assert locate(repo, VIEWER, VIEWER) == "case-0002"  # no link yet: the newest
    repo.link_chat(VIEWER, "case-0001")
    assert locate(repo, VIEWER, VIEWER) == "case-0001"
    assert locate(repo, 4040, 4040) is None  # a stranger has no plan


class LoadCountingRepo(InMemoryCaseRepository):
    def __init__(self) -> None:
        super().__init__()
        self.loads = 0

    def load_case(self, case_id: str) -> Case | None:
        self.loads += 1
        return super().load_case(case_id)


async def test_a_chat_whose_link_holds_costs_one_load_and_a_stale_link_is_followed_past() -> None:
    repo = LoadCountingRepo()
    plans = Plans(repo, lambda: NOW)
    repo.save_case(new_case("case-0001"))
    repo.save_case(new_case("case-0002"))
    repo.link_chat(VIEWER, "case-0001")
    repo.loads = 0
    seen = await plans.run_in_chat(VIEWER, VIEWER, lambda work: work.case and work.case.id, update_id=1)
    assert seen == "case-0001" and repo.loads == 1
    # Taken off case-0001 (its link stays behind): the chat moves to the plan they are still in.
    case = repo.load_case("case-0001")
    assert case is not None
    case.members = [m for m in case.members if m.user_id != VIEWER]
    repo.save_case(case)
    seen = await plans.run_in_chat(VIEWER, VIEWER, lambda work: work.case and work.case.id, update_id=2)
    assert seen == "case-0002"
    assert repo.linked_case_id(VIEWER) == "case-0002"


async def test_a_group_the_plan_stops_listing_loses_its_chat_link_in_the_same_commit() -> None:
    repo, plans, _ = setup()
    case = repo.load_case("case-0001")
    assert case is not None
    case.members.append(Member(333, Role.EDITOR))
    case.groups += [GroupChat(-500, 333, NOW), GroupChat(-600, OWNER, NOW), GroupChat(-700, 333, NOW)]
    repo.save_case(case)
    for chat_id in (-500, -600):
        repo.link_chat(chat_id, case.id)
    repo.save_case(new_case("case-0002"))
    repo.link_chat(-700, "case-0002")  # its link already names another plan: not ours to remove

    def take_off_the_helper(work: Work) -> None:
        assert work.case is not None
        sharing.remove_member(work.case, OWNER, 333)
        work.save()

    await plans.run("case-0001", take_off_the_helper, actor=OWNER)
    assert repo.linked_case_id(-500) is None  # the helper linked it: it went with them
    assert repo.linked_case_id(-600) == "case-0001"
    assert repo.linked_case_id(-700) == "case-0002"


async def test_following_a_group_to_its_supergroup_moves_the_plan_and_the_link() -> None:
    repo, plans, _ = setup()
    case = repo.load_case("case-0001")
    assert case is not None
    case.groups.append(GroupChat(-500, OWNER, NOW))
    repo.save_case(case)
    repo.link_chat(-500, case.id)
    assert await plans.run("case-0001", partial(follow_group, old_id=-500, new_id=-100500)) is True
    assert locate(repo, -100500, VIEWER) == "case-0001"
    assert repo.linked_case_id(-500) is None and locate(repo, -500, VIEWER) is None
    # Told again from the new group: nothing left to move, nothing changes.
    assert await plans.run("case-0001", partial(follow_group, old_id=-500, new_id=-100500)) is False
    assert locate(repo, -100500, VIEWER) == "case-0001"


class ContendedRepo(InMemoryCaseRepository):
    """Another worker on the same database (as with PostgreSQL) saves the plan between our load and our
    save, `times` times: each time its change lands and ours is refused with Conflict, as a version
    check would."""

    def __init__(self) -> None:
        super().__init__()
        self.times = 0
        self.loads = 0

    def load_case(self, case_id: str) -> Case | None:
        self.loads += 1
        return super().load_case(case_id)

    def save_case(self, case: Case) -> None:
        if self.times > 0:
            self.times -= 1
            theirs = super().load_case(case.id)
            assert theirs is not None
            theirs.notes.append(Note(f"theirs-{self.times}", "their change", NOW, by=VIEWER))
            super().save_case(theirs)
            raise Conflict("saved by someone else since it was loaded")
        super().save_case(case)


def note_ours(work: Work) -> str:
    assert work.case is not None
    work.case.first_plan = "our change"
    work.save()
    return "shown"


async def test_a_plan_changed_by_another_worker_meanwhile_is_changed_again_and_keeps_both() -> None:
    repo = ContendedRepo()
    repo.save_case(new_case())
    repo.times = 2
    plans = Plans(repo, lambda: NOW)
    assert await plans.run("case-0001", note_ours) == "shown"
    case = repo.load_case("case-0001")
    assert case is not None
    assert case.first_plan == "our change"
    assert sorted(n.id for n in case.notes) == ["theirs-0", "theirs-1"]


async def test_a_plan_that_keeps_changing_elsewhere_gives_up_and_writes_nothing() -> None:
    repo = ContendedRepo()
    repo.save_case(new_case())
    repo.times = ATTEMPTS
    plans = Plans(repo, lambda: NOW)
    with pytest.raises(Conflict):
        await plans.run("case-0001", note_ours, update_id=9)
    case = repo.load_case("case-0001")
    assert case is not None and case.first_plan is None
    assert len(case.notes) == ATTEMPTS  # only the other worker's changes
    assert repo.loads == ATTEMPTS + 1  # one load per try (and this test's own)
    assert not plans.committed(9)
