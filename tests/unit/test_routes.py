"""The button surface: every tap has exactly one route, declared by one feature."""

from __future__ import annotations

import inspect
import typing
from types import ModuleType

from handlers import routes
from handlers.plumbing.callbacks import registered
from handlers.plumbing.dispatch import PLUMBING


def test_every_tap_has_one_route_from_one_feature() -> None:
    tables = [PLUMBING] + [module.ROUTES for module in _features()]
    declared = [kind for table in tables for kind in table]
    assert len(declared) == len(set(declared)), "a tap is routed by two features"
    assert set(routes.ALL) == set(registered().values()) == set(declared)


def _features() -> list[ModuleType]:
    from handlers.guide import routes as guide
    from handlers.insurance import routes as insurance
    from handlers.menu import routes as menu
    from handlers.notes import routes as notes
    from handlers.onboarding import routes as onboarding
    from handlers.outcome import routes as outcome
    from handlers.paper import routes as paper
    from handlers.prompts import routes as prompts
    from handlers.questions import routes as questions
    from handlers.records import routes as records
    from handlers.reminders import routes as reminders
    from handlers.rights import routes as rights
    from handlers.settings import routes as settings
    from handlers.sharing import routes as sharing
    from handlers.specialist import routes as specialist
    from handlers.visit import routes as visit

    return [
        menu,
        prompts,
        onboarding,
        specialist,
        guide,
        records,
        insurance,
        questions,
        visit,
        outcome,
        settings,
        reminders,
        sharing,
        notes,
        paper,
        rights,
    ]


def test_every_route_takes_the_tap_it_is_routed_by() -> None:
    """mypy checks this through `route(...)`; this catches a table built some other way."""
    for kind, found in routes.ALL.items():
        second = list(inspect.signature(found.show).parameters)[1]
        accepted = typing.get_type_hints(found.show)[second]
        assert kind is accepted or kind in typing.get_args(accepted), (kind, found.show)
