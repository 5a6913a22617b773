"""Wrong text, unknown commands, stale and forged buttons: a kind reply, and nothing changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from handlers.menu.taps import ProgressTap
from handlers.plumbing.callbacks import encode
from handlers.plumbing.dispatch import Route
from handlers.plumbing.turn import Screen, Turn
from handlers.records.taps import RecordStatusTap
from handlers.routes import ALL
from handlers.specialist.taps import CandidateTap
from journey.models import RecordKind, RecordStatus
from sandbox import Reply, SandboxServer, SandboxUser
from tests.e2e.harness import running_bot


async def start(alex: SandboxUser) -> None:
    await alex.send("/start")
    await alex.tap("Cancel")


def case_id_of(reply: Reply) -> str:
    """The case id the bot put in its buttons (what a forger would copy)."""
    data = reply.messages[-1].raw["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    return str(data).split(":")[2]


async def test_text_and_commands_before_start_point_to_start(sandbox: SandboxServer, data_dir: Path) -> None:
    async with running_bot(sandbox, data_dir):
        alex = sandbox.user(111, "Alex")
        reply = await alex.send("hello?")
        assert "Send /start" in reply.text
        reply = await alex.send("/records")
        assert "Send /start" in reply.text


async def test_text_nobody_asked_for_and_unknown_commands(sandbox: SandboxServer, data_dir: Path) -> None:
    async with running_bot(sandbox, data_dir):
        alex = sandbox.user(111, "Alex")
        await start(alex)
        reply = await alex.send("thanks")
        assert "I wasn't waiting for a typed answer" in reply.text
        assert reply.buttons == ["🏠 Menu"]
        reply = await alex.send("/frobnicate")
        assert "I don't know that command" in reply.text
        reply = await alex.send("/cancel")
        assert "There was nothing to stop" in reply.text
        reply = await alex.send("what now")  # offered a place, never put anywhere unasked
        assert "Add this to your questions for the doctor?" in reply.text
        assert reply.buttons[1:] == ["No", "🏠 Menu"] and reply.buttons[0].endswith(" Add")
        reply = await alex.send("/cancel")  # the offer was the question: stopped, nothing saved
        assert "Nothing was saved" in reply.text


async def test_too_long_and_blank_answers_are_refused_and_asked_again(
    sandbox: SandboxServer, data_dir: Path
) -> None:
    async with running_bot(sandbox, data_dir):
        alex = sandbox.user(111, "Alex")
        await start(alex)
        await alex.send("/specialist")
        await alex.tap("Add a doctor")
        reply = await alex.send("Dr. " + "x" * 200)
        assert "That is a bit long (204 characters)" in reply.text
        assert "What is the doctor's name?" in reply.text
        reply = await alex.send("/specialist")
        assert "Your short list is empty" in reply.text


async def test_cancel_leaves_a_question_and_the_next_text_is_not_taken_as_an_answer(
    sandbox: SandboxServer, data_dir: Path
) -> None:
    async with running_bot(sandbox, data_dir):
        alex = sandbox.user(111, "Alex")
        await start(alex)
        await alex.send("/questions")
        await alex.tap("Add my own")
        reply = await alex.send("/cancel")
        assert "I stopped that question" in reply.text
        reply = await alex.send("Is this a question?")
        assert "Add this to your questions for the doctor?" in reply.text  # offered, not taken as the answer
        # Going to another screen also leaves the question.
        await alex.send("/questions")
        await alex.tap("Add my own")
        await alex.send("/records")
        reply = await alex.send("stray words")
        assert "Save this as a note in your plan?" in reply.text


async def test_forged_stale_and_foreign_buttons_change_nothing(
    sandbox: SandboxServer, data_dir: Path
) -> None:
    async with running_bot(sandbox, data_dir):
        alex, eve = sandbox.user(111, "Alex"), sandbox.user(666, "Eve")
        await start(alex)
        await start(eve)
        reply = await alex.send("/records")
        alex_case = case_id_of(reply)
        menu_id = reply.messages[-1].message_id

        # Garbage and an old codec version.
        reply = await alex.press_raw(menu_id, "drop table cases")
        assert reply.answer is not None and "out of date" in reply.answer["text"]
        reply = await alex.press_raw(menu_id, "0:m:" + alex_case)
        assert reply.answer is not None and "out of date" in reply.answer["text"]

        # Eve forges a button that would mark Alex's pathology report as arrived.
        eve_menu = (await eve.send("/menu")).messages[-1].message_id
        forged = encode(alex_case, RecordStatusTap(RecordKind("path_report"), RecordStatus("arrived")))
        reply = await eve.press_raw(eve_menu, forged)
        assert reply.answer is not None and "can't open this plan" in reply.answer["text"]
        # A well-formed button for an item that does not exist.
        reply = await alex.press_raw(menu_id, f"1:rci:{alex_case}:xray")
        assert reply.answer is not None and "out of date" in reply.answer["text"]
        reply = await alex.press_raw(menu_id, encode(alex_case, CandidateTap("nosuchdoc")))
        assert reply.answer is not None and "not there any more" in reply.answer["text"]

        reply = await alex.send("/records")
        assert "⬜ Pathology report" in reply.buttons
        assert "12 still to arrive" in reply.text


async def test_an_old_skip_button_does_not_skip_a_later_question(
    sandbox: SandboxServer, data_dir: Path
) -> None:
    async with running_bot(sandbox, data_dir):
        alex = sandbox.user(111, "Alex")
        await start(alex)
        await alex.send("/specialist")
        reply = await alex.tap("Add a doctor")
        name_prompt = reply.messages[-1].message_id
        reply = await alex.send("Dr. Rivera")
        assert "Where do they work?" in reply.text
        # The name question had no Skip (it is required); an old Cancel is still honest: it cancels.
        reply = await alex.tap("Cancel", message_id=name_prompt)
        assert "I stopped that question" in reply.text
        reply = await alex.send("City Cancer Center")
        assert "Save this as a note in your plan?" in reply.text  # not the answer to the cancelled question


async def test_a_double_tap_is_harmless(sandbox: SandboxServer, data_dir: Path) -> None:
    async with running_bot(sandbox, data_dir):
        alex = sandbox.user(111, "Alex")
        await start(alex)
        reply = await alex.send("/menu")
        message_id = reply.messages[-1].message_id
        await alex.tap("Progress")
        # The same button again: Telegram would refuse an identical edit; the bot shrugs it off.
        reply = await alex.press_raw(message_id, encode(case_id_of(reply), ProgressTap()))
        assert reply.answer is not None
        assert "went wrong" not in alex.last_text()


async def test_a_file_can_be_put_aside_with_cancel(sandbox: SandboxServer, data_dir: Path) -> None:
    async with running_bot(sandbox, data_dir):
        alex = sandbox.user(111, "Alex")
        await start(alex)
        reply = await alex.send_document("notes.docx", b"PK..", "application/vnd.openxmlformats")
        assert "Which record is it?" in reply.text
        reply = await alex.tap("Cancel")
        assert "I stopped that question" in reply.text
        reply = await alex.send("/records")
        assert "12 still to arrive" in reply.text


async def test_a_bug_behind_a_button_still_answers_the_press_and_says_sorry(
    sandbox: SandboxServer, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unexpected error in a button's code: the person's app stops waiting on the button (the press is
    answered) and they get a plain word, not silence."""

    def broken(turn: Turn, tap: ProgressTap) -> Screen:
        raise RuntimeError("a bug")

    monkeypatch.setitem(ALL, ProgressTap, Route(broken))
    async with running_bot(sandbox, data_dir):
        alex = sandbox.user(111, "Alex")
        await start(alex)
        await alex.send("/menu")
        reply = await alex.tap("Progress")  # fails the test if the press is never answered
        assert "Sorry, something went wrong" in reply.text
