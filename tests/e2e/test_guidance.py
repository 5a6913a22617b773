"""The guidance a nurse navigator would give, as a person sees it: the records clock and the decide-by date."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sandbox import SandboxServer
from tests.e2e.harness import NOW, Clock, choose_zone, running_bot
from tests.e2e.test_journey import onboard


async def test_records_clock_shown_after_asked_for_and_in_the_follow_up(
    sandbox: SandboxServer, data_dir: Path
) -> None:
    clock = Clock()
    async with running_bot(sandbox, data_dir, clock=clock):
        alex = sandbox.user(111, "Alex")
        await onboard(alex)
        await alex.send("/records")
        await alex.tap("⬜ Pathology report")
        await alex.tap("Asked for")
        reply = await alex.send("City Hospital")
        assert "They should answer by Wed 23 Dec 2026." in reply.text
        assert (
            "call the records office (also called medical records) of the place you asked: City Hospital"
            in (reply.text)
        )
        reply = await alex.tap("Back")
        assert "Pathology report: they should answer by Wed 23 Dec 2026." in reply.text

        clock.set(NOW + timedelta(days=8))
        reminder = (await alex.wait_for_reply(within=3)).messages[-1]
        assert "Has your pathology report come?" in reminder.text
        assert "They should answer by Wed 23 Dec 2026." in reminder.text


async def test_decide_by_date_set_from_the_menu_counts_days_and_warns_of_a_later_visit(
    sandbox: SandboxServer, data_dir: Path
) -> None:
    async with running_bot(sandbox, data_dir):
        alex = sandbox.user(111, "Alex")
        await onboard(alex)
        await choose_zone(alex, "Chicago")
        await alex.send("/menu")
        reply = await alex.tap("⏳ Date to start treatment")
        assert "By what day should treatment start?" in reply.text
        reply = await alex.send("soon")
        assert "I couldn't find a day in that" in reply.text and "By what day" in reply.text
        reply = await alex.send("3 Dec")
        assert "Start treatment by Thu 3 Dec 2026: 10 days left." in reply.text
        reply = await alex.send("/progress")
        assert "10 days left" in reply.text

        await alex.send("/appointment 7 Dec 2026 2:30pm")
        saved = "\n".join((await alex.tap("Yes, that's right")).texts)
        assert "This visit is after the day treatment should start (Thu 3 Dec 2026)" in saved
        assert "Ways to go faster: ask for the earliest open visit." in saved
        reply = await alex.send("/menu")
        assert "⚠️ Your visit is after this date." in reply.text

        await alex.tap("⏳ Date to start treatment")
        reply = await alex.tap("Remove the date")
        assert "Start treatment by" not in reply.text
