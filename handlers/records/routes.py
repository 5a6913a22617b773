"""Step 2: the records checklist: what each of its buttons does, and who may press it."""

from __future__ import annotations

from handlers.plumbing.callbacks import Action as A
from handlers.plumbing.dispatch import EDIT, Route
from handlers.records import screens as records

ROUTES: dict[A, Route] = {
    A.RECORDS: Route(records.show_records),
    A.RECORD: Route(records.show_record),
    A.RECORD_STATUS: Route(records.on_record_status, access=EDIT),
    A.RECORD_FILE: Route(records.on_record_file, access=EDIT),
    A.ATTACH_PENDING: Route(records.on_attach_pending, access=EDIT, keeps_prompt=True),
}
