"""Visit mode rules: each question marked asked and answered per visit, typed or by a voice note, only by
people who may change the plan, and only where the answer was asked for."""

from __future__ import annotations

import copy
from datetime import timedelta

import pytest

from journey import appointments, prompts, questions, visit_mode
from journey.errors import Gone, ReadOnly, TooLong
from journey.models import Appointment, Case, PromptKind
from journey.prompts import AskedElsewhere, NothingPending, QuestionGone, Where
from journey.text import LONG
from tests.unit.factories import NOW, OWNER, TODAY, VIEWER, new_case

K = PromptKind
GROUP = -100200


def plan() -> Case:
    """Two visits (a second and a third opinion) and three questions, the last one on top."""
    case = new_case()
    appointments.add(case, "a1", NOW + timedelta(days=3), "America/Chicago", NOW)
    appointments.add(case, "a2", NOW + timedelta(days=20), "America/Chicago", NOW)
    questions.add_own_question(case, "q1", "How sure are you?")
    questions.add_own_question(case, "q2", "What are my options?")
    questions.add_own_question(case, "q3", "How soon must I start?")
    questions.toggle_top(case, "q3", on=True)
    return case


def visit(case: Case, visit_id: str = "a1") -> Appointment:
    return appointments.find_appointment(case, visit_id)


def test_the_top_questions_come_first_each_with_nothing_kept_yet() -> None:
    case = plan()
    lines = visit_mode.lines(case, visit(case))
    assert [line.question.id for line in lines] == ["q3", "q1", "q2"]
    assert [line.asked for line in lines] == [False, False, False]
    assert all(line.answer is None for line in lines)


def test_asked_carries_the_state_it_asks_for_so_a_second_tap_changes_nothing() -> None:
    case = plan()
    visit_mode.set_asked(case, "a1", "q1", True)
    visit_mode.set_asked(case, "a1", "q1", True)  # the same button again, from a screen not caught up
    answer = visit_mode.answer_of(visit(case), "q1")
    assert answer is not None and answer.asked and len(visit(case).answers) == 1
    visit_mode.set_asked(case, "a1", "q1", False)
    assert not visit_mode.lines(case, visit(case))[1].asked


def test_answers_are_kept_per_visit_so_a_third_opinion_asks_again() -> None:
    case = plan()
    visit_mode.set_answer(case, "a1", "q1", "  Quite sure.\u200b ")
    first = visit_mode.answer_of(visit(case, "a1"), "q1")
    assert first is not None and first.text == "Quite sure." and first.asked  # cleaned; answered means asked
    assert visit_mode.answer_of(visit(case, "a2"), "q1") is None


def test_a_question_or_visit_that_is_gone_is_refused_and_nothing_changes() -> None:
    case = plan()
    before = copy.deepcopy(case)
    with pytest.raises(Gone):
        visit_mode.set_asked(case, "a1", "nope", True)
    with pytest.raises(Gone):
        visit_mode.set_answer(case, "zz", "q1", "Yes")
    assert case == before


def test_a_typed_answer_over_the_limit_is_refused_unchanged() -> None:
    case = plan()
    prompts.ask(case, OWNER, K.VISIT_ANSWER, "a1.q2")
    before = copy.deepcopy(case)
    with pytest.raises(TooLong):
        prompts.answer(case, OWNER, "x" * (LONG + 1), "n1", NOW, TODAY)
    assert case == before


def test_a_typed_answer_is_saved_and_the_question_ends() -> None:
    case = plan()
    prompts.ask(case, OWNER, K.VISIT_ANSWER, "a1.q2")
    step = prompts.answer(case, OWNER, "Surgery or radiation", "n1", NOW, TODAY)
    assert step.next is None and step.answered.target == "a1.q2"
    answer = visit_mode.answer_of(visit(case), "q2")
    assert answer is not None and answer.text == "Surgery or radiation"
    assert prompts.pending(case, OWNER) is None


def test_a_voice_note_is_kept_by_file_id_only_as_the_answer_asked_for() -> None:
    case = plan()
    with pytest.raises(NothingPending):  # nothing asked: a voice note goes nowhere
        prompts.answer_voice(case, OWNER, "AwACvoice1")
    prompts.ask(case, OWNER, K.OWN_QUESTION)
    with pytest.raises(NothingPending):  # another question waits: not its answer
        prompts.answer_voice(case, OWNER, "AwACvoice1")
    prompts.ask(case, OWNER, K.VISIT_ANSWER, "a1.q3", Where(OWNER, 10))
    step = prompts.answer_voice(case, OWNER, "AwACvoice1", Where(OWNER, 11))
    assert step.answered.kind is K.VISIT_ANSWER and step.next is None
    answer = visit_mode.answer_of(visit(case), "q3")
    assert answer is not None and (answer.voice, answer.text, answer.asked) == ("AwACvoice1", None, True)


def test_in_a_group_only_a_reply_to_the_bot_after_the_question_answers_it() -> None:
    case = plan()
    prompts.ask(case, OWNER, K.VISIT_ANSWER, "a1.q1", Where(GROUP, 50))
    before = copy.deepcopy(case)
    with pytest.raises(AskedElsewhere):  # plain chatter in the group
        prompts.answer(case, OWNER, "It is sure", "n1", NOW, TODAY, Where(GROUP, 52))
    with pytest.raises(AskedElsewhere):  # in the private chat instead
        prompts.answer_voice(case, OWNER, "AwACvoice1", Where(OWNER, 53))
    assert case == before
    prompts.answer(case, OWNER, "It is sure", "n1", NOW, TODAY, Where(GROUP, 54, reply_to=51))
    answer = visit_mode.answer_of(visit(case), "q1")
    assert answer is not None and answer.text == "It is sure"


def test_a_viewer_cannot_be_asked_for_an_answer() -> None:
    case = plan()
    with pytest.raises(ReadOnly):
        prompts.ask(case, VIEWER, K.VISIT_ANSWER, "a1.q1")


def test_a_question_removed_while_the_answer_is_typed_ends_the_question() -> None:
    case = plan()
    prompts.ask(case, OWNER, K.VISIT_ANSWER, "a1.q1")
    questions.remove_question(case, "q1")
    with pytest.raises(QuestionGone):
        prompts.answer(case, OWNER, "Sure", "n1", NOW, TODAY)
    assert visit(case).answers == []


def test_the_answer_target_reads_back_what_it_wrote_and_refuses_other_shapes() -> None:
    target = visit_mode.AnswerTarget("a1", "bq-7")
    assert visit_mode.AnswerTarget.read(target.text()) == target
    for bad in (None, "", "a1", ".q1", "a1."):
        with pytest.raises(Gone):
            visit_mode.AnswerTarget.read(bad)
