"""Step 4: the user's list of questions, picked from the bank or typed, with up to three on top."""

from __future__ import annotations

from journey import limits
from journey.errors import Gone, TooManyQuestions, TooManyTop
from journey.lists import existing, find
from journey.models import Case, ChosenQuestion
from journey.text import LONG, clean

MAX_TOP = limits.TOP_QUESTIONS
MAX_QUESTIONS = limits.QUESTIONS


def find_question(case: Case, question_id: str) -> ChosenQuestion:
    return find(case.questions.chosen, question_id)


def is_chosen(case: Case, bank_id: str) -> bool:
    return any(q.bank_id == bank_id for q in case.questions.chosen)


def toggle_bank_question(case: Case, bank_id: str, known_ids: frozenset[str], on: bool | None = None) -> bool:
    """Add a bank question to the list, or take it off. Returns True if it is now on the list.

    `known_ids` is the bank as it is today: an id from an old button that the bank no longer has is Gone.
    """
    if bank_id not in known_ids:
        raise Gone()
    for question in case.questions.chosen:
        if question.bank_id == bank_id:
            if on is not True:
                case.questions.chosen.remove(question)
            return on is True
    if on is False:
        return False
    check_room(case)
    case.questions.chosen.append(ChosenQuestion(id=f"b{bank_id}", bank_id=bank_id))
    return True


def add_own_question(case: Case, question_id: str, text: str) -> ChosenQuestion:
    """Add a question the user typed. The same id twice (a repeated update) adds it once."""
    if (same := existing(case.questions.chosen, question_id)) is not None:
        return same
    cleaned = clean(text, LONG)
    check_room(case)
    question = ChosenQuestion(id=question_id, text=cleaned)
    case.questions.chosen.append(question)
    return question


def remove_question(case: Case, question_id: str) -> None:
    case.questions.chosen.remove(find_question(case, question_id))


def toggle_top(case: Case, question_id: str, on: bool | None = None) -> None:
    question = find_question(case, question_id)
    if on is not None and question.top == on:
        return  # asked again from a screen that had not caught up: already so
    if not question.top and len(top_questions(case)) >= MAX_TOP:
        raise TooManyTop(limit=MAX_TOP)
    question.top = not question.top


def top_questions(case: Case) -> list[ChosenQuestion]:
    return [q for q in case.questions.chosen if q.top]


def ordered(case: Case) -> list[ChosenQuestion]:
    """The list as shown: the top questions first, then the rest, each in the order added."""
    return top_questions(case) + [q for q in case.questions.chosen if not q.top]


def check_room(case: Case) -> None:
    """Refuse another question when the list is full (asked before a question is typed, too)."""
    if len(case.questions.chosen) >= MAX_QUESTIONS:
        raise TooManyQuestions(limit=MAX_QUESTIONS)
