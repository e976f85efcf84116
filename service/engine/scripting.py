"""Every expression and script of a model runs in our sandbox (service/engine/sandbox.py), never in
SpiffWorkflow's plain ``eval``, with the functions the service injects (frist, advis, ...)."""

from __future__ import annotations

from typing import Any

from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.script_engine.python_environment import BasePythonScriptEngineEnvironment

from service.engine import sandbox

# Functions models may call (e.g. frist("bfu", underretning["modtaget"])), set by the service at start-up.
injected: dict[str, Any] = {}


def set_expression_functions(functions: dict[str, Any]) -> None:
    injected.clear()
    injected.update(functions)


# FEEL's booleans, so a cell edited with bpmn.io's DMN editor (which writes true/false) still works.
_LITERALS = {"true": True, "false": False}


def _helpers(context: dict) -> dict[str, Any]:
    # findes("bfu"): whether a task has put this key in the data yet (a plain name would raise).
    return {**injected, **_LITERALS, "findes": lambda key: context.get(key) is not None}


class _SandboxEnvironment(BasePythonScriptEngineEnvironment):
    def evaluate(self, expression: str, context: dict, external_context: dict | None = None) -> Any:
        return sandbox.safe_eval(expression, {**context, **(external_context or {})}, _helpers(context))

    def execute(self, script: str, context: dict, external_context: dict | None = None) -> bool:
        sandbox.safe_exec(script, context, {**(external_context or {}), **_helpers(context)})
        return True


script_engine = PythonScriptEngine(environment=_SandboxEnvironment())
