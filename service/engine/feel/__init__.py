"""FEEL (DMN 1.3–1.5) for decision tables: parse, check and evaluate cells. No SpiffWorkflow here."""

from service.engine.feel.evaluate import compile_expression, compile_unary_tests, evaluate, matches
from service.engine.feel.grammar import FeelSyntaxError

__all__ = ["FeelSyntaxError", "compile_expression", "compile_unary_tests", "evaluate", "matches"]
