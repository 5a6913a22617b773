"""The prep sheet and the records request letter: real PDFs, read back with pypdf as a person would read them."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pypdf
import pytest

from handlers.plumbing.callbacks import encode
from handlers.plumbing.turn import Screen, Services, Turn
from handlers.reminders import screens as reminder_views
from handlers.visit import screens as visit_screens
from journey import appointments, insurance, questions, records, reminders
from journey.errors import Gone
from journey.models import Case, InsuranceOutcome, Reason, RecordKind, RecordStatus, ReminderKind, Urgency
from journey.text import LONG, SHORT
from paper.layout import printable
from paper.letter import places, records_letter
from paper.sheet import prep_sheet
from templates import Words
from tests.unit.factories import NOW, OWNER, TODAY, new_case, photo

WORDS = Words()
R = WORDS.default


def read(pdf: bytes) -> tuple[int, str]:
    """The number of pages and the text, with its line breaks and runs of spaces made single spaces."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    return len(reader.pages), re.sub(r"\s+", " ", text)


def plan(patient: str = "Ana Núñez Müller") -> Case:
    case = new_case()
    case.profile.patient_name = patient
    case.profile.diagnosis = "Stage 2 breast cancer"
    case.profile.reasons = [Reason.RARE_OR_UNCLEAR]
    case.profile.urgency = Urgency.SOON
    visit = appointments.add(case, "a1", NOW + timedelta(days=10), "America/Chicago", NOW)
    visit.doctor, visit.institution, visit.phone = (
        "Dr. José Peña",
        "Lakeside Cancer Center",
        "+1 312 555 0100",
    )
    for n in range(4):
        questions.add_own_question(case, f"q{n}", f"Own question number {n}?")
    questions.toggle_top(case, "q3")  # the last one added is marked most important
    records.set_status(case, RecordKind.LABS, RecordStatus.REQUESTED, TODAY)
    records.set_requested_from(case, RecordKind.LABS, "Northside Lab")
    records.set_status(case, RecordKind.BIOPSY, RecordStatus.REQUESTED, TODAY)
    records.set_requested_from(case, RecordKind.BIOPSY, "City Hospital records")
    records.set_status(case, RecordKind.PATHOLOGY_REPORT, RecordStatus.REQUESTED, TODAY)
    records.set_requested_from(case, RecordKind.PATHOLOGY_REPORT, "  city   HOSPITAL records ")
    records.set_status(case, RecordKind.STAGING, RecordStatus.ARRIVED, TODAY)
    records.set_status(case, RecordKind.REFERRAL_LETTER, RecordStatus.NOT_NEEDED, TODAY)
    insurance.set_outcome(case, InsuranceOutcome.PARTLY)
    insurance.start_call(case, "k1", TODAY, who="Sam")
    insurance.set_call_reference(case, "k1", "REF-4471")
    return case


def test_the_prep_sheet_holds_the_visit_the_patient_the_questions_top_first_and_each_record() -> None:
    pages, text = read(prep_sheet(plan(), R, NOW))
    assert pages <= 2
    assert "Ana Núñez Müller" in text and "Dr. José Peña" in text
    assert "Thursday 3 December 2026, 9:30 AM, Chicago time" in text
    assert "Lakeside Cancer Center" in text and "+1 312 555 0100" in text
    assert "Stage 2 breast cancer" in text and "Rare or unclear diagnosis" in text
    # The most important question comes first, then the rest in the order added.
    order = [text.index(f"Own question number {n}?") for n in (3, 0, 1, 2)]
    assert order == sorted(order)
    assert "★ 1. Own question number 3?" in text
    for kind, status in (
        (RecordKind.LABS, "Asked for · from Northside Lab"),
        (RecordKind.STAGING, "Arrived"),
        (RecordKind.REFERRAL_LETTER, "Not needed"),
        (RecordKind.IMAGING_REPORTS, "To ask for"),
    ):
        assert f"{R.content.records[kind].label}: {status}" in text
    assert "Partly covered" in text and "REF-4471" in text
    assert "not medical advice" in text


def test_without_a_visit_the_sheet_has_room_to_write_it_in() -> None:
    case = plan()
    case.appointments.clear()
    _, text = read(prep_sheet(case, R, NOW))
    assert "No visit is saved yet" in text
    with pytest.raises(Gone):
        prep_sheet(case, R, NOW, visit="a1")


def test_the_medication_list_is_named_when_a_file_of_it_was_added() -> None:
    case = plan()
    _, before = read(prep_sheet(case, R, NOW))
    assert "medication list is in the chat" not in before
    records.attach(case, RecordKind.MEDICATIONS, photo("m1"))
    _, text = read(prep_sheet(case, R, NOW))
    assert "The medication list is in the chat (photo from Mon 23 Nov 2026)" in text


def longest_plan() -> Case:
    """Twelve questions of the longest length, every record asked from a place with the longest name, the
    longest diagnosis, address and notes, and twenty calls."""
    case = plan("Ñ" * SHORT)
    case.profile.diagnosis = "Diagnóstico " * (LONG // 12)
    case.questions.chosen.clear()
    for n in range(12):
        questions.add_own_question(case, f"q{n}", (f"Question {n:02d} " + "word " * LONG)[:LONG])
    for n in (9, 10, 11):
        questions.toggle_top(case, f"q{n}")
    visit = case.appointments[0]
    visit.address, visit.notes = "Calle " * (LONG // 6), "Note " * (LONG // 5)
    visit.doctor, visit.institution = "D" * SHORT, "I" * SHORT
    for n, item in enumerate(case.records.items):
        if item.kind in records.WRITTEN:  # a list you write is never asked of a place
            records.attach(case, item.kind, photo(f"u{n}"))
            continue
        records.set_status(case, item.kind, RecordStatus.REQUESTED, TODAY)
        records.set_requested_from(case, item.kind, (f"{n:02d} " + "Place " * SHORT)[:SHORT].strip())
        records.attach(case, item.kind, photo(f"u{n}"))
    insurance.set_expected_cost(case, "About $50 for each visit, after the deductible is met")
    for n in range(20):
        insurance.start_call(case, f"c{n}", TODAY - timedelta(days=n), who="Sam at member services")
        insurance.set_call_reference(case, f"c{n}", f"REF-{n:02d}-2026-77431")
    return case


def test_twelve_long_questions_and_every_record_fit_two_pages() -> None:
    pages, text = read(prep_sheet(longest_plan(), R, NOW))
    assert pages <= 2
    # Nothing is left out to make it fit: every question and every record is there, the top ones first.
    starts = [text.index(f"Question {n:02d}") for n in (9, 10, 11, *range(9))]
    assert starts == sorted(starts)
    for item in R.content.records.values():
        assert item.label in text
    assert "and 15 more in the chat" in text  # the six latest of 21 calls, and how many more


def test_text_the_font_cannot_draw_is_left_out_and_the_rest_prints() -> None:
    assert printable("Zoë 🦄 Núñez\n漢Müller") == "Zoë  Núñez\nMüller"
    case = plan("Zoë 🦄 Núñez")
    _, text = read(prep_sheet(case, R, NOW))
    assert "Zoë Núñez" in text


def test_one_letter_per_place_with_the_records_asked_from_it_and_blanks_to_fill() -> None:
    case = plan()
    found = places(case)
    # The same place typed with other capitals and spaces is one place; not-needed records ask nothing.
    assert len(found) == 2
    assert [" ".join(p.name.split()).casefold() for p in found] == ["city hospital records", "northside lab"]
    hospital = next(p for p in found if "hospital" in p.name.casefold())
    assert set(hospital.records) == {RecordKind.PATHOLOGY_REPORT, RecordKind.BIOPSY}
    pages, text = read(records_letter(case, R, NOW, hospital))
    assert pages == 1
    assert "medical records office at" in text and "records" in text
    assert "Pathology report" in text and "Biopsy results" in text
    assert "Lab work" not in text  # asked from the other place
    assert "Ana Núñez Müller" in text and "HIPAA" in text
    assert "Date of birth:" in text and "Signature of the patient" in text
    # The second opinion office, from the visit.
    assert "Lakeside Cancer Center" in text


def test_a_record_marked_not_needed_is_not_asked_for() -> None:
    case = plan()
    records.set_status(case, RecordKind.LABS, RecordStatus.NOT_NEEDED, TODAY)
    assert [p.name for p in places(case)] == [case.records.items[0].requested_from]


# --- where the sheet and the letters are offered ------------------------------------------------------


def services() -> Services:
    from zoneinfo import ZoneInfo

    from storage import InMemoryCaseRepository

    return Services(InMemoryCaseRepository(), WORDS, lambda: NOW, ZoneInfo("America/Chicago"))


def labels(screen: Screen) -> list[str]:
    return [b.text for row in screen.rows for b in row]


def test_the_visit_screen_offers_the_sheet_in_private_and_not_in_a_group() -> None:
    case = plan()
    turn = Turn(services(), case, OWNER, NOW, "n", chat_id=OWNER)
    screen = visit_screens.visit_screen(turn, "a1")
    assert "📄 Prep sheet" in labels(screen)
    group = Turn(services(), case, OWNER, NOW, "n", chat_id=-100)
    assert "📄 Prep sheet" not in labels(visit_screens.visit_screen(group, "a1"))


def test_the_two_days_reminder_offers_the_sheet_to_a_person_not_to_a_group() -> None:
    from handlers.paper.taps import PrepSheetTap

    case = plan()
    reminders.replan(case, NOW)
    two_days = next(r for r in case.reminders if r.kind is ReminderKind.TWO_DAYS_BEFORE)
    turn = Turn(services(), case, two_days.user_id, NOW, "n")
    screen = reminder_views.reminder_screen(turn, two_days)
    wanted = encode(case.id, PrepSheetTap("a1"))
    assert wanted in [b.callback_data for row in screen.rows for b in row]
    two_days.user_id = -100
    group = Turn(services(), case, -100, NOW, "n")
    assert wanted not in [
        b.callback_data for row in reminder_views.reminder_screen(group, two_days).rows for b in row
    ]
