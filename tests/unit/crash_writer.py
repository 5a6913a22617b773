"""Child process for test_crash_safety: saves one case in a loop until it is SIGKILLed.

Usage: python crash_writer.py DATA_DIR CASE_ID
Prints "ready" once the repository is open, then the counter after each save_case has *returned*, so
every number on stdout is a save the repository confirmed. The counter lives in profile.diagnosis.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

from journey.models import Candidate
from storage import TinyDBCaseRepository
from tests.unit.storage_helpers import full_case

# Enough content (~40 KB) that a write takes long enough for a kill to land inside it.
PADDING = 200


def main(data_dir: Path, case_id: str) -> None:
    repo = TinyDBCaseRepository(data_dir)
    case = repo.load_case(case_id)
    if case is None:
        case = full_case(case_id)
        case.specialist.candidates = [
            Candidate(f"pad-{n}", f"Dr. Padding {n}", notes="x" * 100) for n in range(PADDING)
        ]
    stored = case.profile.diagnosis or ""
    counter = int(stored) if stored.isdigit() else 0
    print("ready", flush=True)
    while True:
        counter += 1
        case.updated_at = datetime.now(UTC)
        case.profile.diagnosis = str(counter)
        repo.save_case(case)
        print(counter, flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2])
