"""The courier against in-memory storage and a fake sender: what it sends, skips and records.

No telegram here: the courier hands plain `Outgoing` messages to a `Sender` and reads its `Outcome`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from handlers.plumbing.turn import Services
from handlers.reminders.screens import reminder_message
from handlers.sharing import news
from journey import appointments, outbox, reminders
from journey.models import Case, GroupChat, Letter, LetterStatus, ReminderKind, ReminderStatus
from service.courier import Courier
from service.sending import Moved, Outcome, Outgoing, Result
from service.work import Plans, Work
from storage import InMemoryCaseRepository
from templates import Words
from tests.unit.factories import OWNER, new_case

NOW = datetime(2026, 11, 23, 15, 30, tzinfo=UTC)
WEEK_BEFORE = datetime(2026, 11, 26, 16, 0, tzinfo=UTC)


class FakeSender:
    """Records sends; answers with the queued outcomes first. `during_send` runs while one is in flight."""

    def __init__(self) -> None:
        self.sent: list[Outgoing] = []
        self.outcomes: list[Outcome] = []
        self.during_send: Callable[[], object] | None = None
        self.readied: list[int] = []  # chats the courier waited for before claiming
        self.before_ready: Callable[[], object] | None = None

    async def send(self, message: Outgoing) -> Result:
        if self.during_send is not None:
            await self.during_send()  # type: ignore[misc]
        outcome = self.outcomes.pop(0) if self.outcomes else Outcome.SENT
        if outcome is Outcome.SENT:
            self.sent.append(message)
        return outcome

    async def ready(self, chat_id: int) -> None:
        self.readied.append(chat_id)
        if self.before_ready is not None:
            await self.before_ready()  # type: ignore[misc]

    def firsts(self) -> list[str]:
        return [m.text.splitlines()[0] for m in self.sent]


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


class Setup:
    def __init__(self) -> None:
        self.repo, self.clock = InMemoryCaseRepository(), Clock()
        self.restart()

    def restart(self) -> None:
        """A new process on the same storage: new courier, new sender; only the wake index is read."""
        self.sender = FakeSender()
        s = Services(self.repo, Words(), self.clock, ZoneInfo("UTC"))
        self.plans = Plans(self.repo, self.clock, compose=lambda n: news.compose(s, n))
        self.courier = Courier(self.plans, reminder_message(s))
        self.plans.on_commit = self.courier.note
        self.courier.attach(self.sender)

    def case(self) -> Case:
        case = self.repo.load_case("case-0001")
        assert case is not None
        return case

    def statuses(self, kind: ReminderKind) -> list[ReminderStatus]:
        return [r.status for r in self.case().reminders if r.kind is kind]


def booked() -> Setup:
    setup = Setup()
    case = new_case()
    case.members = case.members[:1]
    case.members[0].settings.zone = "America/Chicago"
    appointments.add(case, "a1", datetime(2026, 12, 3, 20, 30, tzinfo=UTC), "America/Chicago", NOW)
    reminders.replan(case, NOW)
    setup.repo.save_case(case)
    setup.courier.rebuild()
    return setup


async def test_a_due_reminder_is_sent_once_and_recorded() -> None:
    setup = booked()
    setup.clock.now = WEEK_BEFORE
    assert "case-0001" in setup.courier.due_cases(setup.clock.now)
    await setup.courier.deliver("case-0001")
    await setup.courier.deliver("case-0001")
    # The insurance check (23 Nov) and the week-before reminder were both due.
    assert setup.sender.firsts() == [
        "<b>Your insurance is not settled yet.</b>",
        "<b>Your visit is in one week.</b>",
    ]
    assert setup.sender.sent[0].chat_id == OWNER
    assert setup.statuses(ReminderKind.WEEK_BEFORE) == [ReminderStatus.SENT]


async def test_start_up_reads_the_wake_index_and_settles_a_send_left_sending() -> None:
    setup = booked()
    case = setup.case()
    week = next(r for r in case.reminders if r.kind is ReminderKind.WEEK_BEFORE)
    reminders.mark_sending(week, NOW)  # the process died right after this was saved
    setup.repo.save_case(case)
    setup.clock.now = WEEK_BEFORE + timedelta(minutes=5)
    setup.restart()
    assert setup.courier.rebuild() == 1
    for case_id in setup.courier.due_cases(setup.clock.now):
        await setup.courier.deliver(case_id)
    assert not any("one week" in text for text in setup.sender.firsts())
    assert setup.statuses(ReminderKind.WEEK_BEFORE) == [ReminderStatus.INTERRUPTED]


async def test_a_send_with_no_answer_is_not_repeated() -> None:
    setup = booked()
    setup.clock.now = WEEK_BEFORE
    setup.sender.outcomes = [Outcome.SENT, Outcome.UNKNOWN]
    await setup.courier.deliver("case-0001")
    setup.clock.now += timedelta(hours=1)
    await setup.courier.deliver("case-0001")
    assert setup.statuses(ReminderKind.WEEK_BEFORE) == [ReminderStatus.INTERRUPTED]
    assert len(setup.sender.sent) == 1  # the insurance check; the week-before one is never repeated


async def test_a_refusal_for_now_is_retried_later_and_a_block_stops_everything() -> None:
    setup = booked()
    setup.sender.outcomes = [Outcome.RETRY, Outcome.RETRY]
    setup.clock.now = datetime(2026, 11, 23, 16, 0, tzinfo=UTC)
    await setup.courier.deliver("case-0001")
    assert setup.statuses(ReminderKind.INSURANCE_CHECK) == [ReminderStatus.PENDING]
    assert setup.sender.sent == []
    setup.clock.now += timedelta(seconds=30)
    await setup.courier.deliver("case-0001")
    setup.clock.now += timedelta(seconds=60)
    await setup.courier.deliver("case-0001")
    assert len(setup.sender.sent) == 1

    setup.sender.outcomes = [Outcome.BLOCKED]
    setup.clock.now = WEEK_BEFORE
    await setup.courier.deliver("case-0001")
    case = setup.case()
    assert case.members[0].settings.blocked
    assert not [r for r in case.reminders if r.status is ReminderStatus.PENDING]
    assert setup.courier.due_cases(datetime(2027, 1, 1, tzinfo=UTC)) == []


async def test_a_change_made_while_a_reminder_is_in_flight_is_kept() -> None:
    setup = booked()

    async def user_edits() -> None:  # a button press handled while the reminder is being sent
        def rename(work: Work) -> None:
            assert work.case is not None
            work.case.profile.patient_name = "Maria"
            work.save()

        await setup.plans.run("case-0001", rename, actor=OWNER)

    setup.sender.during_send = user_edits
    setup.clock.now = datetime(2026, 11, 23, 16, 0, tzinfo=UTC)
    await setup.courier.deliver("case-0001")
    case = setup.case()
    assert case.profile.patient_name == "Maria"
    assert setup.statuses(ReminderKind.INSURANCE_CHECK) == [ReminderStatus.SENT]


def letter(n: int, chat_id: int = 2002) -> Letter:
    return Letter(id=f"l{n}", chat_id=chat_id, text=f"news {n}", created_at=NOW)


async def test_letters_go_out_in_order_once_and_leave_the_plan() -> None:
    setup = Setup()
    case = new_case()
    outbox.post(case, [letter(1), letter(2)])
    setup.repo.save_case(case)
    setup.courier.rebuild()
    await setup.courier.deliver(case.id)
    await setup.courier.deliver(case.id)
    assert [m.text for m in setup.sender.sent] == ["news 1", "news 2"]
    assert setup.case().outbox == []
    assert setup.courier.due_cases(NOW + timedelta(days=400)) == []


async def test_a_letter_left_sending_by_a_crash_is_dropped_not_repeated() -> None:
    setup = Setup()
    case = new_case()
    outbox.post(case, [letter(1), letter(2)])
    outbox.mark_sending(case.outbox[0], NOW)
    setup.repo.save_case(case)
    setup.restart()
    setup.courier.rebuild()
    await setup.courier.deliver(case.id)
    assert [m.text for m in setup.sender.sent] == ["news 2"]


async def test_a_letter_refused_for_now_waits_then_goes() -> None:
    setup = Setup()
    case = new_case()
    outbox.post(case, [letter(1)])
    setup.repo.save_case(case)
    setup.courier.rebuild()
    setup.sender.outcomes = [Outcome.RETRY]
    await setup.courier.deliver(case.id)
    stored = setup.case().outbox
    assert len(stored) == 1 and stored[0].status is LetterStatus.PENDING and stored[0].due_at is not None
    assert setup.courier.due_cases(NOW) == []  # not before its pause
    setup.clock.now = stored[0].due_at
    await setup.courier.deliver(case.id)
    assert [m.text for m in setup.sender.sent] == ["news 1"]


async def test_a_stopped_courier_starts_nothing_and_a_failing_plan_is_not_retried_in_a_loop() -> None:
    setup = booked()
    setup.clock.now = WEEK_BEFORE
    calls = 0
    load = setup.repo.load_case

    def broken(case_id: str) -> Case | None:
        nonlocal calls
        calls += 1
        raise OSError("the disk is gone")

    setup.repo.load_case = broken  # type: ignore[method-assign]
    setup.courier.kick()
    setup.courier.note("case-0001", setup.clock.now)  # poked while it fails
    await setup.courier.idle()
    assert calls == 1  # tried once; the next tick tries again, nothing spins
    setup.repo.load_case = load  # type: ignore[method-assign]
    await setup.courier.stop()
    setup.courier.kick()
    setup.courier.note("case-0001", setup.clock.now)
    await setup.courier.idle()
    assert setup.sender.sent == []


class MovedGroupSender(FakeSender):
    """Telegram after a group became a supergroup: a send to the old id is refused with the new id."""

    def __init__(self, old_id: int, new_id: int) -> None:
        super().__init__()
        self.old_id, self.new_id = old_id, new_id
        self.refused: list[int] = []

    async def send(self, message: Outgoing) -> Result:
        if message.chat_id == self.old_id:
            self.refused.append(message.chat_id)
            return Moved(self.new_id)
        return await super().send(message)


OLD_GROUP, NEW_GROUP = -4001, -1004001


async def test_a_group_that_became_a_supergroup_gets_its_news_and_reminders_at_the_new_id() -> None:
    setup = booked()
    case = setup.case()
    case.groups.append(GroupChat(OLD_GROUP, OWNER, NOW))
    reminders.replan(case, NOW)
    case.outbox.append(Letter("l1", OLD_GROUP, "<b>News from Ann's plan</b>", NOW))
    setup.repo.save_case(case)
    setup.repo.link_chat(OLD_GROUP, case.id)
    sender = MovedGroupSender(OLD_GROUP, NEW_GROUP)
    setup.courier.attach(sender)

    await setup.courier.deliver("case-0001")  # the letter: refused at the old id, sent at the new one
    await setup.courier.idle()
    assert sender.refused == [OLD_GROUP]
    assert [(m.chat_id, m.text) for m in sender.sent] == [(NEW_GROUP, "<b>News from Ann's plan</b>")]
    assert setup.case().outbox == []
    assert [g.chat_id for g in setup.case().groups] == [NEW_GROUP]
    assert setup.repo.linked_case_id(NEW_GROUP) == "case-0001"
    assert setup.repo.linked_case_id(OLD_GROUP) is None

    setup.clock.now = WEEK_BEFORE
    await setup.courier.deliver("case-0001")
    await setup.courier.idle()
    to_group = [m for m in sender.sent if m.chat_id == NEW_GROUP]
    assert any("one week" in m.text for m in to_group)
    week = [r for r in setup.case().reminders if r.kind is ReminderKind.WEEK_BEFORE]
    assert {(r.user_id, r.status) for r in week} == {
        (OWNER, ReminderStatus.SENT),
        (NEW_GROUP, ReminderStatus.SENT),
    }


async def test_a_reminder_refused_because_the_group_moved_is_sent_to_the_new_id_once() -> None:
    setup = booked()
    case = setup.case()
    case.groups.append(GroupChat(OLD_GROUP, OWNER, NOW))
    reminders.replan(case, NOW)
    setup.repo.save_case(case)
    sender = MovedGroupSender(OLD_GROUP, NEW_GROUP)
    setup.courier.attach(sender)
    setup.clock.now = WEEK_BEFORE
    await setup.courier.deliver("case-0001")
    await setup.courier.idle()
    assert sender.refused == [OLD_GROUP]  # once: everything after goes to the new id
    week = [m.chat_id for m in sender.sent if "one week" in m.text]
    assert sorted(week) == sorted([OWNER, NEW_GROUP])
