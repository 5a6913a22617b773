"""The reminder plan and the sending rules, with fixed clocks, across zones and DST changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from journey import appointments, records, reminders
from journey.models import (
    Case,
    GroupChat,
    InsuranceOutcome,
    Notify,
    RecordKind,
    RecordStatus,
    Reminder,
    ReminderKind,
    ReminderStatus,
    Urgency,
)
from journey.reminders import Decision, decide, plan_reminders, replan
from tests.unit.factories import OWNER, VIEWER, new_case

R = ReminderKind
NOW = datetime(2026, 11, 23, 15, 30, tzinfo=UTC)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def case_with_visit(starts_at: datetime, zone: str, member_zone: str | None = None) -> Case:
    case = new_case()
    case.members = case.members[:1]  # just the owner
    case.members[0].settings.zone = member_zone or zone
    appointments.add(case, "a1", starts_at, zone, NOW)
    return case


def due_times(case: Case, now: datetime = NOW) -> dict[ReminderKind, datetime]:
    return {r.kind: r.due_at for r in plan_reminders(case, now)}


def test_a_visit_in_chicago_gets_the_week_two_days_day_hours_and_after_reminders() -> None:
    case = case_with_visit(utc(2026, 12, 3, 20, 30), "America/Chicago")  # Thu 3 Dec, 14:30 CST
    assert due_times(case) == {
        R.WEEK_BEFORE: utc(2026, 11, 26, 16, 0),  # Thu 26 Nov, 10:00 CST
        R.TWO_DAYS_BEFORE: utc(2026, 12, 1, 16, 0),  # Tue 1 Dec, 10:00
        R.DAY_BEFORE: utc(2026, 12, 3, 0, 0),  # Wed 2 Dec, 18:00
        R.HOURS_BEFORE: utc(2026, 12, 3, 18, 30),  # two hours before
        R.AFTER: utc(2026, 12, 4, 16, 0),  # Fri 4 Dec, 10:00
        R.INSURANCE_CHECK: utc(2026, 11, 23, 16, 0),  # ten days before, insurance not settled
    }


def test_local_times_hold_across_the_autumn_dst_change() -> None:
    now = utc(2026, 10, 20, 12, 0)
    case = case_with_visit(utc(2026, 11, 2, 14, 0), "America/New_York")  # Mon 2 Nov 9:00 EST
    times = due_times(case, now)
    assert times[R.WEEK_BEFORE] == utc(2026, 10, 26, 14, 0)  # 10:00 EDT (UTC-4)
    assert times[R.TWO_DAYS_BEFORE] == utc(2026, 10, 31, 14, 0)  # Sat 10:00 EDT
    assert times[R.DAY_BEFORE] == utc(2026, 11, 1, 23, 0)  # Sun 18:00 EST (UTC-5), after the change
    assert times[R.AFTER] == utc(2026, 11, 3, 15, 0)


def test_local_times_hold_across_a_southern_hemisphere_dst_change() -> None:
    now = utc(2026, 9, 20, 0, 0)
    # Sydney moves to daylight time on Sun 4 Oct 2026. Visit Tue 6 Oct 11:00 AEDT (UTC+11) = 00:00 UTC.
    case = case_with_visit(utc(2026, 10, 6, 0, 0), "Australia/Sydney")
    times = due_times(case, now)
    assert times[R.WEEK_BEFORE] == utc(2026, 9, 29, 0, 0)  # Tue 29 Sep 10:00 AEST (UTC+10)
    assert times[R.TWO_DAYS_BEFORE] == utc(2026, 10, 3, 23, 0)  # Sun 4 Oct 10:00 AEDT (UTC+11)


def test_a_member_in_another_zone_hears_at_their_own_local_times() -> None:
    case = case_with_visit(utc(2026, 12, 3, 20, 30), "America/Chicago", member_zone="Europe/Berlin")
    assert due_times(case)[R.WEEK_BEFORE] == utc(2026, 11, 26, 9, 0)  # 10:00 in Berlin (UTC+1)


def test_quiet_hours_move_a_reminder_to_their_end_unless_the_visit_comes_first() -> None:
    # Visit at 7:30 local: "two hours before" is 5:30, inside 21:00-08:00; moving it to 8:00 would be
    # after the visit, so it stays at 5:30.
    case = case_with_visit(utc(2026, 12, 3, 13, 30), "America/Chicago")  # 7:30 CST
    assert due_times(case)[R.HOURS_BEFORE] == utc(2026, 12, 3, 11, 30)
    # With quiet hours from 17:00, the 18:00 "day before" moves to 8:00 on the visit day (before 14:30).
    case = case_with_visit(utc(2026, 12, 3, 20, 30), "America/Chicago")
    case.members[0].settings.quiet_start = 17 * 60
    assert due_times(case)[R.DAY_BEFORE] == utc(2026, 12, 3, 14, 0)


def test_nothing_is_planned_in_the_past_or_switched_off() -> None:
    case = case_with_visit(utc(2026, 11, 25, 20, 30), "America/Chicago")  # in two days
    case.members[0].settings.reminders_off = [R.HOURS_BEFORE]
    # Week-before and the insurance check are already past; "two days before" (Mon 10:00 CST) is still ahead.
    assert set(due_times(case)) == {R.TWO_DAYS_BEFORE, R.DAY_BEFORE, R.AFTER}


def test_viewers_are_planned_too_but_not_blocked_members() -> None:
    case = new_case()  # owner and a viewer
    appointments.add(case, "a1", utc(2026, 12, 3, 20, 30), "America/Chicago", NOW)
    assert {r.user_id for r in plan_reminders(case, NOW)} == {OWNER, VIEWER}
    reminders.block(case, VIEWER)
    assert {r.user_id for r in plan_reminders(case, NOW)} == {OWNER}


def test_viewers_hear_about_the_visit_but_not_about_chores_they_cannot_do() -> None:
    case = new_case()
    appointments.add(case, "a1", utc(2026, 12, 3, 20, 30), "America/Chicago", NOW)
    records.set_status(case, RecordKind.LABS, RecordStatus.REQUESTED, date(2026, 11, 20))
    kinds = {(r.user_id, r.kind) for r in plan_reminders(case, NOW)}
    assert (VIEWER, ReminderKind.DAY_BEFORE) in kinds and (OWNER, ReminderKind.DAY_BEFORE) in kinds
    chores = {ReminderKind.RECORD_FOLLOW_UP, ReminderKind.INSURANCE_CHECK, ReminderKind.AFTER}
    assert {k for u, k in kinds if u == OWNER} >= chores
    assert {k for u, k in kinds if u == VIEWER} == set(reminders.BEFORE_KINDS)


def test_a_member_who_wants_nothing_gets_no_reminders_even_already_planned_ones() -> None:
    case = new_case()
    appointments.add(case, "a1", utc(2026, 12, 3, 20, 30), "America/Chicago", NOW)
    reminders.replan(case, NOW)
    viewer_day = next(r for r in case.reminders if r.user_id == VIEWER and r.kind is ReminderKind.DAY_BEFORE)
    case.members[1].settings.notify = Notify.NONE
    assert {r.user_id for r in plan_reminders(case, NOW)} == {OWNER}
    assert reminders.decide(case, viewer_day, viewer_day.due_at) is reminders.Decision.SKIP


def test_a_linked_group_hears_the_visit_coming_in_the_visits_zone_and_nothing_else() -> None:
    case = case_with_visit(utc(2026, 12, 3, 20, 30), "America/Chicago", member_zone="Europe/Berlin")
    case.groups.append(GroupChat(-500, linked_by=OWNER, linked_at=NOW))
    group = {r.kind: r.due_at for r in plan_reminders(case, NOW) if r.user_id == -500}
    assert set(group) == set(reminders.BEFORE_KINDS)
    # 10:00 in Chicago two days before (not the owner's Berlin morning).
    assert group[ReminderKind.TWO_DAYS_BEFORE] == utc(2026, 12, 1, 16, 0)
    day = next(
        r for r in plan_reminders(case, NOW) if r.user_id == -500 and r.kind is ReminderKind.DAY_BEFORE
    )
    assert reminders.decide(case, day, day.due_at) is reminders.Decision.SEND
    reminders.block(case, -500)  # the bot was removed from the group
    assert case.groups == [] and all(r.user_id != -500 for r in plan_reminders(case, NOW))
    assert reminders.decide(case, day, day.due_at) is reminders.Decision.SKIP


def test_records_asked_for_get_a_follow_up_every_week_or_every_three_days_when_urgent() -> None:
    case = case_with_visit(utc(2026, 12, 3, 20, 30), "America/Chicago")
    item = case.records.items[0]
    item.status, item.requested_on = RecordStatus.REQUESTED, date(2026, 11, 10)
    follow_up = next(r for r in plan_reminders(case, NOW) if r.kind is R.RECORD_FOLLOW_UP)
    assert (follow_up.target, follow_up.due_at) == (
        RecordKind.PATHOLOGY_REPORT.value,
        utc(2026, 11, 24, 16, 0),
    )
    case.profile.urgency = Urgency.SOON
    follow_up = next(r for r in plan_reminders(case, NOW) if r.kind is R.RECORD_FOLLOW_UP)
    assert follow_up.due_at == utc(2026, 11, 25, 16, 0)  # 10, 13, 16, 19, 22, 25 Nov


def test_replan_keeps_history_follows_a_move_and_drops_a_cancelled_visit() -> None:
    case = case_with_visit(utc(2026, 12, 3, 20, 30), "America/Chicago")
    replan(case, NOW)
    week = next(r for r in case.reminders if r.kind is R.WEEK_BEFORE)
    reminders.mark_sending(week, NOW)
    reminders.mark_sent(week, NOW)
    replan(case, NOW)
    assert [r.status for r in case.reminders if r.kind is R.WEEK_BEFORE] == [ReminderStatus.SENT]

    appointments.reschedule(case, "a1", utc(2026, 12, 10, 20, 30), "America/Chicago")
    replan(case, NOW)
    weeks = [r for r in case.reminders if r.kind is R.WEEK_BEFORE]
    assert [(r.status, r.due_at) for r in weeks] == [
        (ReminderStatus.SENT, utc(2026, 11, 26, 16, 0)),
        (ReminderStatus.PENDING, utc(2026, 12, 3, 16, 0)),
    ]
    appointments.cancel(case, "a1")
    replan(case, NOW)
    assert all(r.status is not ReminderStatus.PENDING for r in case.reminders)


def test_due_reminders_that_no_longer_make_sense_are_skipped() -> None:
    case = case_with_visit(utc(2026, 12, 3, 20, 30), "America/Chicago")
    replan(case, NOW)
    by_kind = {r.kind: r for r in case.reminders}
    # The bot was down for a week: week-before and two-days-before are both due; only the later is sent.
    later = utc(2026, 12, 1, 17, 0)
    assert decide(case, by_kind[R.WEEK_BEFORE], later) is Decision.SKIP
    assert decide(case, by_kind[R.TWO_DAYS_BEFORE], later) is Decision.SEND
    # After the visit started, no "before" reminder makes sense.
    assert decide(case, by_kind[R.HOURS_BEFORE], utc(2026, 12, 3, 21, 0)) is Decision.SKIP
    # "How did it go?" three days late is skipped.
    assert decide(case, by_kind[R.AFTER], by_kind[R.AFTER].due_at + timedelta(days=3)) is Decision.SKIP
    # Insurance settled meanwhile: the check is skipped.
    case.insurance.outcome = InsuranceOutcome.COVERED
    assert decide(case, by_kind[R.INSURANCE_CHECK], NOW + timedelta(hours=1)) is Decision.SKIP


def test_a_follow_up_is_skipped_once_the_record_arrived() -> None:
    case = case_with_visit(utc(2026, 12, 3, 20, 30), "America/Chicago")
    item = case.records.items[0]
    item.status, item.requested_on = RecordStatus.REQUESTED, date(2026, 11, 10)
    replan(case, NOW)
    follow_up = next(r for r in case.reminders if r.kind is R.RECORD_FOLLOW_UP)
    assert decide(case, follow_up, follow_up.due_at) is Decision.SEND
    item.status = RecordStatus.RECEIVED
    assert decide(case, follow_up, follow_up.due_at) is Decision.SKIP


def test_retries_back_off_then_give_up() -> None:
    reminder = Reminder("r1", R.AFTER, NOW, OWNER)
    pauses = []
    for _ in range(reminders.MAX_ATTEMPTS - 1):
        reminders.mark_sending(reminder, NOW)
        reminders.retry_later(reminder, NOW)
        pauses.append((reminder.due_at - NOW).total_seconds())
    assert pauses == [30, 60, 120, 240, 480]
    assert reminder.status is ReminderStatus.PENDING
    reminders.mark_sending(reminder, NOW)
    reminders.retry_later(reminder, NOW)
    assert [reminder.status] == [ReminderStatus.FAILED]  # (a list: mypy narrowed the status above)


def test_a_reminder_left_sending_by_a_crash_is_never_sent_again() -> None:
    case = case_with_visit(utc(2026, 12, 3, 20, 30), "America/Chicago")
    replan(case, NOW)
    reminders.mark_sending(case.reminders[0], NOW)
    assert reminders.recover_interrupted(case) is True
    assert case.reminders[0].status is ReminderStatus.INTERRUPTED
    replan(case, NOW)
    assert reminders.due(case, utc(2027, 1, 1, 0, 0))[0].id != case.reminders[0].id
    assert reminders.recover_interrupted(case) is False


@pytest.mark.parametrize("zone", ["America/Chicago", "Asia/Kolkata", "Europe/London", "Pacific/Honolulu"])
def test_every_planned_time_is_outside_quiet_hours_or_before_an_early_visit(zone: str) -> None:
    from zoneinfo import ZoneInfo

    for hour in range(24):
        start = datetime(2026, 12, 10, hour, 15, tzinfo=ZoneInfo(zone)).astimezone(UTC)
        case = case_with_visit(start, zone)
        for reminder in plan_reminders(case, NOW):
            local = reminder.due_at.astimezone(ZoneInfo(zone))
            quiet = local.hour >= 21 or local.hour < 8
            assert not quiet or reminder.due_at < start, (hour, reminder.kind, local)


def test_a_due_reminder_not_yet_sent_survives_replanning_and_keeps_its_retry_pause() -> None:
    case = case_with_visit(utc(2026, 12, 3, 20, 30), "America/Chicago")
    replan(case, NOW)
    later = utc(2026, 11, 27, 12, 0)  # the week-before reminder (26 Nov) is due and unsent
    replan(case, later)
    week = next(r for r in case.reminders if r.kind is R.WEEK_BEFORE)
    assert week.status is ReminderStatus.PENDING and week in reminders.due(case, later)
    reminders.mark_sending(week, NOW)
    reminders.retry_later(week, later)
    pause = week.due_at
    replan(case, later)
    assert next(r for r in case.reminders if r.kind is R.WEEK_BEFORE).due_at == pause


def test_booking_a_visit_soon_does_not_invent_reminders_already_past() -> None:
    case = case_with_visit(utc(2026, 11, 25, 20, 30), "America/Chicago")
    replan(case, NOW)
    assert R.WEEK_BEFORE not in {r.kind for r in case.reminders}


def test_calendar_alarms_are_the_members_before_the_visit_reminders() -> None:
    case = case_with_visit(utc(2026, 12, 3, 20, 30), "America/Chicago")
    assert reminders.alarm_offsets(case, "a1", OWNER, NOW) == (
        timedelta(hours=2),  # two hours before
        timedelta(hours=20, minutes=30),  # 18:00 the evening before
        timedelta(days=2, hours=4, minutes=30),  # 10:00 two days before
        timedelta(days=7, hours=4, minutes=30),  # 10:00 a week before
    )
    assert reminders.alarm_offsets(case, "nope", OWNER, NOW) == ()


def test_a_confirmed_time_must_still_be_ahead_and_within_two_years() -> None:
    from journey.appointments import TimePassed, check_start
    from journey.when import TooFar

    assert check_start(NOW + timedelta(minutes=1), NOW) == NOW + timedelta(minutes=1)
    with pytest.raises(TimePassed):
        check_start(NOW, NOW)
    with pytest.raises(TooFar):
        check_start(NOW + timedelta(days=800), NOW)


def test_a_save_after_the_visit_ended_keeps_its_how_did_it_go() -> None:
    """The fault: re-planning covered only visits not yet over, so it dropped the stored "after" one."""
    case = case_with_visit(utc(2026, 12, 3, 20, 30), "America/Chicago")  # Thu 3 Dec, 14:30 CST
    replan(case, NOW)
    evening = utc(2026, 12, 4, 1, 0)  # the visit is over; any tap saves the plan now
    replan(case, evening)
    after = [r for r in case.reminders if r.kind is R.AFTER]
    assert [(r.status, r.due_at) for r in after] == [(ReminderStatus.PENDING, utc(2026, 12, 4, 16, 0))]
    morning = utc(2026, 12, 4, 16, 5)  # due, and a restart or another save comes first
    replan(case, morning)
    assert [r.kind for r in reminders.due(case, morning)] == [R.AFTER]
    assert decide(case, reminders.due(case, morning)[0], morning) is Decision.SEND
    replan(case, utc(2026, 12, 9))  # long after: nothing is owed any more, nothing invented
    assert not reminders.due(case, utc(2026, 12, 9)) or all(
        decide(case, r, utc(2026, 12, 9)) is Decision.SKIP for r in reminders.due(case, utc(2026, 12, 9))
    )


def test_a_save_at_a_follow_ups_time_keeps_that_follow_up() -> None:
    case = case_with_visit(utc(2026, 12, 3, 20, 30), "America/Chicago")
    item = case.records.items[0]
    item.status, item.requested_on = RecordStatus.REQUESTED, date(2026, 11, 10)
    replan(case, NOW)
    due_time = utc(2026, 11, 24, 16, 0)  # 14 days after the request, 10:00 CST
    later = due_time + timedelta(hours=2)  # due, not yet sent, and the plan is saved again
    replan(case, later)
    follow_ups = [r.due_at for r in reminders.due(case, later) if r.kind is R.RECORD_FOLLOW_UP]
    assert follow_ups == [due_time]
