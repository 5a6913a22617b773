"""The guides: what each of their buttons does, and who may press it (any member may read)."""

from __future__ import annotations

from handlers.guide import screens as guide
from handlers.guide.taps import AtTheVisitTap, CallScriptTap, TellDoctorTap, WhoToSeeTap
from handlers.plumbing.dispatch import Routes, route, table

ROUTES: Routes = table(
    route(TellDoctorTap, guide.show_tell_doctor),
    route(CallScriptTap, guide.show_call_script),
    route(WhoToSeeTap, guide.show_who_to_see),
    route(AtTheVisitTap, guide.show_at_the_visit),
)
