"""Visit mode: at the visit, the questions (the top three first, three to a page), each with "✅ asked"
and its answer (typed, or a voice note), the note of what they said, and a line about recording the talk.
Works in the family group too: a helper there marks and answers (a typed answer is a reply to the bot)."""

from __future__ import annotations

from telegram import InlineKeyboardButton

from handlers.guide.taps import AtTheVisitTap
from handlers.plumbing.turn import Screen, Turn, page_row, paginate
from handlers.prompts.asking import ask
from handlers.questions.screens import question_text
from handlers.visit.taps import AppointmentTap, AskedTap, ModeNoteTap, VisitAnswerTap, VisitModeTap
from journey import appointments, questions, visit_mode
from journey.models import PromptKind

PER_PAGE = 3  # the first page is the top three; three questions and their answers fit one message


def mode_screen(turn: Turn, visit_id: str, page_number: int = 0) -> Screen:
    visit = appointments.find_appointment(turn.case, visit_id)
    page = paginate(visit_mode.lines(turn.case, visit), page_number, PER_PAGE)
    rows: list[list[InlineKeyboardButton]] = [
        [
            turn.button(
                turn.label("asked_n", on=line.asked, n=page.start + n + 1),
                AskedTap(visit.id, line.question.id, page.number, on=not line.asked),
            ),
            turn.button(
                turn.label("answer_n", n=page.start + n + 1), VisitAnswerTap(visit.id, line.question.id)
            ),
        ]
        for n, line in enumerate(page.items)
    ]
    if moves := page_row(turn, page, lambda number: VisitModeTap(visit.id, number)):
        rows.append(moves)
    rows.append([turn.button(turn.label("at_the_visit"), AtTheVisitTap(visit.id))])
    rows.append(
        [
            turn.button(turn.label("said_note"), ModeNoteTap(visit.id)),
            turn.button(turn.label("back"), AppointmentTap(visit.id)),
        ]
    )
    texts = [question_text(turn, line.question) for line in page.items]
    return turn.screen("appointment/visit_mode", rows, a=visit, page=page, texts=texts)


def show_mode(turn: Turn, tap: VisitModeTap) -> Screen:
    return mode_screen(turn, tap.visit, tap.page)


def on_asked(turn: Turn, tap: AskedTap) -> Screen:
    visit_mode.set_asked(turn.case, tap.visit, tap.question, tap.on)
    return mode_screen(turn, tap.visit, tap.page)


def on_answer(turn: Turn, tap: VisitAnswerTap) -> Screen:
    """Ask for the answer, naming the question (typed, or a voice note, in this chat)."""
    visit = appointments.find_appointment(turn.case, tap.visit)
    question = questions.find_question(turn.case, tap.question)
    target = visit_mode.AnswerTarget(visit.id, question.id)
    screen = ask(turn, PromptKind.VISIT_ANSWER, target.text())
    return screen.with_head(turn.render("appointment/answer_to", question=question_text(turn, question)))


def on_note(turn: Turn, tap: ModeNoteTap) -> Screen:
    """ "What they said", asked from visit mode: typing it leads back to visit mode."""
    visit = appointments.find_appointment(turn.case, tap.visit)
    return ask(turn, PromptKind.VISIT_NOTE, visit_mode.NoteTarget(visit.id, in_mode=True).text())


def after_answer(turn: Turn, target: str) -> Screen:
    """Back to visit mode, on the page of the question just answered."""
    wanted = visit_mode.AnswerTarget.read(target)
    visit = appointments.find_appointment(turn.case, wanted.visit_id)
    ids = [line.question.id for line in visit_mode.lines(turn.case, visit)]
    page = ids.index(wanted.question_id) // PER_PAGE if wanted.question_id in ids else 0
    return mode_screen(turn, visit.id, page).with_head(turn.render("appointment/answer_saved"))
