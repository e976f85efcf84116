"""The engine's interface: the service calls these, and only service/engine imports SpiffWorkflow.

Everything else hands the engine our own values (spec JSON, state JSON, dicts) and gets our own dataclasses back, so
the library's object graph, serializer version and quirks stay inside this package, one module per concern:
- patches.py: where SpiffWorkflow 3.2 is patched (the one clock; event subprocesses in embedded subprocesses);
- parsing.py: deploy time, a model validated and turned into a spec;
- scripting.py: every expression runs in our sandbox, never in the library's plain ``eval``;
- serialisation.py: specs cached per version, instance state stored without them and kept small by pruning;
- reading.py: what an instance waits for (user tasks, timers, messages) and what a step did worth journalling;
- stepping.py: start, complete, message, timers — each runs the engine until it waits; form data is set with
  ``Task.set_data`` (plain update), never ``add_data_from_form``, whose deep merge corrupts lists;
- migration.py: a running instance moved to another version.
"""

from __future__ import annotations

from service.engine import patches  # noqa: F401 - the library's patches, applied on import
from service.engine.migration import migrate
from service.engine.parsing import parse_model
from service.engine.results import (
    EngineError,
    ModelInvalid,
    NotMigratable,
    NotWaiting,
    ParsedModel,
    ProcessEvent,
    StepResult,
    TimerInfo,
    UserTaskInfo,
    Waited,
)
from service.engine.scripting import set_expression_functions
from service.engine.serialisation import SERIALIZER_VERSION, VersionSource
from service.engine.stepping import complete_task, fire_due_timers, send_message, start, waiting

__all__ = ["SERIALIZER_VERSION", "EngineError", "ModelInvalid", "NotMigratable", "NotWaiting", "ParsedModel",
           "ProcessEvent", "StepResult", "TimerInfo", "UserTaskInfo", "VersionSource", "Waited", "complete_task",
           "fire_due_timers", "migrate", "parse_model", "send_message", "set_expression_functions", "start",
           "waiting"]
