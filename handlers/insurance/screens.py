"""Step 3 screens: the questions for the insurer, the call log and the outcome."""

from __future__ import annotations

from handlers.insurance.taps import (
    CallsTap,
    ExpectedCostTap,
    InsuranceAnswerTap,
    InsuranceQuestionTap,
    InsuranceTap,
    LogCallTap,
    OutcomeTap,
    SetOutcomeTap,
)
from handlers.menu.taps import MenuTap
from handlers.plumbing.turn import Screen, Turn, choices, page_row, paginate
from handlers.prompts.asking import ask
from journey import insurance
from journey.models import Answer, InsuranceOutcome, PromptKind

CALLS_PAGE = 4  # a call with the longest notes is ~800 characters; four stay under Telegram's 4096


def show_insurance(turn: Turn, _: InsuranceTap | None = None) -> Screen:
    content = turn.words.content
    answers = turn.case.insurance.answers
    rows = [
        [
            turn.button(
                turn.label(
                    "question_answer", answer=answers[q].value if q in answers else "", text=entry.label
                ),
                InsuranceQuestionTap(q),
            )
        ]
        for q, entry in content.insurance_questions.items()
    ]
    rows.append([turn.button(turn.label("expected_cost"), ExpectedCostTap())])
    rows.append(
        [
            turn.button(turn.label("log_call"), LogCallTap()),
            turn.button(turn.label("calls", n=len(turn.case.insurance.calls)), CallsTap(page=0)),
        ]
    )
    rows.append([turn.button(turn.label("outcome"), OutcomeTap())])
    rows.append([turn.button(turn.label("menu"), MenuTap())])
    return turn.screen("insurance/main", rows)


def show_question(turn: Turn, tap: InsuranceQuestionTap) -> Screen:
    question = tap.question
    current = turn.case.insurance.answers.get(question)
    rows = choices(
        turn,
        Answer,
        lambda a: a is current,
        lambda a: turn.label(f"answer_{a.value}"),
        lambda a: InsuranceAnswerTap(question, a),
        per_row=len(Answer),
    )
    rows.append([turn.button(turn.label("back"), InsuranceTap())])
    entry = turn.words.content.insurance_questions[question]
    return turn.screen("insurance/question", rows, entry=entry, current=current)


def on_answer(turn: Turn, tap: InsuranceAnswerTap) -> Screen:
    insurance.answer(turn.case, tap.question, tap.answer)
    return show_insurance(turn)


def on_expected_cost(turn: Turn, _: ExpectedCostTap) -> Screen:
    return ask(turn, PromptKind.EXPECTED_COST)


def on_log_call(turn: Turn, _: LogCallTap) -> Screen:
    return ask(turn, PromptKind.CALL_WHO)


def calls_screen(turn: Turn, page_number: int) -> Screen:
    calls = list(reversed(turn.case.insurance.calls))  # newest first
    page = paginate(calls, page_number, CALLS_PAGE)
    rows = [
        page_row(turn, page, CallsTap),
        [turn.button(turn.label("log_call"), LogCallTap())],
        [turn.button(turn.label("back"), InsuranceTap())],
    ]
    return turn.screen("insurance/calls", rows, page=page)


def show_calls(turn: Turn, tap: CallsTap) -> Screen:
    return calls_screen(turn, tap.page)


def show_outcome(turn: Turn, _: OutcomeTap | None = None) -> Screen:
    current = turn.case.insurance.outcome
    outcomes = turn.words.content.outcomes
    rows = choices(turn, InsuranceOutcome, lambda o: o is current, lambda o: outcomes[o].label, SetOutcomeTap)
    rows.append([turn.button(turn.label("back"), InsuranceTap())])
    return turn.screen("insurance/outcome", rows)


def on_set_outcome(turn: Turn, tap: SetOutcomeTap) -> Screen:
    insurance.set_outcome(turn.case, tap.outcome)
    return show_insurance(turn)
