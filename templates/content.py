"""The content the bot works from (checklist, question bank, guidance), loaded from TOML per locale."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from journey.models import InsuranceOutcome, InsuranceQuestion, Reason, RecordKind, SpecialistKind


@dataclass(frozen=True)
class Entry:
    label: str
    text: str = ""


@dataclass(frozen=True)
class BankQuestion:
    id: str
    text: str


@dataclass(frozen=True)
class Theme:
    id: str
    title: str
    questions: tuple[BankQuestion, ...]


@dataclass(frozen=True)
class Content:
    records: dict[RecordKind, Entry]
    themes: tuple[Theme, ...]
    specialist_kinds: dict[SpecialistKind, Entry]
    places: tuple[Entry, ...]
    reasons: dict[Reason, Entry]
    insurance_questions: dict[InsuranceQuestion, Entry]
    expected_cost: Entry
    outcomes: dict[InsuranceOutcome, Entry]
    call_tips: str

    @property
    def bank_ids(self) -> frozenset[str]:
        return frozenset(q.id for t in self.themes for q in t.questions)

    def bank_question(self, bank_id: str) -> BankQuestion | None:
        return next((q for t in self.themes for q in t.questions if q.id == bank_id), None)

    def theme(self, theme_id: str) -> Theme | None:
        return next((t for t in self.themes if t.id == theme_id), None)


def load_content(folder: Path) -> Content:
    def read(name: str) -> dict[str, object]:
        with (folder / f"{name}.toml").open("rb") as f:
            return tomllib.load(f)

    records, questions, specialists = read("records"), read("questions"), read("specialists")
    reasons, insurance = read("reasons"), read("insurance")
    return Content(
        records={k: _entry(records[k.value], "hint") for k in RecordKind},
        themes=tuple(
            Theme(
                str(t["id"]),
                str(t["title"]),
                tuple(BankQuestion(str(q["id"]), str(q["text"])) for q in _list(t["questions"])),
            )
            for t in _list(questions["themes"])
        ),
        specialist_kinds={k: _entry(_table(specialists["kinds"])[k.value], "about") for k in SpecialistKind},
        places=tuple(_entry(p, "text") for p in _list(specialists["places"])),
        reasons={r: _entry(reasons[r.value]) for r in Reason},
        insurance_questions={
            q: _entry(_table(insurance["questions"])[q.value], "hint") for q in InsuranceQuestion
        },
        expected_cost=_entry(insurance["cost"], "hint"),
        outcomes={o: _entry(_table(insurance["outcomes"])[o.value]) for o in InsuranceOutcome},
        call_tips=str(_table(insurance["call_tips"])["text"]),
    )


def _table(value: object) -> dict[str, object]:
    assert isinstance(value, dict), "content file: expected a table"
    return value


def _list(value: object) -> list[dict[str, object]]:
    assert isinstance(value, list), "content file: expected an array of tables"
    return value


def _entry(value: object, text_field: str = "") -> Entry:
    table = _table(value)
    return Entry(label=str(table["label"]), text=str(table.get(text_field, "")) if text_field else "")
