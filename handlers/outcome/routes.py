"""After the visit: what each of its buttons does, and who may press it."""

from __future__ import annotations

from handlers.outcome import screens as outcome
from handlers.outcome import summary
from handlers.outcome.taps import (
    AdviceTap,
    FirstPlanTap,
    KeepSummaryTap,
    OutcomeSaysTap,
    OutcomeTap,
    SendSummaryTap,
    SideBySideTap,
    SummaryTap,
    ThirdOpinionTap,
)
from handlers.plumbing.dispatch import EDIT, Routes, route, table

ROUTES: Routes = table(
    route(OutcomeTap, outcome.on_outcome),
    route(OutcomeSaysTap, outcome.on_says, access=EDIT),
    route(AdviceTap, outcome.on_advice, access=EDIT),
    route(FirstPlanTap, outcome.on_first_plan, access=EDIT),
    route(SideBySideTap, outcome.on_side_by_side),
    route(ThirdOpinionTap, outcome.on_third_opinion, access=EDIT),
    route(SummaryTap, summary.on_summary),
    route(SendSummaryTap, summary.on_send, access=EDIT),
    route(KeepSummaryTap, summary.on_keep, access=EDIT),
)
