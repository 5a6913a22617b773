"""The bot's log (settings.configure_logging): one line per event, and a traceback logged by a library (or by
a crash) becomes its type and where, without the exception's message, which can quote what a person typed."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TYPED = "Quillon Marchbanks"

SETUP = f"""
import asyncio, gc, logging
from settings import configure_logging
configure_logging("INFO")
TYPED = {TYPED!r}
"""


def stderr_of(program: str) -> list[str]:
    """Run `program` after the bot's logging setup; the lines it wrote to stderr."""
    result = subprocess.run(
        [sys.executable, "-c", SETUP + textwrap.dedent(program)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result.stderr.splitlines()


def test_a_logged_exception_is_one_line_with_its_type_and_place_but_not_its_message() -> None:
    lines = stderr_of(
        """
        def read(text):
            raise ValueError("could not read " + text)
        try:
            read(TYPED)
        except ValueError:
            logging.getLogger("aiohttp.server").exception("Error handling request")
        """
    )
    assert len(lines) == 1, lines
    assert "ERROR aiohttp.server: Error handling request: ValueError at <string>:" in lines[0]
    assert "in read" in lines[0] and "Quillon" not in lines[0]


def test_asyncio_task_exception_never_retrieved_is_one_line_without_the_text() -> None:
    lines = stderr_of(
        """
        async def answer(text):
            raise RuntimeError("cannot answer " + text)
        async def main():
            task = asyncio.get_running_loop().create_task(answer(TYPED))
            await asyncio.sleep(0.01)
            del task
            gc.collect()
        asyncio.run(main())
        """
    )
    assert len(lines) == 1, lines
    assert "ERROR asyncio: Task exception was never retrieved: RuntimeError at" in lines[0]
    assert "Quillon" not in lines[0]


def test_asyncio_exception_in_a_callback_does_not_quote_its_arguments() -> None:
    lines = stderr_of(
        """
        def on_answer(text):
            raise KeyError(text)
        async def main():
            asyncio.get_running_loop().call_soon(on_answer, TYPED)
            await asyncio.sleep(0.01)
        asyncio.run(main())
        """
    )
    assert len(lines) == 1, lines
    assert "ERROR asyncio: Exception in callback on_answer: KeyError at" in lines[0]
    assert "Quillon" not in lines[0]


def test_a_crash_is_one_line() -> None:
    lines = stderr_of(
        """
        raise ValueError(TYPED)
        """
    )
    assert len(lines) == 1, lines
    assert "CRITICAL bot: stopped by an error: ValueError at <string>:" in lines[0]
    assert "Quillon" not in lines[0]


def test_an_error_that_ends_a_thread_is_one_line() -> None:
    lines = stderr_of(
        """
        import threading
        def work():
            raise ValueError(TYPED)
        thread = threading.Thread(target=work)
        thread.start()
        thread.join()
        """
    )
    assert len(lines) == 1, lines
    assert "ERROR bot: a thread stopped by an error: ValueError at <string>:" in lines[0]
    assert "Quillon" not in lines[0]


def test_a_message_over_several_lines_is_folded_onto_one() -> None:
    lines = stderr_of(
        """
        logging.getLogger("somewhere").warning("first\\nsecond")
        logging.getLogger("somewhere").info("plain")
        """
    )
    assert len(lines) == 2, lines
    assert lines[0].endswith("WARNING somewhere: first | second")
    assert lines[1].endswith("INFO somewhere: plain")
