"""Several workers sending from one PostgreSQL store: each reminder goes out once, a plan's letters one at a
time and in order, a claim whose worker died is settled after CLAIM_TIMEOUT (maybe sent: never repeated),
a worker learns of plans another one changed by asking for due plans, and the due plans are shared out
(SKIP LOCKED leases) and go to another worker when a lease runs out.

These run where PostgreSQL is installed (always in CI; see tests/postgres_cluster.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

import pytest

from handlers.plumbing.turn import Services
from handlers.reminders.screens import reminder_message
from handlers.sharing import news
from journey import appointments, reminders
from journey.models import Case, Letter, LetterStatus, ReminderKind, ReminderStatus
from service.courier import CLAIM_TIMEOUT, LEASE, Courier
from service.work import Plans
from storage.postgres_repo import PostgresCaseRepository
from templates import Words
from tests.unit.factories import OWNER, new_case
from tests.unit.test_courier import NOW, WEEK_BEFORE, Clock, FakeSender

PLAN = "case-0001"


class Worker:
    """One bot process: its own repository (pool), unit of work, courier and sender."""

    def __init__(self, url: str, clock: Clock) -> None:
        self.repo = PostgresCaseRepository(url)
        self.sender = FakeSender()
        s = Services(self.repo, Words(), clock, ZoneInfo("UTC"))
        self.plans = Plans(self.repo, clock, compose=lambda n: news.compose(s, n))
        self.courier = Courier(self.plans, reminder_message(s))
        self.plans.on_commit = self.courier.note
        self.courier.attach(self.sender)


@pytest.fixture
def workers(pg_url: str) -> Iterator[tuple[Worker, Worker, Clock]]:
    clock = Clock()
    first, second = Worker(pg_url, clock), Worker(pg_url, clock)
    yield first, second, clock
    first.repo.close()
    second.repo.close()


def booked(repo: PostgresCaseRepository) -> None:
    case = new_case(PLAN)
    case.members = case.members[:1]
    case.members[0].settings.zone = "America/Chicago"
    appointments.add(case, "a1", datetime(2026, 12, 3, 20, 30, tzinfo=UTC), "America/Chicago", NOW)
    reminders.replan(case, NOW)
    repo.save_case(case)


def stored(worker: Worker) -> Case:
    case = worker.repo.load_case(PLAN)
    assert case is not None
    return case


def week_status(worker: Worker) -> ReminderStatus:
    return next(r.status for r in stored(worker).reminders if r.kind is ReminderKind.WEEK_BEFORE)


async def test_two_workers_sending_one_plan_at_once_send_each_reminder_once(
    workers: tuple[Worker, Worker, Clock],
) -> None:
    a, b, clock = workers
    booked(a.repo)
    for w in (a, b):
        w.courier.rebuild()
        w.sender.during_send = partial(asyncio.sleep, 0.02)  # both are in flight at once
    clock.now = WEEK_BEFORE
    await asyncio.gather(a.courier.deliver(PLAN), b.courier.deliver(PLAN))
    for w in (a, b):  # a commit may have woken a worker's courier again: let it finish
        await w.courier.idle()
    sent = a.sender.firsts() + b.sender.firsts()
    # The insurance check and the week-before reminder were both due: each went out once, by one worker.
    assert sorted(sent) == ["<b>Your insurance is not settled yet.</b>", "<b>Your visit is in one week.</b>"]
    assert week_status(a) is ReminderStatus.SENT


async def test_a_claim_whose_worker_died_is_settled_after_the_timeout_and_never_repeated(
    workers: tuple[Worker, Worker, Clock],
) -> None:
    a, b, clock = workers
    booked(a.repo)
    clock.now = WEEK_BEFORE
    # Worker A claims the first due reminder (the insurance check), then dies before sending it.
    job, _ = await a.plans.run(PLAN, partial(a.courier._pick, recover=False))
    assert job is not None and "insurance" in job.message.text
    await a.courier.stop()

    # Worker B starts while the claim is fresh: it may be being sent right now, so B leaves it be.
    b.courier.rebuild()
    await b.courier.deliver(PLAN)
    await b.courier.idle()
    assert b.sender.firsts() == ["<b>Your visit is in one week.</b>"]  # the plan's other reminder goes on
    claimed = next(r for r in stored(b).reminders if r.kind is ReminderKind.INSURANCE_CHECK)
    assert claimed.status is ReminderStatus.SENDING

    clock.now = WEEK_BEFORE + CLAIM_TIMEOUT + timedelta(seconds=1)
    await b.courier.deliver(PLAN)
    await b.courier.idle()
    claimed = next(r for r in stored(b).reminders if r.kind is ReminderKind.INSURANCE_CHECK)
    assert claimed.status is ReminderStatus.INTERRUPTED  # maybe sent by A: never sent twice
    assert b.sender.firsts() == ["<b>Your visit is in one week.</b>"]


async def test_a_plans_letters_wait_for_the_one_another_worker_is_sending(
    workers: tuple[Worker, Worker, Clock],
) -> None:
    a, b, clock = workers
    case = new_case(PLAN)
    case.outbox = [Letter(f"l{n}", OWNER, f"news {n}", NOW) for n in (1, 2)]
    a.repo.save_case(case)
    job, _ = await a.plans.run(PLAN, partial(a.courier._pick, recover=False))
    assert job is not None and job.item_id == "l1"  # A holds the first letter, and dies
    await a.courier.stop()

    b.courier.rebuild()
    await b.courier.deliver(PLAN)
    await b.courier.idle()
    assert b.sender.sent == []  # the second letter never overtakes the first
    assert [letter.status for letter in stored(b).outbox] == [LetterStatus.SENDING, LetterStatus.PENDING]

    clock.now = NOW + CLAIM_TIMEOUT + timedelta(seconds=1)
    await b.courier.deliver(PLAN)
    await b.courier.idle()
    assert [m.text for m in b.sender.sent] == ["news 2"]  # the first maybe went out: not repeated
    assert stored(b).outbox == []


async def test_a_worker_wakes_for_a_plan_another_worker_saved(workers: tuple[Worker, Worker, Clock]) -> None:
    a, b, clock = workers
    b.courier.rebuild()  # B started before the plan existed
    booked(a.repo)  # saved through A's store
    clock.now = WEEK_BEFORE
    assert b.courier.due_cases(clock.now) == []
    b.courier.refresh_seconds = 0.0
    await b.courier.tick()  # B reads the shared wake index, and sends what is due
    await b.courier.idle()
    assert b.sender.firsts() == [
        "<b>Your insurance is not settled yet.</b>",
        "<b>Your visit is in one week.</b>",
    ]


def plans_due(repo: PostgresCaseRepository, count: int) -> list[str]:
    ids = [f"case-{n:04d}" for n in range(1, count + 1)]
    for case_id in ids:
        case = new_case(case_id)
        case.outbox = [Letter("l1", OWNER, f"news for {case_id}", NOW)]
        repo.save_case(case)
    return ids


async def test_two_workers_asking_at_once_share_the_due_plans_out(
    workers: tuple[Worker, Worker, Clock],
) -> None:
    a, b, clock = workers
    ids = plans_due(a.repo, 40)
    until = clock.now + LEASE
    took_a, took_b = await asyncio.gather(
        asyncio.to_thread(a.repo.take_due, a.courier.name, clock.now, until, 25),
        asyncio.to_thread(b.repo.take_due, b.courier.name, clock.now, until, 25),
    )
    assert not set(took_a) & set(took_b)  # SKIP LOCKED: never the same plan twice
    assert sorted(took_a + took_b) == ids
    # While A's lease runs, B asking again gets nothing of A's.
    assert b.repo.take_due(b.courier.name, clock.now, until, 100) == sorted(took_b)


async def test_a_plan_whose_worker_died_goes_to_another_when_its_lease_runs_out(
    workers: tuple[Worker, Worker, Clock],
) -> None:
    a, b, clock = workers
    plans_due(a.repo, 1)
    assert a.repo.take_due(a.courier.name, clock.now, clock.now + LEASE, 10) == ["case-0001"]
    await a.courier.stop()  # A took the plan, then died before sending anything

    b.courier.rebuild()
    b.courier.refresh_seconds = 0.0
    await b.courier.tick()
    await b.courier.idle()
    assert b.sender.sent == []  # A's lease still runs: B leaves the plan be

    clock.now += LEASE + timedelta(seconds=1)
    await b.courier.tick()
    await b.courier.idle()
    assert [m.text for m in b.sender.sent] == ["news for case-0001"]
    assert stored_plan(b, "case-0001").outbox == []


async def test_a_worker_leaves_a_plan_another_worker_is_sending_for(
    workers: tuple[Worker, Worker, Clock],
) -> None:
    a, b, clock = workers
    plans_due(a.repo, 1)
    assert a.repo.lease("case-0001", a.courier.name, clock.now, clock.now + LEASE)
    b.courier.rebuild()
    b.courier.kick()  # B knows the plan is due (a commit, an alarm), but A holds it
    await b.courier.idle()
    assert b.sender.sent == []
    a.repo.release("case-0001", a.courier.name)
    b.courier.kick()
    await b.courier.idle()
    assert [m.text for m in b.sender.sent] == ["news for case-0001"]


def stored_plan(worker: Worker, case_id: str) -> Case:
    case = worker.repo.load_case(case_id)
    assert case is not None
    return case


async def test_a_shorter_claim_timeout_settles_a_dead_workers_claim_sooner(
    workers: tuple[Worker, Worker, Clock],
) -> None:
    a, b, clock = workers
    booked(a.repo)
    clock.now = WEEK_BEFORE
    job, _ = await a.plans.run(PLAN, partial(a.courier._pick, recover=False))
    assert job is not None  # A claims the insurance check, and dies
    await a.courier.stop()
    b.courier.claim_timeout = timedelta(seconds=5)  # CLAIM_TIMEOUT_SECONDS=5
    b.courier.rebuild()
    await b.courier.deliver(PLAN)
    await b.courier.idle()
    assert b.courier.due_cases(WEEK_BEFORE + timedelta(seconds=5)) == [PLAN]  # woken when the claim runs out

    clock.now = WEEK_BEFORE + timedelta(seconds=6)
    await b.courier.deliver(PLAN)
    await b.courier.idle()
    claimed = next(r for r in stored(b).reminders if r.kind is ReminderKind.INSURANCE_CHECK)
    assert claimed.status is ReminderStatus.INTERRUPTED
    assert b.sender.firsts() == ["<b>Your visit is in one week.</b>"]


async def test_a_worker_that_dies_while_a_chat_has_no_room_holds_no_claim(
    workers: tuple[Worker, Worker, Clock],
) -> None:
    a, b, _ = workers
    case = new_case(PLAN)
    case.outbox = [Letter("l1", OWNER, "news 1", NOW)]
    a.repo.save_case(case)
    room = asyncio.Event()
    a.sender.before_ready = room.wait  # the owner's chat is busy: A waits for room in its rate limit
    delivering = asyncio.create_task(a.courier.deliver(PLAN))
    for _ in range(200):
        if a.sender.readied:
            break
        await asyncio.sleep(0.01)
    assert a.sender.readied == [OWNER]
    # Waiting, A has claimed nothing: the letter is still waiting, not "being sent".
    assert [letter.status for letter in stored(a).outbox] == [LetterStatus.PENDING]
    delivering.cancel()  # A dies while it waits
    await asyncio.gather(delivering, return_exceptions=True)
    await a.courier.stop()

    b.courier.rebuild()
    await b.courier.deliver(PLAN)
    await b.courier.idle()
    assert [m.text for m in b.sender.sent] == ["news 1"]  # sent by B, not lost as "maybe sent"
    assert stored(b).outbox == []
