"""The one number parser: every number xladdin reads (cells, CSV, the command line,
``_meta``) goes through :func:`parse_number`, with the same rules everywhere.

========================  ==============================================
raw                       reading
========================  ==============================================
12, 12.0, "12"            12 (text: warning ``number-as-text``)
"1.200", "1 200"          1200: ``.`` and spaces group thousands, as in
                          Vietnamese Excel (``grouped``; also on the
                          command line: ``--weights 12.500`` is 12500)
"12,5", "12.5"            12.5 (Vietnamese and English decimals)
"1,200"                   error ``ambiguous-number`` (1200 or 1,2?)
"1e3", "1,5E+2"           1000, 150 (exponent at most ±20)
"1e400", "inf", NaN       error ``too-large`` / ``not-a-number``
> MAX_COUNT, 4,300 digits error ``too-large`` (never a slow int())
"mười hai", TRUE, a date  error ``not-a-number``
#DIV/0!                   error ``excel-error``
========================  ==============================================

Values are exact :class:`~fractions.Fraction`: counts add up with integer arithmetic,
never floats (no sum can overflow or round).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from ..contract import ERROR as ERROR
from ..contract import WARNING as WARNING
from .values import MAX_COUNT, ExcelError, exact

MAX_TEXT = 40  # characters of a number typed as text ("1.000.000.000.000,5" is 19)
MAX_EXPONENT = 20

_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " "})
_PLAIN = re.compile(r"^[+-]?\d+$")
# A thousands group never starts with 0: "0.125" is a decimal, "1.200" is 1200.
_GROUPED_DOTS = re.compile(r"^[+-]?[1-9]\d{0,2}(\.\d{3})+(,\d+)?$")  # 1.200 / 12.345.678 / 1.200,5
_GROUPED_SPACES = re.compile(r"^[+-]?[1-9]\d{0,2}( \d{3})+(,\d+)?$")  # 1 200 / 1 200,5
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")  # 2,5 (Vietnamese decimal)
_DECIMAL_DOT = re.compile(r"^[+-]?\d*\.\d+$")  # 2.5 (English decimal)
_EXPONENT = re.compile(r"^([+-]?\d+(?:[.,]\d+)?)[eE]([+-]?\d{1,4})$")


@dataclass(frozen=True)
class Problem:
    severity: str  # "error" | "warning"
    rule: str
    message: str  # Vietnamese


class Judged:
    """A reading that may carry a :class:`Problem` (a warning or an error)."""

    problem: Problem | None

    @property
    def is_error(self) -> bool:
        return self.problem is not None and self.problem.severity == ERROR

    @property
    def error(self) -> Problem | None:
        """The problem, when it is an error."""
        return self.problem if self.is_error else None


@dataclass(frozen=True)
class Parsed(Judged):
    """A number read from anything: ``value`` None with no problem is a blank."""

    value: Fraction | None
    problem: Problem | None = None
    shown: str = ""  # how it was typed, for messages
    grouped: bool = False  # a thousands separator was read as one ("1.200" → 1200)


def parse_number(raw: object, *, limit: int = MAX_COUNT) -> Parsed:
    """Read any real number, bounded by ``limit`` in absolute value; see the module table."""
    if raw is None:
        return Parsed(None)
    error = ExcelError.parse(raw)
    if error is not None:
        return _error("excel-error", f"Ô đang có lỗi {error.code} thay vì một số.")
    if isinstance(raw, bool):
        return _error("not-a-number", f"Ô có giá trị {'TRUE' if raw else 'FALSE'}, không phải số.")
    if isinstance(raw, dt.date | dt.datetime | dt.time | dt.timedelta):
        return _error("not-a-number", "Ô đang chứa ngày/giờ, không phải số.")
    if isinstance(raw, str):
        return _text(raw, limit)
    if isinstance(raw, int) and raw.bit_length() > 64:
        return _error("too-large", f"Số quá lớn: tối đa {thousands(limit)}.")
    if isinstance(raw, Decimal) and not raw.is_finite():
        return _error("not-a-number", f"Giá trị '{raw}' không phải số.")
    try:
        number = exact(raw)
    except (TypeError, ValueError, OverflowError):
        return _error("not-a-number", f"Giá trị '{str(raw)[:MAX_TEXT]}' không phải số.")
    return _bounded(number, show(number), limit)


def parse_percent(raw: object) -> Parsed:
    """A percentage as typed (``50%``, ``12,5%``, ``12.5 %``) → its fraction (1/2, 1/8).

    ``1.000%`` is refused as ambiguous (1000 % or 1 %?): a thousands separator has no
    business in a percentage, and the same text must never mean two things."""
    text = str(raw if raw is not None else "").translate(_SPACES).strip()
    if text == "":
        return Parsed(None)
    number = text[:-1].strip() if text.endswith("%") else text
    parsed = parse_number(number)
    if parsed.grouped:
        return _error(
            "ambiguous-number",
            f"'{text}' không rõ là {show(parsed.value or Fraction(0))}% hay "
            f"{number.replace('.', ',')}%: hãy viết phần trăm không có dấu chấm phân cách "
            "(ví dụ 50% hoặc 12,5%).",
        )
    if parsed.value is None:
        return parsed
    return Parsed(parsed.value / 100, None, text)


def _text(raw: str, limit: int) -> Parsed:
    text = raw.translate(_SPACES).strip()
    if text == "":
        return Parsed(None)
    typed = f"Số được nhập dạng chữ '{text}'"
    if len(text) > MAX_TEXT:
        if text.lstrip("+-").replace(".", "").replace(",", "").replace(" ", "").isdigit():
            return _error(
                "too-large", f"Số có {len(text)} ký tự là quá lớn: tối đa {thousands(limit)}."
            )
        return _error("not-a-number", f"'{text[:MAX_TEXT]}…' không phải là số.")
    if ExcelError.parse(text):
        return _error("excel-error", f"Ô đang có lỗi {text} thay vì một số.")
    if _PLAIN.match(text):
        return _read(Fraction(int(text)), text, limit, f"{typed}; đã đọc là {{}}.")
    if _GROUPED_DOTS.match(text) or _GROUPED_SPACES.match(text):
        number = Fraction(text.replace(" ", "").replace(".", "").replace(",", "."))
        return _read(
            number,
            text,
            limit,
            f"{typed} (dấu chấm/cách phân cách hàng nghìn); đã đọc là {{}}.",
            grouped=True,
        )
    if _DECIMAL_COMMA.match(text):
        whole, _, decimals = text.partition(",")
        if len(decimals) == 3 and not whole.lstrip("+-").startswith("0"):
            return _error(
                "ambiguous-number",
                f"'{text}' không rõ là {whole}{decimals} hay {whole},{decimals}: "
                "hãy nhập lại số nguyên không có dấu phân cách.",
            )
        return _read(Fraction(text.replace(",", ".")), text, limit, f"{typed}; đã đọc là {{}}.")
    if _DECIMAL_DOT.match(text):
        return _read(Fraction(text), text, limit, f"{typed}; đã đọc là {{}}.")
    match = _EXPONENT.match(text)
    if match:
        mantissa, exponent = match.group(1).replace(",", "."), int(match.group(2))
        if abs(exponent) > MAX_EXPONENT:
            return _error(
                "too-large" if exponent > 0 else "not-a-number",
                f"'{text}' có số mũ quá lớn: hãy nhập số bình thường (tối đa {thousands(limit)}).",
            )
        return _read(
            Fraction(mantissa) * Fraction(10) ** exponent, text, limit, f"{typed}; đã đọc là {{}}."
        )
    if text.lower().lstrip("+-") in ("inf", "infinity", "nan", "∞"):
        return _error("not-a-number", f"'{text}' không phải là một số hữu hạn.")
    return _error("not-a-number", f"'{text}' không phải là số.")


def _read(number: Fraction, text: str, limit: int, warning: str, grouped: bool = False) -> Parsed:
    bounded = _bounded(number, text, limit)
    if bounded.is_error:
        return bounded
    return Parsed(
        number, Problem(WARNING, "number-as-text", warning.format(show(number))), text, grouped
    )


def _bounded(number: Fraction, shown: str, limit: int) -> Parsed:
    if abs(number) > limit:
        return _error("too-large", f"Số {shown[:MAX_TEXT]} quá lớn: tối đa {thousands(limit)}.")
    return Parsed(number, None, shown)


def _error(rule: str, message: str) -> Parsed:
    return Parsed(None, Problem(ERROR, rule, message))


def thousands(number: int) -> str:
    """A whole number with Vietnamese thousands dots: 1.000.000 (the one way to group)."""
    return f"{number:,}".replace(",", ".")


def show(number: int | Fraction) -> str:
    """A number as an officer writes it: 1200, 12,5."""
    if number.denominator == 1:
        return str(number.numerator)
    return f"{float(number):.10g}".replace(".", ",")
