"""Shorter screens, no dead ends, and advice that fits the reasons given at the start, as a person sees them."""

from __future__ import annotations

from pathlib import Path

from sandbox import SandboxServer
from tests.e2e.harness import choose_zone, running_bot
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
        reply = await alex.tap("Surgery: No")
        assert "Surgery notes are marked not needed." in reply.text
        reply = await alex.tap("Records")
        assert "11 still to arrive" in reply.text
        assert "\N{HEAVY MINUS SIGN} Surgery notes" in reply.buttons


async def test_no_biopsy_and_no_scans_leave_the_count_and_the_visit_warning(
    sandbox: SandboxServer, data_dir: Path
) -> None:
    async with running_bot(sandbox, data_dir):
        alex = sandbox.user(111, "Alex")
        await onboard(alex)
        await choose_zone(alex, "Chicago")
        await alex.send("/appointment 7 Dec 2026 2:30pm")
        saved = "\n".join((await alex.tap("Yes, that's right")).texts)
        assert "Imaging reports" in saved and "Pathology report" in saved
        await alex.send("/records")
        reply = await alex.tap("Which records apply?")
        assert "Has a doctor taken tissue to test, in a biopsy or in surgery?" in reply.text
        assert "Have you had scans for this cancer, such as CT, MRI, PET or X-ray?" in reply.text
        reply = await alex.tap("Biopsy: No")
        assert "The pathology report, slides and biopsy results are marked not needed." in reply.text
        assert "✅ Biopsy: No" in reply.buttons
        reply = await alex.tap("Scans: No")
        assert "Imaging reports and scan images are marked not needed." in reply.text
        reply = await alex.tap("Records")
        assert "7 still to arrive" in reply.text
        for record in ("Pathology report", "Biopsy results", "Imaging reports", "Scan images (disc or link)"):
            assert f"\N{HEAVY MINUS SIGN} {record}" in reply.buttons
        reply = await alex.send("/appointment")
        assert "Not confirmed as arrived yet:" in reply.text and "Lab work (blood tests)" in reply.text
        for record in ("Pathology report", "Slides and tissue blocks", "Biopsy results", "Imaging reports"):
            assert record not in reply.text
        await alex.send("/records")
        await alex.tap("Which records apply?")
        reply = await alex.tap("Scans: Yes")
        assert "Imaging reports and scan images are marked not needed." not in reply.text
        reply = await alex.tap("Records")
        assert "9 still to arrive" in reply.text


async def test_the_medication_list_is_one_you_write(sandbox: SandboxServer, data_dir: Path) -> None:
    async with running_bot(sandbox, data_dir):
        alex = sandbox.user(111, "Alex")
        await onboard(alex)
        reply = await alex.send("/records")
        assert "✍️ to write: a list you make yourself" in reply.text
        reply = await alex.tap("✍️ Medication list")
        assert "You write this one yourself" in reply.text and "Status: To write" in reply.text
        assert "✅ To write" in reply.buttons and "▫️ I wrote it" in reply.buttons
        assert not any("Asked for" in label for label in reply.buttons)
        reply = await alex.tap("I wrote it")
        assert "Status: I wrote it" in reply.text and "✅ I wrote it" in reply.buttons
        assert "should answer by" not in reply.text
        reply = await alex.tap("Back")
        assert "📥 Medication list" in reply.buttons
