"""Restricted evaluation of the Python expressions and scripts inside process models.

SpiffWorkflow would ``eval``/``exec`` them with full builtins, and blacklists of builtins are
escapable (``().__class__.__base__.__subclasses__()``), so we whitelist instead: the AST may
only contain harmless node types, names and attributes. ``check_*`` run at deploy and never
execute anything; ``safe_*`` repeat the same check (cached) before running with
``SAFE_BUILTINS`` as the only builtins, as defence in depth. Stdlib only, no SpiffWorkflow.
Resource exhaustion (``10**10**9``, ``"x" * 10**10``, endless loops) is bounded by ``limits``: refused at
deploy where the constants show it, stopped at run time otherwise.
"""

from __future__ import annotations

import ast
import builtins
import datetime as _dt
import functools
import textwrap
import types
from collections.abc import Mapping, MutableMapping
from typing import Any

from service.engine import limits, time_limit


class ExpressionRejected(ValueError):
    """An expression or script uses something the sandbox does not allow."""

    def __init__(self, expression: str, reason: str, reason_en: str, lineno: int | None = None) -> None:
        self.expression = expression
        self.reason = reason  # Danish, shown to process owners
        self.reason_en = reason_en
        self.lineno = lineno
        where = f" (linje/line {lineno})" if lineno else ""
        super().__init__(f"{reason} / {reason_en}{where}: {expression!r}")


_SAFE_BUILTIN_NAMES = ("len", "min", "max", "sum", "abs", "round", "sorted", "any", "all", "int", "float",
                       "str", "bool", "list", "dict", "set", "tuple", "range", "enumerate", "zip", "reversed")
SAFE_BUILTINS: dict[str, Any] = {name: getattr(builtins, name) for name in _SAFE_BUILTIN_NAMES}
SAFE_BUILTINS["range"] = limits.bounded_range  # sum(range(10**12)) is a C loop no time limit can stop

# Names that reach code execution, the file system, frames or type machinery.
DENIED_NAMES = frozenset({
    "eval", "exec", "compile", "open", "__import__", "getattr", "setattr", "delattr", "hasattr", "globals",
    "locals", "vars", "dir", "input", "breakpoint", "help", "memoryview", "type", "object", "super",
    "classmethod", "staticmethod", "property", "exit", "quit"})

# Public attributes of the value types task data holds. format/format_map are excluded because a
# format string walks attributes itself: "{0.__class__}".format(x).
_ATTRIBUTE_SOURCES = (str, dict, list, int, float, _dt.date, _dt.datetime, _dt.timedelta)
ALLOWED_ATTRIBUTES = frozenset(
    name for cls in _ATTRIBUTE_SOURCES for name in dir(cls) if not name.startswith("_")
) - {"format", "format_map"}

_EXPRESSION_NODES = (
    ast.Expression, ast.Constant, ast.Name, ast.List, ast.Tuple, ast.Set, ast.Dict, ast.ListComp,
    ast.SetComp, ast.DictComp, ast.comprehension, ast.BoolOp, ast.BinOp, ast.UnaryOp, ast.Compare,
    ast.IfExp, ast.Subscript, ast.Slice, ast.Attribute, ast.Call, ast.keyword, ast.Starred,
    ast.JoinedStr, ast.FormattedValue, ast.boolop, ast.operator, ast.unaryop, ast.cmpop, ast.Load,
    ast.Store)
# No def/class/lambda/try/with/raise/del/global: none is needed for data logic. While may loop long, but
# the time limit stops it, and a `while True` without break is refused by limits.static_problems.
_SCRIPT_NODES = _EXPRESSION_NODES + (ast.Module, ast.Assign, ast.AugAssign, ast.If, ast.For, ast.While,
                                     ast.Expr, ast.Pass, ast.Break, ast.Continue)

_IMPORT = ("Udtrykket må ikke importere moduler", "Importing modules is not allowed")
_DEFINITION = ("Definition af funktioner og klasser (def, lambda, class) er ikke tilladt",
               "Defining functions or classes (def, lambda, class) is not allowed")
_NODE_MESSAGES: dict[type, tuple[str, str]] = {
    ast.Import: _IMPORT, ast.ImportFrom: _IMPORT,
    ast.Lambda: _DEFINITION, ast.FunctionDef: _DEFINITION, ast.AsyncFunctionDef: _DEFINITION,
    ast.ClassDef: _DEFINITION,
    ast.GeneratorExp: ("Generatorudtryk er ikke tilladt; brug en liste: [... for ... in ...]",
                       "Generator expressions are not allowed; use a list comprehension"),
    ast.Try: ("try/except er ikke tilladt", "try/except is not allowed"),
    ast.With: ("with-blokke er ikke tilladt", "with blocks are not allowed"),
}


def _violations(tree: ast.AST, mode: str) -> list[tuple[int, ast.AST, str, str]]:
    """All violations as (severity, node, danish, english); severity 0 is the most telling."""
    allowed = _EXPRESSION_NODES if mode == "eval" else _SCRIPT_NODES
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            if node.id == "__import__":
                found.append((0, node, *_IMPORT))
            elif node.id in DENIED_NAMES:
                found.append((1, node, f"Funktionen '{node.id}' er ikke tilladt",
                              f"The function '{node.id}' is not allowed"))
            elif node.id.startswith("_"):
                found.append((1, node, f"Navnet '{node.id}' er ikke tilladt (navne må ikke starte med '_')",
                              f"The name '{node.id}' is not allowed (names must not start with '_')"))
        elif isinstance(node, ast.Attribute):
            if node.attr.startswith("_") or node.attr not in ALLOWED_ATTRIBUTES:
                severity = 2 if node.attr.startswith("_") else 4
                found.append((severity, node, f"Adgang til attributten '{node.attr}' er ikke tilladt",
                              f"Access to the attribute '{node.attr}' is not allowed"))
            elif isinstance(node.ctx, ast.Store):
                found.append((3, node, "Tildeling til attributter er ikke tilladt",
                              "Assigning to attributes is not allowed"))
        elif isinstance(node, ast.Call) and not isinstance(node.func, ast.Name | ast.Attribute):
            # x["f"]() or f()(): the callee would not be checked by name.
            found.append((3, node, "Kun kald af navngivne funktioner og metoder er tilladt",
                          "Only named functions and methods may be called"))
        elif isinstance(node, ast.comprehension) and node.is_async:
            found.append((3, node, "async er ikke tilladt", "async is not allowed"))
        elif not isinstance(node, allowed):
            name = type(node).__name__
            severity = 0 if node.__class__ in (ast.Import, ast.ImportFrom) else 3
            if not hasattr(node, "lineno"):
                severity = 5  # arguments, alias, Del...: only ever inside a construct reported better
            default = (f"Konstruktionen '{name}' er ikke tilladt", f"The construct '{name}' is not allowed")
            found.append((severity, node, *_NODE_MESSAGES.get(type(node), default)))
    return found


def _position(node: ast.AST) -> tuple[int, int, int]:
    # The innermost node first, so ().__class__.__base__ reports '__class__'.
    return (getattr(node, "lineno", 0), getattr(node, "col_offset", 0), getattr(node, "end_col_offset", 0))


def _normalise(source: str, mode: str) -> str:
    # Text from BPMN XML is usually indented; dedenting never changes the meaning of valid code.
    return source.strip() if mode == "eval" else textwrap.dedent(source)


@functools.lru_cache(maxsize=2048)
def _prepare(source: str, mode: str) -> tuple[types.CodeType, frozenset[str]]:
    """Check and compile once per (source, mode); returns the code and the names it calls.

    SyntaxError propagates unchanged (the deploy check reports it separately).
    """
    try:
        tree = ast.parse(source, mode=mode)
        problems = _violations(tree, mode)
        if problems:
            severity, node, reason, reason_en = min(problems, key=lambda p: (p[0], *_position(p[1])))
            raise ExpressionRejected(source, reason, reason_en, getattr(node, "lineno", None))
        for node, reason in limits.static_problems(tree):
            raise ExpressionRejected(source, f"Udtrykket kan ikke beregnes inden for grænserne: {reason}",
                                     "The expression cannot be computed within the limits",
                                     getattr(node, "lineno", None))
        called = frozenset(n.func.id for n in ast.walk(tree)
                           if isinstance(n, ast.Call) and isinstance(n.func, ast.Name))
        compile(tree, limits.FILENAME, mode)  # 'break' outside a loop is a SyntaxError on the user's own code
        code = compile(limits.guarded(tree), limits.FILENAME, mode)
    except (RecursionError, MemoryError) as err:
        raise ExpressionRejected(source, "Udtrykket er for komplekst",
                                 "The expression is too complex") from err
    return code, called


def check_expression(source: str) -> None:
    """Raise ExpressionRejected (or SyntaxError) unless ``source`` is an allowed expression."""
    _prepare(_normalise(source, "eval"), "eval")


def check_script(source: str) -> None:
    """Raise ExpressionRejected (or SyntaxError) unless ``source`` is an allowed script."""
    _prepare(_normalise(source, "exec"), "exec")


def _runtime(source: str, mode: str, globals_: Mapping[str, Any]) -> types.CodeType:
    source = _normalise(source, mode)
    code, called = _prepare(source, mode)
    # The static check cannot know the injected helpers; at run time a called name must be one.
    for name in sorted(called):
        if name not in SAFE_BUILTINS and name not in globals_:
            raise ExpressionRejected(source, f"Funktionen '{name}' er ikke tilgængelig",
                                     f"The function '{name}' is not available")
    return code


def _namespace(names: Mapping[str, Any], globals_: Mapping[str, Any]) -> dict[str, Any]:
    # One flat dict, not globals+locals: in a separate locals mapping, comprehensions (own scope in
    # 3.11) cannot see task data. __builtins__ goes last so task data can never replace it - a
    # missing __builtins__ would make Python insert the real ones.
    return {**globals_, **names, **limits.GUARDS, "__builtins__": SAFE_BUILTINS}


def _run(code: types.CodeType, namespace: dict[str, Any]) -> Any:
    """The one place model code runs. eval runs a compiled script too (returning None), so there is no exec.
    It is deliberate and safe: the code passed _prepare's AST allow-list (no dunder attributes, no imports,
    only known calls), sees only SAFE_BUILTINS, and runs under the time and size limits of limits.py."""
    with time_limit.time_limit():
        return eval(code, namespace)  # noqa: S307  # nosec B307


def safe_eval(source: str, names: Mapping[str, Any], globals_: Mapping[str, Any] | None = None) -> Any:
    """Evaluate an allowed expression over ``names`` (task data); ``globals_`` may hold helpers."""
    globals_ = globals_ or {}
    code = _runtime(source, "eval", globals_)
    return _run(code, _namespace(names, globals_))


def safe_exec(source: str, names: MutableMapping[str, Any],
              globals_: Mapping[str, Any] | None = None) -> None:
    """Run an allowed script; its assignments land in ``names`` only if it completes."""
    globals_ = globals_ or {}
    code = _runtime(source, "exec", globals_)
    namespace = _namespace(names, globals_)
    _run(code, namespace)
    for key, value in namespace.items():
        # Like SpiffWorkflow: injected globals (helpers, data objects) are not copied into task data.
        if key != "__builtins__" and key not in limits.GUARDS and not limits.is_temporary(key) \
                and (key not in globals_ or key in names):
            names[key] = value
    for key in [k for k, v in names.items() if callable(v) or isinstance(v, types.ModuleType)]:
        del names[key]  # task data must stay plain data (f = len would otherwise be persisted)
