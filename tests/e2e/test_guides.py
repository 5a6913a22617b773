"""The guides a nurse navigator would give, opened where they are offered, each with Back to where it was."""

from __future__ import annotations

from pathlib import Path

from sandbox import SandboxServer
from tests.e2e.harness import choose_zone, running_bot
from tests.e2e.test_journey import onboard


async def test_each_guide_opens_where_it_is_offered_and_goes_back_there(
    sandbox: SandboxServer, data_dir: Path
) -> None:
    async with running_bot(sandbox, data_dir):
        alex = sandbox.user(111, "Alex")
        await onboard(alex)
        await choose_zone(alex, "Chicago")

        # Step 1: telling your doctor, and who to see.
        await alex.send("/specialist")
        reply = await alex.tap("💬 Telling your doctor")
        assert "It is common. It does not mean you do not trust your doctor." in reply.text
        assert len(reply.buttons) == 1 and reply.buttons[0].endswith("Back")  # no dead end
        reply = await alex.tap("Back")
        reply = await alex.tap("🧭 Who to see")
        assert "the report does not give a clear diagnosis;" in reply.text
        assert "You can still get a second opinion." in reply.text
        reply = await alex.tap("Back")
        assert "💬 Telling your doctor" in reply.buttons

        # A doctor on the short list: what to ask when calling the office.
        await alex.tap("Add a doctor")
        await alex.send("Dr. Okafor")
        await alex.send("University Hospital")
        await alex.send("555-0100")
        await alex.tap("Skip")
        reply = await alex.tap("📞 What to ask them")
        assert "Calling Dr. Okafor" in reply.text
        assert "What is the earliest date you have?" in reply.text
        reply = await alex.tap("Back")
        assert "Tap a status to change it." in reply.text

        # Step 2: the same script, and Back returns to the records.
        await alex.send("/records")
        reply = await alex.tap("💬 Telling your doctor")
        assert "Records to ask for:" in reply.text
        reply = await alex.tap("Back")
        assert "Step 2. Gather your records" in reply.text

        # Visit mode: what happens at the visit.
        await alex.send("/appointment 3 Dec 2026 2:30pm")
        await alex.tap("Yes, that's right")
        await alex.tap("🩺 At the visit")
        reply = await alex.tap("What happens there")
        assert "The new doctor talks with you and does a physical exam." in reply.text
        reply = await alex.tap("Back")
        assert "You may record the talk if the doctor agrees" in reply.text
