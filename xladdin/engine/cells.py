"""What an officer typed into a count cell, and what it means.

Officers type into these sheets by hand, in Vietnamese Excel where ``.`` groups
thousands and ``,`` marks decimals.  :func:`read_count` takes whatever a cell holds and
returns the number with, when something was off, a problem to report:

========================  =============================================
cell holds                reading
========================  =============================================
12, 12.0                  12
"12", " 12 "              12, warning ``number-as-text``
"1.200", "1 200"          1200, warning ``number-as-text``
blank, ""                 no value (the caller decides: Kết quả → 0 + warning)
-3                        error ``negative``
2.5, "2,5"                error ``fractional``
"1,200"                   error ``ambiguous-number`` (1200 or 1,2?)
> 10^12, 4,300 digits      error ``too-large``
"mười hai", TRUE, a date  error ``not-a-number``
#DIV/0!                   error ``excel-error``
========================  =============================================
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from .numbers import ERROR, WARNING, Judged, Parsed, Problem, parse_number, show
from .values import MAX_COUNT

__all__ = ["ERROR", "WARNING", "Problem", "Reading", "read_count"]


@dataclass(frozen=True)
class Reading(Judged):
    value: int | None
    problem: Problem | None = None

    @property
    def is_blank(self) -> bool:
        return self.value is None and self.problem is None


def read_count(raw: object) -> Reading:
    """Read a count (whole number ≥ 0, at most MAX_COUNT) from a cell value, a CSV field
    or a command-line argument, by :func:`~xladdin.engine.numbers.parse_number`."""
    if type(raw) is float and raw.is_integer() and 0.0 <= raw <= MAX_COUNT:
        return Reading(int(raw))  # a count in a number cell: the same reading, no Fraction
    return count_of(parse_number(raw))


def count_of(parsed: Parsed) -> Reading:
    """A parsed number as a count: negative and fractional numbers are errors."""
    if parsed.value is None:
        return Reading(None, parsed.problem)
    number: Fraction = parsed.value
    shown = parsed.shown or show(number)
    if number < 0:
        return Reading(None, Problem(ERROR, "negative", f"Số lượng không được âm ({shown})."))
    if number.denominator != 1:
        return Reading(
            None, Problem(ERROR, "fractional", f"Số lượng phải là số nguyên, không phải {shown}.")
        )
    return Reading(number.numerator, parsed.problem)
