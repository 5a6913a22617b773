"""Reading level of every word the bot says, per locale: the pooled grade of all the text is at most 6, and no
single sentence reads above grade 10. How it is measured (formulas, syllables, sentences, short sentences) is in
tests/reading.py.

The text is taken twice. Once as written: every value in strings.toml and content/*.toml and every template,
with the Jinja tags taken out and each line a sentence break (so every branch of an `{% if %}` is read, and the
longer words inside Jinja expressions too). This is what the pooled grade is measured on; button labels and
titles are checked sentence by sentence but left out of the pool, since a label is not prose. And once as
shown: every screen of tests/unit/test_screens.py rendered for a plan with a visit, a doctor and a note, so the
sentences a template builds from parts are read whole.

A locale is every folder of templates/ with a strings.toml, so a new language is checked as soon as it exists.
A failure names the file or key and the sentence, so a writer can find it and make it shorter or plainer.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from handlers.plumbing.turn import Services, Turn
from journey import appointments, notes
from journey import specialist as sp
from journey.errors import Gone
from journey.models import Case
from storage import InMemoryCaseRepository
from templates import ROOT as TEMPLATES_ROOT
from templates import Words
from tests.reading import Measure, Sentence, measure_for, pooled_grade, sentence_problem, sentences
from tests.unit.factories import NOW, OWNER, new_case
from tests.unit.test_screens import SCREENS

POOLED_LIMIT = 6.0
SENTENCE_LIMIT = 10.0

LOCALES = sorted(p.name for p in TEMPLATES_ROOT.iterdir() if (p / "strings.toml").is_file())

# Not prose: formats for dates and times, and ids.
SKIP_KEYS = {"formats", "id"}
# Words on buttons and headings: each is checked, but they are not part of the pooled grade.
LABEL_KEYS = {"label", "title"}
PROSE_BUTTON_KEYS = {"commands", "about"}  # under [buttons], these are sentences (command menu, bot profile)

_COMMENT = re.compile(r"{#.*?#}", re.DOTALL)
_BLOCK = re.compile(r"{%.*?%}", re.DOTALL)
_EXPRESSION = re.compile(r"{{.*?}}", re.DOTALL)
_LITERAL = re.compile(r"'([^'{}]*)'|\"([^\"{}]*)\"")


def without_jinja(source: str) -> tuple[str, list[str]]:
    """The template's own words, and the longer string literals inside its tags ("1 day left.")."""
    source = _COMMENT.sub(" ", source)
    literals = []
    for tag in _BLOCK.findall(source) + _EXPRESSION.findall(source):
        literals += [a or b for a, b in _LITERAL.findall(tag) if len((a or b).split()) >= 3]
    return _EXPRESSION.sub(" ", _BLOCK.sub(" ", source)), literals


def toml_texts(where: str, table: dict[str, Any], pooled: bool = True) -> Iterator[tuple[str, str, bool]]:
    for key, value in table.items():
        if key in SKIP_KEYS:
            continue
        if isinstance(value, dict):
            inner = pooled and (where.endswith("strings.toml") is False or key != "buttons")
            yield from toml_texts(f"{where}{key}.", value, inner or key in PROSE_BUTTON_KEYS)
        elif isinstance(value, list):
            for n, item in enumerate(value):
                if isinstance(item, dict):
                    yield from toml_texts(f"{where}{key}[{n}].", item, pooled)
        elif isinstance(value, str):
            text, literals = without_jinja(value)
            prose = pooled and key not in LABEL_KEYS
            yield f"{where}{key}", text, prose
            yield from ((f"{where}{key}", literal, prose) for literal in literals)


def written(locale: str) -> Iterator[tuple[str, str, bool]]:
    """(where, text, counts in the pooled grade) for every text of the locale, as written."""
    folder = TEMPLATES_ROOT / locale
    for path in sorted(folder.rglob("*.toml")):
        name = str(path.relative_to(folder))
        with path.open("rb") as f:
            yield from toml_texts(
                f"{name}: " if name != "strings.toml" else "strings.toml: ", tomllib.load(f)
            )
    for path in sorted([*folder.rglob("*.j2"), *folder.rglob("*.txt")]):
        text, literals = without_jinja(path.read_text())
        name = str(path.relative_to(folder))
        yield name, text, True
        yield from ((name, literal, True) for literal in literals)


def sample_case() -> Case:
    """A plan part way: a visit, a doctor on the list and a note, so most screens have something to show."""
    case = new_case()
    case.profile.patient_name = "Ann"
    appointments.add(case, "a1", NOW + timedelta(days=10), "America/Chicago", NOW)
    sp.add_candidate(case, "c0", "Dr. Ana Lopez")
    notes.add_note(case, "n0", "Ask about the scan.", NOW, OWNER)
    return case


def shown(locale: str) -> Iterator[tuple[str, str]]:
    """(screen name, text) for every screen, rendered in the locale."""
    words = Words()
    for name, build in SCREENS.items():
        if name.startswith("offer "):  # rendered with a made-up long typed text; the templates are read above
            continue
        repo = InMemoryCaseRepository()
        case = sample_case()
        case.members[0].settings.language = locale
        repo.save_case(case)
        services = Services(repo, words, lambda: NOW, ZoneInfo("America/Chicago"))
        try:
            text = build(Turn(services, case, OWNER, NOW, "newid")).text
            # A line holding made-up typed text ("Ω<&>" filler for the longest answers) is the user's, not ours.
            yield f"screen {name!r}", re.sub(r"[^\n]*Ω[^\n]*", "", text)
        except Gone:  # a screen of an item the sample plan does not have ("candidate 29")
            continue


def all_sentences(locale: str, measure: Measure) -> tuple[list[Sentence], list[Sentence]]:
    """(the pooled prose, every sentence to check one by one)."""
    pool: list[Sentence] = []
    each: list[Sentence] = []
    for where, text, prose in written(locale):
        found = list(sentences(f"templates/{locale}/{where}", text, measure))
        each += found
        if prose:
            pool += found
    for where, text in shown(locale):
        each += sentences(f"templates/{locale} {where}", text, measure)
    return pool, each


@pytest.fixture(scope="module", params=LOCALES)
def measured(request: pytest.FixtureRequest) -> tuple[str, Measure, list[Sentence], list[Sentence]]:
    locale = str(request.param)
    measure = measure_for(locale)
    pool, each = all_sentences(locale, measure)
    return locale, measure, pool, each


def test_pooled_grade_is_six_or_below(measured: tuple[str, Measure, list[Sentence], list[Sentence]]) -> None:
    locale, measure, pool, _ = measured
    assert len(pool) > 300, f"{locale}: too little text found ({len(pool)} sentences): is the reader broken?"
    grade = pooled_grade(pool, measure)
    assert grade <= POOLED_LIMIT, (
        f"templates/{locale}: the pooled {measure.formula} grade is {grade:.2f}, above {POOLED_LIMIT}. "
        "Make the longest sentences shorter and use shorter words."
    )


def test_no_sentence_above_grade_ten(measured: tuple[str, Measure, list[Sentence], list[Sentence]]) -> None:
    _, measure, _, each = measured
    seen: set[str] = set()
    problems = []
    for sentence in each:
        problem = sentence_problem(sentence, measure, SENTENCE_LIMIT)
        if problem and sentence.text not in seen:
            seen.add(sentence.text)
            problems.append(f"{sentence.where}: {problem}:\n    {sentence.text}")
    assert not problems, (
        f"{len(problems)} sentences read above grade {SENTENCE_LIMIT:g} ({measure.formula}). "
        "Split them or use plainer words:\n" + "\n".join(problems)
    )


def test_locales_are_found() -> None:
    """The check runs on every language folder there is; English is always one."""
    assert "en" in LOCALES
    assert all(Path(TEMPLATES_ROOT / locale / "strings.toml").is_file() for locale in LOCALES)


# --- the measure itself: it must be able to fail ----------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "count"),
    [
        *[
            ("make", 1),
            ("table", 2),
            ("asked", 1),
            ("wanted", 2),
            ("notes", 1),
            ("places", 2),
            ("records", 2),
        ],
        *[("appointment", 3), ("pathology", 4), ("immunotherapy", 6)],
    ],
)
def test_english_syllables(word: str, count: int) -> None:
    assert measure_for("en").syllables(word) == count


@pytest.mark.parametrize(
    ("word", "count"),
    [
        *[
            ("ciudad", 2),
            ("aire", 2),
            ("día", 2),
            ("leer", 2),
            ("poeta", 3),
            ("buey", 1),
            ("hoy", 1),
            ("que", 1),
        ],
        *[("patología", 5), ("radiación", 3), ("opinión", 3), ("médico", 3)],
    ],
)
def test_spanish_syllables_keep_diphthongs_and_split_hiatus(word: str, count: int) -> None:
    assert measure_for("es").syllables(word) == count


def test_links_phones_commands_and_tags_are_not_read_as_words() -> None:
    text = "Call 1-800-4-CANCER now! See https://x.org/a. <b>Status:</b> Asked for\nHi Dr. Lopez. Send /menu."
    found = [s.text for s in sentences("x", text, measure_for("en"))]
    assert found == ["Call now!", "See .", "Status", "Asked for", "Hi Dr. Lopez.", "Send ."]


def test_a_long_hard_sentence_fails_and_a_plain_one_passes() -> None:
    en = measure_for("en")
    (hard,) = sentences(
        "x",
        "Consultation with multidisciplinary specialists facilitates individualized treatment "
        "recommendations regarding therapeutic alternatives.",
        en,
    )
    (plain,) = sentences("x", "Ask the new doctor to send a note to your first doctor after the visit.", en)
    assert sentence_problem(hard, en, SENTENCE_LIMIT) and sentence_problem(plain, en, SENTENCE_LIMIT) is None
    (label,) = sentences("x", "Multidisciplinary consultation", en)
    assert sentence_problem(label, en, SENTENCE_LIMIT)  # short, but two hard words
    (items,) = sentences(
        "x", "Pathology report, Biopsy results, Lab work, Staging information, Referral letter.", en
    )
    assert sentence_problem(items, en, SENTENCE_LIMIT) is None  # a list, read item by item
    assert pooled_grade([hard], en) > POOLED_LIMIT > pooled_grade([plain], en)


def test_crawford_grade_of_plain_spanish_is_low() -> None:
    es = measure_for("es")
    plain = list(sentences("x", "Pida una copia de sus análisis. Llame al consultorio si no llegan.", es))
    assert pooled_grade(plain, es) < POOLED_LIMIT
