"""The buttons of step 3: insurance."""

from __future__ import annotations

from dataclasses import dataclass

from handlers.plumbing.callbacks import Tap, tap
from journey.models import Answer, InsuranceOutcome, InsuranceQuestion


@tap("in")
@dataclass(frozen=True)
class InsuranceTap(Tap):
    """Step 3: the questions for the insurer, calls and the outcome."""


@tap("inq")
@dataclass(frozen=True)
class InsuranceQuestionTap(Tap):
    """One question for the insurer."""

    question: InsuranceQuestion


@tap("ina")
@dataclass(frozen=True)
class InsuranceAnswerTap(Tap):
    """What the insurer said to one question."""

    question: InsuranceQuestion
    answer: Answer


@tap("inc")
@dataclass(frozen=True)
class ExpectedCostTap(Tap):
    """The expected cost (asks for it)."""


@tap("inl")
@dataclass(frozen=True)
class LogCallTap(Tap):
    """Log a call with the insurer (asks who was called)."""


@tap("ins")
@dataclass(frozen=True)
class CallsTap(Tap):
    """The calls logged, newest first."""

    page: int


@tap("ino")
@dataclass(frozen=True)
class OutcomeTap(Tap):
    """The insurer's decision."""


@tap("inx")
@dataclass(frozen=True)
class SetOutcomeTap(Tap):
    """Set the insurer's decision."""

    outcome: InsuranceOutcome
