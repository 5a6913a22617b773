"""Errors are logged as their type and where they happened, never their message (it can hold user text)."""

from __future__ import annotations

from logline import where


def _deep(text: str) -> None:
    raise ValueError(f"could not read {text}")


def _outer(text: str) -> None:
    _deep(text)


def test_where_names_the_type_and_our_frames_but_not_the_message() -> None:
    try:
        _outer("Quillon Marchbanks")
    except ValueError as error:
        found = where(error)
    assert found.startswith("ValueError at test_errors.py:")
    assert "in _deep <- test_errors.py:" in found and "in _outer" in found
    assert "Quillon" not in found and "could not read" not in found


def test_an_error_with_no_traceback_is_just_its_type() -> None:
    assert where(KeyError("Marchbanks")) == "KeyError"
