"""The guidance a nurse navigator would give, as a person sees it: the records clock and the decide-by date."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sandbox import SandboxServer
from tests.e2e.harness import NOW, Clock, running_bot
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
