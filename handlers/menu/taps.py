"""The buttons of the menu, progress and help."""

from __future__ import annotations

from dataclasses import dataclass

from handlers.plumbing.callbacks import Tap, tap


@tap("m")
@dataclass(frozen=True)
class MenuTap(Tap):
    """The main menu."""


@tap("p")
@dataclass(frozen=True)
class ProgressTap(Tap):
    """Where the plan stands, and what to do next."""


@tap("h")
@dataclass(frozen=True)
class HelpTap(Tap):
    """How the bot works."""


@tap("dby")
@dataclass(frozen=True)
class DecideByTap(Tap):
    """Type the day the care team says treatment should start."""


@tap("dbn")
@dataclass(frozen=True)
class ClearDecideByTap(Tap):
    """Forget the decide-by date."""
