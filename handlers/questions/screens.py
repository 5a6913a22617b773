"""Step 4 screens: the question bank by theme, the user's list, and their own questions."""

from __future__ import annotations

from handlers.menu.taps import MenuTap
from handlers.plumbing.callbacks import InvalidButton
from handlers.plumbing.turn import Screen, Turn, page_row, paginate, rows_of
from handlers.prompts.asking import ask
from handlers.questions.taps import (
    MyListTap,
    OwnQuestionTap,
    QuestionsTap,
    RemoveQuestionTap,
    ThemeTap,
    ToggleBankTap,
    ToggleTopTap,
)
from journey import questions
from journey.models import ChosenQuestion, PromptKind
from templates.content import Theme


def show_questions(turn: Turn, _: QuestionsTap | None = None) -> Screen:
    themes = turn.words.content.themes
    buttons = [turn.button(t.title, ThemeTap(t.id, page=0)) for t in themes]
    rows = rows_of(buttons, 2)
    rows.append([turn.button(turn.label("my_list", n=len(turn.case.questions.chosen)), MyListTap(page=0))])
    rows.append([turn.button(turn.label("own_question"), OwnQuestionTap())])
    rows.append([turn.button(turn.label("menu"), MenuTap())])
    return turn.screen("questions/main", rows)


def _theme(turn: Turn, theme_id: str) -> Theme:
    theme = turn.words.content.theme(theme_id)
    if theme is None:
        raise InvalidButton()
    return theme


def theme_screen(turn: Turn, theme: Theme, page_number: int) -> Screen:
    page = paginate(theme.questions, page_number)
    numbers = []
    for n, q in enumerate(page.items):
        chosen = questions.is_chosen(turn.case, q.id)
        label = turn.label("toggle", on=chosen, text=str(page.start + n + 1))
        numbers.append(turn.button(label, ToggleBankTap(q.id, theme.id, page.number, on=not chosen)))
    rows = rows_of(numbers, 3)
    rows.append(page_row(turn, page, lambda n: ThemeTap(theme.id, n)))
    rows.append([turn.button(turn.label("back"), QuestionsTap())])
    return turn.screen("questions/theme", rows, theme=theme, page=page, is_chosen=questions.is_chosen)


def show_theme(turn: Turn, tap: ThemeTap) -> Screen:
    return theme_screen(turn, _theme(turn, tap.theme), tap.page)


def on_toggle_bank(turn: Turn, tap: ToggleBankTap) -> Screen:
    theme = _theme(turn, tap.theme)
    bank_ids = turn.words.content.bank_ids
    questions.toggle_bank_question(turn.case, tap.question, bank_ids, tap.on)
    return theme_screen(turn, theme, tap.page)


def question_text(turn: Turn, question: ChosenQuestion) -> str:
    """A bank question in the user's language, or the user's own words."""
    if question.bank_id is not None:
        found = turn.words.content.bank_question(question.bank_id)
        return found.text if found else turn.render("questions/retired")
    return question.text or ""


def list_screen(turn: Turn, page_number: int) -> Screen:
    page = paginate(questions.ordered(turn.case), page_number, 5)
    rows = [
        [
            turn.button(
                turn.label("top", on=q.top, n=page.start + n + 1),
                ToggleTopTap(q.id, page.number, on=not q.top),
            ),
            turn.button(turn.label("remove_n", n=page.start + n + 1), RemoveQuestionTap(q.id, page.number)),
        ]
        for n, q in enumerate(page.items)
    ]
    rows.append(page_row(turn, page, MyListTap))
    rows.append([turn.button(turn.label("own_question"), OwnQuestionTap())])
    rows.append([turn.button(turn.label("back"), QuestionsTap())])
    texts = [question_text(turn, q) for q in page.items]
    return turn.screen("questions/list", rows, page=page, texts=texts, max_top=questions.MAX_TOP)


def show_list(turn: Turn, tap: MyListTap) -> Screen:
    return list_screen(turn, tap.page)


def on_own_question(turn: Turn, _: OwnQuestionTap) -> Screen:
    return ask(turn, PromptKind.OWN_QUESTION)


def on_toggle_top(turn: Turn, tap: ToggleTopTap) -> Screen:
    questions.toggle_top(turn.case, tap.question, tap.on)
    return list_screen(turn, tap.page)


def on_remove(turn: Turn, tap: RemoveQuestionTap) -> Screen:
    questions.remove_question(turn.case, tap.question)
    return list_screen(turn, tap.page)
