"""Shorter screens, no dead ends, and advice that fits the reasons given at the start, as a person sees them."""

from __future__ import annotations

from pathlib import Path

from sandbox import SandboxServer
from tests.e2e.harness import running_bot
from tests.e2e.test_journey import onboard


async def test_do_this_now_opens_where_the_next_thing_is_done(sandbox: SandboxServer, data_dir: Path) -> None:
    async with running_bot(sandbox, data_dir):
        alex = sandbox.user(111, "Alex")
        await onboard(alex)
        reply = await alex.send("/menu")
        assert reply.buttons[0] == "👉 Do this now"
        reply = await alex.tap("👉 Do this now")
        assert "What is the doctor's name?" in reply.text
        await alex.send("Dr. Rivera")
        await alex.tap("Skip")
        await alex.tap("Skip")
        reply = await alex.send("/menu")
        assert "Contact Dr. Rivera" in reply.text
        reply = await alex.tap("👉 Do this now")
        assert "Dr. Rivera" in reply.text and any(b.endswith("Back") for b in reply.buttons)


async def test_where_to_look_offers_to_add_a_doctor(sandbox: SandboxServer, data_dir: Path) -> None:
    async with running_bot(sandbox, data_dir):
        alex = sandbox.user(111, "Alex")
        await onboard(alex)
        await alex.send("/specialist")
        reply = await alex.tap("🔎 Where to look")
        assert "Where to look" in reply.text
        reply = await alex.tap("Add a doctor")
        assert "What is the doctor's name?" in reply.text


async def test_the_reasons_given_at_the_start_bring_advice_that_fits(
    sandbox: SandboxServer, data_dir: Path
) -> None:
    async with running_bot(sandbox, data_dir):
        alex = sandbox.user(111, "Alex")
        await alex.send("/start")
        await alex.send("Maria")
        reply = await alex.send("Lung cancer")
        for reason in ("Cancer came back or spread", "Asking about clinical trials", "I feel rushed"):
            assert f"▫️ {reason}" in reply.buttons
        await alex.tap("Cancer came back or spread")
        await alex.tap("I feel rushed")
        await alex.tap("Done")
        reply = await alex.tap("No")
        assert "It is fine to ask your care team how long it is safe to wait." in reply.text
        assert "Ask about a pathology review" in reply.text
        reply = await alex.send("/specialist")
        assert "Ask each doctor if a clinical trial could fit you." in reply.text


async def test_no_surgery_takes_the_surgery_notes_off_the_records_count(
    sandbox: SandboxServer, data_dir: Path
) -> None:
    async with running_bot(sandbox, data_dir):
        alex = sandbox.user(111, "Alex")
        await onboard(alex)
        reply = await alex.send("/records")
        assert "12 still to arrive" in reply.text
        assert 'First, tap "Which records apply?"' in reply.text
        reply = await alex.tap("Which records apply?")
        assert "Have you had surgery for this cancer?" in reply.text
        reply = await alex.tap("No")
        assert "Surgery notes are marked not needed." in reply.text
        reply = await alex.tap("Records")
        assert "11 still to arrive" in reply.text
        assert "\N{HEAVY MINUS SIGN} Surgery notes" in reply.buttons
