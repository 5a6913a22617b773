"""The one codec for inline-button callback data: versioned, short, validated.

    "1:rcs:<case id>:path_report:arrived"

Decoding proves only that the data is well formed. It is never trusted for authorization: the button
dispatcher re-checks that the person pressing may see or change the case named here.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

VERSION = "1"
SEP = ":"
MAX_BYTES = 64  # Telegram's limit for callback_data
_ARG = re.compile(r"^[A-Za-z0-9_-]{1,24}$")
_CASE = re.compile(r"^[A-Za-z0-9_-]{6,32}$")


class Action(enum.StrEnum):
    """Every button the bot shows. The value is what travels in callback data."""

    MENU = "m"
    PROGRESS = "p"
    HELP = "h"
    SKIP = "sk"
    CANCEL = "cx"
    # onboarding
    REASON = "or"
    REASONS_DONE = "od"
    URGENCY = "ou"
    # step 1
    SPECIALIST = "sp"
    KINDS = "spk"
    TOGGLE_KIND = "spt"
    WHERE = "spw"
    ADD_CANDIDATE = "spa"
    CANDIDATE = "spc"
    CANDIDATE_STATUS = "sps"
    REMOVE_CANDIDATE = "spr"
    REMOVE_CANDIDATE_YES = "spx"
    # step 2
    RECORDS = "rc"
    RECORD = "rci"
    RECORD_STATUS = "rcs"
    RECORD_FILE = "rcf"
    ATTACH_PENDING = "rca"
    # step 3
    INSURANCE = "in"
    INSURANCE_QUESTION = "inq"
    INSURANCE_ANSWER = "ina"
    EXPECTED_COST = "inc"
    LOG_CALL = "inl"
    CALLS = "ins"
    OUTCOME = "ino"
    SET_OUTCOME = "inx"
    # step 4
    QUESTIONS = "qs"
    THEME = "qt"
    TOGGLE_BANK = "qb"
    MY_LIST = "ql"
    OWN_QUESTION = "qo"
    TOGGLE_TOP = "qp"
    REMOVE_QUESTION = "qr"
    # the appointment
    APPOINTMENT = "ap"  # the appointment screen: (appointment id or "next")
    NEW_APPOINTMENT = "an"
    FROM_CANDIDATE = "af"  # (candidate id): start a visit with the booked doctor filled in
    CHANGE_TIME = "aw"  # (appointment id)
    CONFIRM_TIME = "ac"  # (minutes since the epoch, UTC; a VisitTarget as text)
    PICK_MONTH = "am"  # (yyyymm, target)
    PICK_DAY = "ay"  # (yyyymmdd, target)
    PICK_HOUR = "ah"  # (yyyymmdd, hour, target)
    DETAIL = "ad"  # (appointment id, detail)
    KINDS_OF_VISIT = "ak"  # (appointment id)
    SET_VISIT_KIND = "aK"  # (appointment id, kind)
    CALENDAR_FILE = "ai"  # (appointment id)
    CANCEL_VISIT = "ax"  # (appointment id)
    CANCEL_VISIT_YES = "aX"  # (appointment id)
    VISIT_NOTE = "av"  # (appointment id): "how did it go?"
    # settings and reminders
    SETTINGS = "st"
    ZONES = "sz"  # (target: "settings", "new" or an appointment id)
    SET_ZONE = "sZ"  # (index in COMMON_ZONES, target)
    QUIET = "sq"  # (preset index)
    TOGGLE_REMINDER = "sr"  # (reminder kind)
    REMINDER_OK = "ro"
    NOOP = "x"  # blank calendar cells and headings: answered, nothing happens
    PROPOSE_TIME = "aq"  # (minutes since the epoch, target): show the time in words to confirm
    SNOOZE = "rz"  # (reminder kind, appointment id or record kind)
    NOTIFY = "sn"  # (notify level)
    # caregivers
    SHARE = "sh"
    NEW_INVITE = "shn"  # (role)
    REVOKE_INVITE = "shr"  # (invite id)
    EDITORS_INVITE = "she"  # toggle: may editors invite others?
    MEMBERS = "mb"
    MEMBER = "mbi"  # (user id)
    SET_ROLE = "mbr"  # (user id, role)
    REMOVE_MEMBER = "mbx"  # (user id): asks first
    REMOVE_MEMBER_YES = "mbX"  # (user id)
    HAND_OVER = "mbo"  # (user id): asks first
    HAND_OVER_YES = "mbO"  # (user id)
    LEAVE = "lv"  # asks first
    LEAVE_YES = "lvY"
    DELETE_PLAN = "dl"  # asks first (owner)
    DELETE_PLAN_YES = "dlY"
    JOIN = "jn"  # (invite secret): the secret, not the button, is what lets someone in
    DECLINE = "jx"
    CASES = "cs"  # the plans this person is in
    USE_CASE = "csu"  # make the case in the data the active one
    NEW_CASE = "csn"  # start a plan of my own


# Toggles carry, last, the state they ask for ("1" on, "0" off): a tap sets, never flips, so a second tap
# on a screen whose edit was lost asks for the same state again and changes nothing.
TOGGLES = frozenset(
    {Action.REASON, Action.TOGGLE_KIND, Action.TOGGLE_BANK, Action.TOGGLE_TOP, Action.TOGGLE_REMINDER}
)

# How many arguments each action carries; anything else is a forged or stale button.
ARITY: dict[Action, int] = {
    **dict.fromkeys(Action, 0),
    Action.SKIP: 1,
    Action.REASON: 2,  # (reason, the state asked for: 1 on, 0 off)
    Action.URGENCY: 1,
    Action.SPECIALIST: 1,
    Action.TOGGLE_KIND: 2,
    Action.CANDIDATE: 1,
    Action.CANDIDATE_STATUS: 2,
    Action.REMOVE_CANDIDATE: 1,
    Action.REMOVE_CANDIDATE_YES: 1,
    Action.RECORDS: 1,
    Action.RECORD: 1,
    Action.RECORD_STATUS: 2,
    Action.RECORD_FILE: 1,
    Action.ATTACH_PENDING: 1,
    Action.INSURANCE_QUESTION: 1,
    Action.INSURANCE_ANSWER: 2,
    Action.CALLS: 1,
    Action.SET_OUTCOME: 1,
    Action.THEME: 2,
    Action.TOGGLE_BANK: 4,
    Action.MY_LIST: 1,
    Action.TOGGLE_TOP: 3,
    Action.REMOVE_QUESTION: 2,
    Action.APPOINTMENT: 1,
    Action.FROM_CANDIDATE: 1,
    Action.CHANGE_TIME: 1,
    Action.CONFIRM_TIME: 2,
    Action.PICK_MONTH: 2,
    Action.PICK_DAY: 2,
    Action.PICK_HOUR: 3,
    Action.DETAIL: 2,
    Action.KINDS_OF_VISIT: 1,
    Action.SET_VISIT_KIND: 2,
    Action.CALENDAR_FILE: 1,
    Action.CANCEL_VISIT: 1,
    Action.CANCEL_VISIT_YES: 1,
    Action.VISIT_NOTE: 1,
    Action.ZONES: 1,
    Action.SET_ZONE: 2,
    Action.QUIET: 1,
    Action.TOGGLE_REMINDER: 2,
    Action.SNOOZE: 2,
    Action.PROPOSE_TIME: 2,
    Action.NOTIFY: 1,
    Action.NEW_INVITE: 1,
    Action.REVOKE_INVITE: 1,
    Action.MEMBER: 1,
    Action.SET_ROLE: 2,
    Action.REMOVE_MEMBER: 1,
    Action.REMOVE_MEMBER_YES: 1,
    Action.HAND_OVER: 1,
    Action.HAND_OVER_YES: 1,
    Action.JOIN: 1,
}


class InvalidButton(ValueError):
    """Callback data we did not make, or made by an older version of the bot."""


@dataclass(frozen=True)
class Button:
    action: Action
    case_id: str
    args: tuple[str, ...] = ()

    def arg(self, index: int) -> str:
        return self.args[index]

    def page(self, index: int = 0) -> int:
        return int(self.args[index]) if self.args[index].isdigit() else 0


def encode(action: Action, case_id: str, *args: str | int) -> str:
    parts = [str(a) for a in args]
    if len(parts) != ARITY[action] or not _CASE.fullmatch(case_id):
        raise ValueError(f"bad button {action!r} with {len(parts)} args")
    if not all(_ARG.fullmatch(p) for p in parts):
        raise ValueError(f"bad button argument for {action!r}")
    data = SEP.join([VERSION, action.value, case_id, *parts])
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"callback data over {MAX_BYTES} bytes for {action!r}")
    return data


def decode(data: str | None) -> Button:
    if not data or len(data.encode()) > MAX_BYTES:
        raise InvalidButton()
    version, _, rest = data.partition(SEP)
    if version != VERSION:
        raise InvalidButton()
    code, _, rest = rest.partition(SEP)
    case_id, *args = rest.split(SEP)
    try:
        action = Action(code)
    except ValueError:
        raise InvalidButton() from None
    if not _CASE.fullmatch(case_id) or len(args) != ARITY[action]:
        raise InvalidButton()
    if not all(_ARG.fullmatch(a) for a in args):
        raise InvalidButton()
    return Button(action, case_id, tuple(args))
