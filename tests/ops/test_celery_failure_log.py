"""A Celery task that fails with case data in its exception: the worker's log line names the task and the
exception type, never the text. (Sagsflow's tasks take no arguments; Celery leaves arguments out of the line.)"""

from __future__ import annotations

import io
import json
import logging

from celery import Celery

from service.logs import JsonFormatter

CHILD = "Ingrid Holm 120521-4326"


def test_a_failing_task_is_logged_with_its_exception_type_but_not_the_childs_name_or_cpr():
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(JsonFormatter())
    trace_log = logging.getLogger("celery.app.trace")
    trace_log.addHandler(handler)
    app = Celery("prøve", set_as_current=False)

    @app.task(name="sagsflow.proeve_fejler")
    def fails(case_id: str) -> None:
        raise KeyError(f"{CHILD} på sag {case_id}")  # (the source line in the traceback: code, not data)

    try:
        assert fails.apply(args=("3dd0af9f-ba85-48cb-9dbf-ee7fcf468eab",)).state == "FAILURE"
    finally:
        trace_log.removeHandler(handler)
    line = json.loads(out.getvalue().splitlines()[-1])
    assert line["level"] == "error" and "sagsflow.proeve_fejler" in line["msg"]
    assert "raised unexpected: KeyError (besked udeladt)" in line["msg"]
    written = out.getvalue()
    assert "Ingrid" not in written and "120521" not in written and "cpr skjult" not in written
