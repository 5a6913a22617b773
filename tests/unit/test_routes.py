"""The button surface: every action has exactly one route, declared by one feature."""

from __future__ import annotations

from types import ModuleType

from handlers import routes
from handlers.plumbing.callbacks import Action
from handlers.plumbing.dispatch import PLUMBING


def test_every_action_has_one_route_from_one_feature() -> None:
    tables = [PLUMBING] + [module.ROUTES for module in _features()]
    declared = [action for table in tables for action in table]
    assert len(declared) == len(set(declared)), "an action is routed by two features"
    assert set(routes.ALL) == set(Action) == set(declared)


def _features() -> list[ModuleType]:
    from handlers.insurance import routes as insurance
    from handlers.menu import routes as menu
    from handlers.onboarding import routes as onboarding
    from handlers.prompts import routes as prompts
    from handlers.questions import routes as questions
    from handlers.records import routes as records
    from handlers.reminders import routes as reminders
    from handlers.settings import routes as settings
    from handlers.sharing import routes as sharing
    from handlers.specialist import routes as specialist
    from handlers.visit import routes as visit

    return [
        menu,
        prompts,
        onboarding,
        specialist,
        records,
        insurance,
        questions,
        visit,
        settings,
        reminders,
        sharing,
    ]
