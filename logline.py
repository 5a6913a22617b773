"""One line per logged event, and an error is logged as its type and where, never its message.

An exception's message (and a traceback's lines) can hold what a person typed or a name. Our own code logs
`where(error)`; libraries log tracebacks themselves (asyncio's "Task exception was never retrieved",
aiohttp's "Error handling request", python-telegram-bot's task errors), so the formatter turns any record
carrying an exception into its first line plus `where`, and folds any other message onto one line.
"""

from __future__ import annotations

import logging
import re
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType

FRAMES_SHOWN = 6
ROOT = str(Path(__file__).resolve().parent)
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# asyncio's first line names the callback with its arguments ("Exception in callback f('text')"): cut there.
ASYNCIO_DETAIL = re.compile(r"[(<].*")


def where(error: BaseException) -> str:
    """`TypeName at reply.py:12 in edit_screen <- buttons.py:40 in on_button (in _bot.py:741 in _do_post)`:
    our own frames, innermost first, then the innermost frame of all (often in a library). No message."""
    frames = traceback.extract_tb(error.__traceback__)
    ours = [f for f in frames if f.filename.startswith(ROOT) and "site-packages" not in f.filename]
    trail = " <- ".join(_frame(f) for f in reversed(ours[-FRAMES_SHOWN:]))
    if frames and (not ours or frames[-1] is not ours[-1]):
        trail = f"{trail} (in {_frame(frames[-1])})" if trail else _frame(frames[-1])
    return f"{type(error).__name__} at {trail}" if trail else type(error).__name__


def _frame(frame: traceback.FrameSummary) -> str:
    return f"{Path(frame.filename).name}:{frame.lineno} in {frame.name}"


class OneLine(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        error = record.exc_info[1] if record.exc_info else None
        if error is None and not record.stack_info and "\n" not in record.getMessage():
            return super().format(record)
        line = record.getMessage().strip()
        if error is not None:
            # Only the first line: the rest of a library's message describes the failed task, with its text.
            line = line.splitlines()[0] if line else "error"
            if record.name == "asyncio":
                line = ASYNCIO_DETAIL.sub("", line).strip()
            line = f"{line}: {where(error)}"
        plain = logging.makeLogRecord(record.__dict__)
        plain.msg, plain.args = " | ".join(line.splitlines()), None
        plain.exc_info = plain.exc_text = plain.stack_info = None
        return super().format(plain)


def install(level: str) -> None:
    """Log to stderr at `level`, one line per event, tracebacks included (a crash, a thread's error)."""
    handler = logging.StreamHandler()
    handler.setFormatter(OneLine(FORMAT))
    logging.basicConfig(level=level, handlers=[handler])
    sys.excepthook = _log_crash
    threading.excepthook = _log_thread_error


def _log_crash(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, error, trace)
        return
    logging.getLogger("bot").critical("stopped by an error: %s", where(error.with_traceback(trace)))


def _log_thread_error(args: threading.ExceptHookArgs) -> None:
    if args.exc_value is not None:
        logging.getLogger("bot").error("a thread stopped by an error: %s", where(args.exc_value))
