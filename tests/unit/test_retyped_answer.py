"""A retyped answer (its reply was lost) is not taken as the answer to the next question."""

from __future__ import annotations

from datetime import timedelta

import pytest

from journey import prompts
from journey.errors import RepeatedAnswer
from journey.models import PromptKind
from tests.unit.factories import NOW, OWNER, TODAY, new_case


def test_the_same_words_right_after_are_refused_for_the_next_question() -> None:
    case = new_case()
    prompts.ask(case, OWNER, PromptKind.PATIENT_NAME)
    step = prompts.answer(case, OWNER, "Ann Lee", "n1", NOW, TODAY)
    assert step.next is not None and step.next.kind is PromptKind.DIAGNOSIS
    # The reply asking for the diagnosis was lost; the person types the name again.
    with pytest.raises(RepeatedAnswer):
        prompts.answer(case, OWNER, " ann  lee ", "n2", NOW + timedelta(seconds=20), TODAY)
    assert case.profile.diagnosis is None and case.profile.patient_name == "Ann Lee"
    pending = prompts.pending(case, OWNER)
    assert pending is not None and pending.kind is PromptKind.DIAGNOSIS  # still asking for it
    prompts.answer(case, OWNER, "Stage 2 breast cancer", "n3", NOW + timedelta(seconds=40), TODAY)
    assert case.profile.diagnosis == "Stage 2 breast cancer"


def test_the_same_words_later_or_for_another_question_are_an_answer() -> None:
    case = new_case()
    prompts.ask(case, OWNER, PromptKind.PATIENT_NAME)
    prompts.answer(case, OWNER, "Lee", "n1", NOW, TODAY)
    prompts.answer(case, OWNER, "Lee", "n2", NOW + prompts.REPEAT, TODAY)  # long after: meant
    assert case.profile.diagnosis == "Lee"
