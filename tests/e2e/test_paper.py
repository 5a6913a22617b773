"""Paper in the user's hands: /summary sends the prep sheet, the records screen sends a request letter per
place, and in a group the bot keeps them to the private chat."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pypdf

from sandbox import SandboxServer, SandboxUser
from tests.e2e.harness import running_bot
from tests.e2e.test_journey import onboard


def pdfs(alex: SandboxUser) -> list[tuple[str, str]]:
    """Every PDF the bot sent, as (file name, its text with spaces made single)."""
    found = []
    for file in alex.documents():
        if (file.file_name or "").endswith(".pdf"):
            reader = pypdf.PdfReader(io.BytesIO(file.data))
            text = " ".join(page.extract_text() for page in reader.pages)
            found.append((file.file_name or "", re.sub(r"\s+", " ", text)))
    return found


async def ask_for(alex: SandboxUser, record: str, place: str) -> None:
    await alex.send("/records")
    await alex.tap(record)
    await alex.tap("Asked for")
    await alex.send(place)


async def test_summary_sends_a_prep_sheet_with_the_visit_questions_top_first_and_records(
    sandbox: SandboxServer, data_dir: Path
) -> None:
    async with running_bot(sandbox, data_dir):
        alex = sandbox.user(111, "Alex")
        await onboard(alex, "Lucía Núñez")
        await alex.send("/settings")
        await alex.tap("Time zone")
        await alex.tap("Chicago")
        await alex.send("/appointment 3 Dec 2026 2:30pm")
        await alex.tap("Yes, that's right")
        await alex.tap("Edit details")
        await alex.tap("Place")
        await alex.send("Klinik Müller")
        await alex.send("/questions")
        await alex.tap("Add my own")
        await alex.send("Can I keep working during treatment?")
        await alex.send("/questions")
        await alex.tap("Add my own")
        await alex.send("How sure are you about the diagnosis?")
        await alex.tap("☆ 2")  # the second one is the most important
        await ask_for(alex, "Pathology report", "City Hospital records office")

        reply = await alex.send("/summary")
        text = "\n".join(reply.texts)
        assert "Your prep sheet" in text and "It is for your visit on Thursday 3 December 2026" in text
        ((name, text),) = pdfs(alex)
        assert name == "prep-sheet-2026-12-03.pdf"
        assert "Lucía Núñez" in text and "Klinik Müller" in text
        assert "Thursday 3 December 2026, 2:30 PM, Chicago time" in text
        top = text.index("How sure are you about the diagnosis?")
        assert top < text.index("Can I keep working during treatment?")
        assert "★ 1." in text[:top]
        assert "Pathology report: Asked for · from City Hospital records office" in text
        assert "Lab work (blood tests): To ask for" in text

        # The visit screen offers the same sheet.
        await alex.send("/appointment")
        reply = await alex.tap("Prep sheet")
        assert "Your prep sheet" in "\n".join(reply.texts)
        assert len(pdfs(alex)) == 2


async def test_the_records_screen_sends_one_letter_per_place_with_what_was_asked_there(
    sandbox: SandboxServer, data_dir: Path
) -> None:
    async with running_bot(sandbox, data_dir):
        alex = sandbox.user(111, "Alex")
        await onboard(alex, "Jörg Müller")
        reply = await alex.send("/records")
        assert "Request letters (PDF)" not in reply.buttons  # no place asked yet
        await ask_for(alex, "Pathology report", "City Hospital")
        await ask_for(alex, "Biopsy", "city hospital")
        await ask_for(alex, "Lab work", "Northside Lab")
        await alex.send("/records")
        reply = await alex.tap("Request letters (PDF)")
        assert "one letter for each place" in "\n".join(reply.texts)
        assert "City Hospital" in reply.texts[0] and "Northside Lab" in reply.texts[0]
        letters = pdfs(alex)
        assert [name for name, _ in letters] == ["records-request-1.pdf", "records-request-2.pdf"]
        hospital, lab = (text for _, text in letters)
        assert "medical records office at City Hospital" in hospital
        assert "Pathology report" in hospital and "Biopsy results" in hospital
        assert "Lab work" not in hospital
        assert "medical records office at Northside Lab" in lab and "Lab work (blood tests)" in lab
        for text in (hospital, lab):
            assert "Jörg Müller" in text and "HIPAA" in text and "Date of birth:" in text


async def test_in_a_group_the_prep_sheet_stays_in_the_private_chat(
    sandbox: SandboxServer, data_dir: Path
) -> None:
    async with running_bot(sandbox, data_dir):
        alex = sandbox.user(111, "Alex")
        await onboard(alex)
        sandbox.group(-100500, "Family")
        in_group = alex.in_group(-100500)
        await in_group.send("/start")
        reply = await in_group.send("/summary")
        assert "private chat" in reply.text
        assert pdfs(in_group) == []
        reply = await in_group.send("/appointment")
        assert "Prep sheet" not in reply.buttons
