"""The buttons of step 4: questions for the doctor."""

from __future__ import annotations

from dataclasses import dataclass

from handlers.plumbing.callbacks import Tap, tap


@tap("qs")
@dataclass(frozen=True)
class QuestionsTap(Tap):
    """Step 4: the themes of the question bank."""


@tap("qt")
@dataclass(frozen=True)
class ThemeTap(Tap):
    """One theme of the question bank."""

    theme: str  # its id in the content
    page: int


@tap("qb")
@dataclass(frozen=True)
class ToggleBankTap(Tap):
    """A bank question on the list or off it."""

    question: str  # a bank question id
    theme: str
    page: int  # of the theme, to come back to
    on: bool  # the state asked for


@tap("ql")
@dataclass(frozen=True)
class MyListTap(Tap):
    """The questions chosen so far."""

    page: int


@tap("qo")
@dataclass(frozen=True)
class OwnQuestionTap(Tap):
    """Add a question of one's own (asks for it)."""


@tap("qp")
@dataclass(frozen=True)
class ToggleTopTap(Tap):
    """A chosen question among the top ones or not."""

    question: str  # a chosen question id
    page: int  # of the list
    on: bool  # the state asked for


@tap("qr")
@dataclass(frozen=True)
class RemoveQuestionTap(Tap):
    """Take a question off the list."""

    question: str
    page: int
