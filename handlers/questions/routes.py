"""Step 4: questions for the doctor: what each of its buttons does, and who may press it."""

from __future__ import annotations

from handlers.plumbing.dispatch import EDIT, Routes, route, table
from handlers.questions import screens as questions
from handlers.questions.taps import (
    MyListTap,
    OwnQuestionTap,
    QuestionsTap,
    RemoveQuestionTap,
    ThemeTap,
    ToggleBankTap,
    ToggleTopTap,
)

ROUTES: Routes = table(
    route(QuestionsTap, questions.show_questions),
    route(ThemeTap, questions.show_theme),
    route(ToggleBankTap, questions.on_toggle_bank, access=EDIT),
    route(MyListTap, questions.show_list),
    route(OwnQuestionTap, questions.on_own_question, access=EDIT),
    route(ToggleTopTap, questions.on_toggle_top, access=EDIT),
    route(RemoveQuestionTap, questions.on_remove, access=EDIT),
)
