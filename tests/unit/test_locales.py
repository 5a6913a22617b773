"""Every locale is complete: the same files, keys, content ids and template names as English, and a
Spanish screen shows no English left behind (an untranslated label, a raw enum value)."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta
import pytest

from journey.language import LANGUAGES
from journey.models import Case
from templates import DEFAULT_LOCALE, ROOT, locales
from tests.unit.factories import new_case
from tests.unit.test_screens import SCREENS, WIDE, full_case, turn_for, with_visit

ENGLISH = ROOT / DEFAULT_LOCALE
OTHERS = [locale for locale in locales() if locale != DEFAULT_LOCALE]
WORD_FILES = (".j2", ".txt", ".toml")


def word_files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.suffix in WORD_FILES}


def keys(node: Any, at: str = "") -> Iterator[str]:
    """Every key path of a TOML document; arrays of tables by each table's id (or its place)."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield f"{at}{key}"
            yield from keys(value, f"{at}{key}.")
    elif isinstance(node, list):
        for n, item in enumerate(node):
            name = item.get("id", n) if isinstance(item, dict) else n
            yield from keys(item, f"{at}[{name}].")


def names_used(env: jinja2.Environment, source: str) -> set[str]:
    return jinja2.meta.find_undeclared_variables(env.parse(source))


def test_every_language_a_person_can_choose_has_words() -> None:
    assert set(LANGUAGES) <= set(locales())


@pytest.mark.parametrize("locale", OTHERS)
def test_a_locale_has_exactly_the_files_english_has(locale: str) -> None:
    mine, english = word_files(ROOT / locale), word_files(ENGLISH)
    assert not english - mine, f"missing in {locale}: {sorted(english - mine)}"
    assert not mine - english, f"only in {locale}: {sorted(mine - english)}"


@pytest.mark.parametrize("locale", OTHERS)
def test_strings_and_content_have_the_same_keys_and_ids(locale: str) -> None:
    for name in sorted(p for p in word_files(ENGLISH) if p.endswith(".toml")):
        english = set(keys(tomllib.loads((ENGLISH / name).read_text())))
        mine = set(keys(tomllib.loads((ROOT / locale / name).read_text())))
        assert english == mine, (
            f"{locale}/{name}: missing {sorted(english - mine)}, extra {sorted(mine - english)}"
        )


@pytest.mark.parametrize("locale", OTHERS)
def test_templates_use_the_same_names_as_english(locale: str) -> None:
    """A translated screen may reorder words, never drop or invent what it shows (a name, a date)."""
    env = jinja2.Environment()
    env.filters.update({name: str for name in ("day", "dated", "when", "until", "city")})  # parsed, never run
    differ = []
    for name in sorted(p for p in word_files(ENGLISH) if not p.endswith(".toml")):
        english = names_used(env, (ENGLISH / name).read_text())
        mine = names_used(env, (ROOT / locale / name).read_text())
        if english != mine:
            differ.append((name, sorted(english ^ mine)))
    strings_en = dict(_strings(ENGLISH))
    for key, text in _strings(ROOT / locale):
        if key in strings_en and names_used(env, strings_en[key]) != names_used(env, text):
            differ.append((key, sorted(names_used(env, strings_en[key]) ^ names_used(env, text))))
    assert not differ, differ


def _strings(folder: Path) -> Iterator[tuple[str, str]]:
    def walk(node: Any, at: str) -> Iterator[tuple[str, str]]:
        for key, value in node.items():
            if isinstance(value, dict):
                yield from walk(value, f"{at}{key}/")
            elif isinstance(value, str):
                yield f"{at}{key}", value

    yield from walk(tomllib.loads((folder / "strings.toml").read_text()), "")


# Words that appear in nearly every English sentence and in no Spanish one. A Spanish screen with one of
# them shows English that was never translated (an enum's label, a string missing from a template).
ENGLISH_ONLY = {"the", "your", "you", "and", "with", "tap", "this", "what", "when", "please", "here", "not"}
RAW_VALUE = re.compile(r"\b[a-z]+_[a-z_]+\b")  # an enum's stored value ("in_network") shown as is
# Spanish always contracts "de el" and "a el" ("del", "al"): a sentence built around a name that starts with
# "el" ("el plan de Ana") must not put "de" or "a" before it.
UNCONTRACTED = re.compile(r"\b(?:de|a) el\b")
TAG = re.compile(r"<[^>]+>")


def _foreign_words(text: str) -> set[str]:
    plain = TAG.sub(" ", text).replace(WIDE, " ")
    plain = re.sub(r"https?://\S+|@\w+|/\w+", " ", plain)  # links, the bot's name, commands
    words = {w.lower() for w in re.findall(r"[A-Za-z]+", plain)}
    return (words & ENGLISH_ONLY) | set(RAW_VALUE.findall(plain)) | set(UNCONTRACTED.findall(plain))


@pytest.mark.parametrize("locale", OTHERS)
@pytest.mark.parametrize("make_case", [new_case, full_case], ids=["empty", "full"])
def test_no_screen_shows_english_in_another_language(locale: str, make_case: Callable[[], Case]) -> None:
    found = {}
    for name, build in SCREENS.items():
        case = with_visit(make_case())
        if name.startswith(("candidate", "call script")) and not case.specialist.candidates:
            continue
        if name == "delete note?" and not case.notes:
            continue
        screen = build(turn_for(case, locale))
        shown = [screen.text, *(b.text for row in screen.rows for b in row)]
        foreign = set().union(*(_foreign_words(t) for t in shown))
        if foreign:
            found[name] = sorted(foreign)
    assert not found, found
