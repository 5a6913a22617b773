"""Step 4: questions for the doctor: what each of its buttons does, and who may press it."""

from __future__ import annotations

from handlers.plumbing.callbacks import Action as A
from handlers.plumbing.dispatch import EDIT, Route
from handlers.questions import screens as questions

ROUTES: dict[A, Route] = {
    A.QUESTIONS: Route(questions.show_questions),
    A.THEME: Route(questions.show_theme),
    A.TOGGLE_BANK: Route(questions.on_toggle_bank, access=EDIT),
    A.MY_LIST: Route(questions.show_list),
    A.OWN_QUESTION: Route(questions.on_own_question, access=EDIT),
    A.TOGGLE_TOP: Route(questions.on_toggle_top, access=EDIT),
    A.REMOVE_QUESTION: Route(questions.on_remove, access=EDIT),
}
