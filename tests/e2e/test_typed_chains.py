"""Every chain of typed questions, from start to end, as a new user would go through it."""

from __future__ import annotations

from pathlib import Path

from sandbox import SandboxServer, SandboxUser
from tests.e2e.harness import running_bot
from tests.e2e.test_journey import onboard


async def start(alex: SandboxUser) -> None:
    await alex.send("/start")
    await alex.tap("Cancel")


async def test_zone_by_typed_city_then_a_typed_time(sandbox: SandboxServer, data_dir: Path) -> None:
    async with running_bot(sandbox, data_dir):
        alex = sandbox.user(111, "Alex")
        await start(alex)
        await alex.send("/appointment")
        reply = await alex.tap("Add the visit")
        assert "Which time zone?" in reply.text
        reply = await alex.send("Houston")
        assert "When is the visit?" in reply.text and "Chicago time" in reply.text
        reply = await alex.send("3 Dec 2026 2:30pm")
        assert "Thursday 3 December 2026, 2:30 PM, Chicago time" in reply.text


async def test_zone_by_location_then_a_typed_time(sandbox: SandboxServer, data_dir: Path) -> None:
    async with running_bot(sandbox, data_dir):
        alex = sandbox.user(111, "Alex")
        await start(alex)
        await alex.send("/appointment")
        await alex.tap("Add the visit")
        reply = await alex.send_location(29.76, -95.37)  # Houston
        assert "When is the visit?" in reply.text and "Chicago time" in reply.text
        reply = await alex.send("3 Dec 2026 2:30pm")
        assert "Thursday 3 December 2026, 2:30 PM, Chicago time" in reply.text


async def test_a_booked_doctor_then_zone_by_typed_city_then_a_typed_time(
    sandbox: SandboxServer, data_dir: Path
) -> None:
    async with running_bot(sandbox, data_dir):
        alex = sandbox.user(111, "Alex")
        await start(alex)
        await alex.send("/specialist")
        await alex.tap("Add a doctor")
        await alex.send("Dr. Rivera")
        await alex.tap("Skip")
        await alex.tap("Skip")
        await alex.tap("Skip")
        await alex.tap("Booked")
        reply = await alex.tap("Add the visit")
        assert "Which time zone?" in reply.text
        reply = await alex.send("Houston")
        assert "When is the visit?" in reply.text
        reply = await alex.send("3 Dec 2026 2:30pm")
        assert "Thursday 3 December 2026, 2:30 PM, Chicago time" in reply.text
        reply = await alex.tap("Yes, that's right")
        assert "Dr. Rivera" in "\n".join(reply.texts)


async def test_a_time_with_the_command_asks_the_zone_first_then_reads_that_time(
    sandbox: SandboxServer, data_dir: Path
) -> None:
    """The time typed with /appointment is kept while the zone is asked, then read in that zone."""
    async with running_bot(sandbox, data_dir):
        alex = sandbox.user(111, "Alex")
        await start(alex)
        reply = await alex.send("/appointment 15 Dec 2026 15:30")
        assert "Which time zone?" in reply.text
        assert 'Then I will read the time you typed, "15 Dec 2026 15:30", in your time zone.' in reply.text
        reply = await alex.send("Houston")
        assert "When is the visit?" not in reply.text  # not asked again
        assert "Tuesday 15 December 2026, 3:30 PM, Chicago time" in reply.text
        assert "Is that right?" in reply.text
        reply = await alex.tap("Yes, that's right")
        text = "\n".join(reply.texts)
        assert "Saved" in text and "Tuesday 15 December 2026, 3:30 PM, Chicago time" in text
        await alex.send("/appointment")
        assert "Tuesday 15 December 2026, 3:30 PM, Chicago time" in alex.last_message().text


async def test_a_time_with_the_command_then_a_tapped_city(sandbox: SandboxServer, data_dir: Path) -> None:
    async with running_bot(sandbox, data_dir):
        alex = sandbox.user(111, "Alex")
        await start(alex)
        await alex.send("/appointment 15 Dec 2026 15:30")
        reply = await alex.tap("Chicago")
        assert "Tuesday 15 December 2026, 3:30 PM, Chicago time" in reply.text
        reply = await alex.tap("No, type it again")
        assert "When is the visit?" in reply.text and "Chicago time" in reply.text


async def test_a_time_with_the_command_then_a_shared_location(sandbox: SandboxServer, data_dir: Path) -> None:
    async with running_bot(sandbox, data_dir):
        alex = sandbox.user(111, "Alex")
        await start(alex)
        await alex.send("/appointment 15 Dec 2026 15:30")
        reply = await alex.send_location(40.71, -74.01)  # New York
        assert "Tuesday 15 December 2026, 3:30 PM, New York time" in reply.text


async def test_a_day_without_a_time_with_the_command_offers_the_hours_after_the_zone(
    sandbox: SandboxServer, data_dir: Path
) -> None:
    """What the held words lack is asked the same way as when typed: here, the hour to tap."""
    async with running_bot(sandbox, data_dir):
        alex = sandbox.user(111, "Alex")
        await start(alex)
        await alex.send("/appointment 15 Dec 2026")
        await alex.send("Houston")
        reply = await alex.tap("3 PM")
        reply = await alex.tap("3:30 PM")
        assert "Tuesday 15 December 2026, 3:30 PM, Chicago time" in reply.text


async def test_the_own_zone_typed_from_settings_then_a_visit_time(
    sandbox: SandboxServer, data_dir: Path
) -> None:
    async with running_bot(sandbox, data_dir):
        alex = sandbox.user(111, "Alex")
        await start(alex)
        await alex.send("/settings")
        reply = await alex.tap("Time zone")
        reply = await alex.send("Houston")
        assert "Chicago" in reply.text
        await alex.send("/appointment")
        reply = await alex.tap("Add the visit")
        assert "When is the visit?" in reply.text and "Chicago time" in reply.text
        reply = await alex.send("3 Dec 2026 2:30pm")
        assert "Thursday 3 December 2026, 2:30 PM, Chicago time" in reply.text


async def test_in_the_family_group_zone_by_typed_city_then_a_typed_time(
    sandbox: SandboxServer, data_dir: Path
) -> None:
    """In a group each question comes with its own ForceReply message; the answer is a reply to it."""
    async with running_bot(sandbox, data_dir):
        maria = sandbox.user(1001, "Maria")
        await onboard(maria, "Ann")
        sandbox.group(-100777, "Ann's family", privacy_mode=True)
        group = maria.in_group(-100777)
        await group.send("/start")
        await group.send("/appointment")
        await group.tap("Add the visit")
        asking = group.last_message()
        assert "Maria, please reply to this message" in asking.text
        reply = await group.send("Houston", reply_to=asking.message_id)
        assert "When is the visit?" in "\n".join(reply.texts)
        asking = group.last_message()
        reply = await group.send("3 Dec 2026 2:30pm", reply_to=asking.message_id)
        assert "Thursday 3 December 2026, 2:30 PM, Chicago time" in reply.text
        reply = await group.tap("Yes, that's right")
        assert "Saved" in "\n".join(reply.texts)


async def test_in_the_family_group_a_time_with_the_command_is_read_after_the_zone(
    sandbox: SandboxServer, data_dir: Path
) -> None:
    async with running_bot(sandbox, data_dir):
        maria = sandbox.user(1001, "Maria")
        await onboard(maria, "Ann")
        sandbox.group(-100777, "Ann's family", privacy_mode=True)
        group = maria.in_group(-100777)
        await group.send("/start")
        reply = await group.send("/appointment 15 Dec 2026 15:30")
        text = "\n".join(reply.texts)
        assert "Which time zone?" in text and "15 Dec 2026 15:30" in text
        asking = group.last_message()
        assert "Maria, please reply to this message" in asking.text
        reply = await group.send("Houston", reply_to=asking.message_id)
        assert "Tuesday 15 December 2026, 3:30 PM, Chicago time" in reply.text
        reply = await group.tap("Yes, that's right")
        assert "Saved" in "\n".join(reply.texts)
