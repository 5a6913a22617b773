"""Step 4 screens: the question bank by theme, the user's list, and their own questions."""

from __future__ import annotations

from handlers.plumbing.callbacks import Action, Button, InvalidButton
from handlers.plumbing.turn import Screen, Turn, page_row, paginate, rows_of, wanted
from handlers.prompts.asking import ask
from journey import questions
from journey.models import ChosenQuestion, PromptKind
from templates.content import Theme


def show_questions(turn: Turn, _: Button | None = None) -> Screen:
    themes = turn.services.renderer.content.themes
    buttons = [turn.button(t.title, Action.THEME, t.id, 0) for t in themes]
    rows = rows_of(buttons, 2)
    rows.append([turn.button(turn.label("my_list", n=len(turn.case.questions.chosen)), Action.MY_LIST, 0)])
    rows.append([turn.button(turn.label("own_question"), Action.OWN_QUESTION)])
    rows.append([turn.button(turn.label("menu"), Action.MENU)])
    return turn.screen("questions/main", rows)


def _theme(turn: Turn, theme_id: str) -> Theme:
    theme = turn.services.renderer.content.theme(theme_id)
    if theme is None:
        raise InvalidButton()
    return theme


def theme_screen(turn: Turn, theme: Theme, page_number: int) -> Screen:
    page = paginate(theme.questions, page_number)
    numbers = [
        turn.button(
            turn.label("toggle", on=questions.is_chosen(turn.case, q.id), text=str(page.start + n + 1)),
            Action.TOGGLE_BANK,
            q.id,
            theme.id,
            page.number,
            "0" if questions.is_chosen(turn.case, q.id) else "1",
        )
        for n, q in enumerate(page.items)
    ]
    rows = rows_of(numbers, 3)
    rows.append(page_row(turn, page, Action.THEME, theme.id))
    rows.append([turn.button(turn.label("back"), Action.QUESTIONS)])
    return turn.screen("questions/theme", rows, theme=theme, page=page, is_chosen=questions.is_chosen)


def show_theme(turn: Turn, button: Button) -> Screen:
    return theme_screen(turn, _theme(turn, button.arg(0)), button.page(1))


def on_toggle_bank(turn: Turn, button: Button) -> Screen:
    theme = _theme(turn, button.arg(1))
    bank_ids = turn.services.renderer.content.bank_ids
    questions.toggle_bank_question(turn.case, button.arg(0), bank_ids, wanted(button, 3))
    return theme_screen(turn, theme, button.page(2))


def question_text(turn: Turn, question: ChosenQuestion) -> str:
    """A bank question in the user's language, or the user's own words."""
    if question.bank_id is not None:
        found = turn.services.renderer.content.bank_question(question.bank_id)
        return found.text if found else turn.render("questions/retired")
    return question.text or ""


def list_screen(turn: Turn, page_number: int) -> Screen:
    page = paginate(questions.ordered(turn.case), page_number, 5)
    rows = [
        [
            turn.button(
                turn.label("top", on=q.top, n=page.start + n + 1),
                Action.TOGGLE_TOP,
                q.id,
                page.number,
                "0" if q.top else "1",
            ),
            turn.button(
                turn.label("remove_n", n=page.start + n + 1), Action.REMOVE_QUESTION, q.id, page.number
            ),
        ]
        for n, q in enumerate(page.items)
    ]
    rows.append(page_row(turn, page, Action.MY_LIST))
    rows.append([turn.button(turn.label("own_question"), Action.OWN_QUESTION)])
    rows.append([turn.button(turn.label("back"), Action.QUESTIONS)])
    texts = [question_text(turn, q) for q in page.items]
    return turn.screen("questions/list", rows, page=page, texts=texts, max_top=questions.MAX_TOP)


def show_list(turn: Turn, button: Button) -> Screen:
    return list_screen(turn, button.page())


def on_own_question(turn: Turn, _: Button) -> Screen:
    return ask(turn, PromptKind.OWN_QUESTION)


def on_toggle_top(turn: Turn, button: Button) -> Screen:
    questions.toggle_top(turn.case, button.arg(0), wanted(button, 2))
    return list_screen(turn, button.page(1))


def on_remove(turn: Turn, button: Button) -> Screen:
    questions.remove_question(turn.case, button.arg(0))
    return list_screen(turn, button.page(1))
