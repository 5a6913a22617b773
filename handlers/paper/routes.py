"""Paper: what its buttons do, and who may press them. Anyone in the plan may have the sheet and the letters:
they only read the plan."""

from __future__ import annotations

from handlers.paper import screens as paper
from handlers.paper.taps import PrepSheetTap, RecordLettersTap
from handlers.plumbing.dispatch import Routes, route, table

ROUTES: Routes = table(
    route(PrepSheetTap, paper.on_prep_sheet),
    route(RecordLettersTap, paper.on_record_letters),
)
