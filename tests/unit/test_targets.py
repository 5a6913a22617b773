"""Targets of typed questions: one way to write each, one way to read it back."""

from __future__ import annotations

import pytest

from journey.errors import Gone
from journey.targets import NEW_VISIT, DetailTarget, VisitTarget


@pytest.mark.parametrize("target", [NEW_VISIT, VisitTarget(doctor_id="d1"), VisitTarget(visit_id="a1b2c3")])
def test_a_visit_target_reads_back_as_written(target: VisitTarget) -> None:
    assert VisitTarget.read(target.text()) == target


def test_what_a_visit_target_means() -> None:
    assert NEW_VISIT.is_new and VisitTarget(doctor_id="d1").is_new
    assert not VisitTarget(visit_id="a1").is_new
    assert VisitTarget.read(None) == NEW_VISIT  # an old prompt saved without a target


def test_a_detail_target_reads_back_and_refuses_a_broken_one() -> None:
    assert DetailTarget.read(DetailTarget("a1", "phone").text()) == DetailTarget("a1", "phone")
    for broken in (None, "", "a1", ".phone", "a1."):
        with pytest.raises(Gone):
            DetailTarget.read(broken)
