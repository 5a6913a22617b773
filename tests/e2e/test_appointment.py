"""The visit: typed or tapped, confirmed in words, a calendar file that updates and cancels cleanly."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from icalendar import Calendar

from sandbox import Reply, SandboxServer, SandboxUser
from tests.e2e.harness import choose_zone, running_bot

CHICAGO = ZoneInfo("America/Chicago")


async def start(alex: SandboxUser) -> None:
    await alex.send("/start")
    await alex.tap("Cancel")


def all_text(reply: Reply) -> str:
    """Every message of a reply: the screen, then the calendar file's caption."""
    return "\n".join(reply.texts)


def last_calendar(alex: SandboxUser) -> Calendar:
    files = [f for f in alex.documents() if (f.file_name or "").endswith(".ics")]
    assert files, "no calendar file was sent"
    return Calendar.from_ical(files[-1].data)


def event_of(calendar: Calendar) -> dict[str, object]:
    (event,) = calendar.walk("VEVENT")
    return {
        "uid": str(event["UID"]),
        "sequence": int(str(event["SEQUENCE"])),
        "status": str(event["STATUS"]),
        "start": event.decoded("DTSTART"),
        "tzid": event["DTSTART"].params.get("TZID"),
        "end": event.decoded("DTEND"),
        "summary": str(event["SUMMARY"]),
        "alarms": sorted(a.decoded("TRIGGER") for a in event.walk("VALARM")),
        "method": str(calendar["METHOD"]),
    }


async def test_add_a_visit_by_typing_confirm_it_and_get_a_calendar_file(
    sandbox: SandboxServer, data_dir: Path
) -> None:
    async with running_bot(sandbox, data_dir):
        alex = sandbox.user(111, "Alex")
        await start(alex)
        reply = await alex.send("/appointment")
        assert "No visit saved yet" in reply.text
        reply = await alex.tap("Add the visit")
        assert "Which time zone?" in reply.text  # asked once, before the first visit
        reply = await alex.tap("Chicago")
        assert "When is the visit?" in reply.text and "Chicago time" in reply.text

        reply = await alex.send("asdf")
        assert "couldn't find a day" in reply.text
        reply = await alex.send("3 Dec 2025 2:30pm")
        assert "already passed" in reply.text
        reply = await alex.send("3 Dec 2026 2:30pm")
        assert "Thursday 3 December 2026, 2:30 PM, Chicago time" in reply.text
        assert "Is that right?" in reply.text

        reply = await alex.tap("Yes, that's right")
        text = all_text(reply)
        assert "Saved" in text
        assert "That is in 10 days" in text
        # Records not confirmed as arrived are named at booking: the new doctor needs them.
        assert "Not confirmed as arrived yet" in text and "Pathology report" in text
        assert "insurance is not settled" in text

        event = event_of(last_calendar(alex))
        assert event["method"] == "PUBLISH" and event["status"] == "CONFIRMED" and event["sequence"] == 0
        assert event["tzid"] == "America/Chicago"
        assert event["start"] == datetime(2026, 12, 3, 14, 30, tzinfo=CHICAGO)
        assert event["end"] - event["start"] == timedelta(hours=1)  # type: ignore[operator]
        assert event["summary"] == "Second opinion"
        # The alarms match the reminder plan: a week, two days, the evening before, two hours.
        assert timedelta(hours=-2) in event["alarms"]  # type: ignore[operator]
        assert len(event["alarms"]) == 4  # type: ignore[arg-type]


async def test_pick_the_time_by_tapping(sandbox: SandboxServer, data_dir: Path) -> None:
    async with running_bot(sandbox, data_dir):
        alex = sandbox.user(111, "Alex")
        await start(alex)
        await alex.send("/settings")
        await alex.tap("Time zone")
        reply = await alex.tap("New York")
        assert "Time zone: New York" in reply.text
        await alex.send("/appointment")
        await alex.tap("Add the visit")
        reply = await alex.tap("Pick on a calendar")
        assert "November 2026" in reply.text
        assert "22" not in reply.buttons  # days already past cannot be picked
        reply = await alex.tap("Next")
        assert "December 2026" in reply.text
        reply = await alex.tap("8")
        assert "Tuesday 8 December 2026" in reply.text
        reply = await alex.tap("9 AM")
        reply = await alex.tap("9:30 AM")
        assert "Tuesday 8 December 2026, 9:30 AM, New York time" in reply.text
        reply = await alex.tap("Yes, that's right")
        assert "Saved" in all_text(reply)
        assert event_of(last_calendar(alex))["start"] == datetime(
            2026, 12, 8, 9, 30, tzinfo=ZoneInfo("America/New_York")
        )


async def test_a_date_that_reads_two_ways_is_asked_not_guessed(
    sandbox: SandboxServer, data_dir: Path
) -> None:
    async with running_bot(sandbox, data_dir):
        alex = sandbox.user(111, "Alex")
        await start(alex)
        reply = await alex.send("/settings")
        await alex.tap("Time zone")
        await alex.send("Houston")
        reply = await alex.send("/appointment 12/03 9am")
        assert "can mean two days" in reply.text
        # Day first, 12 March (already past this year, so 2027); month first, 3 December.
        assert reply.buttons == ["Friday 12 March 2027", "Thursday 3 December 2026", "✖ Cancel"]
        reply = await alex.tap("Thursday 3 December 2026")
        # Houston is in the Chicago zone: the time is named by its zone.
        assert "Thursday 3 December 2026, 9:00 AM, Chicago time" in reply.text


async def test_change_then_cancel_updates_the_same_calendar_event(
    sandbox: SandboxServer, data_dir: Path
) -> None:
    async with running_bot(sandbox, data_dir):
        alex = sandbox.user(111, "Alex")
        await start(alex)
        await choose_zone(alex, "Chicago")
        await alex.send("/appointment 3 Dec 2026 14:30")
        await alex.tap("Yes, that's right")
        first = event_of(last_calendar(alex))

        await alex.tap("Edit details")
        await alex.tap("Doctor")
        reply = await alex.send("Dr. Rivera")
        assert "Doctor: Dr. Rivera" in reply.text
        assert "Edit details" in reply.text  # back to the details: the next one is one tap away
        await alex.tap("Back")
        await alex.tap("Change time")
        await alex.send("4 Dec 2026 10am")
        reply = await alex.tap("Yes, that's right")
        changed = event_of(last_calendar(alex))
        assert changed["uid"] == first["uid"]
        assert changed["sequence"] > first["sequence"]  # type: ignore[operator]
        assert changed["start"] == datetime(2026, 12, 4, 10, 0, tzinfo=CHICAGO)
        assert changed["summary"] == "Second opinion with Dr. Rivera"

        await alex.tap("Cancel this visit")
        reply = await alex.tap("Yes, cancel it")
        assert "The visit is cancelled" in all_text(reply)
        cancelled = event_of(last_calendar(alex))
        assert (cancelled["method"], cancelled["status"]) == ("CANCEL", "CANCELLED")
        assert cancelled["uid"] == first["uid"]
        assert cancelled["sequence"] > changed["sequence"]  # type: ignore[operator]
        assert cancelled["alarms"] == []


async def test_booking_a_doctor_offers_to_add_the_visit_with_their_details(
    sandbox: SandboxServer, data_dir: Path
) -> None:
    async with running_bot(sandbox, data_dir):
        alex = sandbox.user(111, "Alex")
        await start(alex)
        await choose_zone(alex, "Chicago")
        await alex.send("/specialist")
        await alex.tap("Add a doctor")
        await alex.send("Dr. Okafor")
        await alex.send("University Hospital")
        await alex.send("555-0100")
        await alex.tap("Skip")
        reply = await alex.tap("Booked")
        reply = await alex.tap("Add the visit")
        assert "When is the visit?" in reply.text
        await alex.send("10 Dec 2026 11am")
        reply = await alex.tap("Yes, that's right")
        assert "Doctor: Dr. Okafor" in all_text(reply) and "Place: University Hospital" in all_text(reply)
        assert "Phone: 555-0100" in all_text(reply)


async def test_sharing_a_location_sets_the_time_zone_and_settings_change_reminders(
    sandbox: SandboxServer, data_dir: Path
) -> None:
    async with running_bot(sandbox, data_dir):
        alex = sandbox.user(111, "Alex")
        await start(alex)
        reply = await alex.send_location(41.88, -87.63)
        assert "only use a location to set your time zone" in reply.text
        await alex.send("/appointment")
        await alex.tap("Add the visit")
        reply = await alex.send_location(33.45, -112.07)  # Phoenix: Arizona keeps standard time
        assert "When is the visit?" in reply.text and "Phoenix time" in reply.text

        reply = await alex.send("/settings")
        assert "Time zone: Phoenix" in reply.text
        assert "✅ 🌙 21:00\u201308:00" in reply.buttons and "✅ Two hours before" in reply.buttons
        reply = await alex.tap("22:00\u201307:00")
        assert "✅ 🌙 22:00\u201307:00" in reply.buttons
        reply = await alex.tap("Two hours before")
        assert "▫️ Two hours before" in reply.buttons


async def test_a_pasted_zoom_invitation_keeps_the_link_and_offers_the_rest_for_the_notes(
    sandbox: SandboxServer, data_dir: Path
) -> None:
    invitation = (
        "Join Zoom Meeting\nhttps://us02web.zoom.us/j/123?pwd=abc\n\nMeeting ID: 123 456\nPasscode: 9x8y"
    )
    async with running_bot(sandbox, data_dir):
        alex = sandbox.user(111, "Alex")
        await start(alex)
        await choose_zone(alex, "Chicago")
        await alex.send("/appointment 3 Dec 2026 14:30")
        await alex.tap("Yes, that's right")

        await alex.tap("Edit details")
        await alex.tap("Video link")
        reply = await alex.send("Room 4, second floor")
        assert "I need the web link for the video visit" in reply.text
        assert "What is the video visit link?" in reply.text  # asked again
        reply = await alex.send(invitation)
        assert "I saved the link" in reply.text and "Passcode: 9x8y" in reply.text
        assert "Video visit: https://us02web.zoom.us/j/123?pwd=abc" in reply.text
        assert "Notes:" not in reply.text  # nothing is put in the notes without asking

        reply = await alex.tap("Add that text to the notes")
        assert "I added that text to the visit's notes" in reply.text
        assert "Notes: Join Zoom Meeting" in reply.text and "Passcode: 9x8y" in reply.text

        await alex.tap("Change time")
        await alex.send("4 Dec 2026 10am")
        await alex.tap("Yes, that's right")
        (event,) = last_calendar(alex).walk("VEVENT")
        assert str(event["URL"]) == "https://us02web.zoom.us/j/123?pwd=abc"
        assert event.decoded("DTSTART") == datetime(2026, 12, 4, 10, 0, tzinfo=CHICAGO)
