"""The English content files: every enum value has an entry, limits hold, and the words stay plain."""

from __future__ import annotations

import enum
import re
import tomllib
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from journey.models import InsuranceOutcome, InsuranceQuestion, Reason, RecordKind, SpecialistKind
from templates.content import load_content

FOLDER = Path(__file__).resolve().parents[2] / "templates" / "en" / "content"
FILES = ("records", "questions", "specialists", "reasons", "insurance")

RECORD_LABEL_MAX = 26
THEME_TITLE_MAX = 26
QUESTION_TEXT_MAX = 160
KIND_LABEL_MAX = 26
PLACE_LABEL_MAX = 26
REASON_LABEL_MAX = 30
INSURANCE_LABEL_MAX = 40
OUTCOME_LABEL_MAX = 26
QUESTIONS_PER_THEME = range(5, 9)

AVERAGE_SENTENCE_MAX = 16  # words
SENTENCE_MAX = 30  # words

THEME_ID = re.compile(r"[a-z_]{1,10}")
QUESTION_ID = re.compile(r"[a-z0-9]{1,6}")
PLACE_ID = re.compile(r"[a-z]{1,10}")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def load(name: str) -> dict[str, Any]:
    with (FOLDER / f"{name}.toml").open("rb") as f:
        return tomllib.load(f)


def values(kind: type[enum.StrEnum]) -> list[str]:
    return [member.value for member in kind]


def sentences(text: str) -> list[str]:
    return [s for s in SENTENCE_END.split(text.strip()) if s]


def words(sentence: str) -> int:
    return len(sentence.split())


def prose() -> Iterator[tuple[str, str]]:
    """Every hint, about and text field, named by where it lives."""
    for key, entry in load("records").items():
        yield f"records.{key}.hint", entry["hint"]
    for theme in load("questions")["themes"]:
        for q in theme["questions"]:
            yield f"questions.{theme['id']}.{q['id']}", q["text"]
    specialists = load("specialists")
    for key, entry in specialists["kinds"].items():
        yield f"specialists.kinds.{key}.about", entry["about"]
    for place in specialists["places"]:
        yield f"specialists.places.{place['id']}.text", place["text"]
    insurance = load("insurance")
    for key, entry in insurance["questions"].items():
        yield f"insurance.questions.{key}.hint", entry["hint"]
    yield "insurance.cost.hint", insurance["cost"]["hint"]
    yield "insurance.call_tips.text", insurance["call_tips"]["text"]


def strings(value: object, where: str) -> Iterator[tuple[str, str]]:
    """Every string in a parsed file, with its dotted path."""
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings(item, f"{where}.{key}")
    elif isinstance(value, list):
        for n, item in enumerate(value):
            yield from strings(item, f"{where}[{n}]")


def check_fields(where: str, entry: dict[str, Any], fields: set[str]) -> None:
    assert set(entry) == fields, f"{where}: fields are {sorted(entry)}, expected {sorted(fields)}"


# --- the loader and the files as a whole ----------------------------------------------------------


def test_the_app_loader_reads_the_files() -> None:
    content = load_content(FOLDER)
    assert set(content.records) == set(RecordKind)
    assert len(content.bank_ids) == sum(len(t.questions) for t in content.themes)


@pytest.mark.parametrize("name", FILES)
def test_every_string_is_non_empty_plain_text(name: str) -> None:
    for where, text in strings(load(name), name):
        assert text.strip(), f"{where}: empty"
        assert text == text.strip(), f"{where}: leading or trailing spaces"
        assert not re.search(r"[<>&]", text), f"{where}: has '<', '>' or '&' (keep content plain): {text!r}"
        assert "\n" not in text, f"{where}: has a line break"
        symbols = [c for c in text if unicodedata.category(c) == "So"]
        assert not symbols, f"{where}: has symbols or emoji {symbols} (icons belong to the templates)"


# --- records --------------------------------------------------------------------------------------


def test_records_have_one_entry_per_kind_in_checklist_order() -> None:
    records = load("records")
    unknown = set(records) - set(values(RecordKind))
    missing = set(values(RecordKind)) - set(records)
    assert not unknown, f"records.toml: unknown keys {sorted(unknown)}"
    assert not missing, f"records.toml: missing keys {sorted(missing)}"
    assert list(records) == values(RecordKind), "records.toml: tables are not in RecordKind order"


def test_record_entries() -> None:
    for key, entry in load("records").items():
        where = f"records.{key}"
        check_fields(where, entry, {"label", "hint"})
        assert len(entry["label"]) <= RECORD_LABEL_MAX, f"{where}.label: over {RECORD_LABEL_MAX} characters"
        assert 1 <= len(sentences(entry["hint"])) <= 2, f"{where}.hint: should be one or two sentences"


# --- question bank --------------------------------------------------------------------------------


def test_themes() -> None:
    themes = load("questions")["themes"]
    assert themes, "questions.toml: no themes"
    ids = [t["id"] for t in themes]
    assert len(ids) == len(set(ids)), f"questions.toml: duplicate theme ids in {ids}"
    for theme in themes:
        where = f"questions.{theme['id']}"
        check_fields(where, theme, {"id", "title", "questions"})
        assert THEME_ID.fullmatch(theme["id"]), f"{where}: id must be a-z or _, at most 10 characters"
        assert len(theme["title"]) <= THEME_TITLE_MAX, f"{where}.title: over {THEME_TITLE_MAX} characters"
        count = len(theme["questions"])
        assert count in QUESTIONS_PER_THEME, f"{where}: has {count} questions, expected 5 to 8"


def test_bank_questions() -> None:
    seen: dict[str, str] = {}
    for theme in load("questions")["themes"]:
        for q in theme["questions"]:
            where = f"questions.{theme['id']}.{q.get('id')}"
            check_fields(where, q, {"id", "text"})
            assert QUESTION_ID.fullmatch(q["id"]), f"{where}: id must be a-z or 0-9, at most 6 characters"
            assert q["id"] not in seen, f"{where}: id already used in theme {seen.get(q['id'])}"
            seen[q["id"]] = theme["id"]
            assert len(q["text"]) <= QUESTION_TEXT_MAX, f"{where}: over {QUESTION_TEXT_MAX} characters"
            assert q["text"].endswith("?"), f"{where}: should be a question"


# --- specialists ----------------------------------------------------------------------------------


def test_specialist_kinds() -> None:
    specialists = load("specialists")
    assert set(specialists) == {"kinds", "places"}, f"specialists.toml: top-level keys {sorted(specialists)}"
    kinds = specialists["kinds"]
    unknown = set(kinds) - set(values(SpecialistKind))
    missing = set(values(SpecialistKind)) - set(kinds)
    assert not unknown, f"specialists.toml: unknown kinds {sorted(unknown)}"
    assert not missing, f"specialists.toml: missing kinds {sorted(missing)}"
    for key, entry in kinds.items():
        where = f"specialists.kinds.{key}"
        check_fields(where, entry, {"label", "about"})
        assert len(entry["label"]) <= KIND_LABEL_MAX, f"{where}.label: over {KIND_LABEL_MAX} characters"
        assert 1 <= len(sentences(entry["about"])) <= 2, (
            f"{where}.about: should be one or two short sentences"
        )


def test_places() -> None:
    places = load("specialists")["places"]
    assert 5 <= len(places) <= 7, f"specialists.toml: {len(places)} places, expected 5 to 7"
    ids = [p.get("id") for p in places]
    assert len(ids) == len(set(ids)), f"specialists.toml: duplicate place ids in {ids}"
    for place in places:
        where = f"specialists.places.{place.get('id')}"
        check_fields(where, place, {"id", "label", "text"})
        assert PLACE_ID.fullmatch(place["id"]), f"{where}: id must be a-z, at most 10 characters"
        assert len(place["label"]) <= PLACE_LABEL_MAX, f"{where}.label: over {PLACE_LABEL_MAX} characters"
        assert 1 <= len(sentences(place["text"])) <= 3, f"{where}.text: should be one to three sentences"


# --- reasons --------------------------------------------------------------------------------------


def test_reasons() -> None:
    reasons = load("reasons")
    unknown = set(reasons) - set(values(Reason))
    missing = set(values(Reason)) - set(reasons)
    assert not unknown, f"reasons.toml: unknown keys {sorted(unknown)}"
    assert not missing, f"reasons.toml: missing keys {sorted(missing)}"
    for key, entry in reasons.items():
        where = f"reasons.{key}"
        check_fields(where, entry, {"label"})
        assert len(entry["label"]) <= REASON_LABEL_MAX, f"{where}.label: over {REASON_LABEL_MAX} characters"


# --- insurance ------------------------------------------------------------------------------------


def test_insurance_top_level() -> None:
    insurance = load("insurance")
    expected = {"questions", "cost", "outcomes", "call_tips"}
    assert set(insurance) == expected, f"insurance.toml: top-level keys {sorted(insurance)}"
    check_fields("insurance.cost", insurance["cost"], {"label", "hint"})
    assert len(insurance["cost"]["label"]) <= INSURANCE_LABEL_MAX, "insurance.cost.label: too long"
    assert len(sentences(insurance["cost"]["hint"])) == 1, "insurance.cost.hint: should be one sentence"
    check_fields("insurance.call_tips", insurance["call_tips"], {"text"})
    count = len(sentences(insurance["call_tips"]["text"]))
    assert 2 <= count <= 4, f"insurance.call_tips.text: {count} sentences, expected 2 to 4"


def test_insurance_questions() -> None:
    questions = load("insurance")["questions"]
    unknown = set(questions) - set(values(InsuranceQuestion))
    missing = set(values(InsuranceQuestion)) - set(questions)
    assert not unknown, f"insurance.toml: unknown questions {sorted(unknown)}"
    assert not missing, f"insurance.toml: missing questions {sorted(missing)}"
    for key, entry in questions.items():
        where = f"insurance.questions.{key}"
        check_fields(where, entry, {"label", "hint"})
        label = entry["label"]
        assert len(label) <= INSURANCE_LABEL_MAX, f"{where}.label: over {INSURANCE_LABEL_MAX} characters"
        assert label.endswith("?"), f"{where}.label: should be a question"
        assert len(sentences(entry["hint"])) == 1, f"{where}.hint: should be one sentence"


def test_insurance_outcomes() -> None:
    outcomes = load("insurance")["outcomes"]
    unknown = set(outcomes) - set(values(InsuranceOutcome))
    missing = set(values(InsuranceOutcome)) - set(outcomes)
    assert not unknown, f"insurance.toml: unknown outcomes {sorted(unknown)}"
    assert not missing, f"insurance.toml: missing outcomes {sorted(missing)}"
    for key, entry in outcomes.items():
        where = f"insurance.outcomes.{key}"
        check_fields(where, entry, {"label"})
        assert len(entry["label"]) <= OUTCOME_LABEL_MAX, f"{where}.label: over {OUTCOME_LABEL_MAX} characters"


# --- plain language -------------------------------------------------------------------------------


def test_sentences_are_short() -> None:
    counts: list[int] = []
    for where, text in prose():
        for sentence in sentences(text):
            n = words(sentence)
            assert n <= SENTENCE_MAX, f"{where}: a sentence has {n} words (max {SENTENCE_MAX}): {sentence!r}"
            counts.append(n)
    average = sum(counts) / len(counts)
    assert average < AVERAGE_SENTENCE_MAX, (
        f"average sentence is {average:.1f} words (keep it under {AVERAGE_SENTENCE_MAX}); "
        "shorten the longest hints first"
    )
