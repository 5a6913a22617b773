"""Reading level of the bot's words, measured the way tests/unit/test_reading_level.py checks them.

Nothing here is a dependency: the formulas are short and the syllable counts are heuristics, good to about
one syllable in ten words, which is what a grade check needs (a real reader, not a formula, is the judge).

What is measured, and how:
- **Text.** HTML tags go, entities are read (`&amp;` is "&"). Web links, e-mail addresses, phone numbers
  ("1-800-4-CANCER", "988", "+1 555 010 2030"), /commands, @names, Jinja placeholders and emoji are dropped:
  they are not words anyone reads as prose. A token with no letter (a date, a count) is not a word.
  A hyphenated word ("records-only") counts as its parts.
- **Sentences.** A sentence ends at ".", "!", "?" or "…" followed by a space or the end, and at a line break
  (a line with no end mark is a heading, a bullet or a button: a sentence of its own). "Dr.", "e.g.", "i.e.",
  "etc.", "vs.", "St.", "a.m." and "p.m." do not end one. A colon ends one only before a capital letter
  (a heading and its text, "Medical oncologist: A cancer doctor …"); "Bring: your records" goes on.
- **Grades.** English: Flesch-Kincaid, 0.39 · words/sentences + 11.8 · syllables/words - 15.59.
  Spanish: Crawford, -0.205 · OP + 0.049 · SP - 3.407, with OP sentences and SP syllables per 100 words.
  Another locale falls back to Flesch-Kincaid with the English counter (and should get its own formula).
- **One sentence.** The formula works on one sentence too, but for a short one a single long word swings it
  (`"Pathology report."` scores grade 20, a 9-word sentence with "oncologist" in it grade 10). So a sentence
  of fewer than `SHORT_WORDS` words is checked by its words only: it fails when it holds more than one hard
  word (`HARD_SYLLABLES` syllables or more in English, one more in Spanish); a word the bot explains to the reader where it first uses it
  (`EXPLAINED`: "oncologist", "pathology", "radiation") is not a hard word there. A list (three or more commas, no part longer than
  `LIST_PART_WORDS` words: "Pathology report, Biopsy results, Lab work, …") is read item by item, each item
  like a short sentence. Any other sentence is checked by the formula.
- **Syllables, English.** Groups of vowels (a e i o u y) in the word, less a silent final "e" (but "-le"
  after a consonant, as in "table", is a syllable), less a silent "-ed" (but "-ted"/"-ded" is one), less a
  silent "-es" after most consonants; at least one. A few common words the rule gets wrong are listed.
- **Syllables, Spanish.** Each group of vowels (a e i o u, with accents and ü; "y" at the end of a word or
  before a consonant) is one syllable, unless it holds two or more strong vowels (a e o, or an accented í ú,
  which breaks a diphthong): then each strong vowel is its own syllable (hiatus: "le-er", "dí-a", "po-e-ta";
  diphthong: "ciu-dad", "ai-re", "cuen-ta").
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

SHORT_WORDS = 10  # sentences with fewer words are checked word by word, not by the formula
# Terms the bot explains where it first uses them (the issue asks to explain jargon once, not to avoid it).
# In a short sentence or a label they are not hard words; the formula still counts all their syllables.
EXPLAINED = frozenset(
    {"oncologist", "oncologists", "pathologist", "pathologists", "pathology", "radiation"}
    | {"oncólogo", "oncóloga", "oncólogos", "patólogo", "patóloga", "patología", "radiación"}
)
LIST_PART_WORDS = 5  # a sentence of short parts between commas is a list, read item by item
HARD_SYLLABLES = 4  # a word of this many syllables or more is a hard word

_ABBREVIATIONS = ("Dr.", "Mr.", "Mrs.", "Ms.", "St.", "e.g.", "i.e.", "etc.", "vs.", "a.m.", "p.m.", "U.S.")
_URL = re.compile(r"(?:(?:https?://|www\.|t\.me/)\S+?|\S+@\S+\.\S+?)(?=[.,;:!?)\"”]*(?:\s|$))")
_PHONE = re.compile(r"\b1-800-[\w-]+|\+?\d[\d\s().-]*\d")
_COMMAND = re.compile(r"(?<![\w/])[/@][A-Za-z_]\w*")
_TAG = re.compile(r"<[^>]*>")
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")  # letters, with one apostrophe inside ("don't", "it's")
_QUOTES = "\"'\u201c\u201d\u2019"  # straight and curly quotes
_END = re.compile(rf"(?<=[.!?…])[{_QUOTES})]*\s+|\n+|\s*:\s+(?=[A-Z])")


@dataclass(frozen=True)
class Sentence:
    where: str  # the file or key it comes from
    text: str  # as written (tags and links gone), for the failure message
    words: tuple[str, ...]
    syllables: tuple[int, ...]


def clean(text: str) -> str:
    """Prose only: no tags, entities read, no links, phones, commands or emoji."""
    text = html.unescape(_TAG.sub(" ", text))
    text = _URL.sub(" ", text)
    text = _COMMAND.sub(" ", text)
    text = _PHONE.sub(" ", text)
    # Emoji and other symbols: keep letters, digits, punctuation and spaces of any script.
    return "".join(
        ch if ch.isalnum() or ch.isspace() or ch in f".,;:!?…(){_QUOTES}/%&-\u2013\u2014" else " "
        for ch in text
    )


def split_sentences(text: str) -> list[str]:
    protected = text
    for n, abbr in enumerate(_ABBREVIATIONS):
        protected = re.sub(rf"(?<!\w){re.escape(abbr)}", f"\x00{n}\x00", protected, flags=re.IGNORECASE)
    parts = _END.split(protected)
    out = []
    for part in parts:
        for n, abbr in enumerate(_ABBREVIATIONS):
            part = part.replace(f"\x00{n}\x00", abbr)
        part = " ".join(part.split())
        if part:
            out.append(part)
    return out


def words_of(sentence: str) -> list[str]:
    return [
        w for chunk in sentence.replace("\u2019", "'").split() for w in _WORD.findall(chunk.replace("-", " "))
    ]


# --- syllables ------------------------------------------------------------------------------------------

_EN_EXCEPTIONS = {
    "area": 3,
    "being": 2,
    "business": 2,
    "create": 2,
    "every": 2,
    "everyone": 3,
    "everything": 3,
    "idea": 3,
    "ideas": 3,
    "people": 2,
    "science": 2,
    "someone": 2,
    "something": 2,
    "sometimes": 2,
    "somewhere": 2,
    "anyone": 3,
    "whole": 1,
    "where": 1,
    "there": 1,
    "here": 1,
    "were": 1,
    "the": 1,
    "use": 1,
    "used": 1,
    "uses": 2,
    "radiation": 4,
    "diagnosis": 4,
    "video": 3,
    "via": 2,
    "biopsy": 3,
    "biopsies": 3,
    "oncologist": 4,
    "oncologists": 4,
    "medicine": 3,
    "medicines": 3,
    "insurance": 3,
    "insurer": 3,
    "question": 2,
    "questions": 2,
    "patient": 2,
    "patients": 2,
    "social": 2,
    "special": 2,
    "specialist": 3,
    "specialists": 3,
    "official": 3,
}


def syllables_en(word: str) -> int:
    w = word.lower().strip("'")
    if w in _EN_EXCEPTIONS:
        return _EN_EXCEPTIONS[w]
    if w.endswith("'s"):
        w = w[:-2]
    w = w.replace("'", "")
    if not w:
        return 1
    groups = re.findall(r"[aeiouy]+", w)
    count = len(groups)
    if len(w) > 2 and w.endswith("e") and not w.endswith(("le", "ee", "ye", "ie")) and w[-2] not in "aeiouy":
        count -= 1  # silent e: "make", "note"
    elif len(w) > 3 and w.endswith("le") and w[-3] in "aeiouy":
        count -= 1  # "scale", "while": the e is silent
    if len(w) > 3 and w.endswith("ed") and w[-3] not in "td" and w[-3] not in "aeiouy":
        count -= 1  # "asked", "booked"; but "wanted", "needed"
    if len(w) > 3 and w.endswith("es") and w[-3] not in "aeiouysxzgc" and not w.endswith(("ches", "shes")):
        count -= 1  # "notes", "types"; but "boxes", "pages", "places"
    return max(1, count)


_ES_VOWELS = "aeiouáéíóúü"
_ES_STRONG = "aeoáéóíú"  # an accented í or ú breaks a diphthong, like a strong vowel


def syllables_es(word: str) -> int:
    w = word.lower()
    # "y" is a vowel at the end of a word or before a consonant ("hoy", "muy", "y"), else a consonant ("yo").
    letters = "".join(
        "i" if ch == "y" and (i == len(w) - 1 or w[i + 1] not in _ES_VOWELS) else ch for i, ch in enumerate(w)
    )
    count = 0
    for group in re.findall(f"[{_ES_VOWELS}]+", letters):
        count += max(1, sum(ch in _ES_STRONG for ch in group))
    return max(1, count)


# --- grades ---------------------------------------------------------------------------------------------


def flesch_kincaid(words: int, sentences: int, syllables: int) -> float:
    return 0.39 * words / sentences + 11.8 * syllables / words - 15.59


def crawford(words: int, sentences: int, syllables: int) -> float:
    return -0.205 * (100 * sentences / words) + 0.049 * (100 * syllables / words) - 3.407


@dataclass(frozen=True)
class Measure:
    syllables: Callable[[str], int]
    grade: Callable[[int, int, int], float]
    formula: str
    # A hard word has this many syllables or more. Spanish words carry about a third more syllables than
    # English ones for the same ease ("todavía", "necesita" and "laboratorio" are everyday words), so
    # a Spanish word is hard from five syllables, an English one from four.
    hard_syllables: int = HARD_SYLLABLES


MEASURES = {
    "en": Measure(syllables_en, flesch_kincaid, "Flesch-Kincaid"),
    "es": Measure(syllables_es, crawford, "Crawford", hard_syllables=HARD_SYLLABLES + 1),
}


def measure_for(locale: str) -> Measure:
    return MEASURES.get(locale, MEASURES["en"])


def sentences(where: str, text: str, measure: Measure) -> Iterator[Sentence]:
    for raw in split_sentences(clean(text)):
        words = tuple(words_of(raw))
        if words:
            yield Sentence(where, raw, words, tuple(measure.syllables(w) for w in words))


def pooled_grade(all_sentences: list[Sentence], measure: Measure) -> float:
    words = sum(len(s.words) for s in all_sentences)
    syllables = sum(sum(s.syllables) for s in all_sentences)
    return measure.grade(words, len(all_sentences), syllables)


def sentence_problem(sentence: Sentence, measure: Measure, limit: float) -> str | None:
    """Why this one sentence is too hard to read, or None."""
    parts = [len(words_of(part)) for part in sentence.text.split(",")]
    if len(parts) >= 4 and max(parts) <= LIST_PART_WORDS:
        return _hard_words(sentence, parts, measure.hard_syllables)
    if len(sentence.words) < SHORT_WORDS:
        return _hard_words(sentence, [len(sentence.words)], measure.hard_syllables)
    grade = measure.grade(len(sentence.words), 1, sum(sentence.syllables))
    return f"grade {grade:.1f} ({len(sentence.words)} words)" if grade > limit else None


def _hard_words(sentence: Sentence, parts: list[int], hard_syllables: int) -> str | None:
    """More than one hard word in any of the parts (a short sentence is one part, a list has its items)."""
    start = 0
    for size in parts:
        pairs = zip(
            sentence.words[start : start + size], sentence.syllables[start : start + size], strict=True
        )
        hard = [word for word, n in pairs if n >= hard_syllables and word.lower() not in EXPLAINED]
        if len(hard) > 1:
            return f"{len(hard)} hard words in a short sentence or list item: {', '.join(hard)}"
        start += size
    return None
