"""What a typed question is about, as a typed value instead of a string parsed in several places.

A question's target is stored as text on the member's pending `Prompt` and travels in buttons, so each
kind has one `text()` and one `read()`; nothing else builds or takes such strings apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from journey.errors import Gone

NEW = "new"
THIRD = "third"  # a new visit for a third opinion: its kind is set when it is saved
DOCTOR_PREFIX = "c-"
SETTINGS = "settings"  # the zone question asked from /settings: it leads back there


@dataclass(frozen=True)
class VisitTarget:
    """Which visit a time is for: a new one (maybe with a booked doctor filled in), or one that exists."""

    visit_id: str | None = None  # an existing visit
    doctor_id: str | None = None  # a new visit with this doctor from the short list
    third: bool = False  # a new visit for a third opinion (journey/outcome.py)

    @property
    def is_new(self) -> bool:
        return self.visit_id is None

    def text(self) -> str:
        if self.visit_id is not None:
            return self.visit_id
        if self.third:
            return THIRD
        return f"{DOCTOR_PREFIX}{self.doctor_id}" if self.doctor_id else NEW

    @classmethod
    def read(cls, text: str | None) -> VisitTarget:
        if not text or text == NEW:
            return NEW_VISIT
        if text == THIRD:
            return THIRD_VISIT
        if text.startswith(DOCTOR_PREFIX):
            return cls(doctor_id=text.removeprefix(DOCTOR_PREFIX))
        return cls(visit_id=text)


NEW_VISIT = VisitTarget()
THIRD_VISIT = VisitTarget(third=True)


@dataclass(frozen=True)
class DetailTarget:
    """One detail of one visit (the doctor, the place, the phone...)."""

    visit_id: str
    detail: str

    def text(self) -> str:
        return f"{self.visit_id}.{self.detail}"

    @classmethod
    def read(cls, text: str | None) -> DetailTarget:
        visit_id, dot, detail = (text or "").partition(".")
        if not visit_id or not dot or not detail:
            raise Gone()
        return cls(visit_id, detail)


def zone_leads_to_settings(text: str | None) -> bool:
    """The zone question leads back to /settings, or on to a visit (whose target is a VisitTarget)."""
    return text == SETTINGS
