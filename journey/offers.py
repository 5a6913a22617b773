"""Text typed when no question was asked: where it might go, offered to the member, never guessed.

`classify` reads the shape of the words, never their medical meaning:
- a question (it ends with "?", or starts with a question word) may go on the questions for the doctor;
  a question wins over anything else in it ("can we move Friday's 9:30 visit?" is a question);
- a time that reads clearly, by the same reader as /appointment (journey/when.py) in the member's zone,
  may become a visit. A time that reads two ways, or any time while the member has no zone yet, is still
  offered as a visit, but with no time read back: the bot asks what it needs (which day, the zone) first;
- "Dr ...", "Dr. ..." or "Doctor ..." followed by a short name may go on the list of doctors;
- anything else may be saved as a note.
Words of distress ("scared", "can't cope"...) get a kind line first, and nothing is stored for them: alone,
they are not offered as a note (the plan is shared; a feeling is not a task).

`keep` puts the offer on the member until their next tap; `take` hands it back to the tap that accepts it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from journey import appointments, notes, questions, specialist
from journey.access import Right, require
from journey.errors import Gone, JourneyError
from journey.models import Case, Offer, OfferKind
from journey.text import LONG, SHORT, clean, line
from journey.when import Ambiguous, NoSuchTime, read_when

QUESTION_WORDS = frozenset(
    {
        "what",
        "how",
        "why",
        "when",
        "where",
        "who",
        "whom",
        "whose",
        "which",
        "is",
        "are",
        "am",
        "was",
        "were",
        "can",
        "could",
        "should",
        "shall",
        "would",
        "will",
        "do",
        "does",
        "did",
        "may",
        "might",
        "must",
        "has",
        "have",
        "had",
        "isn't",
        "aren't",
        "can't",
        "couldn't",
        "shouldn't",
        "won't",
        "wouldn't",
        "don't",
        "doesn't",
        "didn't",
    }
)
# A first word that is a question word but starts no question here: "Can't cope" is distress, not a question.
_NOT_QUESTIONS = re.compile(r"^(can'?t|cannot)\s+(cope|sleep|stop|do this)\b")

DISTRESS = re.compile(
    r"\b("
    r"scared|afraid|frightened|terrified|fear|fearful|worried sick|"
    r"overwhelmed|can'?t cope|cannot cope|can'?t handle|"
    r"alone|lonely|hopeless|helpless|desperate|"
    r"panic|panicking|anxious|anxiety|"
    r"can'?t take (it|this)|give up|giving up"
    r")\b"
)
# Short words that need no place: a thank-you is not a note.
ACKNOWLEDGEMENTS = frozenset(
    {"ok", "okay", "k", "thanks", "thank you", "thank you!", "thx", "ty", "hi", "hello", "hey", "yes", "no"}
)
_DOCTOR = re.compile(r"^(dr\.?|doctor)\s+(?P<name>.+)$", re.IGNORECASE)
_NAME_WORD = re.compile(r"^[^\W\d_][\w.'\u2019-]*$")
MAX_NAME_WORDS = 3  # after the title: "Dr Ana Maria Lopez"; longer is a sentence, offered as a note


@dataclass(frozen=True)
class Classified:
    """What the text might be. `kind` None: nothing to offer (a feeling alone, a thank-you)."""

    kind: OfferKind | None
    text: str  # the text cleaned, as it would be kept
    distress: bool = False
    starts_at: datetime | None = None  # a visit whose time reads clearly in the member's zone


def classify(text: str, now: datetime, zone: str | None, *, locale: str = "en") -> Classified:
    """Where `text` might go. Raises EmptyText or TooLong (journey/text.py) for text no place can hold.
    `locale` is the language a visit's date and time are read in (journey/when.py)."""
    cleaned = clean(text, LONG)
    folded = " ".join(cleaned.casefold().replace("\u2019", "'").split())
    distress = DISTRESS.search(folded) is not None
    if _is_question(folded):
        return Classified(OfferKind.QUESTION, cleaned, distress)
    visit = _visit(cleaned, now, zone, locale)
    if visit is not None:
        return Classified(OfferKind.VISIT, cleaned, distress, visit[0])
    if doctor_name(cleaned) is not None:
        return Classified(OfferKind.DOCTOR, cleaned, distress)
    if distress or folded.strip(" .!") in ACKNOWLEDGEMENTS or folded in ACKNOWLEDGEMENTS:
        return Classified(None, cleaned, distress)
    return Classified(OfferKind.NOTE, cleaned, distress)


def _is_question(folded: str) -> bool:
    if folded.endswith("?"):
        return True
    if _NOT_QUESTIONS.match(folded):
        return False
    first = folded.split(" ", 1)[0].strip(",.:;!")
    return first in QUESTION_WORDS


def _visit(text: str, now: datetime, zone: str | None, locale: str) -> tuple[datetime | None] | None:
    """(the time read back, or None when the bot must ask first) if the text names a time for a visit."""
    try:
        reading = read_when(text, now, zone or "UTC", locale=locale)
    except (Ambiguous, NoSuchTime):
        return (None,)  # a time, but one the bot asks about: never guessed
    except JourneyError:
        return None  # no day, no time of day, in the past: not a visit to offer
    return (reading.starts_at if zone is not None else None,)


def doctor_name(text: str) -> str | None:
    """The doctor's name as it would go on the list ("Dr. Ana Lopez"), if the text is one; else None."""
    found = _DOCTOR.match(" ".join(text.split()))
    if found is None:
        return None
    words = found.group("name").split()
    if not 1 <= len(words) <= MAX_NAME_WORDS or not all(_NAME_WORD.match(w) for w in words):
        return None
    try:
        return line(text, SHORT)
    except JourneyError:
        return None


def keep(
    case: Case,
    user_id: int,
    found: Classified,
    now: datetime,
    chat_id: int | None,
    message_id: int | None,
) -> Offer:
    """Keep the offer for this member's next tap. Refused (nothing kept) for someone who may not change
    the plan, or when the list it would go on is full: better said now than after the tap."""
    member = require(case, user_id, Right.EDIT)
    if found.kind is None:
        raise Gone()
    _check_room(case, found.kind, now)
    text = found.text
    if found.kind is OfferKind.DOCTOR:
        text = doctor_name(found.text) or text
    member.offer = Offer(found.kind, text, chat_id, message_id, found.starts_at)
    return member.offer


def _check_room(case: Case, kind: OfferKind, now: datetime) -> None:
    if kind is OfferKind.QUESTION:
        questions.check_room(case)
    elif kind is OfferKind.DOCTOR:
        specialist.check_room(case)
    elif kind is OfferKind.NOTE:
        notes.check_room(case)
    else:
        appointments.check_room(case, now)


def offered(case: Case, user_id: int, kind: OfferKind, message_id: int, chat_id: int | None) -> Offer:
    """The offer a button under it names, if it is still open; Gone if the member went elsewhere since, or
    the button is under another offer."""
    member = require(case, user_id, Right.EDIT)
    offer = member.offer
    if offer is None or offer.kind is not kind or offer.message_id != message_id:
        raise Gone()
    if chat_id is not None and offer.chat_id is not None and offer.chat_id != chat_id:
        raise Gone()
    return offer


def take(case: Case, user_id: int, kind: OfferKind, message_id: int, chat_id: int | None) -> Offer:
    """The open offer, taken: it is dropped from the member, to be put where it was offered."""
    offer = offered(case, user_id, kind, message_id, chat_id)
    require(case, user_id, Right.EDIT).offer = None
    return offer


def drop(case: Case, user_id: int) -> None:
    """Forget this member's open offer (they said no, or it was used)."""
    require(case, user_id, Right.LOOK).offer = None
