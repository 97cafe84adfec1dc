"""One custom-function call as the classic desktop add-in makes it (Excel for Windows, COM),
as far as that path runs without Windows, and what the cell then shows.

The classic add-in's path, read from the installed xlwings (0.37: ``udfs.call_udf``,
``udfs.generate_vba_wrapper``, ``com_server.XLPython.CallUDF``):

1. Excel calls the VBA wrapper xlwings generated: ``F = XLPy.CallUDF(...)`` under
   ``On Error GoTo failed`` … ``failed: F = Err.Description``: a Python exception puts
   its text (the traceback) in the cell.
2. ``call_udf`` reads the arguments (``err_to_str``: an error cell as its text; ``ndim=2``:
   a 2D list), calls the function in the COM server's process (where
   ``xlwings.com_server`` is loaded), and writes its result through ``conversion.write``
   (a scalar becomes ``[[x]]``); ``CallUDF`` gives back ``x`` for one cell, the row for a
   one-row result, the 2D list otherwise.
3. pywin32 turns that Python value into a COM VARIANT: numbers and text as such, a
   ``win32com.client.VARIANT(vt, value)`` as its own variant type.
4. Excel shows a VT_ERROR variant whose SCODE is one of its error codes as that error
   (what a VBA function returning ``CVErr(xlErrValue)`` shows); any text, even
   ``"#VALUE! …"``, is text: ``SUM`` counts it as 0 and ``ISERROR`` says FALSE.

Checked against the installed xlwings source: 1 and 2 (and the SCODEs: xlwings'
``_xlwindows.cell_errors`` reads these very numbers back as the errors).  Assumed, not
run here (no Windows, no Excel): 3 (pywin32's documented ``VARIANT`` class) and 4.

:func:`call_desktop_function` runs the function in this process with
``xlwings.com_server`` marked as loaded and two small modules standing in for pywin32
(``pythoncom.VT_ERROR`` and ``win32com.client.VARIANT``, nothing else), then shows the
result as steps 2 to 4 say.  The xlwings decorators are no-ops in this process, as the
function objects are under the classic add-in (its decorators only record metadata).
"""

from __future__ import annotations

import sys
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from .functions import Shown
from .values import ExcelError

VT_ERROR = 10  # pythoncom.VT_ERROR (the OLE VARENUM value)

#: Excel's error values as COM carries them (the SCODE of a VT_ERROR variant), as
#: ``xlwings._xlwindows.cell_errors`` lists them (that module needs pywin32).
COM_ERRORS = {
    -2146826281: "#DIV/0!",
    -2146826246: "#N/A",
    -2146826259: "#NAME?",
    -2146826288: "#NULL!",
    -2146826252: "#NUM!",
    -2146826265: "#REF!",
    -2146826273: "#VALUE!",
}


class VARIANT:
    """``win32com.client.VARIANT``: a value sent as a given COM variant type."""

    def __init__(self, vt: int, value: Any):
        self.varianttype = vt
        self.value = value

    def __repr__(self) -> str:
        return f"VARIANT({self.varianttype}, {self.value!r})"


@contextmanager
def classic_add_in() -> Iterator[None]:
    """This process as the classic add-in's COM server: ``xlwings.com_server`` loaded,
    pywin32's ``pythoncom`` and ``win32com.client`` importable."""
    pythoncom = types.ModuleType("pythoncom")
    pythoncom.VT_ERROR = VT_ERROR
    win32com = types.ModuleType("win32com")
    client = types.ModuleType("win32com.client")
    client.VARIANT = VARIANT
    win32com.client = client
    server = types.ModuleType("xlwings.com_server")
    standing_in = {"pythoncom": pythoncom, "win32com": win32com, "win32com.client": client,
                   "xlwings.com_server": server}
    saved = {name: sys.modules.get(name) for name in standing_in}
    sys.modules.update(standing_in)
    try:
        yield
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module


def _cell(value: Any) -> Any:
    """What a cell shows for one value the add-in returned (steps 3 and 4)."""
    if isinstance(value, VARIANT):
        if value.varianttype == VT_ERROR and value.value in COM_ERRORS:
            return ExcelError(COM_ERRORS[value.value])
        raise AssertionError(f"a variant Excel would not show as an error: {value!r}")
    return value


def call_desktop_function(function: Callable[..., Any], *args: Any) -> Shown:
    """Call ``function`` (one of ``udfs``) as the classic add-in does, with ``args`` as
    the add-in reads them (one cell: its value, an error cell: its text; a range: a 2D
    list), and show the answer as the cell would."""
    with classic_add_in():
        try:
            result = function(*args)
        except Exception as error:  # noqa: BLE001 - the VBA wrapper: F = Err.Description
            return Shown(grid=[[f"{type(error).__name__}: {error}"]], crashed=True,
                         message=str(error))
    rows = result if isinstance(result, list) else [[result]]
    rows = [row if isinstance(row, list) else [row] for row in rows]
    return Shown(grid=[[_cell(v) for v in row] for row in rows], raw=result)
