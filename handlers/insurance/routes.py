"""Step 3: insurance: what each of its buttons does, and who may press it."""

from __future__ import annotations

from handlers.insurance import screens as insurance
from handlers.plumbing.callbacks import Action as A
from handlers.plumbing.dispatch import EDIT, Route

ROUTES: dict[A, Route] = {
    A.INSURANCE: Route(insurance.show_insurance),
    A.INSURANCE_QUESTION: Route(insurance.show_question),
    A.INSURANCE_ANSWER: Route(insurance.on_answer, access=EDIT),
    A.EXPECTED_COST: Route(insurance.on_expected_cost, access=EDIT),
    A.LOG_CALL: Route(insurance.on_log_call, access=EDIT),
    A.CALLS: Route(insurance.show_calls),
    A.OUTCOME: Route(insurance.show_outcome),
    A.SET_OUTCOME: Route(insurance.on_set_outcome, access=EDIT),
}
