"""Leave mid-question, restart the bot, carry on: nothing typed is lost."""

from __future__ import annotations

from pathlib import Path

from sandbox import SandboxServer
from tests.e2e.harness import running_bot


async def test_a_restart_in_the_middle_of_questions_keeps_everything(
    sandbox: SandboxServer, data_dir: Path
) -> None:
    alex = sandbox.user(111, "Alex")
    async with running_bot(sandbox, data_dir):
        await alex.send("/start")
        reply = await alex.send("Maria")
        assert "What is the diagnosis" in reply.text

    async with running_bot(sandbox, data_dir):
        # The bot picks up where it was: this text answers the diagnosis question.
        reply = await alex.send("Lung cancer")
        assert "Why do you want a second opinion?" in reply.text
        await alex.tap("Done")
        await alex.tap("No")
        await alex.send("/specialist")
        await alex.tap("Add a doctor")
        reply = await alex.send("Dr. Okafor")
        assert "Where do they work?" in reply.text

    async with running_bot(sandbox, data_dir):
        await alex.send("University Hospital")
        await alex.tap("Skip")
        reply = await alex.tap("Skip")
        assert "Dr. Okafor" in reply.text and "University Hospital" in reply.text
        reply = await alex.send("/start")
        assert "Welcome back. Here is the plan for Maria" in reply.text
        assert "🟡 1. Find a specialist" in reply.buttons
