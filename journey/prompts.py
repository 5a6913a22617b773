"""Typed answers: what the bot is waiting for, what an answer changes, and what it asks next.

A prompt is kept on the member inside the case, so the answer and the next question are saved in the
same write. Some prompts come in a chain (a doctor's name, then the place, then a phone or link...);
every link after the first can be skipped.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from journey import (
    appointments,
    cases,
    deadline,
    insurance,
    outcome,
    questions,
    records,
    settings,
    specialist,
    visit_mode,
)
from journey.access import Right, require, require_editor, require_member
from journey.errors import Gone, JourneyError, RepeatedAnswer
from journey.lists import existing
from journey.models import Attachment, Case, LastAnswer, Member, Prompt, PromptKind, RecordKind
from journey.targets import SETTINGS, DetailTarget, VisitTarget
from journey.text import SHORT, line
from journey.when import read_when
from journey.zones import find_zone, zone_at

K = PromptKind

# What comes after each prompt; prompts not listed end their chain.
# The same words again within this time, as the answer to the question that followed them, are a retyped
# copy (the reply to the first was lost), not a new answer.
REPEAT = timedelta(minutes=10)

NEXT: dict[PromptKind, PromptKind] = {
    K.PATIENT_NAME: K.DIAGNOSIS,
    K.CANDIDATE_NAME: K.CANDIDATE_INSTITUTION,
    K.CANDIDATE_INSTITUTION: K.CANDIDATE_CONTACT,
    K.CANDIDATE_CONTACT: K.CANDIDATE_NOTES,
    K.CALL_WHO: K.CALL_REFERENCE,
    K.CALL_REFERENCE: K.CALL_NOTES,
}

# Prompts that cannot be skipped: without the answer there is nothing to save (Cancel still works).
REQUIRED = frozenset(
    {
        K.CANDIDATE_NAME,
        K.OWN_QUESTION,
        K.RECORD_FILE,
        K.APPOINTMENT_TIME,
        K.APPOINTMENT_DETAIL,
        K.ZONE,
        K.VISIT_NOTE,
        K.VISIT_ANSWER,
        K.VISIT_ADVICE,
        K.FIRST_PLAN,
    }
)


class ExpectedFile(JourneyError):
    key = "errors/expected_file"


class NothingPending(JourneyError):
    key = "errors/nothing_pending"


class QuestionGone(Gone):
    """What the question was about is gone (removed by someone else meanwhile): the question ends."""

    key = "errors/question_gone"


class AskedElsewhere(JourneyError):
    """The question waiting for this person was asked in another chat: only an answer there counts."""

    key = "errors/asked_elsewhere"


@dataclass(frozen=True)
class Where:
    """Where a question is asked or an answer comes from.

    `message_id`: the message it came with (a button's message, or the typed answer), after which the
    next question is shown. `reply_to`: in a group, the bot's own message this answer replies to."""

    chat_id: int
    message_id: int | None = None
    reply_to: int | None = None


def answers_here(prompt: Prompt, user_id: int, where: Where | None) -> bool:
    """Does a message from `where` answer this question? Only in the chat that asked it; in a group,
    only as a reply to a message the bot sent after the question was set (a private chat's id is the
    person's own id; a group's is another)."""
    if prompt.chat_id is None or where is None:
        return True  # asked before questions knew their chat, or the bot itself acts
    if where.chat_id != prompt.chat_id:
        return False
    if where.chat_id == user_id:
        return True
    return where.reply_to is not None and (prompt.after is None or where.reply_to > prompt.after)


@dataclass(frozen=True)
class PromptStep:
    """The prompt just answered (or skipped) and the one now waiting, if any.

    `proposed` is set when the answer is a time to confirm: nothing is saved until the user says yes.
    `answered.held` carries the words the question held (see `ask`), to be read now that it is answered.
    """

    answered: Prompt
    next: Prompt | None
    proposed: datetime | None = None


# The one question about the member alone (their own time zone, from /settings): viewers may answer it.
OWN_SETTINGS = SETTINGS  # the zone question asked from /settings (journey/targets.py)


def _asked(case: Case, user_id: int, kind: PromptKind, target: str | None) -> Member:
    """The member, if they may answer this question: an editor, or anyone for their own settings."""
    if kind is K.ZONE and target == OWN_SETTINGS:
        return require_member(case, user_id)
    return require_editor(case, user_id)


def ask(
    case: Case,
    user_id: int,
    kind: PromptKind,
    target: str | None = None,
    where: Where | None = None,
    held: str | None = None,
) -> Prompt:
    """Wait for this person's answer to a question, in the chat it is asked in (`where`). A question
    that would add to a full list is refused before it is asked, so nobody types a long answer only to
    hear there is no room. `held`: words typed with the command, kept with the question until it is
    answered (a visit's time typed before the time zone was known), one line of at most SHORT."""
    member = _asked(case, user_id, kind, target)
    _check_room(case, kind, target)
    kept = line(held, SHORT) if held is not None else None
    prompt = Prompt(kind, target, *_place(where), held=kept)
    member.prompt = prompt
    return prompt


def _place(where: Where | None) -> tuple[int | None, int | None]:
    return (where.chat_id, where.message_id) if where is not None else (None, None)


def _check_room(case: Case, kind: PromptKind, target: str | None) -> None:
    if kind is K.CANDIDATE_NAME:
        specialist.check_room(case)
    elif kind is K.OWN_QUESTION:
        questions.check_room(case)
    elif kind is K.CALL_WHO and target is None:  # the first question of a new call
        insurance.check_room(case)
    elif kind is K.RECORD_FILE and target in set(RecordKind):
        records.check_room(case, RecordKind(target))


def pending(case: Case, user_id: int) -> Prompt | None:
    return require_member(case, user_id).prompt


def leave(case: Case, user_id: int) -> bool:
    """Forget what we were waiting for, any file not yet placed, any text set aside and any typed text
    offered a place (the user went elsewhere).

    Returns True if there was something to forget (so the case needs saving).
    """
    member = require_member(case, user_id)
    kept = (member.prompt, member.pending_file, member.aside, member.offer)
    had = any(thing is not None for thing in kept)
    member.prompt, member.pending_file, member.aside, member.offer = None, None, None, None
    return had


def answer(
    case: Case,
    user_id: int,
    text: str,
    new_id: str,
    now: datetime,
    today: date,
    where: Where | None = None,
    *,
    locale: str = "en",
) -> PromptStep:
    """Apply typed text to the pending prompt. On bad text, raises and changes nothing.
    `locale` is the language typed dates and times are read in (journey/when.py)."""
    prompt = _pending_here(case, user_id, where)
    member = _asked(case, user_id, prompt.kind, prompt.target)  # still allowed? (the role may have changed)
    digest = _digest(text)
    last = member.last_answer
    if last is not None and (last.digest, last.next_kind) == (digest, prompt.kind) and now - last.at < REPEAT:
        raise RepeatedAnswer()
    step = _apply(case, user_id, prompt, text, new_id, now, today, where, locale)
    member.aside = appointments.aside_from(prompt, text)  # the rest of a pasted invitation, to offer
    follows = step.next is not None and step.next is not prompt
    member.last_answer = LastAnswer(digest, step.next.kind, now) if follows and step.next else None
    return step


def _apply(
    case: Case,
    user_id: int,
    prompt: Prompt,
    text: str,
    new_id: str,
    now: datetime,
    today: date,
    where: Where | None,
    locale: str,
) -> PromptStep:
    if prompt.kind is K.RECORD_FILE:
        raise ExpectedFile()
    if prompt.kind is K.APPOINTMENT_TIME:
        # Read, don't save: the user confirms the time in words first. The question stays open.
        reading = read_when(text, now, appointment_zone(case, user_id, prompt.target), locale=locale)
        return PromptStep(answered=prompt, next=prompt, proposed=reading.starts_at)
    if prompt.kind is K.DECIDE_BY:  # a day, read in the reader's language (the table's entry reads English)
        deadline.set_decide_by(case, deadline.read_decide_by(text, today, locale=locale))
        return _advance(case, user_id, prompt, None, where)
    if prompt.kind is K.ZONE:
        set_zone_for(case, user_id, find_zone(text), prompt.target)
        return _advance(case, user_id, prompt, prompt.target, where)
    target = _APPLY[prompt.kind](case, prompt.target, text, new_id, today)
    return _advance(case, user_id, prompt, target, where)


def _digest(text: str) -> str:
    return hashlib.blake2s(" ".join(text.casefold().split()).encode(), digest_size=8).hexdigest()


def appointment_zone(case: Case, user_id: int, target: str | None) -> str:
    """The zone a typed time is read in: the visit's own zone, or the member's zone for a new visit."""
    if target is not None and (visit := existing(case.appointments, target)) is not None:
        return visit.zone
    return require_member(case, user_id).settings.zone or "UTC"


def skip(case: Case, user_id: int, new_id: str, today: date, where: Where | None = None) -> PromptStep:
    """Move past an optional prompt without an answer (a tap, so in the chat that asked it is enough)."""
    prompt = _pending_in_chat(case, user_id, where)
    if prompt.kind in REQUIRED:
        raise Gone()
    target = prompt.target
    if prompt.kind is K.CALL_WHO:  # the call exists once the user goes past its first question
        target = insurance.start_call(case, new_id, today).id
    return _advance(case, user_id, prompt, target, where)


def receive_file(
    case: Case, user_id: int, attachment: Attachment, where: Where | None = None
) -> RecordKind | None:
    """A photo or PDF arrived. Attach it if we asked for one here; else hold it until the user says
    where (a question asked in another chat stays open there)."""
    member = require_editor(case, user_id)
    prompt = member.prompt
    here = prompt is not None and answers_here(prompt, user_id, where)
    if prompt is not None and here and prompt.kind is K.RECORD_FILE and still_asks(case, prompt):
        kind = RecordKind(prompt.target or "")
        records.attach(case, kind, attachment)
        member.prompt = None
        return kind
    if here:
        member.prompt = None
    member.pending_file = attachment
    return None


def answer_voice(case: Case, user_id: int, file_id: str, where: Where | None = None) -> PromptStep:
    """A voice note answers only a question asked at a visit (visit mode), in the chat that asked it; it
    is kept by Telegram's file_id. Anywhere else it is not asked for (NothingPending) and changes nothing."""
    prompt = _pending_here(case, user_id, where)
    if prompt.kind is not K.VISIT_ANSWER:
        raise NothingPending()
    _asked(case, user_id, prompt.kind, prompt.target)
    wanted = visit_mode.AnswerTarget.read(prompt.target)
    visit_mode.set_voice(case, wanted.visit_id, wanted.question_id, file_id)
    return _advance(case, user_id, prompt, prompt.target, where)


def attach_pending(case: Case, user_id: int, kind: RecordKind) -> None:
    member = require_editor(case, user_id)
    if member.pending_file is None:
        raise NothingPending()
    records.attach(case, kind, member.pending_file)
    member.pending_file = None


def _pending_or_raise(case: Case, user_id: int) -> Prompt:
    prompt = pending(case, user_id)
    if prompt is None:
        raise NothingPending()
    if not still_asks(case, prompt):
        raise QuestionGone()
    return prompt


def still_asks(case: Case, prompt: Prompt) -> bool:
    """Is the thing this question is about still there? (Someone else may have removed the doctor, the
    call or the visit while this person was typing; a stored question from a damaged file may name
    nothing.)"""
    target, kind = prompt.target, prompt.kind
    if kind in (K.CANDIDATE_INSTITUTION, K.CANDIDATE_CONTACT, K.CANDIDATE_NOTES):
        return target is not None and existing(case.specialist.candidates, target) is not None
    if kind in (K.RECORD_REQUESTED_FROM, K.RECORD_FILE):
        return target in {kind.value for kind in RecordKind}
    if kind in (K.CALL_REFERENCE, K.CALL_NOTES):
        return target is not None and existing(case.insurance.calls, target) is not None
    if kind is K.VISIT_NOTE:
        return (
            bool(target)
            and existing(case.appointments, visit_mode.NoteTarget.read(target).visit_id) is not None
        )
    if kind in (K.VISIT_ADVICE, K.FIRST_PLAN):
        return target is not None and existing(case.appointments, target) is not None
    if kind is K.VISIT_ANSWER:
        return visit_mode.still_there(case, target)
    if kind is K.APPOINTMENT_DETAIL:
        visit_id, dot, detail = (target or "").partition(".")
        return (
            bool(dot) and detail in appointments.DETAILS and existing(case.appointments, visit_id) is not None
        )
    if kind is K.ZONE and target == OWN_SETTINGS:
        return True
    if kind in (K.ZONE, K.APPOINTMENT_TIME):
        return target is not None and _visit_target_exists(case, target)
    return True


def _visit_target_exists(case: Case, text: str) -> bool:
    visit = VisitTarget.read(text)
    if visit.text() != text:
        return False  # not a form this bot writes
    if visit.visit_id is not None:
        return existing(case.appointments, visit.visit_id) is not None
    return visit.doctor_id is None or existing(case.specialist.candidates, visit.doctor_id) is not None


def _pending_here(case: Case, user_id: int, where: Where | None) -> Prompt:
    prompt = _pending_or_raise(case, user_id)
    if not answers_here(prompt, user_id, where):
        raise AskedElsewhere()
    return prompt


def _pending_in_chat(case: Case, user_id: int, where: Where | None) -> Prompt:
    """For a button under the question: the chat must be the one that asked (no reply needed)."""
    prompt = _pending_or_raise(case, user_id)
    if where is not None and prompt.chat_id is not None and where.chat_id != prompt.chat_id:
        raise AskedElsewhere()
    return prompt


def _advance(
    case: Case, user_id: int, prompt: Prompt, target: str | None, where: Where | None = None
) -> PromptStep:
    """The next question of the chain, in the same chat, after the message that answered this one."""
    member = _asked(case, user_id, prompt.kind, prompt.target)
    following = NEXT.get(prompt.kind)
    after = where.message_id if where is not None else prompt.after
    member.prompt = Prompt(following, target, prompt.chat_id, after) if following else None
    answered = Prompt(prompt.kind, target, prompt.chat_id, held=prompt.held)
    return PromptStep(answered=answered, next=member.prompt)


# Each applier takes (case, target, text, new_id, today) and returns the target for the next prompt.
Applier = Callable[[Case, str | None, str, str, date], str | None]


def _need(target: str | None) -> str:
    if target is None:
        raise Gone()
    return target


def _patient_name(case: Case, target: str | None, text: str, new_id: str, today: date) -> None:
    cases.set_patient_name(case, text)


def _diagnosis(case: Case, target: str | None, text: str, new_id: str, today: date) -> None:
    cases.set_diagnosis(case, text)


def _candidate_name(case: Case, target: str | None, text: str, new_id: str, today: date) -> str:
    return specialist.add_candidate(case, new_id, text).id


def _candidate_institution(case: Case, target: str | None, text: str, new_id: str, today: date) -> str:
    specialist.set_institution(case, _need(target), text)
    return _need(target)


def _candidate_contact(case: Case, target: str | None, text: str, new_id: str, today: date) -> str:
    specialist.set_contact(case, _need(target), text)
    return _need(target)


def _candidate_notes(case: Case, target: str | None, text: str, new_id: str, today: date) -> str:
    specialist.set_notes(case, _need(target), text)
    return _need(target)


def _requested_from(case: Case, target: str | None, text: str, new_id: str, today: date) -> str:
    records.set_requested_from(case, RecordKind(_need(target)), text)
    return _need(target)


def _call_who(case: Case, target: str | None, text: str, new_id: str, today: date) -> str:
    return insurance.start_call(case, new_id, today, who=text).id


def _call_reference(case: Case, target: str | None, text: str, new_id: str, today: date) -> str:
    insurance.set_call_reference(case, _need(target), text)
    return _need(target)


def _call_notes(case: Case, target: str | None, text: str, new_id: str, today: date) -> str:
    insurance.set_call_notes(case, _need(target), text)
    return _need(target)


def _expected_cost(case: Case, target: str | None, text: str, new_id: str, today: date) -> None:
    insurance.set_expected_cost(case, text)


def _own_question(case: Case, target: str | None, text: str, new_id: str, today: date) -> str:
    return questions.add_own_question(case, new_id, text).id


def _appointment_detail(case: Case, target: str | None, text: str, new_id: str, today: date) -> str:
    wanted = DetailTarget.read(target)
    if wanted.detail not in appointments.DETAILS:
        raise Gone()
    appointments.set_detail(case, wanted.visit_id, wanted.detail, text)
    return wanted.visit_id


def _visit_note(case: Case, target: str | None, text: str, new_id: str, today: date) -> str:
    appointments.set_visit_note(case, visit_mode.NoteTarget.read(target).visit_id, text)
    return _need(target)


def _visit_answer(case: Case, target: str | None, text: str, new_id: str, today: date) -> str:
    wanted = visit_mode.AnswerTarget.read(target)
    visit_mode.set_answer(case, wanted.visit_id, wanted.question_id, text)
    return wanted.text()


def _decide_by(case: Case, target: str | None, text: str, new_id: str, today: date) -> None:
    deadline.set_decide_by(case, deadline.read_decide_by(text, today))
    return None


def _visit_advice(case: Case, target: str | None, text: str, new_id: str, today: date) -> str:
    outcome.set_advice(case, _need(target), text)
    return _need(target)


def _first_plan(case: Case, target: str | None, text: str, new_id: str, today: date) -> str:
    outcome.set_first_plan(case, text)
    return _need(target)


_APPLY: dict[PromptKind, Applier] = {
    K.PATIENT_NAME: _patient_name,
    K.DIAGNOSIS: _diagnosis,
    K.CANDIDATE_NAME: _candidate_name,
    K.CANDIDATE_INSTITUTION: _candidate_institution,
    K.CANDIDATE_CONTACT: _candidate_contact,
    K.CANDIDATE_NOTES: _candidate_notes,
    K.RECORD_REQUESTED_FROM: _requested_from,
    K.CALL_WHO: _call_who,
    K.CALL_REFERENCE: _call_reference,
    K.CALL_NOTES: _call_notes,
    K.EXPECTED_COST: _expected_cost,
    K.OWN_QUESTION: _own_question,
    K.APPOINTMENT_DETAIL: _appointment_detail,
    K.VISIT_NOTE: _visit_note,
    K.VISIT_ANSWER: _visit_answer,
    K.DECIDE_BY: _decide_by,
    K.VISIT_ADVICE: _visit_advice,
    K.FIRST_PLAN: _first_plan,
}


def answer_location(
    case: Case, user_id: int, latitude: float, longitude: float, where: Where | None = None
) -> PromptStep:
    """A shared location answers the time zone question (and is used for nothing else, nor kept)."""
    prompt = _pending_here(case, user_id, where)
    if prompt.kind is not K.ZONE:
        raise NothingPending()
    _asked(case, user_id, prompt.kind, prompt.target)
    set_zone_for(case, user_id, zone_at(latitude, longitude), prompt.target)
    return _advance(case, user_id, prompt, prompt.target, where)


def answer_zone(case: Case, user_id: int, zone: str, target: str, where: Where | None = None) -> PromptStep:
    """A zone picked by tap: only as the answer to the zone question this person was asked, for the
    same thing (a zone button from an older question, or one shown to someone else, changes nothing)."""
    prompt = _pending_in_chat(case, user_id, where)
    if prompt.kind is not K.ZONE or prompt.target != target:
        raise Gone()
    _asked(case, user_id, prompt.kind, prompt.target)
    set_zone_for(case, user_id, zone, target)
    return _advance(case, user_id, prompt, target, where)


def set_zone_for(case: Case, user_id: int, zone: str, target: str | None) -> None:
    """`target` is an appointment id (move that visit: an editor's change, for everyone) or anything
    else (the member's own zone)."""
    if target is not None and existing(case.appointments, target) is not None:
        require(case, user_id, Right.EDIT)
        appointments.move_to_zone(case, target, zone)
    else:
        require(case, user_id, Right.OWN)
        settings.set_zone(case, user_id, zone)
