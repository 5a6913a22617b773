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


# How many arguments each action carries; anything else is a forged or stale button.
ARITY: dict[Action, int] = {
    **dict.fromkeys(Action, 0),
    Action.SKIP: 1,
    Action.REASON: 1,
    Action.URGENCY: 1,
    Action.SPECIALIST: 1,
    Action.TOGGLE_KIND: 1,
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
    Action.TOGGLE_BANK: 3,
    Action.MY_LIST: 1,
    Action.TOGGLE_TOP: 2,
    Action.REMOVE_QUESTION: 2,
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
