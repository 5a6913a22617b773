"""Step 3 screens: the questions for the insurer, the call log and the outcome."""

from __future__ import annotations

from handlers.plumbing.callbacks import Action, Button
from handlers.plumbing.turn import Screen, Turn, choices, page_row, paginate, parse
from handlers.prompts.asking import ask
from journey import insurance
from journey.models import Answer, InsuranceOutcome, InsuranceQuestion, PromptKind

CALLS_PAGE = 4  # a call with the longest notes is ~800 characters; four stay under Telegram's 4096


def show_insurance(turn: Turn, _: Button | None = None) -> Screen:
    content = turn.services.renderer.content
    answers = turn.case.insurance.answers
    rows = [
        [
            turn.button(
                turn.label(
                    "question_answer", answer=answers[q].value if q in answers else "", text=entry.label
                ),
                Action.INSURANCE_QUESTION,
                q.value,
            )
        ]
        for q, entry in content.insurance_questions.items()
    ]
    rows.append([turn.button(turn.label("expected_cost"), Action.EXPECTED_COST)])
    rows.append(
        [
            turn.button(turn.label("log_call"), Action.LOG_CALL),
            turn.button(turn.label("calls", n=len(turn.case.insurance.calls)), Action.CALLS, 0),
        ]
    )
    rows.append([turn.button(turn.label("outcome"), Action.OUTCOME)])
    rows.append([turn.button(turn.label("menu"), Action.MENU)])
    return turn.screen("insurance/main", rows)


def show_question(turn: Turn, button: Button) -> Screen:
    question = parse(InsuranceQuestion, button.arg(0))
    current = turn.case.insurance.answers.get(question)
    rows = choices(
        turn,
        Answer,
        lambda a: a is current,
        lambda a: turn.label(f"answer_{a.value}"),
        Action.INSURANCE_ANSWER,
        question.value,
        per_row=len(Answer),
    )
    rows.append([turn.button(turn.label("back"), Action.INSURANCE)])
    entry = turn.services.renderer.content.insurance_questions[question]
    return turn.screen("insurance/question", rows, entry=entry, current=current)


def on_answer(turn: Turn, button: Button) -> Screen:
    insurance.answer(turn.case, parse(InsuranceQuestion, button.arg(0)), parse(Answer, button.arg(1)))
    return show_insurance(turn)


def on_expected_cost(turn: Turn, _: Button) -> Screen:
    return ask(turn, PromptKind.EXPECTED_COST)


def on_log_call(turn: Turn, _: Button) -> Screen:
    return ask(turn, PromptKind.CALL_WHO)


def calls_screen(turn: Turn, page_number: int) -> Screen:
    calls = list(reversed(turn.case.insurance.calls))  # newest first
    page = paginate(calls, page_number, CALLS_PAGE)
    rows = [
        page_row(turn, page, Action.CALLS),
        [turn.button(turn.label("log_call"), Action.LOG_CALL)],
        [turn.button(turn.label("back"), Action.INSURANCE)],
    ]
    return turn.screen("insurance/calls", rows, page=page)


def show_calls(turn: Turn, button: Button) -> Screen:
    return calls_screen(turn, button.page())


def show_outcome(turn: Turn, _: Button | None = None) -> Screen:
    current = turn.case.insurance.outcome
    outcomes = turn.services.renderer.content.outcomes
    rows = choices(
        turn, InsuranceOutcome, lambda o: o is current, lambda o: outcomes[o].label, Action.SET_OUTCOME
    )
    rows.append([turn.button(turn.label("back"), Action.INSURANCE)])
    return turn.screen("insurance/outcome", rows)


def on_set_outcome(turn: Turn, button: Button) -> Screen:
    insurance.set_outcome(turn.case, parse(InsuranceOutcome, button.arg(0)))
    return show_insurance(turn)
