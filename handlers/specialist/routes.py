"""Step 1: which specialists, and the doctors: what each of its buttons does, and who may press it."""

from __future__ import annotations

from handlers.plumbing.dispatch import EDIT, Routes, route, table
from handlers.specialist import screens as specialist
from handlers.specialist.taps import (
    AddCandidateTap,
    CandidateStatusTap,
    CandidateTap,
    KindsTap,
    RemoveCandidateTap,
    RemoveCandidateYesTap,
    SpecialistTap,
    ToggleKindTap,
    WhereTap,
)

ROUTES: Routes = table(
    route(SpecialistTap, specialist.show_specialist),
    route(KindsTap, specialist.show_kinds),
    route(ToggleKindTap, specialist.on_toggle_kind, access=EDIT),
    route(WhereTap, specialist.show_where),
    route(AddCandidateTap, specialist.on_add_candidate, access=EDIT),
    route(CandidateTap, specialist.show_candidate),
    route(CandidateStatusTap, specialist.on_candidate_status, access=EDIT),
    route(RemoveCandidateTap, specialist.on_remove, access=EDIT),
    route(RemoveCandidateYesTap, specialist.on_remove_yes, access=EDIT),
)
