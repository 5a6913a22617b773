"""Step 1: which specialists, and the doctors: what each of its buttons does, and who may press it."""

from __future__ import annotations

from handlers.plumbing.callbacks import Action as A
from handlers.plumbing.dispatch import EDIT, Route
from handlers.specialist import screens as specialist

ROUTES: dict[A, Route] = {
    A.SPECIALIST: Route(specialist.show_specialist),
    A.KINDS: Route(specialist.show_kinds),
    A.TOGGLE_KIND: Route(specialist.on_toggle_kind, access=EDIT),
    A.WHERE: Route(specialist.show_where),
    A.ADD_CANDIDATE: Route(specialist.on_add_candidate, access=EDIT),
    A.CANDIDATE: Route(specialist.show_candidate),
    A.CANDIDATE_STATUS: Route(specialist.on_candidate_status, access=EDIT),
    A.REMOVE_CANDIDATE: Route(specialist.on_remove, access=EDIT),
    A.REMOVE_CANDIDATE_YES: Route(specialist.on_remove_yes, access=EDIT),
}
