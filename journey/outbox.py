"""Letters: news to other members, kept in the plan until sent.

A letter is written in the same save as the change that caused it, so a crash cannot lose it. It is sent
at most once: marked SENDING in a save before the send, removed after it. A letter found SENDING after a
restart, or whose send timed out, may have arrived, so it is dropped, not repeated (a repeated "Dana has
the pathology report now." confuses more than a missing one, and the plan's own screens show the truth).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from journey.models import Case, Letter, LetterStatus

MAX_ATTEMPTS = 5
FIRST_PAUSE = timedelta(seconds=5)


def post(case: Case, letters: list[Letter]) -> None:
    case.outbox.extend(letters)


def next_letter(case: Case, now: datetime) -> Letter | None:
    """The oldest letter, if it is due (news keeps the order it was written in). None while the oldest is
    being sent: the next one waits for it, whichever worker sends it."""
    for letter in case.outbox:
        if letter.status is LetterStatus.SENDING:
            return None
        if letter.status is LetterStatus.PENDING:
            return letter if (letter.due_at or letter.created_at) <= now else None
    return None


def find(case: Case, letter_id: str) -> Letter | None:
    return next((letter for letter in case.outbox if letter.id == letter_id), None)


def mark_sending(letter: Letter, now: datetime) -> None:
    letter.status, letter.sending_at = LetterStatus.SENDING, now
    letter.attempts += 1


def done(case: Case, letter_id: str) -> None:
    """Sent, given up on, or maybe sent: the letter leaves the plan either way."""
    case.outbox = [letter for letter in case.outbox if letter.id != letter_id]


def retry_later(case: Case, letter: Letter, now: datetime) -> bool:
    """Certainly not delivered (rate limit, server trouble): try again after a growing pause.
    False when the attempts are used up and the letter is dropped."""
    if letter.attempts >= MAX_ATTEMPTS:
        done(case, letter.id)
        return False
    letter.status = LetterStatus.PENDING
    letter.due_at = now + FIRST_PAUSE * 2 ** (letter.attempts - 1)
    return True


def recover_interrupted(case: Case, claimed_before: datetime | None = None) -> int:
    """A letter left SENDING (after a restart; or claimed before `claimed_before` by a sender that never
    came back) may have gone out. Drop it; return how many."""
    interrupted = [
        letter
        for letter in case.outbox
        if letter.status is LetterStatus.SENDING
        and (claimed_before is None or letter.sending_at is None or letter.sending_at < claimed_before)
    ]
    for letter in interrupted:
        done(case, letter.id)
    return len(interrupted)


def drop_for_chat(case: Case, chat_id: int) -> None:
    """The chat refused the bot: what was waiting for it will never arrive."""
    case.outbox = [letter for letter in case.outbox if letter.chat_id != chat_id]


def move_chat(case: Case, old_id: int, new_id: int) -> None:
    """A group's chat id changed (it became a supergroup): what waits for it goes to the new id."""
    for letter in case.outbox:
        if letter.chat_id == old_id:
            letter.chat_id = new_id


def send_again(letter: Letter) -> None:
    """Refused unsent because its chat moved (see `move_chat`): due again at once, to the new id."""
    letter.status = LetterStatus.PENDING
    letter.due_at = None
