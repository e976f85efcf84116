"""Compiling parsed FEEL into Python closures, and the built-in functions decision tables use.

A compiled expression is ``fn(scope) -> value``; a compiled cell is ``fn(scope) -> bool`` (matched or not:
null counts as not matched). ``scope`` holds the task data and, inside a cell, the input value (``?``).
"""

from __future__ import annotations

import datetime as dt
import decimal
import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from service.engine.feel import values as v
from service.engine.feel.grammar import FeelSyntaxError, parse


@dataclass(frozen=True)
class Scope:
    data: Mapping[str, Any]
    input: Any = None


Compiled = Callable[[Scope], Any]

_MISSING = object()


def _number(text: str) -> decimal.Decimal:
    return decimal.Decimal(text)


def _lookup(data: Mapping[str, Any], name: str) -> Any:
    value = data.get(name, _MISSING) if isinstance(data, Mapping) else _MISSING
    return None if value is _MISSING else v.from_python(value)


def _member(value: Any, name: str) -> Any:
    if isinstance(value, dict):
        return v.from_python(value.get(name))
    if isinstance(value, list):  # a path on a list maps over it, as FEEL says
        return [_member(item, name) for item in value]
    if isinstance(value, dt.date | dt.time | dt.timedelta | v.YearsMonths):
        return _temporal_member(value, name)
    return None


def _temporal_member(value: Any, name: str) -> Any:
    if isinstance(value, v.YearsMonths):
        parts = {"years": int(value.months / 12), "months": value.months % 12 if value.months >= 0
                 else -(abs(value.months) % 12)}
    elif isinstance(value, dt.timedelta):
        seconds = int(value.total_seconds())
        sign, seconds = (-1 if seconds < 0 else 1), abs(seconds)
        parts = {"days": sign * (seconds // 86400), "hours": sign * (seconds % 86400 // 3600),
                 "minutes": sign * (seconds % 3600 // 60), "seconds": sign * (seconds % 60)}
    else:
        parts = {k: getattr(value, k, None) for k in ("year", "month", "day", "hour", "minute", "second")}
        if isinstance(value, dt.date):
            parts["weekday"] = value.isoweekday()
    found = parts.get(name)
    return decimal.Decimal(found) if isinstance(found, int) else None


def _fn_not(value: Any) -> Any:
    return (not value) if isinstance(value, bool) else None


def _fn_date(*args: Any) -> Any:
    if len(args) == 3 and all(isinstance(a, decimal.Decimal) for a in args):
        try:
            return dt.date(int(args[0]), int(args[1]), int(args[2]))
        except ValueError:
            return None
    if len(args) == 1 and isinstance(args[0], dt.datetime):
        return args[0].date()
    if len(args) == 1 and isinstance(args[0], dt.date):
        return args[0]
    return v.parse_date(args[0]) if len(args) == 1 and isinstance(args[0], str) else None


def _fn_date_and_time(*args: Any) -> Any:
    if len(args) == 2 and isinstance(args[0], dt.date) and isinstance(args[1], dt.time):
        return dt.datetime.combine(args[0], args[1])
    if len(args) == 1 and isinstance(args[0], str):
        return v.parse_date_and_time(args[0])
    return None


def _fn_time(*args: Any) -> Any:
    if len(args) == 1 and isinstance(args[0], str):
        return v.parse_time(args[0])
    if len(args) == 1 and isinstance(args[0], dt.datetime):
        return args[0].timetz()
    return None


def _fn_duration(text: Any) -> Any:
    return v.parse_duration(text) if isinstance(text, str) else None


def _fn_years_and_months(start: Any, end: Any) -> Any:
    if not (isinstance(start, dt.date) and isinstance(end, dt.date)):
        return None
    months = (end.year - start.year) * 12 + end.month - start.month
    if months > 0 and end.day < start.day:
        months -= 1
    elif months < 0 and end.day > start.day:
        months += 1
    return v.YearsMonths(months)


def _numbers(items: Any) -> list | None:
    if not isinstance(items, list) or not all(isinstance(i, decimal.Decimal) and not isinstance(i, bool)
                                              for i in items):
        return None
    return items


def _list_args(args: tuple) -> Any:
    return args[0] if len(args) == 1 and isinstance(args[0], list) else list(args)


def _fn_sum(*args: Any) -> Any:
    items = _numbers(_list_args(args))
    if not items:
        return None
    total = decimal.Decimal(0)
    for item in items:
        total = v.NUMBERS.add(total, item)
    return total


def _fn_min_max(pick: Callable) -> Callable:
    def function(*args: Any) -> Any:
        items = _list_args(args)
        if not items or any(v.compare(items[0], i) is None for i in items):
            return None
        return pick(items)
    return function


def _string_fn(fn: Callable) -> Callable:
    def function(*args: Any) -> Any:
        return fn(*args) if args and all(isinstance(a, str) for a in args) else None
    return function


def _fn_string(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f") if value == value.to_integral_value() else str(value)
    python = v.to_python(value)
    return python if isinstance(python, str) else str(value)


def _fn_number(text: Any) -> Any:
    try:
        return decimal.Decimal(text.strip()) if isinstance(text, str) else None
    except decimal.InvalidOperation:
        return None


def _rounded(value: Any, rounding: str) -> Any:
    if not isinstance(value, decimal.Decimal):
        return None
    return value.quantize(decimal.Decimal(1), rounding=rounding)


BUILTINS: dict[str, Callable[..., Any]] = {
    "not": _fn_not,
    "date": _fn_date,
    "date and time": _fn_date_and_time,
    "time": _fn_time,
    "duration": _fn_duration,
    "years and months duration": _fn_years_and_months,
    "string": _fn_string,
    "number": _fn_number,
    "sum": _fn_sum,
    "min": _fn_min_max(min),
    "max": _fn_min_max(max),
    "count": lambda items: decimal.Decimal(len(items)) if isinstance(items, list) else None,
    "list contains": lambda items, item: (any(v.equal(i, item) for i in items) if isinstance(items, list)
                                          else None),
    "abs": lambda n: abs(n) if isinstance(n, decimal.Decimal) else None,
    "floor": lambda n: _rounded(n, decimal.ROUND_FLOOR),
    "ceiling": lambda n: _rounded(n, decimal.ROUND_CEILING),
    "string length": _string_fn(lambda s: decimal.Decimal(len(s))),
    "upper case": _string_fn(str.upper),
    "lower case": _string_fn(str.lower),
    "contains": _string_fn(lambda s, part: part in s),
    "starts with": _string_fn(lambda s, part: s.startswith(part)),
    "ends with": _string_fn(lambda s, part: s.endswith(part)),
    "is defined": lambda value: value is not None,
}
# Refused at deploy: a decision must not depend on when it runs (the process passes the date as data).
_CLOCK_FUNCTIONS = ("today", "now")


# ---------------------------------------------------------------- compiling


def _const(value: Any) -> Compiled:
    return lambda scope: value


def compile_node(node: tuple) -> Compiled:  # noqa: C901 - one branch per node kind keeps it readable
    kind = node[0]
    if kind == "number":
        return _const(_number(node[1]))
    if kind == "string":
        return _const(node[1])
    if kind == "literal":
        return _const(node[1])
    if kind == "temporal":
        return _const(v.temporal(node[1]))
    if kind == "input":
        return lambda scope: scope.input
    if kind == "name":
        name = node[1]
        return lambda scope: _lookup(scope.data, name)
    if kind == "path":
        inner, name = compile_node(node[1]), node[2]
        return lambda scope: _member(inner(scope), name)
    if kind == "neg":
        inner = compile_node(node[1])
        return lambda scope: v.NUMBERS.minus(x) if isinstance(x := inner(scope), decimal.Decimal) else (
            -x if isinstance(x, dt.timedelta) else v.YearsMonths(-x.months) if isinstance(x, v.YearsMonths) else None)
    if kind == "arith":
        op, left, right = node[1], compile_node(node[2]), compile_node(node[3])
        return lambda scope: v.arithmetic(op, left(scope), right(scope))
    if kind == "and":
        left, right = compile_node(node[1]), compile_node(node[2])
        return lambda scope: v.logical_and(_bool(left(scope)), _bool(right(scope)))
    if kind == "or":
        left, right = compile_node(node[1]), compile_node(node[2])
        return lambda scope: v.logical_or(_bool(left(scope)), _bool(right(scope)))
    if kind == "if":
        cond, then, other = compile_node(node[1]), compile_node(node[2]), compile_node(node[3])
        return lambda scope: then(scope) if cond(scope) is True else other(scope)
    if kind == "compare":
        return _compile_compare(node[1], compile_node(node[2]), compile_node(node[3]))
    if kind == "between":
        value, low, high = compile_node(node[1]), compile_node(node[2]), compile_node(node[3])
        return lambda scope: v.Range(True, low(scope), high(scope), True).contains(value(scope))
    if kind == "in":
        value, test = compile_node(node[1]), _compile_test(node[2])
        return lambda scope: test(Scope(scope.data, value(scope)))
    if kind == "list":
        items = [compile_node(i) for i in node[1]]
        return lambda scope: [item(scope) for item in items]
    if kind == "context":
        entries = [(key, compile_node(value)) for key, value in node[1]]
        return lambda scope: {key: value(scope) for key, value in entries}
    if kind == "range":
        start_in, low, high, end_in = node[1], compile_node(node[2]), compile_node(node[3]), node[4]
        return lambda scope: v.Range(start_in, low(scope), high(scope), end_in)
    if kind == "call":
        return _compile_call(node)
    if kind in ("compare_test", "tests"):
        raise FeelSyntaxError("Ikke gyldig FEEL: en sammenligning uden venstreside (som < 5) hører kun hjemme "
                              "i en betingelsescelle.")
    raise FeelSyntaxError(f"Ikke gyldig FEEL: {kind} understøttes ikke.")  # pragma: no cover


def _bool(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def _compile_compare(op: str, left: Compiled, right: Compiled) -> Compiled:
    if op == "=":
        return lambda scope: v.equal(left(scope), right(scope))
    if op == "!=":
        return lambda scope: None if (r := v.equal(left(scope), right(scope))) is None else not r
    wanted = {"<": (-1,), "<=": (-1, 0), ">": (1,), ">=": (1, 0)}[op]
    return lambda scope: None if (c := v.compare(left(scope), right(scope))) is None else c in wanted


def _compile_call(node: tuple) -> Compiled:
    target, args = node[1], node[2]
    if target[0] != "name":
        raise FeelSyntaxError("Ikke gyldig FEEL: kun FEEL's indbyggede funktioner kan kaldes, fx date(\"2024-01-01\").")
    if target[1] in _CLOCK_FUNCTIONS:
        raise FeelSyntaxError(f"Ikke gyldig FEEL: «{target[1]}()» afhænger af, hvornår tabellen kører; giv datoen "
                              "med som data i stedet.")
    if target[1] not in BUILTINS:
        raise FeelSyntaxError(f"Ikke gyldig FEEL: funktionen «{target[1]}» findes ikke i FEEL.")
    function = BUILTINS[target[1]]
    compiled = [compile_node(a) for a in args]

    def call(scope: Scope) -> Any:
        try:
            return function(*(a(scope) for a in compiled))
        except (TypeError, ValueError, ArithmeticError, OverflowError):
            return None  # wrong number or kind of arguments: null, as FEEL says
    return call


# ---------------------------------------------------------------- unary tests


def _compile_test(node: tuple) -> Compiled:
    """One positive unary test (or a parenthesised list of them) against scope.input."""
    if node[0] == "tests":
        tests = [_compile_test(t) for t in node[1]]
        return lambda scope: _any_true(t(scope) for t in tests)
    if node[0] == "compare_test":
        return _compile_compare(node[1], lambda scope: scope.input, compile_node(node[2]))
    expression = compile_node(node)
    if _uses_input(node):
        return lambda scope: expression(scope) is True
    return lambda scope: _matches(scope.input, expression(scope))


def _any_true(results: Any) -> bool | None:
    seen_null = False
    for result in results:
        if result is True:
            return True
        seen_null = seen_null or result is None
    return None if seen_null else False


def _matches(value: Any, test: Any) -> bool | None:
    """An expression used as a test: a range contains the input, a list holds it, anything else equals it."""
    if isinstance(test, v.Range):
        return test.contains(value)
    if isinstance(test, list) and not isinstance(value, list):
        return _any_true(v.equal(value, item) for item in test)
    return v.equal(value, test)


def _uses_input(node: Any) -> bool:
    if isinstance(node, tuple):
        return node == ("input",) or any(_uses_input(part) for part in node)
    return False


@functools.lru_cache(maxsize=4096)
def compile_unary_tests(text: str) -> Callable[[Scope], bool]:
    """An input entry as a function of the scope: True when the input matches (null: not matched)."""
    node = parse(text, "unary_tests")
    if node == ("any",):
        return lambda scope: True
    tests = node[1]
    if len(tests) == 1 and tests[0][0] == "call" and tests[0][1] == ("name", "not"):
        # not(t1, t2, ...): none of the tests matches
        inner = _compile_test(("tests", tests[0][2]))
        return lambda scope: inner(scope) is False
    test = _compile_test(node)
    return lambda scope: test(scope) is True


@functools.lru_cache(maxsize=4096)
def compile_expression(text: str) -> Compiled:
    """An input expression or output entry; FeelSyntaxError when it is not FEEL."""
    node = parse(text, "expression")
    if _uses_input(node):
        raise FeelSyntaxError("Ikke gyldig FEEL: ? (inputværdien) kan kun bruges i en betingelsescelle.")
    return compile_node(node)


def evaluate(text: str, data: Mapping[str, Any]) -> Any:
    """A FEEL expression's value against task data (FEEL values: Decimal, date, ...)."""
    return compile_expression(text)(Scope(data))


def matches(text: str, value: Any, data: Mapping[str, Any]) -> bool:
    """Whether an input entry matches the input value (a FEEL value) in the given task data."""
    return compile_unary_tests(text)(Scope(data, value))


@functools.lru_cache(maxsize=1024)
def listed_values(text: str) -> tuple[Any, ...]:
    """The values a list of unary tests names ("high","low" -> ("high", "low")): an output's possible values,
    in the priority order PRIORITY and OUTPUT ORDER use. Comparisons and ranges name no value."""
    node = parse(text, "unary_tests")
    tests = node[1] if node[0] == "tests" else ()
    return tuple(compile_node(t)(Scope({})) for t in tests if t[0] != "compare_test" and not _uses_input(t))
