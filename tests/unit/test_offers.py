"""Typed text outside a question: which place it is offered (journey/offers.py), kept for one tap only."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from journey import notes, offers, prompts, questions, specialist
from journey.errors import EmptyText, Gone, ReadOnly, TooLong, TooManyNotes, TooManyQuestions
from journey.models import OfferKind, Prompt, PromptKind
from tests.unit.factories import NOW, OWNER, VIEWER, new_case

CHICAGO = "America/Chicago"
K = OfferKind


def kind_of(text: str, zone: str | None = CHICAGO) -> OfferKind | None:
    return offers.classify(text, NOW, zone).kind


@pytest.mark.parametrize(
    "text",
    [
        "what should I ask about clinical trials?",
        "What should I ask about clinical trials",  # a question word, no question mark
        "How long will treatment take",
        "is surgery the only option",
        "Could the scan be wrong",
        "It is normal to feel tired?",  # ends with a question mark
        "  why   so many tests ?  ",
    ],
)
def test_a_question_is_offered_for_the_doctor(text: str) -> None:
    assert kind_of(text) is K.QUESTION


def test_a_question_with_a_date_in_it_is_a_question() -> None:
    assert kind_of("Can we move the visit to Friday 11 December 9:30am?") is K.QUESTION
    assert kind_of("Friday 11 December 9:30am") is K.VISIT  # the same time alone is a visit


def test_a_time_that_reads_clearly_is_a_visit_at_that_time_in_the_members_zone() -> None:
    found = offers.classify("Friday 11 December 9:30am", NOW, CHICAGO)
    assert found.kind is K.VISIT
    assert found.starts_at == datetime(2026, 12, 11, 15, 30, tzinfo=UTC)  # 9:30 in Chicago


def test_a_time_that_reads_two_ways_is_offered_without_a_guess() -> None:
    found = offers.classify("12/11 9:30", NOW, CHICAGO)  # 12 Nov or 11 Dec
    assert found.kind is K.VISIT and found.starts_at is None


def test_a_visit_typed_in_spanish_is_read_in_the_readers_language() -> None:
    found = offers.classify("el viernes 11 de diciembre a las 9:30 de la mañana", NOW, CHICAGO, locale="es")
    assert found.kind is K.VISIT
    assert found.starts_at == datetime(2026, 12, 11, 15, 30, tzinfo=UTC)  # 9:30 in Chicago
    assert offers.classify("mañana a las 10", NOW, CHICAGO).kind is not K.VISIT  # not English words


@pytest.mark.parametrize(
    "text",
    ["tomé la 2 pastilla hoy", "mañana llamo a la doctora", "la doctora dijo que en 2 semanas",
     "hoy me siento cansada", "llame a la clínica a las 3"],
)  # fmt: skip
def test_spanish_words_with_a_day_or_an_hour_alone_are_not_a_visit(text: str) -> None:
    assert offers.classify(text, NOW, CHICAGO, locale="es").kind is not K.VISIT


def test_a_visit_time_answered_in_spanish_is_proposed() -> None:
    case = new_case()
    case.members[0].settings.zone = CHICAGO
    prompts.ask(case, OWNER, PromptKind.APPOINTMENT_TIME, "new")
    step = prompts.answer(case, OWNER, "mañana a las 10", "n1", NOW, NOW.date(), locale="es")
    assert step.proposed == datetime(2026, 11, 24, 16, 0, tzinfo=UTC)  # 10:00 in Chicago


def test_with_no_zone_a_time_is_offered_but_not_read() -> None:
    """No zone: the time is not read in one the bot made up; the zone is asked first."""
    found = offers.classify("Friday 11 December 9:30am", NOW, None)
    assert found.kind is K.VISIT and found.starts_at is None


@pytest.mark.parametrize(
    "text",
    ["call the clinic at 3", "I feel tired today", "yesterday at 3pm they called", "December"],
)
def test_a_day_or_an_hour_alone_or_a_past_time_is_not_a_visit(text: str) -> None:
    assert kind_of(text) is not K.VISIT


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Dr Smith", "Dr Smith"),
        ("Dr. Ana Lopez", "Dr. Ana Lopez"),
        ("doctor O'Neil", "doctor O'Neil"),
        ("Dr   Ana  Maria   Lopez", "Dr Ana Maria Lopez"),
    ],
)
def test_a_doctors_name_is_offered_for_the_list(text: str, name: str) -> None:
    assert kind_of(text) is K.DOCTOR
    assert offers.doctor_name(text) == name


@pytest.mark.parametrize(
    "text",
    [
        "Dr",  # a title alone names nobody
        "Dr.",
        "Doctor",
        "Dr Smith said to rest more and drink water",  # a sentence, not a name
        "Dr 123",
        "Draw blood on the way",  # "Dr" is not a word here
    ],
)
def test_not_a_doctors_name(text: str) -> None:
    assert kind_of(text) is not K.DOCTOR


def test_anything_else_is_offered_as_a_note() -> None:
    assert kind_of("Bring the scans on a disc") is K.NOTE
    assert kind_of("remember the insurance card") is K.NOTE


@pytest.mark.parametrize(
    "text", ["I feel scared", "so overwhelmed", "I can't cope", "I can\u2019t cope", "alone"]
)
def test_distress_alone_gets_the_kind_line_and_no_offer(text: str) -> None:
    found = offers.classify(text, NOW, CHICAGO)
    assert found.distress and found.kind is None  # nothing to save: the plan is shared


def test_distress_and_a_question_gets_the_kind_line_then_the_question() -> None:
    found = offers.classify("I am scared, what should I ask?", NOW, CHICAGO)
    assert found.distress and found.kind is K.QUESTION


@pytest.mark.parametrize("text", ["Fearless Dr Strange", "Bring the scans", "Please call Mom"])
def test_no_distress_read_into_plain_words(text: str) -> None:
    assert not offers.classify(text, NOW, CHICAGO).distress


def test_a_thank_you_needs_no_place() -> None:
    assert kind_of("Thanks!") is None and not offers.classify("ok", NOW, CHICAGO).distress


def test_text_no_place_can_hold_is_refused() -> None:
    with pytest.raises(EmptyText):
        offers.classify("\u200b \n ", NOW, CHICAGO)
    with pytest.raises(TooLong):
        offers.classify("a" * 501, NOW, CHICAGO)


@given(st.text(max_size=120))
def test_any_text_is_classified_or_refused_kindly(text: str) -> None:
    try:
        found = offers.classify(text, NOW, CHICAGO)
    except (EmptyText, TooLong):
        return
    assert found.text.strip() == found.text and found.text


# --- kept for one tap ---------------------------------------------------------------------------------


def test_the_offer_is_kept_on_the_member_until_taken_once() -> None:
    case = new_case()
    found = offers.classify("What are my options?", NOW, CHICAGO)
    offers.keep(case, OWNER, found, NOW, OWNER, 17)
    offer = offers.take(case, OWNER, K.QUESTION, 17, OWNER)
    assert offer.text == "What are my options?"
    assert case.members[0].offer is None
    with pytest.raises(Gone):  # a second tap finds nothing
        offers.take(case, OWNER, K.QUESTION, 17, OWNER)


def test_a_button_under_an_older_offer_is_stale() -> None:
    case = new_case()
    offers.keep(case, OWNER, offers.classify("Why?", NOW, CHICAGO), NOW, OWNER, 17)
    offers.keep(case, OWNER, offers.classify("How?", NOW, CHICAGO), NOW, OWNER, 18)
    with pytest.raises(Gone):
        offers.take(case, OWNER, K.QUESTION, 17, OWNER)  # the first offer's button
    with pytest.raises(Gone):
        offers.take(case, OWNER, K.NOTE, 18, OWNER)  # another place than offered
    with pytest.raises(Gone):
        offers.take(case, OWNER, K.QUESTION, 18, -100)  # from another chat
    assert offers.take(case, OWNER, K.QUESTION, 18, OWNER).text == "How?"


def test_going_elsewhere_drops_the_offer() -> None:
    case = new_case()
    offers.keep(case, OWNER, offers.classify("Bring the scans", NOW, CHICAGO), NOW, OWNER, 17)
    assert prompts.leave(case, OWNER)  # any tap or command
    assert case.members[0].offer is None


def test_a_viewer_is_offered_nothing() -> None:
    case = new_case()
    with pytest.raises(ReadOnly):
        offers.keep(case, VIEWER, offers.classify("Bring the scans", NOW, CHICAGO), NOW, VIEWER, 17)
    assert case.members[1].offer is None


def test_a_full_list_is_said_before_the_offer() -> None:
    case = new_case()
    for n in range(questions.MAX_QUESTIONS):
        questions.add_own_question(case, f"q{n}", f"Question {n}?")
    with pytest.raises(TooManyQuestions):
        offers.keep(case, OWNER, offers.classify("One more?", NOW, CHICAGO), NOW, OWNER, 17)
    assert case.members[0].offer is None


def test_the_doctor_is_kept_by_name() -> None:
    case = new_case()
    offer = offers.keep(case, OWNER, offers.classify("Dr.  Ana   Lopez", NOW, CHICAGO), NOW, OWNER, 1)
    assert offer.text == "Dr. Ana Lopez"
    assert specialist.add_candidate(case, "c1", offer.text).name == "Dr. Ana Lopez"


def test_the_offer_does_not_touch_a_pending_question() -> None:
    case = new_case()
    case.members[0].prompt = Prompt(PromptKind.OWN_QUESTION, None, OWNER, 3)
    offers.keep(case, OWNER, offers.classify("Bring the scans", NOW, CHICAGO), NOW, OWNER, 17)
    assert case.members[0].prompt is not None


# --- notes -----------------------------------------------------------------------------------------------


def test_notes_are_bounded_with_a_kind_refusal() -> None:
    case = new_case()
    for n in range(notes.MAX_NOTES):
        notes.add_note(case, f"n{n}", f"note {n}", NOW, OWNER)
    with pytest.raises(TooManyNotes):
        notes.add_note(case, "one-more", "one more", NOW, OWNER)
    notes.add_note(case, "n3", "the same id again", NOW, OWNER)  # a repeat adds nothing, even when full
    assert len(case.notes) == notes.MAX_NOTES


def test_a_note_is_kept_cleaned_and_removed_by_id() -> None:
    case = new_case()
    note = notes.add_note(case, "n1", "  Bring\u200b the scans \n\n\n on a disc ", NOW, OWNER)
    assert (note.text, note.by, note.created_at) == ("Bring the scans\n\non a disc", OWNER, NOW)
    assert notes.add_note(case, "n1", "again", NOW, OWNER) is note
    notes.remove_note(case, "n1")
    assert case.notes == []
    with pytest.raises(Gone):
        notes.remove_note(case, "n1")
