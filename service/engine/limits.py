"""Time and size limits for model expressions, so no model can hang or exhaust a web or Celery worker.

Two mechanisms, because neither alone suffices:

* Size: one C-level operation (``10**10**9``, ``"x" * 10**10``, ``"".ljust(10**10)``) allocates before any
  Python line runs again, so no timer can stop it. The checked AST is rewritten so every operation that can
  grow a value faster than its inputs (``+ * ** << %``, f-string widths, ``join``/``replace``/``ljust``...,
  ``range``) first passes ``guard_*``, which estimates the result's size and refuses it beyond the limits.
  With constant operands the same guards run at validation (``static_problems``), so the model is refused.
* Time: a per-thread trace function (``sys.settrace``) counts down a deadline on every line and loop
  iteration of model code and raises inside it. The deadline is in the thread's own CPU time, not wall time:
  on a busy server (or beside other threads holding the GIL) a one-line condition can wait a second for the
  CPU, and refusing it then would fail a case for the machine's load; an endless loop burns CPU and is stopped.
  Signals (SIGALRM, ``setitimer``) reach only the main thread:
  gunicorn's gthread workers run requests in other threads, and one alarm per process cannot serve
  concurrent requests; ``settrace`` is per thread and works the same in a Celery prefork child. Processes
  per expression would cost milliseconds each. C loops cannot be traced, so ``range`` is bounded by size.

Recursion is impossible: the sandbox refuses def, lambda and class.
"""

from __future__ import annotations

import ast
import operator
import re
from collections.abc import Callable, Iterator
from typing import Any

FILENAME = "<sagsflow-model>"  # the code name of compiled model code; only its frames are traced
MAX_ITEMS = 1_000_000  # characters of a string, elements of a list/tuple, numbers in a range
MAX_INT_BITS = 100_000  # about 30,000 decimal digits

class ExpressionLimitExceeded(Exception):
    """Model code went beyond a limit at run time; ``reason`` is Danish."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ExpressionTimedOut(ExpressionLimitExceeded):
    def __init__(self, limit: float) -> None:
        super().__init__(f"stoppet efter {limit:g} s")
        self.limit = limit


_POWER = "potens med for store tal"
_REPEAT = "gentagelse med for mange elementer"
_NUMBER = "for store tal"
_LONG = "resultatet bliver for langt"
_WIDTH = "formatering med for stor bredde"


def _length(value: Any) -> int | None:
    return len(value) if isinstance(value, str | bytes | list | tuple) else None


def _int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_binop(op: type, left: Any, right: Any) -> None:
    if op is ast.Pow and _int(left) and _int(right):
        if right > 0 and abs(left) > 1 and (left.bit_length() - 1) * right > MAX_INT_BITS:
            raise ExpressionLimitExceeded(_POWER)
    elif op is ast.Mult:
        for seq, times in ((left, right), (right, left)):
            size = _length(seq)
            if size is not None and _int(times) and size * times > MAX_ITEMS:
                raise ExpressionLimitExceeded(_REPEAT)
        if _int(left) and _int(right) and left.bit_length() + right.bit_length() > MAX_INT_BITS:
            raise ExpressionLimitExceeded(_NUMBER)
    elif op is ast.LShift and _int(left) and _int(right) and left and left.bit_length() + right > MAX_INT_BITS:
        raise ExpressionLimitExceeded(_NUMBER)
    elif op is ast.Add and (_length(left) or 0) + (_length(right) or 0) > MAX_ITEMS:
        raise ExpressionLimitExceeded(_LONG)
    elif op is ast.Mod and isinstance(left, str):
        _check_widths(left, percent=True)


# %-10.3f, %*d: a width is digits or '*' after '%' and flags; in a format spec after fill/align/sign.
_PERCENT_WIDTH = re.compile(r"%[-+ #0]*(\*|\d+)?(?:\.(\*|\d+))?")
_SPEC_WIDTH = re.compile(r"(\d+)")


def _check_widths(text: str, *, percent: bool) -> None:
    numbers = ([n for m in _PERCENT_WIDTH.finditer(text) for n in m.groups() if n]
               if percent else _SPEC_WIDTH.findall(text))
    if "*" in numbers or any(len(n) > 7 or int(n) > MAX_ITEMS for n in numbers if n != "*"):
        raise ExpressionLimitExceeded(_WIDTH)


_OPERATORS: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: operator.add, ast.Mult: operator.mul, ast.Pow: operator.pow, ast.LShift: operator.lshift,
    ast.Mod: operator.mod}
_IN_PLACE: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: operator.iadd, ast.Mult: operator.imul, ast.Pow: operator.ipow, ast.LShift: operator.ilshift,
    ast.Mod: operator.imod}
_OP_NAMES = {op: op.__name__ for op in _OPERATORS}
_OP_BY_NAME = {name: op for op, name in _OP_NAMES.items()}


def guard_binop(op_name: str, left: Any, right: Any) -> Any:
    op = _OP_BY_NAME[op_name]
    _check_binop(op, left, right)
    return _OPERATORS[op](left, right)


def guard_inplace(op_name: str, left: Any, right: Any) -> Any:
    op = _OP_BY_NAME[op_name]
    _check_binop(op, left, right)
    return _IN_PLACE[op](left, right)


def _check_method(target: Any, name: str, args: tuple, kwargs: dict) -> None:
    if name in ("ljust", "rjust", "center", "zfill"):
        width = args[0] if args else kwargs.get("width", 0)
        if _int(width) and width > MAX_ITEMS:
            raise ExpressionLimitExceeded(_WIDTH)
    elif name == "expandtabs" and isinstance(target, str):
        size = args[0] if args else kwargs.get("tabsize", 8)
        if _int(size) and len(target) + target.count("\t") * size > MAX_ITEMS:
            raise ExpressionLimitExceeded(_LONG)
    elif name == "replace" and isinstance(target, str) and len(args) >= 2 \
            and isinstance(args[0], str) and isinstance(args[1], str):
        count = target.count(args[0]) if args[0] else len(target) + 1
        if len(target) + count * (len(args[1]) - len(args[0])) > MAX_ITEMS:
            raise ExpressionLimitExceeded(_LONG)
    elif name == "join" and isinstance(target, str) and args:
        items = args[0]
        if sum(len(i) for i in items if isinstance(i, str)) + len(target) * len(items) > MAX_ITEMS:
            raise ExpressionLimitExceeded(_LONG)
    elif name == "extend" and isinstance(target, list) and args and _length(args[0]) is not None \
            and len(target) + len(args[0]) > MAX_ITEMS:
        raise ExpressionLimitExceeded(_LONG)


def guard_method(owner: Any, name: str, *args: Any, **kwargs: Any) -> Any:
    method = getattr(owner, name)
    target, rest = (args[0], args[1:]) if isinstance(owner, type) and args else (owner, args)
    if name == "join" and rest and not isinstance(rest[0], list | tuple):
        rest = (list(rest[0]), *rest[1:])  # an iterator is read once: measure and join the same list
        args = (*args[:len(args) - len(rest)], *rest)
    _check_method(target, name, rest, kwargs)
    return method(*args, **kwargs)


def guard_format(value: Any, conversion: int, spec: str) -> str:
    _check_widths(spec, percent=False)
    converted = {ord("r"): repr, ord("s"): str, ord("a"): ascii}.get(conversion, lambda v: v)(value)
    return format(converted, spec)


def bounded_range(*args: int) -> range:
    numbers = range(*args)
    if len(numbers) > MAX_ITEMS:
        raise ExpressionLimitExceeded(f"range med mere end {MAX_ITEMS:,} tal".replace(",", "."))
    return numbers


GUARDS: dict[str, Any] = {"__sf_binop__": guard_binop, "__sf_inplace__": guard_inplace,
                          "__sf_method__": guard_method, "__sf_format__": guard_format}
GROWING_METHODS = frozenset({"ljust", "rjust", "center", "zfill", "expandtabs", "replace", "join", "extend"})


# ---------------------------------------------------------------- AST rewriting (after the sandbox check)

def _guard(name: str, *args: ast.expr, keywords: list[ast.keyword] | None = None) -> ast.Call:
    return ast.Call(func=ast.Name(id=name, ctx=ast.Load()), args=list(args), keywords=keywords or [])


class _Guarded(ast.NodeTransformer):
    def __init__(self) -> None:
        self.temporaries = 0

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        self.generic_visit(node)
        if type(node.op) not in _OP_NAMES:
            return node
        return _guard("__sf_binop__", ast.Constant(_OP_NAMES[type(node.op)]), node.left, node.right)

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.func, ast.Attribute) and node.func.attr in GROWING_METHODS:
            return _guard("__sf_method__", node.func.value, ast.Constant(node.func.attr), *node.args,
                          keywords=node.keywords)
        return node

    def visit_FormattedValue(self, node: ast.FormattedValue) -> ast.AST:
        self.generic_visit(node)
        if node.format_spec is None:
            return node
        value = _guard("__sf_format__", node.value, ast.Constant(node.conversion), node.format_spec)
        return ast.FormattedValue(value=value, conversion=-1, format_spec=None)

    def visit_AugAssign(self, node: ast.AugAssign) -> ast.AST | list[ast.stmt]:
        self.generic_visit(node)
        if type(node.op) not in _OP_NAMES:
            return node
        op = ast.Constant(_OP_NAMES[type(node.op)])
        if isinstance(node.target, ast.Name):
            current = ast.Name(id=node.target.id, ctx=ast.Load())
            return ast.Assign(targets=[node.target], value=_guard("__sf_inplace__", op, current, node.value))
        if not isinstance(node.target, ast.Subscript):
            return node  # attribute targets are refused by the sandbox check already
        # d[k] op= v: container and key are evaluated once, as Python does, through temporaries.
        self.temporaries += 1
        box, key = f"__sf_box{self.temporaries}__", f"__sf_key{self.temporaries}__"
        item = ast.Subscript(value=ast.Name(id=box, ctx=ast.Load()), slice=ast.Name(id=key, ctx=ast.Load()),
                             ctx=ast.Load())
        store = ast.Subscript(value=ast.Name(id=box, ctx=ast.Load()), slice=ast.Name(id=key, ctx=ast.Load()),
                              ctx=ast.Store())
        return [ast.Assign(targets=[ast.Name(id=box, ctx=ast.Store())], value=node.target.value),
                ast.Assign(targets=[ast.Name(id=key, ctx=ast.Store())], value=node.target.slice),
                ast.Assign(targets=[store], value=_guard("__sf_inplace__", op, item, node.value))]


def guarded(tree: ast.AST) -> ast.AST:
    """The tree with every growing operation routed through the guards (names the sandbox forbids to users)."""
    return ast.fix_missing_locations(_Guarded().visit(tree))


def is_temporary(name: str) -> bool:
    return name.startswith("__sf_")


# ---------------------------------------------------------------- static refusal (constants only)

_UNKNOWN = object()


def _fold(node: ast.AST) -> Any:
    """The value of a constant subexpression computed through the guards, or _UNKNOWN."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        value = _fold(node.operand)
        return -value if isinstance(node.op, ast.USub) and _int(value) else value
    if isinstance(node, ast.List | ast.Tuple):
        items = [_fold(e) for e in node.elts]
        if any(i is _UNKNOWN for i in items):
            return _UNKNOWN
        return items if isinstance(node, ast.List) else tuple(items)
    if isinstance(node, ast.BinOp) and type(node.op) in _OP_NAMES:
        left, right = _fold(node.left), _fold(node.right)
        if left is _UNKNOWN or right is _UNKNOWN:
            return _UNKNOWN
        try:
            return guard_binop(_OP_NAMES[type(node.op)], left, right)
        except ExpressionLimitExceeded:
            raise
        except Exception:  # noqa: BLE001 - 1/0 or 'a' ** 2 is for the run time to report, not validation
            return _UNKNOWN
    return _UNKNOWN


def _breaks(loop: ast.While) -> bool:
    """Whether a break leaves this loop (a break in a nested loop leaves only that one)."""
    pending: list[ast.AST] = list(loop.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Break):
            return True
        if not isinstance(node, ast.For | ast.While):
            pending.extend(ast.iter_child_nodes(node))
    return False


def static_problems(tree: ast.AST) -> Iterator[tuple[ast.AST, str]]:
    """Limits a model is sure to exceed, found without running it: (node, Danish reason)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.While):
            test = _fold(node.test)
            if test is not _UNKNOWN and test and not _breaks(node):
                yield node, f"løkken `while {ast.unparse(node.test)}` slutter aldrig"
        elif isinstance(node, ast.BinOp):
            try:
                _fold(node)
            except ExpressionLimitExceeded as err:
                yield node, err.reason
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "range":
            args = [_fold(a) for a in node.args]
            if args and all(_int(a) for a in args):
                try:
                    bounded_range(*args)
                except ExpressionLimitExceeded as err:
                    yield node, err.reason
                except ValueError:
                    pass  # range(1, 2, 0): the run time reports it
