"""Small builders for tests: a fresh case at a fixed time, so nothing depends on the real clock."""

from __future__ import annotations

from datetime import UTC, date, datetime

from journey.cases import start_case
from journey.models import Attachment, AttachmentKind, Case, Member, Role

NOW = datetime(2026, 11, 23, 15, 30, tzinfo=UTC)
TODAY = date(2026, 11, 23)
OWNER = 111
VIEWER = 222
STRANGER = 999


def new_case(case_id: str = "case-0001") -> Case:
    case = start_case(case_id, OWNER, NOW, ())
    case.members.append(Member(user_id=VIEWER, role=Role.VIEWER))
    return case


def photo(unique: str = "u1") -> Attachment:
    return Attachment(f"file-{unique}", unique, AttachmentKind.PHOTO, None, NOW)
