"""The prep sheet: one or two pages to print, or to show on a phone at the visit.

It holds the visit, the patient's key facts as entered, the questions (the most important first, each with
room for the answer), every record and where it stands, what insurance said with the call reference numbers,
and the medication list when one was added. Made from the plan alone; every word is in `templates/`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from journey import appointments, questions
from journey.models import Appointment, AppointmentStatus, Case, ChosenQuestion, RecordKind, RecordStatus
from journey.records import WRITTEN
from paper.layout import Paper
from templates import Renderer

MAX_PAGES = 2
CALLS_SHOWN = 6  # the most recent calls with a reference number; the rest are in the chat

_W = Callable[..., str]  # the sheet's words: a key under [paper] in strings.toml, rendered as plain text


@dataclass(frozen=True)
class Fit:
    """How big to print: a long plan is set smaller, so it still fits its pages."""

    scale: float
    top_lines: int  # lines to write the answer to a most important question
    other_lines: int
    leading: float = 1.45  # line height, as a multiple of the font size
    margin: float = 16  # mm


FITS = (
    Fit(1.0, 3, 2),
    Fit(0.92, 2, 2),
    Fit(0.84, 2, 1),
    Fit(0.76, 1, 1),
    Fit(0.72, 1, 1, 1.3, 13),
    Fit(0.68, 1, 1, 1.25, 11),
    Fit(0.62, 1, 1, 1.2, 10),  # every text at its longest: small print, but nothing left out
)


def prep_sheet(case: Case, renderer: Renderer, now: datetime, visit: str | None = None) -> bytes:
    """The prep sheet of `case` as a PDF. `visit`: a visit's id; None for the next upcoming one (the sheet
    then says no visit is saved, if there is none). Raises journey.errors.Gone for a visit not in the plan.

    Set at the largest size that fits two pages; a plan too long even for the smallest runs on."""
    appointment = (
        appointments.find_appointment(case, visit) if visit else appointments.next_appointment(case, now)
    )
    pdf = b""
    for fit in FITS:
        paper = _draw(case, renderer, now, appointment, fit)
        pdf = paper.output()
        if paper.pages <= MAX_PAGES:
            break
    return pdf


def _draw(case: Case, r: Renderer, now: datetime, visit: Appointment | None, fit: Fit) -> Paper:
    def w(key: str, /, **context: object) -> str:
        return r.plain(f"paper/{key}", **context)

    paper = Paper(w("footer"), fit.scale, title=w("sheet_title"), leading=fit.leading, margin=fit.margin)
    paper.title(w("sheet_title"))
    if case.profile.patient_name:
        paper.text(w("sheet_for", name=case.profile.patient_name), bold=True, points=12)
    paper.text(w("made_on", today=_today(case, visit, now)), points=10)
    _visit(paper, w, r, visit)
    _patient(paper, w, r, case)
    _questions(paper, w, r, case, fit)
    _records(paper, w, r, case)
    _insurance(paper, w, r, case)
    _medicines(paper, w, case)
    paper.gap(3)
    paper.text(w("not_advice"), points=10)
    return paper


def _visit(paper: Paper, w: _W, r: Renderer, visit: Appointment | None) -> None:
    paper.heading(w("visit"))
    if visit is None:
        paper.text(w("no_visit"))
        paper.write_in(2)
        return
    if visit.status is AppointmentStatus.CANCELLED:
        paper.text(w("cancelled"), bold=True)
    paper.field(w("when"), r.plain("news_when", a=visit))
    paper.field(w("kind"), r.label(f"visit_kind_{visit.kind.value}"))
    paper.field(w("doctor"), visit.doctor)
    paper.field(w("place"), visit.institution)
    if visit.video_link:
        paper.field(w("video"), visit.video_link)
    else:
        paper.field(w("address"), visit.address)
    paper.field(w("phone"), visit.phone)
    if visit.notes:
        paper.field(w("notes"), visit.notes)


def _patient(paper: Paper, w: _W, r: Renderer, case: Case) -> None:
    profile = case.profile
    paper.heading(w("patient"))
    paper.field(w("name"), profile.patient_name)
    paper.field(w("diagnosis"), profile.diagnosis)
    if profile.reasons:
        paper.field(w("reasons"), "; ".join(r.content.reasons[x].label for x in profile.reasons))
    if profile.urgency is not None:
        paper.field(w("urgency"), r.label(f"urgency_{profile.urgency.value}"))
    if profile.decide_by is not None:
        paper.field(w("decide_by"), w("decide_by_day", day=profile.decide_by))


def _questions(paper: Paper, w: _W, r: Renderer, case: Case, fit: Fit) -> None:
    paper.heading(w("questions"))
    listed = questions.ordered(case)
    if not listed:
        paper.text(w("questions_none"))
        paper.write_in(4)
        return
    paper.text(w("questions_hint"), points=10)
    paper.gap(1)
    for n, question in enumerate(listed, start=1):
        mark = w("top_mark" if question.top else "number_mark", n=n)
        paper.numbered(mark, question_text(r, question), bold=question.top)
        paper.write_in(fit.top_lines if question.top else fit.other_lines, indent=8)


def question_text(r: Renderer, question: ChosenQuestion) -> str:
    """A question's words: the user's own, or the bank's (a bank question since removed: blank)."""
    if question.text is not None:
        return question.text
    found = r.content.bank_question(question.bank_id or "")
    return found.text if found is not None else ""


def _records(paper: Paper, w: _W, r: Renderer, case: Case) -> None:
    paper.heading(w("records"))
    paper.text(w("records_hint"), points=10)
    paper.gap(1)
    for item in case.records.items:
        line = w(
            "record_line",
            status=r.label(f"{'record_written' if item.kind in WRITTEN else 'record'}_{item.status.value}"),
            place=item.requested_from if item.status is not RecordStatus.NOT_NEEDED else None,
            on=item.requested_on if item.status is RecordStatus.REQUESTED else None,
            files=len(item.attachments),
        )
        paper.field(r.content.records[item.kind].label + ":", line, points=10)


def _insurance(paper: Paper, w: _W, r: Renderer, case: Case) -> None:
    step = case.insurance
    paper.heading(w("insurance"))
    outcome = r.content.outcomes[step.outcome].label if step.outcome is not None else w("outcome_none")
    paper.field(w("outcome"), outcome)
    if step.expected_cost:
        paper.field(w("cost"), step.expected_cost)
    calls = sorted((c for c in step.calls if c.reference), key=lambda c: c.on, reverse=True)
    if not calls:
        paper.field(w("calls"), w("calls_none"))
        return
    paper.text(w("calls"), bold=True)
    for call in calls[:CALLS_SHOWN]:
        paper.text(w("call", on=call.on, who=call.who, reference=call.reference), indent=4)
    if len(calls) > CALLS_SHOWN:
        paper.text(w("calls_more", n=len(calls) - CALLS_SHOWN), points=9, indent=4)


def _medicines(paper: Paper, w: _W, case: Case) -> None:
    """The medication list, when a photo or PDF of it was added (the bot keeps Telegram's file id, not the
    file, so the sheet names the files to bring)."""
    item = next((i for i in case.records.items if i.kind is RecordKind.MEDICATIONS), None)
    if item is None or not item.attachments:
        return
    names = ", ".join(
        w("file_name", name=a.file_name, kind=a.kind.value, added=a.added_at.date()) for a in item.attachments
    )
    paper.heading(w("medicines"))
    paper.text(w("medicines_files", names=names))


def _today(case: Case, visit: Appointment | None, now: datetime) -> date:
    """The day the sheet is made, where the family is: the visit's zone, else the owner's."""
    owner = next(m for m in case.members if m.user_id == case.owner_id)
    zone = visit.zone if visit is not None else owner.settings.zone
    return now.astimezone(ZoneInfo(zone)).date() if zone else now.date()
