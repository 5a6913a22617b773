"""Which records apply: a question or two at the start of step 2 ("no surgery" takes off the surgery notes)."""

from __future__ import annotations

from handlers.plumbing.turn import Screen, Turn
from handlers.records.taps import AppliesTap, FactTap, RecordsTap
from journey import records
from journey.records import Fact


def show_applies(turn: Turn, _: AppliesTap | None = None) -> Screen:
    answers = {fact: records.fact_answer(turn.case, fact) for fact in Fact}
    rows = [
        [
            turn.button(
                turn.label(
                    "toggle",
                    on=answers[fact] is yes,
                    text=turn.label(
                        "fact_answer",
                        topic=turn.label(f"fact_{fact.value}"),
                        answer=turn.label(f"fact_{yes}"),
                    ),
                ),
                FactTap(fact, yes),
            )
            for yes in (True, False)
        ]
        for fact in Fact
    ]
    rows.append([turn.button(turn.label("back_to_records"), RecordsTap(page=0))])
    return turn.screen("records/applies", rows, answers=answers)


def on_fact(turn: Turn, tap: FactTap) -> Screen:
    records.answer_fact(turn.case, tap.fact, tap.on)
    return show_applies(turn)
