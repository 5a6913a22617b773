"""The reminder desk against in-memory storage and a fake bot: what it sends, skips and records."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from telegram.error import Forbidden, NetworkError

from handlers.reminders import ReminderDesk
from handlers.turn import Services
from journey import appointments, reminders
from journey.models import Case, ReminderKind, ReminderStatus
from storage import InMemoryCaseRepository
from templates import Renderer
from tests.unit.factories import OWNER, new_case

NOW = datetime(2026, 11, 23, 15, 30, tzinfo=UTC)
WEEK_BEFORE = datetime(2026, 11, 26, 16, 0, tzinfo=UTC)


class FakeBot:
    """Records sends; raises the queued errors first. `during_send` runs while a send is in flight."""

    def __init__(self) -> None:
        self.sent: list[tuple[int, str]] = []
        self.errors: list[Exception] = []
        self.during_send: Any = None

    async def send_message(self, chat_id: int, text: str, **_: object) -> None:
        if self.during_send is not None:
            self.during_send()
        if self.errors:
            raise self.errors.pop(0)
        self.sent.append((chat_id, text))


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


def setup() -> tuple[InMemoryCaseRepository, ReminderDesk, Services, Clock, Case]:
    repo, clock = InMemoryCaseRepository(), Clock()
    case = new_case()
    case.members = case.members[:1]
    case.members[0].settings.zone = "America/Chicago"
    appointments.add(case, "a1", datetime(2026, 12, 3, 20, 30, tzinfo=UTC), "America/Chicago", NOW)
    case.insurance.outcome = None
    reminders.replan(case, NOW)
    repo.save_case(case)
    desk = ReminderDesk(repo, clock)
    services = Services(repo, Renderer(), clock, ZoneInfo("UTC"), on_saved=desk.note)
    desk.rebuild()
    return repo, desk, services, clock, case


def statuses(repo: InMemoryCaseRepository, kind: ReminderKind) -> list[ReminderStatus]:
    case = repo.load_case("case-0001")
    assert case is not None
    return [r.status for r in case.reminders if r.kind is kind]


async def test_a_due_reminder_is_sent_once_and_recorded() -> None:
    repo, desk, services, clock, _ = setup()
    bot = FakeBot()
    clock.now = WEEK_BEFORE
    assert "case-0001" in desk.due_cases(clock.now)
    await desk.deliver(bot, services, "case-0001")  # type: ignore[arg-type]
    await desk.deliver(bot, services, "case-0001")  # type: ignore[arg-type]
    # The insurance check (23 Nov) and the week-before reminder were both due.
    assert [text.splitlines()[0] for _, text in bot.sent] == [
        "<b>Your insurance is not settled yet.</b>",
        "<b>Your visit is in one week.</b>",
    ]
    assert statuses(repo, ReminderKind.WEEK_BEFORE) == [ReminderStatus.SENT]


async def test_a_reminder_left_sending_by_a_crash_is_not_sent_after_a_restart() -> None:
    repo, _, services, clock, _ = setup()
    case = repo.load_case("case-0001")
    assert case is not None
    week = next(r for r in case.reminders if r.kind is ReminderKind.WEEK_BEFORE)
    reminders.mark_sending(week)  # the process died right after this was saved
    repo.save_case(case)
    clock.now = WEEK_BEFORE + timedelta(minutes=5)
    desk = ReminderDesk(repo, clock)  # a new process
    desk.rebuild()
    bot = FakeBot()
    for case_id in desk.due_cases(clock.now):
        await desk.deliver(bot, services, case_id)  # type: ignore[arg-type]
    assert not any("one week" in text for _, text in bot.sent)
    assert statuses(repo, ReminderKind.WEEK_BEFORE) == [ReminderStatus.INTERRUPTED]


async def test_a_network_error_is_retried_later_and_a_block_stops_everything() -> None:
    repo, desk, services, clock, _ = setup()
    bot = FakeBot()
    bot.errors = [NetworkError("down"), NetworkError("down")]
    clock.now = datetime(2026, 11, 23, 16, 0, tzinfo=UTC)
    await desk.deliver(bot, services, "case-0001")  # type: ignore[arg-type]
    assert statuses(repo, ReminderKind.INSURANCE_CHECK) == [ReminderStatus.PENDING] and bot.sent == []
    clock.now += timedelta(seconds=30)
    await desk.deliver(bot, services, "case-0001")  # type: ignore[arg-type]
    clock.now += timedelta(seconds=60)
    await desk.deliver(bot, services, "case-0001")  # type: ignore[arg-type]
    assert len(bot.sent) == 1

    bot.errors = [Forbidden("Forbidden: bot was blocked by the user")]
    clock.now = WEEK_BEFORE
    await desk.deliver(bot, services, "case-0001")  # type: ignore[arg-type]
    case = repo.load_case("case-0001")
    assert case is not None and case.members[0].settings.blocked
    assert not [r for r in case.reminders if r.status is ReminderStatus.PENDING]
    assert desk.due_cases(datetime(2027, 1, 1, tzinfo=UTC)) == []


async def test_a_change_made_while_a_reminder_is_in_flight_is_kept() -> None:
    repo, desk, services, clock, _ = setup()
    bot = FakeBot()

    def user_edits() -> None:  # a button press handled while the reminder is being sent
        case = repo.load_case("case-0001")
        assert case is not None
        case.profile.patient_name = "Maria"
        repo.save_case(case)

    bot.during_send = user_edits
    clock.now = datetime(2026, 11, 23, 16, 0, tzinfo=UTC)
    await desk.deliver(bot, services, "case-0001")  # type: ignore[arg-type]
    case = repo.load_case("case-0001")
    assert case is not None and case.profile.patient_name == "Maria"
    assert statuses(repo, ReminderKind.INSURANCE_CHECK) == [ReminderStatus.SENT]
    assert case.members[0].user_id == OWNER
