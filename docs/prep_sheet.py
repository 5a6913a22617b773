"""Make docs/prep-sheet.png, the README's picture of the prep sheet: a made-up plan, its PDF, page one.

Run it with `make prep-sheet-picture`. It draws the PDF exactly as the bot does (`paper.sheet.prep_sheet`)
and turns page one into a PNG with poppler's `pdftoppm` (`apt-get install poppler-utils`; the make target
installs it when run as root). The clock and the plan are fixed, so the picture changes only when the
sheet's layout or words do.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from journey import appointments, cases, insurance, questions, records
from journey.models import Case, InsuranceOutcome, Reason, RecordKind, RecordStatus, Urgency
from paper.sheet import prep_sheet
from templates import Renderer

OUT = Path(__file__).with_name("prep-sheet.png")
NOW = datetime(2026, 11, 23, 15, 30, tzinfo=UTC)
TODAY = date(2026, 11, 23)


def sample(renderer: Renderer) -> Case:
    """Maria's plan, halfway: a visit booked, a few questions, records on their way, insurance settled."""
    case = cases.start_case("sample", 1001, NOW, ())
    case.profile.patient_name = "María Núñez"
    case.profile.diagnosis = "Stage 2 breast cancer, HER2 positive"
    case.profile.reasons = [Reason.SEVERAL_OPTIONS]
    case.profile.urgency = Urgency.UNSURE
    visit = appointments.add(case, "a1", NOW + timedelta(days=10, hours=-1), "America/Chicago", NOW)
    visit.doctor, visit.institution = "Dr. Ana Peña", "Lakeside Cancer Center"
    visit.address, visit.phone = "200 E Lake St, Chicago, IL 60601", "+1 312 555 0100"
    bank = [q.id for theme in renderer.content.themes for q in theme.questions]
    for bank_id in (bank[0], bank[7], bank[12], bank[20]):
        questions.toggle_bank_question(case, bank_id, renderer.content.bank_ids, on=True)
    questions.add_own_question(case, "own", "Can I keep working during treatment?")
    for question in case.questions.chosen[1:3]:
        questions.toggle_top(case, question.id, on=True)
    asked = {
        RecordKind.PATHOLOGY_REPORT: "City Hospital records office",
        RecordKind.LABS: "Dr. Müller's office",
    }
    for kind, place in asked.items():
        records.set_status(case, kind, RecordStatus.REQUESTED, TODAY)
        records.set_requested_from(case, kind, place)
    records.set_status(case, RecordKind.IMAGING_REPORTS, RecordStatus.ARRIVED, TODAY)
    records.set_status(case, RecordKind.OPERATIVE_NOTES, RecordStatus.NOT_NEEDED, TODAY)
    insurance.set_outcome(case, InsuranceOutcome.PARTLY)
    insurance.set_expected_cost(case, "$50 copay")
    insurance.start_call(case, "k1", TODAY, who="Sam at member services")
    insurance.set_call_reference(case, "k1", "REF-4471")
    return case


def main() -> int:
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        print(
            "pdftoppm is not installed: apt-get install poppler-utils (make prep-sheet-picture does, as root)"
        )
        return 1
    renderer = Renderer()
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "prep-sheet.pdf"
        pdf.write_bytes(prep_sheet(sample(renderer), renderer, NOW))
        stem = Path(folder) / "page"
        subprocess.run(
            [pdftoppm, "-png", "-r", "90", "-f", "1", "-l", "1", "-singlefile", pdf, stem], check=True
        )
        shutil.copyfile(stem.with_suffix(".png"), OUT)
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
