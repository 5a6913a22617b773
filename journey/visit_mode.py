"""Visit mode: during a visit, each question on the list is marked asked and its answer kept (typed, or a
voice note by Telegram's file_id), per visit: a third opinion asks the same questions again.

The answers live on the visit (`Appointment.answers`), one entry per question that has something to keep,
and only for questions still on the list and visits still in the plan, so the list stays bounded by the
question limit.
"""

from __future__ import annotations

from dataclasses import dataclass

from journey.appointments import find_appointment
from journey.errors import Gone
from journey.models import Appointment, Case, ChosenQuestion, VisitAnswer
from journey.questions import find_question, ordered
from journey.text import LONG, clean


@dataclass(frozen=True)
class AnswerTarget:
    """The answer to one question at one visit, as a typed question's target: "visit.question"."""

    visit_id: str
    question_id: str

    def text(self) -> str:
        return f"{self.visit_id}.{self.question_id}"

    @classmethod
    def read(cls, text: str | None) -> AnswerTarget:
        visit_id, dot, question_id = (text or "").partition(".")
        if not visit_id or not dot or not question_id:
            raise Gone()
        return cls(visit_id, question_id)


@dataclass(frozen=True)
class NoteTarget:
    """The visit a "what they said" note is for, as a typed question's target: its id, with ".mode" when
    asked from visit mode, so the person goes back to visit mode after typing it (still at the visit)."""

    visit_id: str
    in_mode: bool = False

    def text(self) -> str:
        return f"{self.visit_id}{_IN_MODE}" if self.in_mode else self.visit_id

    @classmethod
    def read(cls, text: str | None) -> NoteTarget:
        if not text:
            raise Gone()
        if text.endswith(_IN_MODE) and len(text) > len(_IN_MODE):
            return cls(text.removesuffix(_IN_MODE), in_mode=True)
        return cls(text)


_IN_MODE = ".mode"


@dataclass(frozen=True)
class Line:
    """One question as visit mode shows it, with what was kept for it at this visit (None: nothing yet)."""

    question: ChosenQuestion
    answer: VisitAnswer | None

    @property
    def asked(self) -> bool:
        return self.answer is not None and self.answer.asked


def lines(case: Case, visit: Appointment) -> list[Line]:
    """The questions, top ones first, each with its answer at this visit."""
    kept = {a.question_id: a for a in visit.answers}
    return [Line(q, kept.get(q.id)) for q in ordered(case)]


def answer_of(visit: Appointment, question_id: str) -> VisitAnswer | None:
    return next((a for a in visit.answers if a.question_id == question_id), None)


def _entry(case: Case, visit_id: str, question_id: str) -> VisitAnswer:
    """This question's entry at this visit, made when first needed. Gone if either is gone."""
    visit = find_appointment(case, visit_id)
    find_question(case, question_id)
    found = answer_of(visit, question_id)
    if found is None:
        found = VisitAnswer(question_id)
        visit.answers.append(found)
    return found


def set_asked(case: Case, visit_id: str, question_id: str, on: bool) -> None:
    """Mark a question asked (or not) at this visit. The button carries the state it asks for, so a second
    tap from a screen that had not caught up changes nothing."""
    _entry(case, visit_id, question_id).asked = on


def set_answer(case: Case, visit_id: str, question_id: str, text: str) -> None:
    """Keep the typed answer (cleaned, at most LONG); an answered question was asked."""
    cleaned = clean(text, LONG)
    entry = _entry(case, visit_id, question_id)
    entry.text, entry.asked = cleaned, True


def set_voice(case: Case, visit_id: str, question_id: str, file_id: str) -> None:
    """Keep a voice note as the answer, by Telegram's file_id (a later one replaces it)."""
    entry = _entry(case, visit_id, question_id)
    entry.voice, entry.asked = file_id, True


def still_there(case: Case, target: str | None) -> bool:
    """Are the visit and the question a typed answer is for both still in the plan?"""
    try:
        wanted = AnswerTarget.read(target)
        find_appointment(case, wanted.visit_id)
        find_question(case, wanted.question_id)
    except Gone:
        return False
    return True
