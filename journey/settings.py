"""A member's own settings: time zone, quiet hours, which reminders they want."""

from __future__ import annotations

import enum

from journey.access import require_member
from journey.errors import Gone
from journey.lists import toggled
from journey.models import Case, ReminderKind
from journey.retention import KINDS as RETENTION_KINDS


class Quiet(enum.StrEnum):
    """Quiet-hour choices on the settings screen, as "start-end" in minutes after midnight."""

    NINE_TO_EIGHT = "1260-480"  # the default
    TEN_TO_SEVEN = "1320-420"
    EIGHT_TO_NINE = "1200-540"
    TEN_TO_NINE = "1320-540"
    NONE = "0-0"

    @property
    def start(self) -> int:
        return int(self.value.split("-")[0])

    @property
    def end(self) -> int:
        return int(self.value.split("-")[1])


# Reminders a member may switch off (follow-ups and "how did it go?" included). Notices that an unused
# plan will be deleted are not reminders to switch off.
CHOOSABLE = tuple(k for k in ReminderKind if k not in RETENTION_KINDS)


def set_zone(case: Case, user_id: int, zone: str) -> None:
    """Zone names come from journey.zones (checked against the tz database) before they get here."""
    require_member(case, user_id).settings.zone = zone


def set_quiet(case: Case, user_id: int, quiet: Quiet) -> None:
    settings = require_member(case, user_id).settings
    settings.quiet_start, settings.quiet_end = quiet.start, quiet.end


def toggle_reminder(case: Case, user_id: int, kind: ReminderKind, on: bool | None = None) -> None:
    """Switch one kind of reminder on or off for this member (`on` None: the other way round)."""
    settings = require_member(case, user_id).settings
    if kind not in CHOOSABLE:
        raise Gone()
    settings.reminders_off = toggled(settings.reminders_off, kind, None if on is None else not on)
