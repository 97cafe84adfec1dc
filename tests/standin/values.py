"""Cell values as they cross the wire between Excel's Office.js add-in and xlwings.

JavaScript has one number type and ``JSON.stringify(12.0)`` is ``"12"``: a whole number
read from a cell arrives in Python as ``int``, anything else as ``float``.
:func:`js_number` reproduces that, so that the stand-in hands Python exactly the types a
real add-in does.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

# Excel's error values and the ``errorType`` Office.js gives them in cell-value objects.
ERROR_TYPES = {
    "#NULL!": "Null",
    "#DIV/0!": "Div0",
    "#VALUE!": "Value",
    "#REF!": "Ref",
    "#NAME?": "Name",
    "#NUM!": "Num",
    "#N/A": "NotAvailable",
    "#GETTING_DATA": "GettingData",
    "#SPILL!": "Spill",
    "#CALC!": "Calc",
    "#FIELD!": "Field",
    "#BUSY!": "Busy",
    "#CONNECT!": "Connect",
    "#BLOCKED!": "Blocked",
    "#UNKNOWN!": "Unknown",
}
ERROR_CODES = {kind: code for code, kind in ERROR_TYPES.items()}

_EPOCH = dt.datetime(1899, 12, 30)
_MAX_SAFE = 2**53


class ExcelError(str):
    """An Excel error value (``#DIV/0!``…), as opposed to a text that looks like one.

    It is a ``str`` so that ``shown.value == "#VALUE!"`` reads naturally, and a distinct
    type so that ``isinstance(value, ExcelError)`` tells a real error cell from the text
    ``"#VALUE! …"`` that a custom function returned.
    """

    def __new__(cls, code: str) -> ExcelError:
        if code not in ERROR_TYPES:
            raise ValueError(f"not an Excel error code: {code!r}")
        return super().__new__(cls, code)

    @property
    def error_type(self) -> str:
        return ERROR_TYPES[str(self)]

    def __repr__(self) -> str:
        return f"ExcelError({str(self)!r})"


def js_number(value: int | float) -> int | float:
    """A number as it comes out of ``JSON.stringify`` in the add-in, then ``json.loads``."""
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"an Excel cell cannot hold {value!r}")
        if value.is_integer() and abs(value) < _MAX_SAFE:
            return int(value)
        return value
    if isinstance(value, int) and abs(value) >= _MAX_SAFE:
        return float(value)
    return value


def to_serial(value: dt.date | dt.datetime | dt.time | dt.timedelta) -> float:
    """Excel's 1900 date serial of a date, time or duration."""
    if isinstance(value, dt.datetime):
        delta = value.replace(tzinfo=None) - _EPOCH
    elif isinstance(value, dt.date):
        delta = dt.datetime(value.year, value.month, value.day) - _EPOCH
    elif isinstance(value, dt.time):
        delta = dt.timedelta(
            hours=value.hour,
            minutes=value.minute,
            seconds=value.second,
            microseconds=value.microsecond,
        )
    elif isinstance(value, dt.timedelta):
        delta = value
    else:  # pragma: no cover - guarded by callers
        raise TypeError(value)
    return delta / dt.timedelta(days=1)


def iso_from_serial(serial: float) -> str:
    """What the add-in sends for a date-formatted cell: ``new Date(...).toISOString()``.

    ``new Date(Math.round((serial - 25569) * 86400 * 1000)).toISOString()``.
    """
    millis = round((serial - 25569) * 86400 * 1000)
    moment = dt.datetime(1970, 1, 1) + dt.timedelta(milliseconds=millis)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def error_object(code: str) -> dict[str, Any]:
    """An error cell as the custom-functions runtime passes it (``allowErrorForDataTypeAny``)."""
    return {
        "type": "Error",
        "basicType": "Error",
        "basicValue": code,
        "errorType": ERROR_TYPES[code],
    }
