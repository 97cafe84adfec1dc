"""One custom-function call, as Excel's add-in makes it and as Excel shows the answer.

The body Excel posts to ``/xlwings/custom-functions-call`` (built by ``base()`` in
xlwings Server's ``custom-functions-code.js``)::

    {"client": "Office.js", "func_name": "SPLIT_TARGET",
     "args": [[[25]], [[4, 10, 10, 5, 11]], null, [[null]]],
     "caller_address": "[plan.xlsx]KeHoach!H2", "session_id": "…",
     "culture_info_name": "vi-VN", "date_format": "dd/MM/yyyy",
     "version": "<xlwings version>", "runtime": "1.4"}

Every parameter is registered with ``dimensionality: "matrix"`` and ``type: "any"``, so
each argument arrives as a 2D array: a single cell or a typed constant ``[[v]]``, a range
row by row.  An empty cell is ``null`` inside the array (``[[null]]``); an optional
argument left out of the formula is a bare ``null``.  Numbers are JavaScript numbers
(whole ones reach Python as ``int``), dates are serial numbers, and an error cell is a
cell-value object ``{"type": "Error", "basicValue": "#DIV/0!", "errorType": "Div0", …}``
(the manifest sets ``allowErrorForDataTypeAny``).  Excel refuses a formula with too few or
too many arguments before anything is sent: :func:`call_function` raises ``TypeError``.

The response is ``{"result": <2D array>}``: one cell shows ``result[0][0]``, a larger
array spills.  A value that starts with ``#`` and is exactly an error code becomes a real
Excel error (``{"type": "Error", "errorType": ...}`` with runtime ≥ 1.4); any other text is
shown as text.  If the Python side raises, the server answers with an HTTP error and the
add-in throws ``CustomFunctions.Error(invalidValue, message)``: the cell shows ``#VALUE!``
and the message on the cell's error flag (hover).  Our functions raise ``CellError`` on
bad input on purpose (a real ``#VALUE!`` with the Vietnamese reason as that note, which
``xladdin serve`` sends as ``detail``): :attr:`Shown.is_readable_error`; anything else
raised is a crash: :attr:`Shown.crashed`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from .server_mode import ServerSideError, module_ref, worker
from .values import ERROR_CODES, ExcelError, error_object, js_number, to_serial
from .workbook_json import xlwings_version


class _Marker:
    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return self.name


#: A reference to an empty cell (``=PCT_DONE(B2, C2)`` with B2 blank): ``[[null]]``.
EMPTY = _Marker("EMPTY")
#: An optional argument left out of the formula (``=REMAINING(B2, C2)``): ``null``.
OMITTED = _Marker("OMITTED")

_SESSION = uuid.uuid4().hex


def _cell(value: Any) -> Any:
    if value is None or value is EMPTY:
        return None
    if isinstance(value, ExcelError):
        return error_object(str(value))
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return js_number(value)
    if isinstance(value, str):
        return value
    if isinstance(value, (dt.datetime, dt.date, dt.time, dt.timedelta)):
        return js_number(to_serial(value))
    raise TypeError(f"a cell cannot hold {type(value).__name__}: {value!r}")


def encode_argument(value: Any) -> Any:
    """One argument as the custom-functions runtime passes it (a matrix, or null)."""
    if value is OMITTED:
        return None
    if isinstance(value, (list, tuple)):
        rows = list(value)
        if not rows or not all(isinstance(row, (list, tuple)) for row in rows):
            raise TypeError(
                "a range must be a 2D list: [[a, b, c]] for a row, [[a], [b], [c]] for a column"
            )
        width = len(rows[0])
        if width == 0 or any(len(row) != width for row in rows):
            raise TypeError("a range must be rectangular and not empty")
        return [[_cell(v) for v in row] for row in rows]
    return [[_cell(value)]]


def function_payload(
    name: str,
    args: list[Any],
    *,
    caller: str = "Sheet1!A1",
    book_name: str = "Book1.xlsx",
    culture: str = "vi-VN",
    date_format: str = "dd/MM/yyyy",
    runtime: str = "1.4",
) -> dict[str, Any]:
    """The JSON body of one call (``args`` already encoded and padded)."""
    return {
        "client": "Office.js",
        "func_name": name,
        "args": args,
        "caller_address": f"[{book_name}]{caller}",
        "session_id": _SESSION,
        "culture_info_name": culture,
        "date_format": date_format,
        "version": xlwings_version(),
        "runtime": runtime,
    }


def _displayed(value: Any) -> Any:
    """What a cell shows for one element of the result matrix."""
    if isinstance(value, dict):
        kind = value.get("type")
        if kind == "Error":
            code = value.get("basicValue") or ERROR_CODES.get(value.get("errorType"), "#VALUE!")
            return ExcelError(code)
        if kind == "Entity":
            return value.get("text")
        return value.get("basicValue")
    if isinstance(value, str) and value in ERROR_CODES.values():
        return ExcelError(value)  # runtime < 1.4 passes the error string through
    return value


@dataclass
class Shown:
    """What Excel shows after one custom-function call."""

    grid: list[list[Any]]
    raw: Any = None
    crashed: bool = False
    message: str | None = None  # the hover text of a #VALUE! raised in Python
    traceback: str | None = None
    script: dict[str, Any] | None = None  # a follow-up script requested via WithScript
    payload: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def value(self) -> Any:
        """The calling cell's value when the result is one cell, else the spilled grid."""
        if len(self.grid) == 1 and len(self.grid[0]) == 1:
            return self.grid[0][0]
        return self.grid

    @property
    def is_excel_error(self) -> bool:
        return any(isinstance(v, ExcelError) for row in self.grid for v in row)

    @property
    def is_readable_error(self) -> bool:
        """``#VALUE!`` with a Vietnamese reason on its note: what our functions show on bad
        input (a real Excel error, so ISERROR sees it and SUM does not add a silent 0)."""
        return (
            not self.crashed
            and self.value == ExcelError("#VALUE!")
            and bool(self.message)
            and "Traceback" not in self.message
            and "Error" not in self.message  # no Python class name
        )


def call_function(
    module: ModuleType | str,
    name: str,
    args: list[Any] | tuple[Any, ...] = (),
    *,
    caller: str = "Sheet1!A1",
    book_name: str = "Book1.xlsx",
    culture: str = "vi-VN",
    date_format: str = "dd/MM/yyyy",
    runtime: str = "1.4",
) -> Shown:
    """Call custom function ``name`` of ``module`` the way Excel's add-in does.

    ``args`` are what the formula passes, one per argument written: a scalar for a
    constant or one cell (``None``/:data:`EMPTY` for an empty cell, :class:`ExcelError`
    for an error cell, a date for a date cell), a 2D list for a range; :data:`OMITTED`
    for an optional argument left empty in the middle.  Arguments after the last one
    given are omitted.  Runs in the server-mode worker (see :mod:`standin.server_mode`).
    """
    meta = worker().meta(module)
    functions = {f["id"]: f for f in meta["functions"]["functions"]}
    by_excel_name = {f["name"].upper(): f for f in meta["functions"]["functions"]}
    function = functions.get(name.upper()) or by_excel_name.get(name.upper())
    if function is None:
        raise LookupError(f"{name} is not a custom function of {module_ref(module)['module']}")
    function_id = function["id"]
    parameters = function["parameters"]
    repeating = bool(parameters) and parameters[-1].get("repeating", False)
    required = sum(1 for p in parameters if not p.get("optional") and not p.get("repeating"))
    args = list(args)
    if len(args) < required:
        raise TypeError(
            f"Excel refuses ={function_id}(…) with {len(args)} argument(s): "
            f"{required} required"
        )
    if len(args) > len(parameters) and not repeating:
        raise TypeError(
            f"Excel refuses ={function_id}(…) with {len(args)} argument(s): "
            f"at most {len(parameters)}"
        )
    if repeating:
        fixed = len(parameters) - 1
        encoded = [encode_argument(a) for a in args[:fixed]]
        encoded += [None] * (fixed - len(encoded))
        encoded.append([encode_argument(a) for a in args[fixed:]])
    else:
        encoded = [encode_argument(a) for a in args]
        encoded += [None] * (len(parameters) - len(encoded))

    # The Python function name is the dispatch key (the Excel name may differ).
    python_name = meta["python_names"].get(function_id, name)
    payload = function_payload(
        python_name,
        encoded,
        caller=caller,
        book_name=book_name,
        culture=culture,
        date_format=date_format,
        runtime=runtime,
    )
    try:
        answer = worker().request({"op": "call", **module_ref(module), "payload": payload})
    except ServerSideError as error:
        ours = error.type_name == "CellError"  # bad input, said on purpose
        return Shown(
            grid=[[ExcelError("#VALUE!")]],
            crashed=not ours,
            message=error.message if ours else f"{error.type_name}: {error.message}",
            traceback=error.traceback,
            payload=payload,
        )
    raw = answer["result"]
    rows = raw if isinstance(raw, list) else [[raw]]
    rows = [row if isinstance(row, list) else [row] for row in rows]
    return Shown(
        grid=[[_displayed(v) for v in row] for row in rows],
        raw=raw,
        script=answer.get("script"),
        payload=payload,
    )
