"""The CPU time one expression or script of a model may use, counted per thread without garbage collection."""

from __future__ import annotations

import gc
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from service.engine.limits import FILENAME, ExpressionTimedOut

_seconds = 1.0


def set_seconds(seconds: float) -> None:
    """CPU seconds one expression or script may use (SAGSFLOW_EXPRESSION_SECONDS)."""
    global _seconds  # noqa: PLW0603 - one setting for the process, set at start-up like the helpers
    _seconds = seconds


def seconds() -> float:
    return _seconds


_gc = threading.local()  # per thread: CPU seconds spent collecting garbage, and when the running collection began


def _on_gc(phase: str, info: dict[str, Any]) -> None:
    # A collection runs in the thread whose allocation set it off, and a full one in a big process can take
    # a good part of a second: that is the process's housekeeping, not the model's, so it is not counted.
    if phase == "start":
        _gc.began = time.thread_time()
    elif (began := getattr(_gc, "began", None)) is not None:
        _gc.spent = getattr(_gc, "spent", 0.0) + time.thread_time() - began
        _gc.began = None


gc.callbacks.append(_on_gc)


def _model_time() -> float:
    """This thread's CPU time, less what it spent collecting garbage."""
    return time.thread_time() - getattr(_gc, "spent", 0.0)


@contextmanager
def time_limit() -> Iterator[None]:
    """Raise ExpressionTimedOut inside model code running longer than ``seconds()`` in this thread."""
    limit = _seconds
    deadline = _model_time() + limit
    previous = sys.gettrace()

    def local(frame: Any, event: str, arg: Any) -> Any:
        if _model_time() > deadline:
            raise ExpressionTimedOut(limit)
        return local

    def on_call(frame: Any, event: str, arg: Any) -> Any:
        # Only model frames (comprehensions included); helpers such as frist() run untraced at full speed.
        return local(frame, event, arg) if frame.f_code.co_filename == FILENAME else None

    sys.settrace(on_call)
    try:
        yield
    finally:
        sys.settrace(previous)
