"""The callback-data codec: round trips, stays under Telegram's 64 bytes, refuses anything else."""

from __future__ import annotations

import pytest

from handlers.plumbing.callbacks import (
    ARITY,
    MAX_BYTES,
    TOGGLES,
    Action,
    Button,
    InvalidButton,
    decode,
    encode,
)

CASE = "AbCdEfGhIjKlMnOp"  # the length journey.ids.new_case_id makes


@pytest.mark.parametrize("action", list(Action))
def test_every_action_round_trips_within_64_bytes_with_the_longest_arguments(action: Action) -> None:
    args = ["x" * 12] * ARITY[action]
    if action in TOGGLES:
        args[-1] = "1"  # the state a toggle asks for
    data = encode(action, CASE, *args)
    assert len(data.encode()) <= MAX_BYTES
    assert decode(data) == Button(action, CASE, tuple(args))


@pytest.mark.parametrize(
    "data",
    [
        None,
        "",
        "garbage",
        "2:m:AbCdEfGhIjKlMnOp",  # a future or past version
        "1:zz:AbCdEfGhIjKlMnOp",  # unknown action
        "1:m:../../etc",  # not a case id
        "1:m:AbCdEfGhIjKlMnOp:extra",  # wrong number of arguments
        "1:rcs:AbCdEfGhIjKlMnOp:labs",
        "1:rci:AbCdEfGhIjKlMnOp:la bs",  # bad characters
        "1:rci:AbCdEfGhIjKlMnOp:" + "x" * 60,  # too long
    ],
)
def test_malformed_data_is_refused(data: str | None) -> None:
    with pytest.raises(InvalidButton):
        decode(data)


def test_encode_refuses_what_decode_would_refuse() -> None:
    with pytest.raises(ValueError):
        encode(Action.RECORD, CASE, "a:b")
    with pytest.raises(ValueError):
        encode(Action.MENU, CASE, "extra")
