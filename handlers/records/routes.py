"""Step 2: the records checklist: what each of its buttons does, and who may press it."""

from __future__ import annotations

from handlers.plumbing.dispatch import EDIT, Routes, route, table
from handlers.records import applies
from handlers.records import screens as records
from handlers.records.taps import (
    AppliesTap,
    AttachPendingTap,
    FactTap,
    RecordFileTap,
    RecordsTap,
    RecordStatusTap,
    RecordTap,
)

ROUTES: Routes = table(
    route(RecordsTap, records.show_records),
    route(RecordTap, records.show_record),
    route(RecordStatusTap, records.on_record_status, access=EDIT),
    route(RecordFileTap, records.on_record_file, access=EDIT),
    route(AttachPendingTap, records.on_attach_pending, access=EDIT, keeps_prompt=True),
    route(AppliesTap, applies.show_applies),
    route(FactTap, applies.on_fact, access=EDIT),
)
