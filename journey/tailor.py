"""Advice that fits the reasons the person gave at the start (the source articles say when each matters)."""

from __future__ import annotations

import enum

from journey.models import Case, Reason


class Tip(enum.StrEnum):
    """One short piece of advice; the words are in templates (strings.toml [tips])."""

    SAFE_WAIT = "safe_wait"  # it is fine to ask how long it is safe to wait
    PATHOLOGY = "pathology"  # another pathologist checks the slides
    EXPERT = "expert"  # a doctor who treats many people with that cancer
    TRIALS = "trials"  # ask if a clinical trial could fit


# A pathology review matters most with no definite diagnosis, a rare cancer, or one that has spread.
RULES: dict[Reason, tuple[Tip, ...]] = {
    Reason.RARE_OR_UNCLEAR: (Tip.PATHOLOGY, Tip.EXPERT),
    Reason.CAME_BACK: (Tip.EXPERT, Tip.TRIALS, Tip.PATHOLOGY),
    Reason.LITTLE_EXPERIENCE: (Tip.EXPERT,),
    Reason.TRIALS: (Tip.TRIALS,),
    Reason.RUSHED: (Tip.SAFE_WAIT,),
}


def tips(case: Case) -> list[Tip]:
    """The advice for this plan's reasons, each once, most important first (the order of `Tip`).

    A time-sensitive plan already says to ask how long it is safe to wait, so that is not said twice.
    """
    found = {tip for reason in case.profile.reasons for tip in RULES.get(reason, ())}
    if case.profile.time_sensitive:
        found.discard(Tip.SAFE_WAIT)
    return [tip for tip in Tip if tip in found]
