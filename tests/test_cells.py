"""Reading what officers type into count cells (contract §7)."""

import datetime as dt

import pytest
from xladdin.engine.cells import read_count
from xladdin.engine.values import ExcelError


@pytest.mark.parametrize(
    ("raw", "value", "rule"),
    [
        (12, 12, None),
        (12.0, 12, None),
        ("12", 12, "number-as-text"),
        (" 12 ", 12, "number-as-text"),
        ("1.200", 1200, "number-as-text"),
        ("12.345.678", 12345678, "number-as-text"),
        ("1 200", 1200, "number-as-text"),
        ("1\u00a0200", 1200, "number-as-text"),
        ("12,0", 12, "number-as-text"),
    ],
)
def test_numbers_are_read_with_a_warning_when_typed_as_text(raw, value, rule):
    reading = read_count(raw)
    assert reading.value == value
    assert (reading.problem.rule if reading.problem else None) == rule
    if rule:
        assert reading.problem.severity == "warning"
        assert str(value) in reading.problem.message


@pytest.mark.parametrize(
    ("raw", "rule"),
    [
        (-3, "negative"),
        ("-3", "negative"),
        (2.5, "fractional"),
        ("2,5", "fractional"),
        ("1.5", "fractional"),
        ("1,200", "ambiguous-number"),
        ("mười hai", "not-a-number"),
        ("12 người", "not-a-number"),
        (True, "not-a-number"),
        (dt.datetime(2024, 9, 9), "not-a-number"),
        ("#DIV/0!", "excel-error"),
        (ExcelError("#N/A"), "excel-error"),
    ],
)
def test_what_is_not_a_count_is_an_error(raw, rule):
    reading = read_count(raw)
    assert reading.value is None
    assert reading.problem.severity == "error"
    assert reading.problem.rule == rule


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_blank_is_blank(raw):
    assert read_count(raw).is_blank
