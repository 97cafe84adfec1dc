"""Exact numbers and Excel error values.

Targets are whole numbers and must add up exactly, so the engine never rounds floats:
every number is turned into a :class:`fractions.Fraction` first.  A float coming from
Excel is taken at its shortest decimal spelling (``0.4`` is 2/5, not
0.40000000000000002220…), which is what the officer typed.

Excel errors are values, not exceptions (as in the ``formulas`` library): a cell holding
``#DIV/0!`` is read as ``ExcelError("#DIV/0!")`` and travels through the code like any
other value until something decides what it means.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from numbers import Rational

ERROR_CODES = (
    "#NULL!",
    "#DIV/0!",
    "#VALUE!",
    "#REF!",
    "#NAME?",
    "#NUM!",
    "#N/A",
    "#GETTING_DATA",
    # Excel 365 and later: every error value a file can store, so that none of them
    # stops a run (a reader that knows only the seven classic ones fails on #SPILL!).
    "#SPILL!",
    "#CALC!",
    "#FIELD!",
    "#BLOCKED!",
    "#BUSY!",
    "#CONNECT!",
    "#UNKNOWN!",
    "#PYTHON!",
    "#EXTERNAL!",
    "#TIMEOUT!",
)


@dataclass(frozen=True)
class ExcelError:
    """An Excel error value such as ``#DIV/0!``, with an optional readable reason."""

    code: str
    reason: str = ""

    def __post_init__(self) -> None:
        if self.code not in ERROR_CODES:
            raise ValueError(f"not an Excel error code: {self.code!r}")

    def __str__(self) -> str:
        return f"{self.code} {self.reason}".strip()

    @classmethod
    def of_cell(cls, text: str) -> ExcelError:
        """The error a cell of type ``e`` holds; one this version does not know is
        ``#UNKNOWN!`` with the file's text as its reason (never an exception)."""
        code = (text or "").strip().upper()
        return cls(code) if code in ERROR_CODES else cls("#UNKNOWN!", (text or "")[:40])

    @classmethod
    def parse(cls, value: object) -> ExcelError | None:
        """The error a cell value stands for, or None if it is not an error."""
        if isinstance(value, ExcelError):
            return value
        if isinstance(value, str):
            head = value.strip().split(" ", 1)[0].upper()
            if head in ERROR_CODES:
                return cls(head)
        return None


Number = int | Fraction

#: The largest count, weight or total xladdin accepts anywhere (cells, CSV, CLI, Excel
#: functions, scripts).  Far below 2**53 (≈ 9.007e15), where Excel's doubles stop holding
#: every whole number, and far above any population or target (Việt Nam: ≈ 1e8), so a
#: number past it is a typing mistake, never a real count; it also keeps every split
#: instant (no arithmetic on 30-digit numbers).
MAX_COUNT = 10**12


def exact(value: object) -> Fraction:
    """``value`` as an exact fraction; floats by their shortest decimal spelling.

    Raises TypeError for anything that is not a real number (bool included: a ticked
    box is not a count).
    """
    if isinstance(value, bool) or value is None:
        raise TypeError(f"not a number: {value!r}")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int | Rational):
        return Fraction(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise TypeError(f"not a finite number: {value!r}")
        return Fraction(repr(value))
    if isinstance(value, Decimal):
        return Fraction(value)
    raise TypeError(f"not a number: {value!r}")


def as_whole(value: object) -> int | None:
    """``value`` as an int if it is a whole number (``12.0`` → 12), else None."""
    try:
        number = exact(value)
    except TypeError:
        return None
    return number.numerator if number.denominator == 1 else None


def whole_count(value: int | Fraction | None) -> int | None:
    """A count's number as an int: the readers and inputs keep every count whole (only a
    rate or a share is a Fraction), so a Fraction here is whole, or a bug named here
    rather than a number silently rounded."""
    if isinstance(value, Fraction):
        if value.denominator != 1:
            raise AssertionError(f"a count is a whole number, not {value}")
        return value.numerator
    return value
