"""The buttons of a member's own settings."""

from __future__ import annotations

from dataclasses import dataclass

from handlers.plumbing.callbacks import Tap, tap
from journey.language import Language
from journey.models import Notify, ReminderKind
from journey.settings import Quiet


@tap("st")
@dataclass(frozen=True)
class SettingsTap(Tap):
    """/settings."""


@tap("sz")
@dataclass(frozen=True)
class ZonesTap(Tap):
    """Ask for the time zone."""

    target: str  # prompts.OWN_SETTINGS, or a VisitTarget as text


@tap("sq")
@dataclass(frozen=True)
class QuietTap(Tap):
    """Quiet hours."""

    quiet: Quiet


@tap("sr")
@dataclass(frozen=True)
class ToggleReminderTap(Tap):
    """One kind of reminder on or off."""

    kind: ReminderKind
    on: bool  # the state asked for


@tap("sn")
@dataclass(frozen=True)
class NotifyTap(Tap):
    """How much news of the others' changes."""

    notify: Notify


@tap("sl")
@dataclass(frozen=True)
class LanguageTap(Tap):
    """The language this member reads."""

    language: Language
