"""What can go wrong in the journey, as exceptions the edge turns into a kind reply.

Each carries a `key` that names the template the user sees; nothing is changed when one is raised.
"""

from __future__ import annotations


class JourneyError(Exception):
    key = "errors/generic"

    def __init__(self, **details: object) -> None:
        super().__init__(self.key)
        self.details = details


class NotAMember(JourneyError):
    """The user is not on this case (or the case is gone)."""

    key = "errors/not_member"


class ReadOnly(JourneyError):
    """The user may look at this case but not change it."""

    key = "errors/read_only"


class Gone(JourneyError):
    """The item a button points at no longer exists (deleted, or a stale button)."""

    key = "errors/gone"


class EmptyText(JourneyError):
    key = "errors/empty_text"


class TooLong(JourneyError):
    key = "errors/too_long"


class TooManyTop(JourneyError):
    key = "errors/too_many_top"


class TooManyItems(JourneyError):
    key = "errors/too_many_items"
