"""Step 3: the questions to settle with the insurer, a log of calls and the outcome."""

from __future__ import annotations

from datetime import date

from journey import limits
from journey.errors import TooManyCalls
from journey.lists import existing, find
from journey.models import Answer, CallLog, Case, InsuranceOutcome, InsuranceQuestion
from journey.text import LONG, SHORT, clean, line

MAX_CALLS = limits.INSURANCE_CALLS


def answer(case: Case, question: InsuranceQuestion, value: Answer) -> None:
    case.insurance.answers[question] = value


def set_expected_cost(case: Case, text: str) -> None:
    case.insurance.expected_cost = line(text, SHORT)


def set_outcome(case: Case, outcome: InsuranceOutcome) -> None:
    case.insurance.outcome = outcome


def find_call(case: Case, call_id: str) -> CallLog:
    return find(case.insurance.calls, call_id)


def start_call(case: Case, call_id: str, on: date, who: str | None = None) -> CallLog:
    """Open a new call log entry dated `on`; the same id twice returns the first one."""
    if (same := existing(case.insurance.calls, call_id)) is not None:
        return same
    check_room(case)
    call = CallLog(id=call_id, on=on, who=line(who, SHORT) if who is not None else None)
    case.insurance.calls.append(call)
    return call


def check_room(case: Case) -> None:
    """Refuse another call when the log is full (asked before the first question of a call, too)."""
    if len(case.insurance.calls) >= MAX_CALLS:
        raise TooManyCalls(limit=MAX_CALLS)


def set_call_who(case: Case, call_id: str, text: str) -> None:
    find_call(case, call_id).who = line(text, SHORT)


def set_call_reference(case: Case, call_id: str, text: str) -> None:
    find_call(case, call_id).reference = line(text, SHORT)


def set_call_notes(case: Case, call_id: str, text: str) -> None:
    find_call(case, call_id).notes = clean(text, LONG)


def remove_call(case: Case, call_id: str) -> None:
    case.insurance.calls.remove(find_call(case, call_id))


def unanswered(case: Case) -> list[InsuranceQuestion]:
    return [q for q in InsuranceQuestion if q not in case.insurance.answers]
