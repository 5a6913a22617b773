"""A person walks the whole journey by buttons and short texts, as on a phone."""

from __future__ import annotations

from pathlib import Path

from sandbox import SandboxServer, SandboxUser
from tests.e2e.harness import running_bot


async def onboard(alex: SandboxUser, name: str = "Maria") -> None:
    reply = await alex.send("/start")
    assert "Welcome to Second Opinion Companion" in reply.text
    assert "What should I call the patient?" in reply.text
    await alex.send(name)
    await alex.send("Stage 2 breast cancer")
    await alex.tap("Rare or unclear diagnosis")
    await alex.tap("Done")
    await alex.tap("No")


async def test_start_explains_the_bot_and_onboarding_flags_a_time_sensitive_case(
    sandbox: SandboxServer, data_dir: Path
) -> None:
    async with running_bot(sandbox, data_dir):
        alex = sandbox.user(111, "Alex")
        reply = await alex.send("/start")
        assert "I don't give medical advice" in reply.text
        assert "urgent symptoms" in reply.text
        assert reply.buttons == ["Skip", "✖ Cancel"]

        reply = await alex.send("Maria <Ann> & co")
        assert "What is the diagnosis" in reply.text
        reply = await alex.tap("Skip")
        assert "Why do you want a second opinion?" in reply.text

        reply = await alex.tap("Rare or unclear diagnosis")
        assert "✅ Rare or unclear diagnosis" in reply.buttons
        reply = await alex.tap("Done")
        assert "treatment must start soon" in reply.text

        reply = await alex.tap("Yes, it should start soon")
        assert "time-sensitive" in reply.text
        assert "how long it is safe to wait" in reply.text
        # The name is shown back exactly as typed: escaped for HTML, so Telegram accepts it.
        assert "Your second opinion plan for Maria <Ann> & co" in reply.text
        assert "&lt;Ann&gt; &amp; co" in reply.html
        assert "▱▱▱▱ 0/4 steps done" in reply.text
        assert reply.buttons[:5] == [
            "👉 Do this now",
            "⚪ 1. Find a specialist",
            "⚪ 2. Gather records",
            "⚪ 3. Check insurance",
            "⚪ 4. Prepare questions",
        ]
        assert not reply.refusals


async def test_the_bot_registers_its_commands_and_description(sandbox: SandboxServer, data_dir: Path) -> None:
    async with running_bot(sandbox, data_dir):
        names = [c["command"] for c in sandbox.commands()]
        assert names[:3] == ["start", "menu", "progress"]
        assert {"specialist", "records", "insurance", "questions", "help", "cancel"} <= set(names)
        assert "never give medical advice" in sandbox.description()


async def test_step_one_find_a_specialist_until_a_visit_is_booked(
    sandbox: SandboxServer, data_dir: Path
) -> None:
    async with running_bot(sandbox, data_dir):
        alex = sandbox.user(111, "Alex")
        await onboard(alex)
        reply = await alex.send("/specialist")
        assert "Step 1. Find a specialist" in reply.text
        reply = await alex.tap("Which specialists")
        reply = await alex.tap("Medical oncologist")
        assert "✅ Medical oncologist" in reply.buttons
        await alex.tap("Back")
        reply = await alex.tap("Where to look")
        assert "NCI" in reply.text or "cancer center" in reply.text
        await alex.tap("Back")

        reply = await alex.tap("Add a doctor")
        assert "doctor's name" in reply.text
        await alex.send("Dr. Rivera")
        await alex.send("City Cancer Center")
        await alex.tap("Skip")
        reply = await alex.send("My nurse suggested her")
        assert "Dr. Rivera" in reply.text and "City Cancer Center" in reply.text
        assert "My nurse suggested her" in reply.text
        assert "Status: To contact" in reply.text

        reply = await alex.tap("Booked")
        assert "Status: Booked" in reply.text
        reply = await alex.send("/progress")
        assert "▰▱▱▱ 1/4" in reply.text
        assert "1. Find a specialist: done" in reply.text
        assert "Next: Ask for your pathology report." in reply.text


async def test_step_two_records_requested_received_by_photo_and_confirmed(
    sandbox: SandboxServer, data_dir: Path
) -> None:
    async with running_bot(sandbox, data_dir):
        alex = sandbox.user(111, "Alex")
        await onboard(alex)
        reply = await alex.send("/records")
        assert "Step 2. Gather your records" in reply.text
        assert "12 still to arrive" in reply.text
        reply = await alex.tap("⬜ Pathology report")
        assert "Status: To ask for" in reply.text
        reply = await alex.tap("Asked for")
        assert "Who did you ask?" in reply.text
        reply = await alex.send("City Hospital records office")
        assert "Asked: City Hospital records office" in reply.text
        assert "Asked on: Mon 23 Nov 2026" in reply.text

        # A photo out of the blue: the bot asks which record it is.
        reply = await alex.send_photo()
        assert "Which record is it?" in reply.text
        reply = await alex.tap("Pathology report")
        assert "Saved" in reply.text and "Status: I have it" in reply.text
        assert "Files: 1 kept here" in reply.text

        # A PDF for a record the user picked first.
        await alex.tap("Back")
        await alex.tap("⬜ Lab work")
        reply = await alex.tap("Add a photo or PDF")
        assert "Send a photo or a PDF" in reply.text
        reply = await alex.send("here you go")
        assert "waiting for a photo or a PDF" in reply.text
        reply = await alex.send_document("labs.pdf", b"%PDF-1.4 test", "application/pdf")
        assert "Saved" in reply.text and "Lab work" in reply.text

        # Everything else is not needed; both items sent and confirmed: the step is done.
        await alex.send("/records")
        for label in (
            "Slides",
            "Imaging reports",
            "Scan images",
            "Biopsy",
            "Surgery",
            "Treatment summary",
            "Staging",
            "Biomarker",
            "Medication",
            "Referral",
        ):
            await alex.tap(label)
            await alex.tap("Not needed")
            await alex.tap("Back")
        for label in ("Pathology report", "Lab work"):
            await alex.tap(label)
            await alex.tap("Arrived")
            reply = await alex.tap("Back")
        assert "All needed records have arrived" in reply.text
        reply = await alex.send("/menu")
        assert "✅ 2. Gather records" in reply.buttons


async def test_step_three_insurance_questions_call_log_and_outcome(
    sandbox: SandboxServer, data_dir: Path
) -> None:
    async with running_bot(sandbox, data_dir):
        alex = sandbox.user(111, "Alex")
        await onboard(alex)
        reply = await alex.send("/insurance")
        assert "Step 3. Check your insurance" in reply.text
        await alex.tap("Is a second opinion covered?")
        reply = await alex.tap("Yes")
        assert "✅ Is a second opinion covered?" in reply.buttons

        await alex.tap("Expected cost")
        reply = await alex.send("$50 copay")
        assert "Expected cost: $50 copay" in reply.text

        reply = await alex.tap("Log a call")
        assert "Who did you talk to?" in reply.text
        await alex.send("Sam at member services")
        await alex.send("REF-12345")
        reply = await alex.tap("Skip")
        assert "Talked to: Sam at member services" in reply.text
        assert "Reference: REF-12345" in reply.text
        assert "📞 Mon 23 Nov 2026" in reply.text

        await alex.tap("Back")
        await alex.tap("What insurance said")
        reply = await alex.tap("Partly covered")
        assert "What insurance said: Partly covered" in reply.text
        reply = await alex.send("/menu")
        assert "✅ 3. Check insurance" in reply.buttons


async def test_step_four_questions_from_the_bank_own_and_top_three(
    sandbox: SandboxServer, data_dir: Path
) -> None:
    async with running_bot(sandbox, data_dir):
        alex = sandbox.user(111, "Alex")
        await onboard(alex)
        reply = await alex.send("/questions")
        assert "Step 4. Prepare your questions" in reply.text
        reply = await alex.tap("Diagnosis and stage")
        first_question = reply.text.split("1. ", 1)[1].splitlines()[0]
        reply = await alex.tap("▫️ 1")
        assert "✅ 1" in reply.buttons
        await alex.tap("▫️ 2")
        await alex.tap("Back")

        await alex.tap("Add my own")
        await alex.send("Can I get treatment closer to home?")
        reply = await alex.send("/questions")
        reply = await alex.tap("My list")
        assert first_question in reply.text
        assert "Can I get treatment closer to home?" in reply.text

        for n in (1, 2, 3):
            reply = await alex.tap(f"☆ {n}")
        assert reply.text.count("⭐") == 3
        # A fourth top question is refused with a clear alert, and nothing changes.
        await alex.send("/questions")
        await alex.tap("Treatment options")
        await alex.tap("▫️ 1")
        await alex.tap("Back")
        await alex.tap("My list")
        reply = await alex.tap("☆ 4", expect_reply=False)
        assert reply.answer is not None and "up to 3" in reply.answer["text"]
        reply = await alex.tap("🗑 1")
        assert first_question not in reply.text
        reply = await alex.send("/progress")
        assert "4. Prepare questions: done" in reply.text
