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
"mười hai", TRUE, a date  error ``not-a-number``
#DIV/0!                   error ``excel-error``
========================  =============================================
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from fractions import Fraction

from ..contract import ERROR as ERROR
from ..contract import WARNING as WARNING
from .values import ExcelError, exact


@dataclass(frozen=True)
class Problem:
    severity: str  # "error" | "warning"
    rule: str
    message: str  # Vietnamese


@dataclass(frozen=True)
class Reading:
    value: int | None
    problem: Problem | None = None

    @property
    def is_blank(self) -> bool:
        return self.value is None and self.problem is None

    @property
    def is_error(self) -> bool:
        return self.problem is not None and self.problem.severity == ERROR


_PLAIN = re.compile(r"^[+-]?\d+$")
_GROUPED_DOTS = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+$")  # 1.200 / 12.345.678
_GROUPED_SPACES = re.compile(r"^[+-]?\d{1,3}( \d{3})+$")  # 1 200
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")  # 2,5 (Vietnamese decimal)
_DECIMAL_DOT = re.compile(r"^[+-]?\d+\.\d+$")  # 2.5 (English decimal)
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " "})


def read_count(raw: object) -> Reading:
    """Read a count (whole number ≥ 0) from a cell value; see the module table."""
    if raw is None:
        return Reading(None)
    error = ExcelError.parse(raw)
    if error is not None:
        return _error("excel-error", f"Ô đang có lỗi {error.code} thay vì một số.")
    if isinstance(raw, bool):
        return _error("not-a-number", f"Ô có giá trị {'TRUE' if raw else 'FALSE'}, không phải số.")
    if isinstance(raw, dt.date | dt.datetime | dt.time | dt.timedelta):
        return _error("not-a-number", "Ô đang chứa ngày/giờ, không phải số lượng.")
    if isinstance(raw, str):
        return _read_text(raw)
    try:
        number = exact(raw)
    except TypeError:
        return _error("not-a-number", f"Giá trị '{raw}' không phải số.")
    return _check_count(number, shown=_show(number))


def _read_text(raw: str) -> Reading:
    text = raw.translate(_SPACES).strip()
    if text == "":
        return Reading(None)
    if ExcelError.parse(text):
        return _error("excel-error", f"Ô đang có lỗi {text} thay vì một số.")
    typed = f"Số được nhập dạng chữ '{raw}'"
    if _PLAIN.match(text):
        return _check_count(
            Fraction(int(text)), shown=text, warning=f"{typed}; đã đọc là {int(text)}."
        )
    if _GROUPED_DOTS.match(text) or _GROUPED_SPACES.match(text):
        value = int(text.replace(".", "").replace(" ", ""))
        return _check_count(
            Fraction(value),
            shown=text,
            warning=f"{typed} (dấu chấm/cách phân cách hàng nghìn); đã đọc là {value}.",
        )
    if _DECIMAL_COMMA.match(text):
        whole, _, decimals = text.partition(",")
        if len(decimals) == 3 and decimals.isdigit() and not whole.lstrip("+-").startswith("0"):
            return _error(
                "ambiguous-number",
                f"'{raw}' không rõ là {whole}{decimals} hay {whole},{decimals}: "
                "hãy nhập lại số nguyên không có dấu phân cách.",
            )
        number = Fraction(text.replace(",", "."))
        return _check_count(number, shown=text, warning=f"{typed}; đã đọc là {_show(number)}.")
    if _DECIMAL_DOT.match(text):
        number = Fraction(text)
        return _check_count(number, shown=text, warning=f"{typed}; đã đọc là {_show(number)}.")
    return _error("not-a-number", f"'{raw}' không phải là số.")


def _check_count(number: Fraction, *, shown: str, warning: str | None = None) -> Reading:
    if number < 0:
        return _error("negative", f"Số lượng không được âm ({shown}).")
    if number.denominator != 1:
        return _error("fractional", f"Số lượng phải là số nguyên, không phải {shown}.")
    problem = Problem(WARNING, "number-as-text", warning) if warning else None
    return Reading(number.numerator, problem)


def _error(rule: str, message: str) -> Reading:
    return Reading(None, Problem(ERROR, rule, message))


def _show(number: Fraction) -> str:
    if number.denominator == 1:
        return str(number.numerator)
    return f"{float(number):g}".replace(".", ",")
