"""The whole button surface of the bot: every feature's routes in one table."""

from __future__ import annotations

from handlers.guide import routes as guide
from handlers.insurance import routes as insurance
from handlers.menu import routes as menu
from handlers.notes import routes as notes
from handlers.onboarding import routes as onboarding
from handlers.outcome import routes as outcome
from handlers.paper import routes as paper
from handlers.plumbing.dispatch import PLUMBING, Routes
from handlers.prompts import routes as prompts
from handlers.questions import routes as questions
from handlers.records import routes as records
from handlers.reminders import routes as reminders
from handlers.rights import routes as rights
from handlers.settings import routes as settings
from handlers.sharing import routes as sharing
from handlers.specialist import routes as specialist
from handlers.visit import routes as visit

ALL: Routes = {
    **PLUMBING,
    **menu.ROUTES,
    **prompts.ROUTES,
    **onboarding.ROUTES,
    **specialist.ROUTES,
    **records.ROUTES,
    **insurance.ROUTES,
    **questions.ROUTES,
    **visit.ROUTES,
    **outcome.ROUTES,
    **guide.ROUTES,
    **settings.ROUTES,
    **reminders.ROUTES,
    **sharing.ROUTES,
    **notes.ROUTES,
    **paper.ROUTES,
    **rights.ROUTES,
}
