"""Erasing a person: everything of theirs goes, one plan at a time through the unit of work.

Each plan is changed under its own lock, as every change is (service/work.py):
  - a plan they own is deleted whole, for everyone (the others are told, as when the owner deletes it);
  - from a plan they help with, their name goes first (so the news that they left, and news still waiting
    that names them, says "Someone"), then they leave it, with their reminders, news waiting for them
    and the invites they made or used (journey/rights.py).
Then storage forgets their index of plans, their private chat's link and any copy set aside of a plan
they owned (`CaseRepository.forget_user`). Running it again finds nothing and changes nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import partial

from journey import rights
from journey.activity import Change, ChangeKind
from service.work import News, Plans, Work

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Erased:
    deleted: int  # plans they owned, deleted for everyone
    left: int  # plans they helped with, left


async def erase_person(plans: Plans, user_id: int, chat_id: int, someone: str) -> Erased:
    """Erase everything stored about `user_id`. `someone` (plain text) stands in for their name in news
    that was waiting to be sent when they left."""
    case_ids = await plans.read(lambda repo: [c.id for c in repo.cases_of_user(user_id)])
    deleted = left = 0
    for case_id in case_ids:
        run = partial(plans.run, case_id, actor=user_id, chat_id=chat_id)
        if await run(partial(_delete_or_unname, user_id, someone)):
            deleted += 1
        elif await run(partial(_leave, user_id)):
            left += 1
    await plans.read(lambda repo: repo.forget_user(user_id))
    log.info("erased a person: %d plans deleted, %d left", deleted, left)
    return Erased(deleted, left)


def _delete_or_unname(user_id: int, someone: str, work: Work) -> bool:
    """Their own plan is deleted (True); in another's plan, their name goes."""
    case = work.case
    if case is None:
        return False
    if rights.owns(case, user_id):
        work.delete(farewell=News(case, case, [Change(ChangeKind.PLAN_DELETED)], user_id, work.chat_id))
        return True
    if rights.forget_name(case, user_id, someone):
        work.save()
    return False


def _leave(user_id: int, work: Work) -> bool:
    case = work.case
    if case is None or rights.owns(case, user_id) or user_id not in {m.user_id for m in case.members}:
        return False
    rights.forget_member(case, user_id)
    work.save()
    return True
