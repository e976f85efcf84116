"""Structured logs: one JSON object per line on stdout, never a CPR number or case content.

What keeps case content out: SQLAlchemy hides bound parameters (service/db.py), request bodies and query values are
never logged, exception messages are logged only for exception types whose text we know carries no case data, and
as a last guard every line has CPR-shaped numbers masked before it is written.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import traceback
from datetime import UTC, datetime
from typing import Any

CPR_SHAPED = re.compile(r"(?<!\w)\d{6}[-\s]?\d{4}(?!\w)")  # ids and hex digests have letters about
CPR_MASK = "[cpr skjult]"
# Ten digits in a row (or six, a dash, four), whatever is around them: in text a client chose (a path, a request
# id) that is a CPR number as far as a log is concerned. A UUID never has such a run.
TEN_DIGITS = re.compile(r"(?<!\d)\d{6}-?\d{4}(?!\d)")
# A path segment a log line may show: our own route words, process ids, file names, numeric ids and UUIDs. A
# capital letter, a space, a letter outside a-z or a CPR-shaped run means text a client typed (a name, a search).
_LOGGABLE_SEGMENT = re.compile(r"[a-z0-9_.-]{0,64}")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
CONTEXT_FIELDS = ("request_id", "user_id", "case_id", "method", "path", "status", "duration_ms", "task")
_configured = False


def mask_cpr(text: str) -> str:
    return CPR_SHAPED.sub(CPR_MASK, text)


def loggable_path(path: str) -> str:
    """The request's path for a log line, with every segment that could be a client's text shown as "…":
    "/api/cases/Ingrid Holm" is logged as "/api/cases/…", "/api/cases/<uuid>/frister" as it is."""
    return "/".join(segment if _LOGGABLE_SEGMENT.fullmatch(segment) and not TEN_DIGITS.search(segment) else "…"
                    for segment in path.split("/"))


def _message_is_safe(exc: BaseException) -> bool:
    """Messages we may log: SQLAlchemy's (parameters hidden), the OS's and the broker's connection errors."""
    from sqlalchemy.exc import SQLAlchemyError
    if isinstance(exc, SQLAlchemyError | OSError | TimeoutError):
        return True
    module = type(exc).__module__.split(".", 1)[0]
    return module in {"kombu", "redis", "amqp", "celery", "gunicorn", "alembic"}


def _exception_text(exc_info: Any) -> str:
    exc_type, exc, tb = exc_info
    frames = "".join(traceback.format_tb(tb))  # file, line, function and source line: code, not data
    name = f"{exc_type.__module__}.{exc_type.__qualname__}"
    message = str(exc) if _message_is_safe(exc) else "(besked udeladt: kan indeholde sagsoplysninger)"
    return f"Traceback:\n{frames}{name}: {message}"


def _message(record: logging.LogRecord) -> str:
    """The record's text. Celery's line for a failed task formats in repr(exception) (its arguments are not in the
    line, and ours take ids only): the exception's text is kept only where we know it carries no case data."""
    args = record.args
    if record.name.startswith("celery") and isinstance(args, dict) and "exc" in args:
        exc = record.exc_info[1] if record.exc_info else None
        if exc is None or not _message_is_safe(exc):
            shown = f"{type(exc).__qualname__} (besked udeladt)" if exc is not None else "(besked udeladt)"
            return str(record.msg) % {**args, "exc": shown}
    return record.getMessage()


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": _message(record),
        }
        for key in CONTEXT_FIELDS:
            value = getattr(record, key, None)
            if value is None:
                value = _request_context(key)
            if value is not None:
                line[key] = value
        if record.exc_info and record.exc_info[0] is not None:
            line["exc"] = _exception_text(record.exc_info)
        return mask_cpr(json.dumps(line, ensure_ascii=False, default=str))


def _request_context(key: str) -> Any:
    """Request id, user and case for lines logged while a request is served (a library's warning included)."""
    if key not in ("request_id", "user_id", "case_id"):
        return None
    from flask import g, has_request_context, request
    if not has_request_context():
        return None
    if key == "request_id":
        return g.get("request_id")
    if key == "user_id":
        return g.get("user_id")  # an id, not g.user: reading a rolled-back row would query the database
    case_id = (request.view_args or {}).get("case_id")
    return case_id if isinstance(case_id, str) and _UUID.fullmatch(case_id) else None  # not a client's text


class TerminalFormatter(JsonFormatter):
    """The embedded default (`make run`): the same fields as short text lines for a person at a terminal."""

    def format(self, record: logging.LogRecord) -> str:
        line = json.loads(super().format(record))
        when = line["ts"][11:19]
        if record.name == "sagsflow.request":
            who = f" bruger {line['user_id']}" if "user_id" in line else ""
            return f"{when} {line['msg']} {line.get('duration_ms', '')} ms{who}"
        text = f"{when} {line['level'].upper()} {line['msg']}"
        return text + (f"\n{line['exc']}" if "exc" in line else "")


def configure(level: str = "INFO", *, terminal: bool = False) -> None:
    """Route every logger (ours, Flask's, gunicorn's, Celery's) to one handler on stdout: JSON lines, or short
    text lines when a person runs the embedded default."""
    global _configured
    if _configured:
        return
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(TerminalFormatter() if terminal else JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in ("gunicorn.error", "gunicorn.access", "celery", "werkzeug"):
        child = logging.getLogger(name)
        child.handlers[:] = []
        child.propagate = True
    logging.getLogger("spiff").setLevel(logging.WARNING)  # every task state change at INFO: noise, not events
    _configured = True


def gunicorn_logconfig(*, terminal: bool = False) -> dict[str, Any]:
    """gunicorn's own loggers through the same formatter (its master process logs before our app loads)."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": TerminalFormatter if terminal else JsonFormatter}},
        "handlers": {"stdout": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stdout"}},
        "root": {"handlers": ["stdout"], "level": "INFO"},
        # gunicorn's access lines would carry query values (a CPR search); the app logs requests itself.
        # At a terminal gunicorn's start-up chatter is left out: the person needs the address and errors.
        "loggers": {"spiff": {"level": "WARNING"},
                    "gunicorn.error": {"handlers": [], "propagate": True, "level": "WARNING" if terminal else "INFO"},
                    "gunicorn.access": {"handlers": [], "propagate": False, "level": "CRITICAL"}},
    }
