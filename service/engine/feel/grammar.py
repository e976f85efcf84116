"""FEEL as DMN decision tables use it: the grammar (lark, LALR) and the parse into a small tree.

Two entry points: ``unary_tests`` (an input entry: ``-``, ``< 10``, ``"a","b"``, ``[1..5]``, ``not(...)``)
and ``expression`` (input expressions, output entries, allowed values). Out of scope and refused with a
syntax error: filters (``xs[1]``), ``for``/``some``/``every``, ``instance of`` and function definitions.
"""

from __future__ import annotations

import functools
import re

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

_GRAMMAR = r"""
?unary_tests: "-"                                        -> any_input
            | positive_unary_test ("," positive_unary_test)*  -> tests

?positive_unary_test: COMPARE additive                   -> compare_test
                    | expression

?expression: "if" expression "then" expression "else" expression  -> if_expr
           | disjunction

?disjunction: conjunction | disjunction "or" conjunction  -> or_
?conjunction: comparison | conjunction "and" comparison   -> and_
?comparison: additive
           | additive COMPARE additive                    -> compare
           | additive "between" additive "and" additive   -> between
           | additive "in" in_rhs                         -> in_
?in_rhs: COMPARE additive                                 -> compare_test
       | additive
       | "(" positive_unary_test ("," positive_unary_test)+ ")"  -> tests

?additive: multiplicative
         | additive "+" multiplicative                    -> add
         | additive "-" multiplicative                    -> sub
?multiplicative: power
               | multiplicative "*" power                 -> mul
               | multiplicative "/" power                 -> div
?power: unary | power "**" unary                          -> pow
?unary: postfix | "-" unary                               -> neg
?postfix: primary
        | postfix "." name                                -> path
        | postfix "(" [argument ("," argument)*] ")"      -> call
?argument: expression | COMPARE additive                  -> compare_test

?primary: NUMBER                                          -> number
        | STRING                                          -> string
        | "@" STRING                                      -> temporal
        | "true"                                          -> true
        | "false"                                         -> false
        | "null"                                          -> null
        | "?"                                             -> input_value
        | name                                            -> variable
        | NAME_WITH_AND                                   -> variable
        | "(" expression ")"
        | "[" [expression ("," expression)*] "]"          -> list
        | "{" [entry ("," entry)*] "}"                    -> context
        | "[" additive ".." additive range_end            -> closed_range
        | "(" additive ".." additive range_end            -> open_range
        | "]" additive ".." additive range_end            -> open_range

entry: (name | STRING) ":" expression
name: NAME+

range_end: "]"                                          -> closed_end
         | ")"                                          -> open_end
         | "["                                          -> open_end
COMPARE: "<=" | ">=" | "!=" | "<" | ">" | "="
// The built-in names with the keyword "and" inside; other names cannot hold a keyword.
NAME_WITH_AND.2: /date\s+and\s+time\b|years\s+and\s+months\s+duration\b/
NUMBER: /\d+(\.\d+)?|\.\d+/
STRING: /"(\\.|[^"\\])*"/
NAME: /[A-Za-z_\u00C0-\u024F][A-Za-z0-9_\u00C0-\u024F]*/

%import common.WS
%ignore WS
"""

_parser = Lark(_GRAMMAR, parser="lalr", start=["unary_tests", "expression"], maybe_placeholders=True)


class FeelSyntaxError(ValueError):
    """A cell that is not FEEL; ``message`` is Danish and names the position (1-based)."""

    def __init__(self, message: str, column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.column = column


_ESCAPES = {'"': '"', "\\": "\\", "n": "\n", "r": "\r", "t": "\t", "'": "'"}


def _unquote(token: str) -> str:
    body, out, i = token[1:-1], [], 0
    while i < len(body):
        char = body[i]
        if char == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            if nxt == "u" and re.fullmatch(r"[0-9a-fA-F]{4}", body[i + 2:i + 6]):
                out.append(chr(int(body[i + 2:i + 6], 16)))
                i += 6
                continue
            out.append(_ESCAPES.get(nxt, nxt))
            i += 2
            continue
        out.append(char)
        i += 1
    return "".join(out)


@v_args(inline=True)
class _ToNodes(Transformer):
    """Lark's tree -> plain tuples ("kind", ...), the form the evaluator compiles."""

    def any_input(self):
        return ("any",)

    def tests(self, *tests):
        return ("tests", tests)

    def compare_test(self, op, value):
        return ("compare_test", str(op), value)

    def if_expr(self, cond, then, other):
        return ("if", cond, then, other)

    def or_(self, left, right):
        return ("or", left, right)

    def and_(self, left, right):
        return ("and", left, right)

    def compare(self, left, op, right):
        return ("compare", str(op), left, right)

    def between(self, value, low, high):
        return ("between", value, low, high)

    def in_(self, value, test):
        return ("in", value, test)

    def add(self, left, right):
        return ("arith", "+", left, right)

    def sub(self, left, right):
        return ("arith", "-", left, right)

    def mul(self, left, right):
        return ("arith", "*", left, right)

    def div(self, left, right):
        return ("arith", "/", left, right)

    def pow(self, left, right):
        return ("arith", "**", left, right)

    def neg(self, value):
        return ("neg", value)

    def path(self, value, name):
        return ("path", value, name)

    def call(self, function, *args):
        return ("call", function, tuple(a for a in args if a is not None))

    def number(self, token):
        return ("number", str(token))

    def string(self, token):
        return ("string", _unquote(str(token)))

    def temporal(self, token):
        return ("temporal", _unquote(str(token)))

    def true(self):
        return ("literal", True)

    def false(self):
        return ("literal", False)

    def null(self):
        return ("literal", None)

    def input_value(self):
        return ("input",)

    def variable(self, name):
        return ("name", name if isinstance(name, str) and not isinstance(name, Token) else " ".join(str(name).split()))

    def name(self, *parts):
        return " ".join(str(p) for p in parts)

    def list(self, *items):
        return ("list", tuple(i for i in items if i is not None))

    def context(self, *entries):
        return ("context", tuple(e for e in entries if e is not None))

    def entry(self, key, value):
        return (_unquote(str(key)) if isinstance(key, Token) else key, value)

    def closed_range(self, low, high, end_closed):
        return ("range", True, low, high, end_closed)

    def open_range(self, low, high, end_closed):
        return ("range", False, low, high, end_closed)

    def closed_end(self):
        return True

    def open_end(self):
        return False


_TOKEN_WORDS = {"$END": "slutningen", "RPAR": "«)»", "RSQB": "«]»", "COMMA": "«,»", "COLON": "«:»"}


def _hint(text: str) -> str:
    """What a Python habit looks like in FEEL, for the usual slips."""
    stripped = text.strip()
    if "==" in stripped:
        return " FEEL sammenligner med = (ikke ==)."
    if stripped in ("True", "False", "None"):
        return f" I FEEL skrives {stripped} som {'null' if stripped == 'None' else stripped.lower()}."
    if "'" in stripped:
        return ' Tekst skal stå i dobbelte anførselstegn: "tekst".'
    if "[\"" in stripped or "['" in stripped:
        return ' Felter læses med punktum i FEEL: indstilling.udfald (ikke indstilling["udfald"]).'
    return ""


def _syntax_error(text: str, err: UnexpectedInput) -> FeelSyntaxError:
    column = getattr(err, "column", None)
    column = column if isinstance(column, int) and column > 0 else None
    if isinstance(err, UnexpectedEOF) or (isinstance(err, UnexpectedToken) and err.token.type == "$END"):
        message = "udtrykket slutter for tidligt"
    elif isinstance(err, UnexpectedCharacters):
        message = f"tegnet «{text[err.pos_in_stream]}» ved position {column} kan ikke læses"
    elif isinstance(err, UnexpectedToken):
        message = f"«{err.token}» ved position {column} giver ikke mening her"
    else:  # pragma: no cover - lark has no other kinds
        message = "kan ikke læses"
    return FeelSyntaxError(f"Ikke gyldig FEEL: {message}.{_hint(text)}", column)


@functools.lru_cache(maxsize=4096)
def parse(text: str, start: str) -> tuple:
    """Parse ``text`` as ``unary_tests`` or ``expression``; FeelSyntaxError (Danish) when it is not FEEL."""
    if not text.strip():
        raise FeelSyntaxError("Ikke gyldig FEEL: feltet er tomt.")
    try:
        tree = _parser.parse(text, start=start)
    except UnexpectedInput as err:
        raise _syntax_error(text, err) from None
    except RecursionError:
        raise FeelSyntaxError("Ikke gyldig FEEL: udtrykket er for dybt indlejret.") from None
    return _ToNodes().transform(tree)
