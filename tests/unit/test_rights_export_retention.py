"""/export's data, /privacy's words, and the retention of unused plans (rules, and the courier deleting)."""

from __future__ import annotations

import html
import json
from datetime import UTC, datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from handlers.plumbing.turn import OutgoingFile, Services
from handlers.reminders.screens import reminder_message
from handlers.rights import screens as rights_views
from handlers.sharing import news
from journey import retention, rights, sharing
from journey.models import Member, Prompt, PromptKind, ReminderKind, ReminderStatus, Role
from journey.retention import Retention
from service.courier import Courier
from service.work import Plans
from storage import InMemoryCaseRepository
from templates import Words
from tests.unit.factories import NOW, OWNER, VIEWER, new_case
from tests.unit.test_courier import Clock, FakeSender

WORDS = Words()
RENDERER = WORDS.default
R = ReminderKind


def services(repo: InMemoryCaseRepository, **extra: object) -> Services:
    return Services(repo, WORDS, lambda: NOW, ZoneInfo("America/Chicago"), **extra)  # type: ignore[arg-type]


# --- export ------------------------------------------------------------------------------------------


def test_export_holds_what_was_typed_and_nothing_of_another_plan() -> None:
    repo = InMemoryCaseRepository()
    mine = new_case("plan-mine-01")
    mine.profile.patient_name = "Ann Núñez"
    mine.members[0].name = "Olivia"
    mine.members[1].name = "Victor"
    mine.members[1].prompt = Prompt(PromptKind.DIAGNOSIS, None, VIEWER, 3)
    mine.members[1].recent_updates = [41, 42]
    mine.members[1].settings.zone = "Europe/Berlin"
    sharing.create_invite(mine, OWNER, Role.VIEWER, NOW, "inv1")
    repo.save_case(mine)
    other = new_case("plan-other-1")
    other.members[0].user_id, other.members[1].user_id = 888, 889
    other.profile.patient_name = "Nina Other"
    repo.save_case(other)

    screen = rights_views.export_screen(services(repo), repo, OWNER, NOW)
    (file,) = screen.files
    data = json.loads(file.data)
    assert (data["format"], data["version"]) == ("second-opinion-export", 1)
    assert [p["id"] for p in data["plans"]] == ["plan-mine-01"]
    assert data["plans"][0]["patient"]["patient_name"] == "Ann Núñez"
    assert "Nina Other" not in file.data.decode()
    # Another member: name and role as /members shows them; never their question, settings or updates.
    victor = next(m for m in data["plans"][0]["members"] if m["name"] == "Victor")
    assert set(victor) == {"name", "role", "joined_at", "is_you"}
    assert "Europe/Berlin" not in file.data.decode() and "41" not in json.dumps(victor)
    # Invite links: never the hash of a secret.
    assert data["plans"][0]["invites"][0]["role"] == "viewer"
    assert mine.invites[0].secret_hash not in file.data.decode()


def test_a_viewer_exports_their_own_place_and_no_invites() -> None:
    case = new_case()
    case.members[1].settings.zone = "Europe/Berlin"
    sharing.create_invite(case, OWNER, Role.VIEWER, NOW, "inv1")
    data = rights.export([case], VIEWER, NOW)
    (plan,) = data["plans"]
    assert plan["your_role"] == "viewer" and plan["invites"] == []
    assert plan["you"]["settings"]["zone"] == "Europe/Berlin"
    assert data["user_id"] == VIEWER


def test_export_of_someone_in_no_plan_says_nothing_is_kept() -> None:
    repo = InMemoryCaseRepository()
    screen = rights_views.export_screen(services(repo), repo, 12345, NOW)
    assert screen.files == () and "I keep nothing about you" in screen.text


def test_the_prep_sheet_joins_the_export_when_there_is_one() -> None:
    repo = InMemoryCaseRepository()
    repo.save_case(new_case())
    sheet = OutgoingFile("prep-sheet.pdf", b"%PDF-1.4", "Prep sheet")
    screen = rights_views.export_screen(services(repo), repo, OWNER, NOW, prep_sheet=lambda turn: sheet)
    assert [f.name for f in screen.files] == ["second-opinion-export.json", "prep-sheet.pdf"]


# --- privacy -----------------------------------------------------------------------------------------


def test_privacy_says_what_who_how_long_and_how_to_leave() -> None:
    repo = InMemoryCaseRepository()
    text = rights_views.privacy_text(services(repo, retention_months=18), RENDERER)
    for words in ("18 months", "not end-to-end encrypted", "emergency services", "/export", "/delete"):
        assert words in text
    assert "Who runs this bot" not in text
    named = rights_views.privacy_text(
        services(repo, operator_name="Clinic <Team>", operator_contact="privacy@example.org"), RENDERER
    )
    assert "Clinic &lt;Team&gt;: privacy@example.org" in named


# --- retention rules ---------------------------------------------------------------------------------

POLICY = Retention(12)


def test_two_notices_then_the_end_counted_from_the_last_change() -> None:
    case = new_case()
    deadline = datetime(2027, 11, 23, 15, 30, tzinfo=UTC)
    assert POLICY.deadline(case) == deadline
    items = retention.planned(case, POLICY, NOW)
    assert [(r.kind, r.due_at, r.user_id) for r in items] == [
        (R.RETENTION_NOTICE, deadline - timedelta(days=30), OWNER),
        (R.RETENTION_NOTICE, deadline - timedelta(days=7), OWNER),
        (R.RETENTION_END, deadline, OWNER),
    ]
    assert retention.ends_at(items[0]) == deadline


def test_a_month_end_stays_in_its_month() -> None:
    assert retention.add_months(datetime(2027, 1, 31, tzinfo=UTC), 1) == datetime(2027, 2, 28, tzinfo=UTC)


def test_a_late_plan_still_gets_two_notices_a_week_apart_before_it_goes() -> None:
    """A plan found long unused (the bot was down, or the setting was made shorter): warned now, again a
    week later, deleted a week after that. Never deleted without a week's warning."""
    case = new_case()
    case.active_at = NOW - timedelta(days=800)
    retention.replan(case, POLICY, NOW)
    notices = [r for r in case.reminders if r.kind is R.RETENTION_NOTICE]
    (end,) = [r for r in case.reminders if r.kind is R.RETENTION_END]
    assert [r.due_at for r in notices] == [NOW, NOW + timedelta(days=7)]
    assert end.due_at == NOW + timedelta(days=14)
    assert not retention.ending(case, POLICY, end, NOW + timedelta(days=14))  # notices not sent yet


def test_a_change_moves_the_deadline_and_replaces_what_was_planned() -> None:
    case = new_case()
    retention.replan(case, POLICY, NOW)
    later = NOW + timedelta(days=100)
    retention.touch(case, later)
    retention.replan(case, POLICY, later)
    (end,) = [r for r in case.reminders if r.kind is R.RETENTION_END]
    assert end.due_at == retention.add_months(later, 12)
    assert len(case.reminders) == 3


def test_retention_notices_are_not_a_setting_to_switch_off() -> None:
    from journey import settings

    assert R.RETENTION_NOTICE not in settings.CHOOSABLE and R.RETENTION_END not in settings.CHOOSABLE


# --- the courier: notices, then the deletion --------------------------------------------------------------


async def test_an_unused_plan_is_announced_twice_then_deleted_and_everyone_told() -> None:
    repo, clock, sender = InMemoryCaseRepository(), Clock(), FakeSender()
    s = Services(repo, WORDS, clock, ZoneInfo("UTC"), retention_months=12)
    farewells: list[str] = []
    plans = Plans(repo, clock, compose=partial(news.compose, s), retention=POLICY)
    courier = Courier(plans, reminder_message(s))
    plans.on_commit = courier.note
    plans.on_farewell = lambda letters: farewells.extend(
        f"{x.chat_id}:{html.unescape(x.text)}" for x in letters
    )
    courier.attach(sender)

    case = new_case()
    case.members[0].name, case.members[1].name = "Olivia", "Victor"
    case.profile.patient_name = "Ann"
    repo.save_case(case)
    await plans.run(case.id, lambda work: work.save(), actor=OWNER)  # a change: planned from here
    deadline = POLICY.deadline(case)

    for at in (deadline - timedelta(days=30), deadline - timedelta(days=7)):
        clock.now = at
        courier.rebuild()
        courier.kick()
        await courier.idle()
    assert [m.chat_id for m in sender.sent] == [OWNER, OWNER]
    assert "Do you still need Ann's plan?" in html.unescape(sender.sent[0].text)
    assert "Keep this plan" in str(sender.sent[0].buttons)
    assert repo.load_case(case.id) is not None

    clock.now = deadline
    courier.rebuild()
    courier.kick()
    await courier.idle()
    assert repo.load_case(case.id) is None
    assert "nobody changed it for 12 months" in sender.sent[-1].text
    assert farewells == [
        f"{VIEWER}:Ann's plan is deleted, because nobody used it for a long time. Nothing of it is kept."
    ]


async def test_keeping_the_plan_starts_the_time_again() -> None:
    repo, clock = InMemoryCaseRepository(), Clock()
    plans = Plans(repo, clock, retention=POLICY)
    case = new_case()
    repo.save_case(case)
    clock.now = NOW + timedelta(days=340)
    await plans.run(case.id, lambda work: work.save(), actor=VIEWER)  # any member's change counts
    stored = repo.load_case(case.id)
    assert stored is not None and stored.active_at == clock.now
    (end,) = [r for r in stored.reminders if r.kind is R.RETENTION_END]
    assert end.due_at == retention.add_months(clock.now, 12)
    # The bot's own saves (a reminder sent) do not count as use.
    kept_at = clock.now
    clock.now += timedelta(days=5)
    await plans.run(case.id, lambda work: work.save())
    again = repo.load_case(case.id)
    assert again is not None and again.active_at == kept_at and again.updated_at == clock.now


def test_a_blocked_owner_still_loses_an_unused_plan() -> None:
    from journey import reminders

    case = new_case()
    retention.replan(case, POLICY, NOW)
    reminders.block(case, OWNER)
    statuses = {r.kind: r.status for r in case.reminders}
    assert statuses[R.RETENTION_END] is ReminderStatus.PENDING
    assert statuses[R.RETENTION_NOTICE] is ReminderStatus.FAILED


def test_a_helper_erased_from_a_plan_is_no_longer_named_as_who_invited_others() -> None:
    """Erasing a helper drops who they invited from the others' entries, and keeps everyone else."""
    case = new_case()
    case.members.append(Member(333, Role.VIEWER, invited_by=VIEWER))
    case.members[1].role = Role.EDITOR
    rights.forget_member(case, VIEWER)
    assert [(m.user_id, m.invited_by) for m in case.members] == [(OWNER, None), (333, None)]


def test_operator_and_retention_settings_are_read_and_checked() -> None:
    import pytest

    from settings import SettingsError, load_settings

    read = load_settings(
        {"OPERATOR_NAME": "  Clinic   Team ", "OPERATOR_CONTACT": "a@b.org", "DATA_DIR": "/tmp"}
    )
    assert (read.operator_name, read.operator_contact, read.retention_months) == (
        "Clinic Team",
        "a@b.org",
        12,
    )
    assert load_settings({"RETENTION_MONTHS": "24", "DATA_DIR": "/tmp"}).retention_months == 24
    for bad in ("1", "0", "x", "121"):
        with pytest.raises(SettingsError, match="RETENTION_MONTHS"):
            load_settings({"RETENTION_MONTHS": bad, "DATA_DIR": "/tmp"})
