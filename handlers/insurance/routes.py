"""Step 3: insurance: what each of its buttons does, and who may press it."""

from __future__ import annotations

from handlers.insurance import screens as insurance
from handlers.insurance.taps import (
    CallsTap,
    ExpectedCostTap,
    InsuranceAnswerTap,
    InsuranceQuestionTap,
    InsuranceTap,
    LogCallTap,
    OutcomeTap,
    SetOutcomeTap,
)
from handlers.plumbing.dispatch import EDIT, Routes, route, table

ROUTES: Routes = table(
    route(InsuranceTap, insurance.show_insurance),
    route(InsuranceQuestionTap, insurance.show_question),
    route(InsuranceAnswerTap, insurance.on_answer, access=EDIT),
    route(ExpectedCostTap, insurance.on_expected_cost, access=EDIT),
    route(LogCallTap, insurance.on_log_call, access=EDIT),
    route(CallsTap, insurance.show_calls),
    route(OutcomeTap, insurance.show_outcome),
    route(SetOutcomeTap, insurance.on_set_outcome, access=EDIT),
)
