"""The expression sandbox: model expressions work, escapes are refused statically and at run time."""

from __future__ import annotations

import builtins
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from service.engine import sandbox
from service.engine.sandbox import (
    ALLOWED_ATTRIBUTES,
    SAFE_BUILTINS,
    ExpressionRejected,
    check_expression,
    check_script,
    safe_eval,
    safe_exec,
)


class Spy:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, *args: object) -> int:
        self.calls += 1
        return 0


# ---------------------------------------------------------------- what models really use

@pytest.mark.parametrize(("source", "names", "expected"), [
    ('vurdering_24t["akut"] == True', {"vurdering_24t": {"akut": True}}, True),
    ('vurdering_24t["akut"] == True', {"vurdering_24t": {"akut": False}}, False),
    ('opfoelgning.get("udfald") != "afslut"', {"opfoelgning": {}}, True),
    ('opfoelgning.get("udfald") != "afslut"', {"opfoelgning": {"udfald": "afslut"}}, False),
    ('underretning["underretter_type"] == "fagperson" and not x',
     {"underretning": {"underretter_type": "fagperson"}, "x": False}, True),
    ('underretning["underretter_type"] == "fagperson" and not x',
     {"underretning": {"underretter_type": "fagperson"}, "x": True}, False),
    ('"P14D"', {}, "P14D"),
    ('f"P{dage}D"', {"dage": 30}, "P30D"),
    ("len(maal) >= 3", {"maal": [1, 2, 3]}, True),
    ("len(maal) >= 3", {"maal": [1, 2]}, False),
    ('x in ["a", "b"]', {"x": "b"}, True),
    ('x in ["a", "b"]', {"x": "c"}, False),
    ('"høj" if score > 5 else "lav"', {"score": 7}, "høj"),
    ('"høj" if score > 5 else "lav"', {"score": 2}, "lav"),
    # comprehension reading task data outside its own loop variable (needs one flat namespace)
    ('[m["titel"] for m in maal if m["prio"] > graense]',
     {"maal": [{"titel": "a", "prio": 1}, {"titel": "b", "prio": 3}], "graense": 2}, ["b"]),
    ("{k: v * faktor for k, v in d.items()}", {"d": {"a": 1}, "faktor": 3}, {"a": 3}),
    ("sorted(x, reverse=True)[:2]", {"x": [3, 1, 2]}, [3, 2]),
    ("max(x, key=len)", {"x": ["ab", "abc", "a"]}, "abc"),
    ("sum(x) / len(x)", {"x": [1, 2, 3]}, 2),
    ("(slut - start).days", {"slut": date(2024, 3, 1), "start": date(2024, 2, 1)}, 29),
    ("frist.year == 2024 and frist.weekday() == 0", {"frist": datetime(2024, 1, 1, 12)}, True),
    ("(frist + varighed).isoformat()", {"frist": date(2024, 1, 1), "varighed": timedelta(days=14)},
     "2024-01-15"),
    ('f"{beloeb:.2f} kr"', {"beloeb": 12.5}, "12.50 kr"),
    ('"%s-%s" % (a, b)', {"a": 1, "b": "x"}, "1-x"),
    ("dict(a=1, **d)", {"d": {"b": 2}}, {"a": 1, "b": 2}),
    ("[*x, *range(2)]", {"x": [9]}, [9, 0, 1]),
])
def test_model_expressions_pass_the_check_and_evaluate(source: str, names: dict, expected: object) -> None:
    check_expression(source)
    assert safe_eval(source, names) == expected


def test_expression_does_not_change_the_names_it_reads() -> None:
    names = {"x": [1]}
    assert safe_eval("x + [2]", names) == [1, 2]
    assert names == {"x": [1]}


def test_script_with_assignment_if_and_for_leaves_results_in_names() -> None:
    script = (
        "antal = 0\n"
        "for m in maal:\n"
        "    if not m['opfyldt']:\n"
        "        continue\n"
        "    antal += 1\n"
        "    if antal > 5:\n"
        "        break\n"
        "status = 'ok' if antal == len(maal) else 'mangler'\n"
        "resultat['antal'] = antal\n"
        "titler = [m['titel'] for m in maal if m['opfyldt'] == onsket]\n"
    )
    names = {"maal": [{"titel": "a", "opfyldt": True}, {"titel": "b", "opfyldt": False}],
             "resultat": {}, "onsket": True}
    check_script(script)
    safe_exec(script, names)
    assert names["antal"] == 1
    assert names["status"] == "mangler"
    assert names["resultat"] == {"antal": 1}
    assert names["titler"] == ["a"]


def test_indented_script_from_bpmn_xml_is_checked_and_run_the_same_way() -> None:
    script = "\n        x = 1\n        if x:\n            y = x + 1\n    "
    check_script(script)
    names: dict = {}
    safe_exec(script, names)
    assert names == {"x": 1, "y": 2}


def test_script_leaves_no_callables_in_names() -> None:
    names = {"x": [1, 2]}
    safe_exec("f = len\nn = len(x)", names)
    assert names == {"x": [1, 2], "n": 2}


def test_injected_globals_are_callable_but_not_copied_into_names() -> None:
    names = {"v": 1}
    helpers = {"plus_en": lambda v: v + 1, "dataobjekt": [1]}
    safe_exec("y = plus_en(v)", names, helpers)
    assert names == {"v": 1, "y": 2}
    assert safe_eval("plus_en(v) + len(dataobjekt)", names, helpers) == 3


def test_failed_script_leaves_names_untouched() -> None:
    names = {"x": 1}
    with pytest.raises(ZeroDivisionError):
        safe_exec("a = 1\nb = x / 0", names)
    assert names == {"x": 1}


# ---------------------------------------------------------------- attacks

ATTACKS = [
    ("import os", "exec", "importere"),
    ("from os import path", "exec", "importere"),
    ('__import__("os")', "eval", "importere"),
    ('open("/etc/passwd").read()', "eval", "Funktionen 'open'"),
    ("().__class__.__base__.__subclasses__()", "eval", "attributten '__class__'"),
    ("x.__class__", "eval", "attributten '__class__'"),
    ('f"{x.__class__}"', "eval", "attributten '__class__'"),
    ('"{0.__class__}".format(x)', "eval", "attributten 'format'"),
    ('"{0.__class__}".format_map(x)', "eval", "attributten 'format_map'"),
    ('str.format("{0.__class__}", x)', "eval", "attributten 'format'"),
    ('getattr(x, "__cl" + "ass__")', "eval", "Funktionen 'getattr'"),
    ("(g for g in []).gi_frame", "eval", "Generatorudtryk"),
    ("[c for c in ().__class__.__mro__]", "eval", "attributten '__class__'"),
    ("lambda: 1", "eval", "lambda"),
    ('eval("1")', "eval", "Funktionen 'eval'"),
    ('exec("1")', "exec", "Funktionen 'exec'"),
    ("globals()", "eval", "Funktionen 'globals'"),
    ("type(x)", "eval", "Funktionen 'type'"),
    ("while True: pass", "exec", "slutter aldrig"),
    ("def f(): pass", "exec", "def"),
    ("class A: pass", "exec", "class"),
    ('with open("x", "w") as f: pass', "exec", "Funktionen 'open'"),
    ("try: pass\nexcept: pass", "exec", "try"),
    ("x.mro()", "eval", "attributten 'mro'"),
    ("_private", "eval", "Navnet '_private'"),
    ("breakpoint()", "eval", "Funktionen 'breakpoint'"),
    ("x.year = 1", "exec", "Tildeling til attributter"),
    ('x["f"]()', "eval", "navngivne funktioner"),
    ("(y := 1)", "eval", "NamedExpr"),
    ("del x", "exec", "Delete"),
    ("global x", "exec", "Global"),
    ("raise ValueError", "exec", "Raise"),
]


@pytest.mark.parametrize(("source", "mode", "message"), ATTACKS)
def test_attack_is_rejected_statically_with_a_clear_message(source: str, mode: str, message: str) -> None:
    check = check_expression if mode == "eval" else check_script
    with pytest.raises(ExpressionRejected) as caught:
        check(source)
    assert message in caught.value.reason
    assert caught.value.expression == source
    assert caught.value.lineno is not None


@pytest.mark.parametrize(("source", "mode", "message"), ATTACKS)
def test_attack_is_refused_at_run_time_before_anything_runs(
        source: str, mode: str, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # the with-open attack would create ./x
    spy = Spy()
    names = {"x": {"f": spy}}
    with pytest.raises(ExpressionRejected) as caught:
        if mode == "eval":
            safe_eval(f"[spy(), ({source})]", names, {"spy": spy})
        else:
            safe_exec(f"spy()\n{source}", names, {"spy": spy})
    assert message in caught.value.reason
    assert spy.calls == 0
    assert names == {"x": {"f": spy}}
    assert not (tmp_path / "x").exists()


def test_import_message_is_clear_in_both_languages() -> None:
    with pytest.raises(ExpressionRejected) as caught:
        check_script("x = 1\n\nimport os")
    assert caught.value.reason == "Udtrykket må ikke importere moduler"
    assert caught.value.lineno == 3
    assert "import" in str(caught.value).lower()
    assert "Importing modules is not allowed" in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_bypassing_the_check_still_leaves_no_dangerous_builtins() -> None:
    for name in sandbox.DENIED_NAMES | {"__import__", "__build_class__", "print"}:
        assert name not in SAFE_BUILTINS
    assert all(SAFE_BUILTINS[name] is getattr(builtins, name) for name in SAFE_BUILTINS if name != "range")
    assert SAFE_BUILTINS["range"](3) == range(3)  # range is bounded (service/engine/limits.py)
    with pytest.raises(NameError):
        eval("__import__('os')", {"__builtins__": SAFE_BUILTINS})  # noqa: S307 - the point of the test
    with pytest.raises(NameError):
        eval("open('/etc/passwd')", {"__builtins__": SAFE_BUILTINS})  # noqa: S307 - the point of the test


def test_task_data_cannot_replace_the_builtins() -> None:
    names = {"x": [1, 2], "__builtins__": {"len": lambda _: 42}}
    assert safe_eval("len(x)", names) == 2


def test_functions_in_task_data_are_not_callable() -> None:
    spy = Spy()
    check_expression("f(1)")  # unknown helper names are fine at deploy ...
    with pytest.raises(ExpressionRejected, match="'f' er ikke tilgængelig"):
        safe_eval("f(1)", {"f": spy})  # ... but at run time only builtins and injected globals run
    assert spy.calls == 0


def test_allowed_attributes_cover_data_types_but_no_format_or_dunders() -> None:
    assert {"year", "month", "day", "hour", "minute", "isoformat", "date", "weekday", "days", "seconds",
            "total_seconds", "replace", "get", "items", "append", "lower", "split"} <= ALLOWED_ATTRIBUTES
    assert not {"format", "format_map", "mro", "gi_frame"} & ALLOWED_ATTRIBUTES
    assert not [name for name in ALLOWED_ATTRIBUTES if name.startswith("_")]


def test_syntax_errors_are_reported_as_syntax_errors() -> None:
    with pytest.raises(SyntaxError):
        check_expression("a ==")
    with pytest.raises(SyntaxError):
        check_script("break")  # parses, but does not compile


def test_pathologically_nested_source_is_rejected_not_crashing() -> None:
    with pytest.raises((ExpressionRejected, SyntaxError)):
        check_expression("a" + "+a" * 200_000)


def test_checks_and_compiled_code_are_cached() -> None:
    sandbox._prepare.cache_clear()
    check_expression("x + 1")
    check_expression("x + 1")
    assert safe_eval("x + 1", {"x": 1}) == 2
    info = sandbox._prepare.cache_info()
    assert (info.misses, info.hits) == (1, 2)
    check_script("x + 1")  # same text, other mode: checked separately
    assert sandbox._prepare.cache_info().misses == 2
