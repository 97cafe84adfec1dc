"""Excel custom functions for planning: thin wrappers over ``xladdin.engine``.

Every function:
* takes error cells as their text (``err_to_str``), so «#DIV/0!» is named in the message
  instead of being read as an empty cell;
* has a Vietnamese description and argument help for Excel's function wizard;
* works as plain Python (the xlwings decorators are no-ops outside an Excel runtime);
* never shows a traceback or a Python class name.  Bad input becomes Excel's own
  ``#VALUE!`` error value, never a text that ``SUM`` would count as 0 and ``ISERROR``
  would miss (:func:`error_value`):

  - Excel on the web, xlwings Server and xlwings Lite (Office.js): the function raises
    :class:`CellError`; Excel shows ``#VALUE!`` with the Vietnamese reason as the note
    on the cell's error flag;
  - the classic desktop add-in (Excel for Windows, through COM): a raised error would
    put xlwings' traceback text in the cell, so the function returns COM's ``#VALUE!``
    (a VT_ERROR variant, what a VBA function returns with ``CVErr(xlErrValue)``).  COM
    carries no text with an error value: the reason goes to the log, and the add-in's
    variants of these functions (:mod:`udfs.desktop`) write it as the cell's note after
    the calculation;
  - plain Python: :class:`~xladdin.engine.values.ExcelError` ``("#VALUE!", reason)``,
    the error as a value (as the ``formulas`` package treats Excel errors).
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from fractions import Fraction
from functools import wraps
from typing import Any

from xladdin import contract as c
from xladdin.engine import apportion, check_split, pct_done, read_count, round_target
from xladdin.engine.numbers import parse_number, thousands
from xladdin.engine.values import MAX_COUNT, ExcelError, exact
from xladdin.errors import InputError, XladdinError
from xlwings import arg, func, ret

UNEXPECTED = "Lỗi không mong đợi của chương trình; hãy báo cho người hỗ trợ kỹ thuật."
#: ``#VALUE!`` as COM carries it: the HRESULT of xlErrValue (2015), 0x800A07DF, as the
#: signed 32-bit number pywin32 uses (xlwings reads this very number back as «#VALUE!»).
COM_VALUE_ERROR = -2146826273
log = logging.getLogger("xladdin.udfs")


class _BadInput(Exception):
    """Raised inside a wrapper; turned into ``#VALUE!`` with this message."""


class CellError(InputError):
    """Shown by Office.js as ``#VALUE!`` with this message on the cell's error flag."""


def _office_js() -> bool:
    """Excel on the web / xlwings Server / xlwings Lite: both set XLWINGS_ON_SERVER."""
    return os.environ.get("XLWINGS_ON_SERVER") == "true"


def _excel_safe(function: Callable[..., Any]) -> Callable[..., Any]:
    """Turn any failure into Excel's ``#VALUE!`` with a Vietnamese reason, never a traceback."""

    @wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        value, reason = call_safely(function, args, kwargs)
        return value if reason is None else error_value(reason)

    return wrapper


def call_safely(function: Callable[..., Any], args: tuple[Any, ...],
                kwargs: dict[str, Any]) -> tuple[Any, str | None]:
    """``(value, None)``, or ``(None, reason)`` when the call failed: the reason an
    officer reads, never a traceback (a bug of ours is logged in full)."""
    try:
        return function(*args, **kwargs), None
    except (_BadInput, XladdinError) as error:
        return None, str(error)
    except Exception:  # a bug of ours: the details go to the log, the cell says so
        log.exception("%s failed", function.__name__)
        return None, UNEXPECTED


def error_value(reason: str) -> Any:
    """``#VALUE!`` with ``reason``, as the runtime that called can show it."""
    if _office_js():
        raise CellError(reason)
    if "xlwings.com_server" in sys.modules:  # the classic add-in's COM server called us
        log.warning("#VALUE!: %s", reason)
        return _com_error(COM_VALUE_ERROR)
    return ExcelError("#VALUE!", reason)


def _com_error(scode: int) -> Any:
    """An error value for Excel through COM: pywin32 sends a ``VARIANT(VT_ERROR, scode)``
    as that variant type, and the add-in's VBA wrapper hands it to the cell as is."""
    import pythoncom  # pywin32, there with the classic add-in (Windows)
    from win32com.client import VARIANT

    return VARIANT(pythoncom.VT_ERROR, scode)


def _count(value: Any, label: str) -> int:
    """A whole number ≥ 0 from a cell (number, or a number typed as text)."""
    if isinstance(value, list):
        raise _BadInput(f"{label} phải là một ô, không phải một vùng.")
    _short_text(value, label)
    reading = read_count(value)
    if reading.problem is not None and reading.problem.severity == c.ERROR:
        raise _BadInput(f"{label}: {reading.problem.message}")
    if reading.value is None:
        raise _BadInput(f"{label} đang để trống.")
    if reading.value > MAX_COUNT:
        raise _BadInput(f"{label} quá lớn ({reading.value:.3g}): xladdin nhận số đến "
                        f"{thousands(MAX_COUNT)}.")
    return reading.value


def _short_text(value: Any, label: str) -> None:
    """No number an officer types is 40 characters long; longer text is not parsed at all
    (a 5,000-digit string would otherwise cost the parser, and Python refuses it)."""
    if isinstance(value, str) and len(value.strip()) > 40:
        raise _BadInput(f"{label} '{value.strip()[:20]}…' không phải là số.")




def _ratio(value: Any, label: str) -> Fraction:
    if isinstance(value, str):
        text = value.strip()
        percent = text.endswith("%")
        number = _text_number(text.rstrip("%").strip(), value, label, "tỷ lệ (ví dụ 50%)",
                              "tỷ lệ")
        return number / 100 if percent else number
    try:
        return exact(value)
    except TypeError:
        raise _BadInput(f"{label} phải là một tỷ lệ (ví dụ 50%).") from None


def _text_number(text: str, typed: str, label: str, what: str, kind: str) -> Fraction:
    """A number typed as text, read by the one parser (cells, CSV, CLI) — except that text
    it would read as thousands («1.000», «0.125») is refused here: a cell function has no
    warning to show, and «1.000%» must not be 1 % here and 1000 % in a CSV file."""
    parsed = parse_number(text)
    if parsed.grouped:
        raise _BadInput(f"{label} '{typed}' không rõ: dấu chấm là phân cách hàng nghìn hay số "
                        f"lẻ? Hãy nhập {kind} dạng số, không nhập dạng chữ.")
    if parsed.value is None:
        raise _BadInput(f"{label} '{typed}' không phải là {what}.")
    return parsed.value


def _orientation(weights: Any) -> tuple[list[Any], str]:
    """The weights as a flat list and whether they came as a row or a column."""
    if not isinstance(weights, list):
        return [weights], "row"
    rows = [row if isinstance(row, list) else [row] for row in weights]
    if len(rows) == 1:
        return list(rows[0]), "row"
    if all(len(row) == 1 for row in rows):
        return [row[0] for row in rows], "column"
    raise _BadInput("Trọng số phải là một hàng hoặc một cột, không phải một bảng.")


@func
@arg(
    "total",
    err_to_str=True,
    doc="Tổng chỉ tiêu cần phân bổ (số nguyên ≥ 0), thường là Chỉ tiêu đợt.",
)
@arg("weights", err_to_str=True, ndim=2, doc="Trọng số của từng đơn vị: một hàng hoặc một cột.")
@arg(
    "method",
    err_to_str=True,
    doc="largest-remainder (mặc định), sainte-lague, dhondt hoặc huntington-hill.",
)
@arg("minimum", err_to_str=True, doc="Mức tối thiểu cho mỗi đơn vị (mặc định 0).")
@ret(expand="table")  # spills in the legacy desktop add-in; Server and Lite spill natively
@_excel_safe
def SPLIT_TARGET(total, weights, method=None, minimum=None):  # noqa: N802 (Excel's name)
    """Phân bổ chỉ tiêu cho các đơn vị theo trọng số, thành các số nguyên cộng lại đúng bằng tổng.

    Kết quả trải theo hướng của vùng trọng số (hàng → hàng, cột → cột).
    """
    flat, orientation = _orientation(weights)
    for position, weight in enumerate(flat, start=1):
        if weight is None or (isinstance(weight, str) and not weight.strip()):
            raise _BadInput(f"Trọng số thứ {position} đang để trống.")
    parsed = [_weight(w, position) for position, w in enumerate(flat, start=1)]
    shares = apportion(
        _count(total, "Tổng chỉ tiêu"),
        parsed,
        method=method,
        minimum=0 if minimum in (None, "") else _count(minimum, c.MINIMUM_LABEL),
    )
    return [shares] if orientation == "row" else [[share] for share in shares]


def _weight(value: Any, position: int) -> Fraction:
    _short_text(value, f"Trọng số thứ {position}")
    if isinstance(value, bool):
        raise _BadInput(
            f"Trọng số thứ {position} là {'TRUE' if value else 'FALSE'}, không phải số."
        )
    if isinstance(value, str):
        return _text_number(value, value, f"Trọng số thứ {position}", "số", "trọng số")
    try:
        return exact(value)
    except TypeError:
        raise _BadInput(f"Trọng số thứ {position} '{value}' không phải là số.") from None


@func
@arg("plan", err_to_str=True, doc="Kế hoạch năm.")
@arg("done", err_to_str=True, doc="Đã thực hiện (kết quả các đợt trước).")
@arg(
    "raw",
    err_to_str=True,
    doc="TRUE để lấy số thật (có thể âm khi vượt kế hoạch); mặc định FALSE: không nhỏ hơn 0.",
)
@_excel_safe
def REMAINING(plan, done, raw=False):  # noqa: N802
    """Chỉ tiêu còn lại = Kế hoạch năm − Đã thực hiện (hiển thị không nhỏ hơn 0)."""
    value = _count(plan, c.ANNUAL_PLAN) - _count(done, c.DONE)
    return value if raw else max(0, value)


@func
@arg("plan", err_to_str=True, doc="Kế hoạch năm.")
@arg("done", err_to_str=True, doc="Đã thực hiện trước đợt này.")
@arg(
    "share",
    err_to_str=True,
    doc="Tỷ lệ kế hoạch năm cần đạt đến hết đợt, ví dụ 50%. Mặc định 100%.",
)
@_excel_safe
def ROUND_TARGET(plan, done, share=None):  # noqa: N802
    """Chỉ tiêu đợt = làm tròn lên (Kế hoạch năm × tỷ lệ) − Đã thực hiện, không nhỏ hơn 0."""
    ratio = Fraction(1) if share in (None, "") else _ratio(share, "Tỷ lệ")
    if ratio < 0:
        raise _BadInput("Tỷ lệ không được âm.")
    if ratio > 10:
        raise _BadInput(
            f"Tỷ lệ {float(ratio):g} quá lớn: nhập 50% hoặc 0,5 cho năm mươi phần trăm."
        )
    return round_target(_count(plan, c.ANNUAL_PLAN), _count(done, c.DONE), ratio)


@func
@arg("result", err_to_str=True, doc="Kết quả thực hiện.")
@arg("target", err_to_str=True, doc="Chỉ tiêu (đợt hoặc năm).")
@_excel_safe
def PCT_DONE(result, target):  # noqa: N802
    """Tỷ lệ đạt = Kết quả / Chỉ tiêu (định dạng %). Để trống khi chỉ tiêu bằng 0."""
    ratio = pct_done(_count(result, c.RESULT), _count(target, "Chỉ tiêu"))
    return "" if ratio is None else float(ratio)


@func
@arg("total", err_to_str=True, doc="Chỉ tiêu đợt của đơn vị cấp trên.")
@arg(
    "shares",
    err_to_str=True,
    ndim=2,
    doc="Phần đã giao cho các đơn vị cấp dưới (một hàng hoặc một cột).",
)
@_excel_safe
def CHECK_SPLIT(total, shares):  # noqa: N802
    """Kiểm tra phân bổ: 'Khớp' khi tổng các phần bằng chỉ tiêu, nếu không 'Thừa n' / 'Thiếu n'."""
    flat, _ = _orientation(shares)
    counts = [
        0 if value in (None, "") else _count(value, f"Phần thứ {position}")
        for position, value in enumerate(flat, start=1)
    ]
    return check_split(_count(total, c.ROUND_TARGET), counts).message()


__all__ = ["CHECK_SPLIT", "PCT_DONE", "REMAINING", "ROUND_TARGET", "SPLIT_TARGET"]
