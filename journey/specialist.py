"""Step 1: which specialists, and a short list of doctors with a status each."""

from __future__ import annotations

from journey import limits
from journey.errors import TooManyDoctors
from journey.lists import existing, find, toggled
from journey.models import Candidate, CandidateStatus, Case, SpecialistKind
from journey.text import LONG, SHORT, clean, line

MAX_CANDIDATES = limits.DOCTORS


def toggle_needed(case: Case, kind: SpecialistKind, on: bool | None = None) -> None:
    case.specialist.needed = toggled(case.specialist.needed, kind, on)


def find_candidate(case: Case, candidate_id: str) -> Candidate:
    return find(case.specialist.candidates, candidate_id)


def add_candidate(case: Case, candidate_id: str, name: str) -> Candidate:
    """Add a doctor by name. Adding the same id again (a repeated update) returns the first one."""
    if (same := existing(case.specialist.candidates, candidate_id)) is not None:
        return same
    check_room(case)
    candidate = Candidate(id=candidate_id, name=line(name, SHORT))
    case.specialist.candidates.append(candidate)
    return candidate


def check_room(case: Case) -> None:
    """Refuse another doctor when the short list is full (asked before the name is typed, too)."""
    if len(case.specialist.candidates) >= MAX_CANDIDATES:
        raise TooManyDoctors(limit=MAX_CANDIDATES)


def set_institution(case: Case, candidate_id: str, text: str) -> None:
    find_candidate(case, candidate_id).institution = line(text, SHORT)


def set_contact(case: Case, candidate_id: str, text: str) -> None:
    find_candidate(case, candidate_id).contact = line(text, SHORT)


def set_notes(case: Case, candidate_id: str, text: str) -> None:
    find_candidate(case, candidate_id).notes = clean(text, LONG)


def set_candidate_status(case: Case, candidate_id: str, status: CandidateStatus) -> None:
    find_candidate(case, candidate_id).status = status


def remove_candidate(case: Case, candidate_id: str) -> None:
    case.specialist.candidates.remove(find_candidate(case, candidate_id))


def booked(case: Case) -> list[Candidate]:
    return [c for c in case.specialist.candidates if c.status is CandidateStatus.BOOKED]
