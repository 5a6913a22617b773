"""Where the case stands: each step's status, the count done, and the single next thing to do."""

from __future__ import annotations

from dataclasses import dataclass, field

from journey import insurance, questions, records, specialist
from journey.models import CandidateStatus, Case, InsuranceQuestion, RecordStatus, StepId, StepStatus

S = StepStatus


@dataclass(frozen=True)
class NextAction:
    """What to do next: `key` names the template, `step` the screen that does it, `details` fill it."""

    key: str
    step: StepId | None = None
    details: dict[str, str] = field(default_factory=dict)
    target: str = ""  # the one thing to open, when there is one: a doctor's id


@dataclass(frozen=True)
class Progress:
    statuses: dict[StepId, StepStatus]
    next_action: NextAction
    time_sensitive: bool

    @property
    def done(self) -> int:
        return sum(status is S.DONE for status in self.statuses.values())

    @property
    def total(self) -> int:
        return len(self.statuses)


def step_status(case: Case, step: StepId) -> StepStatus:
    return _STATUS[step](case)


def progress(case: Case) -> Progress:
    statuses = {step: step_status(case, step) for step in StepId}
    return Progress(statuses, next_action(case, statuses), case.profile.time_sensitive)


def next_action(case: Case, statuses: dict[StepId, StepStatus]) -> NextAction:
    """The first step not done, in the order of the four steps, and what to do in it."""
    for step in StepId:
        if statuses[step] is not S.DONE:
            return _NEXT[step](case)
    return NextAction("next/all_done")


def _specialist_status(case: Case) -> StepStatus:
    if specialist.booked(case):
        return S.DONE
    started = case.specialist.needed or case.specialist.candidates
    return S.IN_PROGRESS if started else S.NOT_STARTED


def _records_status(case: Case) -> StepStatus:
    if not records.missing_items(case):
        return S.DONE
    touched = any(i.status is not RecordStatus.TO_REQUEST for i in case.records.items)
    return S.IN_PROGRESS if touched else S.NOT_STARTED


def _insurance_status(case: Case) -> StepStatus:
    if case.insurance.outcome is not None:
        return S.DONE
    ins = case.insurance
    return S.IN_PROGRESS if ins.answers or ins.calls or ins.expected_cost else S.NOT_STARTED


def _questions_status(case: Case) -> StepStatus:
    return S.DONE if case.questions.chosen else S.NOT_STARTED


_STATUS = {
    StepId.SPECIALIST: _specialist_status,
    StepId.RECORDS: _records_status,
    StepId.INSURANCE: _insurance_status,
    StepId.QUESTIONS: _questions_status,
}


def _specialist_next(case: Case) -> NextAction:
    step = StepId.SPECIALIST
    candidates = case.specialist.candidates
    if not candidates:
        return NextAction("next/add_candidate", step)
    for status, key in (
        (CandidateStatus.REFERRAL_NEEDED, "next/get_referral"),
        (CandidateStatus.CONTACTED, "next/book"),
        (CandidateStatus.TO_CONTACT, "next/contact"),
    ):
        match = next((c for c in candidates if c.status is status), None)
        if match is not None:
            return NextAction(key, step, {"name": match.name}, match.id)
    return NextAction("next/add_candidate", step)  # every one declined


def _records_next(case: Case) -> NextAction:
    item = records.missing_items(case)[0]
    if item.kind in records.WRITTEN and item.status is RecordStatus.TO_REQUEST:
        return NextAction("next/write_record", StepId.RECORDS, {"record": item.kind.value})
    key = {
        RecordStatus.TO_REQUEST: "next/request_record",
        RecordStatus.REQUESTED: "next/follow_up_record",
        RecordStatus.RECEIVED: "next/send_record",
        RecordStatus.SENT: "next/confirm_record",
    }[item.status]
    return NextAction(key, StepId.RECORDS, {"record": item.kind.value})


def _insurance_next(case: Case) -> NextAction:
    if InsuranceQuestion.COVERED in insurance.unanswered(case):
        return NextAction("next/call_insurer", StepId.INSURANCE)
    return NextAction("next/set_outcome", StepId.INSURANCE)


def _questions_next(case: Case) -> NextAction:
    if questions.top_questions(case):
        return NextAction("next/all_done")
    return NextAction("next/pick_questions", StepId.QUESTIONS)


_NEXT = {
    StepId.SPECIALIST: _specialist_next,
    StepId.RECORDS: _records_next,
    StepId.INSURANCE: _insurance_next,
    StepId.QUESTIONS: _questions_next,
}
