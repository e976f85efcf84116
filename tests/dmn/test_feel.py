"""FEEL cells as decision tables use them: what each form matches, what an output gives, how a slip is told."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, localcontext

import pytest
from hypothesis import given
from hypothesis import strategies as st

from service.engine.feel import FeelSyntaxError, compile_expression, compile_unary_tests, evaluate, matches
from service.engine.feel import values as fv

D = Decimal


@pytest.mark.parametrize(("cell", "value", "expected"), [
    ("-", "hvad som helst", True), ("-", None, True),
    ('"anbringelse"', "anbringelse", True), ('"anbringelse"', "stoette", False),
    ('"anbringelse","stoette"', "stoette", True), ('"anbringelse", "stoette"', "afslag", False),
    ("1, 2, 3", D(2), True), ("1, 2, 3", D(4), False),
    ('not("a")', "b", True), ('not("a")', "a", False), ('not("a","b")', "c", True), ('not("a","b")', "b", False),
    ("not(< 5, > 10)", D(7), True), ("not(< 5, > 10)", D(11), False),
    ("< 10", D(9), True), ("< 10", D(10), False), ("<= 10", D(10), True), ("> 10", D("10.5"), True),
    (">= 18", D(18), True), ("= 3", D(3), True), ("!= 3", D(3), False), ("!= 3", D(4), True),
    ("[1..5]", D(1), True), ("[1..5]", D(5), True), ("[1..5]", D(6), False),
    ("]1..5[", D(1), False), ("]1..5[", D(5), False), ("]1..5[", D(3), True),
    ("(1..5)", D(1), False), ("(1..5)", D("1.0001"), True), ("(1..5)", D(5), False),
    ("[18..65)", D(18), True), ("[18..65)", D(65), False), ("[18..65)", D("64.99"), True),
    ("< 0, > 100", D(-1), True), ("< 0, > 100", D(50), False),
    ("true", True, True), ("true", False, False), ("false", False, True), ("true", None, False),
    ("null", None, True), ("null", D(0), False), ('"x"', None, False), ("< 10", None, False),
    ('date("2024-01-01")', dt.date(2024, 1, 1), True), ('date("2024-01-01")', dt.date(2024, 1, 2), False),
    ('> date("2024-01-01")', dt.date(2024, 1, 2), True),
    ('[date("2024-01-01")..date("2024-12-31")]', dt.date(2024, 6, 1), True),
    ('[date("2024-01-01")..date("2024-12-31")]', dt.date(2025, 1, 1), False),
    ('< date and time("2024-01-01T12:00:00")', dt.datetime(2024, 1, 1, 11, 59), True),
    ('>= duration("P1D")', dt.timedelta(hours=25), True), ('>= duration("P1D")', dt.timedelta(hours=23), False),
    ('duration("P1Y")', fv.YearsMonths(12), True),
    ("? > 3", D(4), True), ("? > 3", D(3), False),
    ('"a"', D(1), False),  # another type: null, never a match
    ('< "b"', "a", True),
])
def test_cell_matches(cell, value, expected):
    assert matches(cell, value, {}) is expected


def test_cells_read_task_data_by_name_and_path():
    data = {"graense": 100, "sag": {"aar": 2024, "typer": ["a", "b"]}}
    assert matches("< graense", D(99), data) and not matches("< graense", D(100), data)
    assert matches("sag.typer", "b", data)  # a list from the data: the input is one of its items
    assert matches("[sag.aar - 1..sag.aar]", D(2023), data)


@pytest.mark.parametrize(("expression", "expected"), [
    ('"bfu"', "bfu"), ("10", 10), ("0.5", 0.5), ("-3", -3), ("true", True), ("null", None),
    ("indstilling.aarlig_udgift * 2", 100000), ("indstilling.aarlig_udgift / 12 > 4000", True),
    ('"regel " + string(2)', "regel 2"), ("if indstilling.aarlig_udgift > 100 then \"dyr\" else \"billig\"", "dyr"),
    ('date("2024-01-31") + duration("P1M")', "2024-02-29"), ('date("2024-03-01") - duration("P1D")', "2024-02-29"),
    ('duration("PT36H")', "P1DT12H"), ('years and months duration(date("2020-05-10"), date("2024-05-09"))', "P3Y11M"),
    ("[1, 2, 3]", [1, 2, 3]), ('{"a": 1, b: "x"}.b', "x"), ("sum([1, 2, 3.5])", 6.5), ("count([1, 2])", 2),
    ("min(3, 1, 2)", 1), ('upper case("ab")', "AB"), ('string length("æøå")', 3), ("0.1 + 0.2 = 0.3", True),
    ("1 / 0", None), ("ukendt + 1", None), ('"a" + 1', None), ("2 ** 10", 1024), ("not(false)", True),
    ("5 between 1 and 5", True), ("5 in [1..5)", False), ("5 in (4, 5)", True), ("5 in < 6", True),
])
def test_output_entries(expression, expected):
    assert fv.to_python(evaluate(expression, {"indstilling": {"aarlig_udgift": 50000}})) == expected


@pytest.mark.parametrize(("type_ref", "text", "cell"), [
    ("date", "2024-05-01", '[date("2024-01-01")..date("2024-12-31")]'),
    ("dateTime", "2024-05-01T10:00:00", '> date and time("2024-05-01T09:00:00")'),
    ("dayTimeDuration", "PT48H", '> duration("P1D")'),
    ("time", "10:15:00", '< time("11:00:00")'),
])
def test_iso_text_in_task_data_is_read_by_the_columns_type(type_ref, text, cell):
    assert matches(cell, fv.coerce(text, type_ref), {})
    assert not matches(cell, text, {})  # without the type it stays text, and text never equals a date


@pytest.mark.parametrize(("cell", "message"), [
    ("True", None),  # valid FEEL (a name); the table check refuses it, see test_deploy_checks
    ("x == 1", "FEEL sammenligner med = (ikke ==)"),
    ("'a'", 'Tekst skal stå i dobbelte anførselstegn'),
    ('indstilling["udfald"]', "Felter læses med punktum i FEEL"),
    ("[1..", "udtrykket slutter for tidligt"),
    ("1 +* 2", "«*» ved position 4 giver ikke mening her"),
    ('"uafsluttet', "tegnet «\"» ved position 1 kan ikke læses"),
    ("for x in [1] return x", None),
    ("today()", "afhænger af, hvornår tabellen kører"),
    ("upper(\"a\")", "funktionen «upper» findes ikke i FEEL"),
])
def test_a_cell_that_is_not_feel_is_refused_in_danish(cell, message):
    if message is None and cell == "True":
        compile_unary_tests(cell)
        return
    with pytest.raises(FeelSyntaxError) as refused:
        compile_unary_tests(cell)
    assert refused.value.message.startswith("Ikke gyldig FEEL")
    if message:
        assert message in refused.value.message


def test_the_input_value_belongs_in_cells_only():
    with pytest.raises(FeelSyntaxError, match="kun bruges i en betingelsescelle"):
        compile_expression("? + 1")


# ---------------------------------------------------------------- properties

ints = st.integers(min_value=-10_000, max_value=10_000)


@given(low=ints, high=ints, value=ints, start_closed=st.booleans(), end_closed=st.booleans(),
       notation=st.sampled_from(["brackets", "parentheses"]))
def test_a_range_contains_exactly_what_its_ends_say(low, high, value, start_closed, end_closed, notation):
    if notation == "brackets":
        start, end = ("[" if start_closed else "]"), ("]" if end_closed else "[")
    else:
        start, end = ("[" if start_closed else "("), ("]" if end_closed else ")")
    cell = f"{start}{low}..{high}{end}"
    above = value > low or (start_closed and value == low)
    below = value < high or (end_closed and value == high)
    assert matches(cell, D(value), {}) is (above and below)


texts = st.text(alphabet=st.characters(blacklist_characters='"\\', blacklist_categories=("Cs",)), max_size=8)


@given(listed=st.lists(texts, min_size=1, max_size=5), value=texts, negated=st.booleans())
def test_a_list_of_strings_matches_its_members_and_not_of_it_the_rest(listed, value, negated):
    cell = ", ".join(f'"{item}"' for item in listed)
    cell = f"not({cell})" if negated else cell
    assert matches(cell, value, {}) is ((value in listed) != negated)


@given(op=st.sampled_from(["<", "<=", ">", ">=", "=", "!="]), bound=ints, value=ints)
def test_a_comparison_cell_compares_like_numbers_do(op, bound, value):
    expected = {"<": value < bound, "<=": value <= bound, ">": value > bound, ">=": value >= bound,
                "=": value == bound, "!=": value != bound}[op]
    assert matches(f"{op} {bound}", D(value), {}) is expected


@given(a=ints, b=ints, c=st.integers(min_value=1, max_value=1000))
def test_arithmetic_is_decimal_arithmetic(a, b, c):
    with localcontext(fv.NUMBERS):  # FEEL numbers have 34 digits
        expected = D(a) + D(b) * c - (D(a) - D(b)) / D(c)
    assert evaluate(f"{a} + {b} * {c} - ({a} - {b}) / {c}", {}) == expected


@given(st.text(max_size=30))
def test_any_text_is_either_feel_or_refused_in_danish_never_a_crash(text):
    for compile_ in (compile_unary_tests, compile_expression):
        try:
            compiled = compile_(text)
        except FeelSyntaxError as refused:
            assert refused.message.startswith("Ikke gyldig FEEL")
        else:
            from service.engine.feel.evaluate import Scope

            compiled(Scope({"x": 1}, D(1)))  # whatever it is, evaluating it does not raise
