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


class RepeatedAnswer(JourneyError):
    """The same words as the last answer, right after it: most likely typed again because the reply was
    lost. It is not taken as the answer to the next question."""

    key = "errors/repeated_answer"


class Gone(JourneyError):
    """The item a button points at no longer exists (deleted, or a stale button)."""

    key = "errors/gone"


class NotAStep(JourneyError):
    """A step this item does not have: an old button, from before the step was taken away."""

    key = "errors/stale_button"


class EmptyText(JourneyError):
    key = "errors/empty_text"


class TooLong(JourneyError):
    key = "errors/too_long"


class TooManyTop(JourneyError):
    key = "errors/too_many_top"


class TooManyItems(JourneyError):
    key = "errors/too_many_items"


class TooManyPlans(JourneyError):
    """The person owns journey.limits.PLANS_OWNED plans already."""

    key = "errors/too_many_plans"


class TooManyDoctors(TooManyItems):
    key = "errors/too_many_doctors"


class TooManyFiles(TooManyItems):
    key = "errors/too_many_files"


class TooManyCalls(TooManyItems):
    key = "errors/too_many_calls"


class TooManyQuestions(TooManyItems):
    key = "errors/too_many_questions"


class TooManyNotes(TooManyItems):
    key = "errors/too_many_notes"


class TooManyVisits(TooManyItems):
    key = "errors/too_many_visits"


class OwnerOnly(JourneyError):
    """Only the owner may do this (change roles, remove someone, or invite when helpers may not)."""

    key = "errors/owner_only"


class InviteUnknown(JourneyError):
    """The link is malformed, or its case or invite does not exist (never says which)."""

    key = "errors/invite_unknown"


class InviteUsed(JourneyError):
    key = "errors/invite_used"


class InviteExpired(JourneyError):
    key = "errors/invite_expired"


class InviteRevoked(JourneyError):
    key = "errors/invite_revoked"


class InviteMakerCannot(JourneyError):
    """The person who made the link may no longer invite (taken off, made "Can look", or helpers may no
    longer invite): the link lets nobody in on their word."""

    key = "errors/invite_maker_cannot"


class AlreadyMember(JourneyError):
    key = "errors/already_member"


class TooManyMembers(JourneyError):
    key = "errors/too_many_members"


class OwnerMustStay(JourneyError):
    """The owner cannot leave a case others are in: hand it over first (or delete the plan)."""

    key = "errors/owner_must_stay"


class NotYourself(JourneyError):
    """Changing your own role or removing yourself goes through /leave, not the members screen."""

    key = "errors/not_yourself"


class NotALink(JourneyError):
    """A video link that holds no web address starting with http:// or https://."""

    key = "errors/not_a_link"


class SeveralLinks(JourneyError):
    """A video link that holds more than one web address: which one joins the visit?"""

    key = "errors/several_links"


class NotAPhone(JourneyError):
    """A phone number with (almost) no digits in it."""

    key = "errors/not_a_phone"
