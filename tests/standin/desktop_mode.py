"""Custom-function calls as the classic desktop add-in makes them (Excel for Windows, COM),
run through xlwings' own ``xlwings.udfs``, and what the cell then shows: its value and its
note.

The classic add-in's path, read from the installed xlwings (0.37: ``udfs.call_udf``,
``udfs.ComRange``, ``udfs.delayed_resize_dynamic_array_formula``,
``udfs.generate_vba_wrapper``, ``udfs.import_udfs``, ``com_server.XLPython.CallUDF``):

1. Excel calls the VBA wrapper xlwings generated: ``F = XLPy.CallUDF(...)`` under
   ``On Error GoTo failed`` … ``failed: F = Err.Description``: a Python exception puts
   its text (the traceback) in the cell.  An argument named ``caller`` is passed as
   ``Nothing`` and is neither in the VBA signature nor in the function wizard's
   argument help (``import_udfs`` lists the arguments without a ``vba`` expression).
2. ``call_udf`` replaces ``caller`` with ``ComRange(caller)`` (the calling range,
   marshalled so that another thread can use it once), reads the other arguments
   (``err_to_str``: an error cell as its text; ``ndim=2``: a 2D list; a missing optional
   argument: its default), calls the function in the COM server's thread (where
   ``xlwings.com_server`` is loaded) and writes its result through ``conversion.write``;
   ``CallUDF`` gives back ``x`` for one cell, the row for a one-row result, the 2D list
   otherwise.  A result of another size than the caller (``expand``) schedules
   ``delayed_resize_dynamic_array_formula`` on ``com_server.loop``.
3. Work scheduled on ``com_server.loop`` runs after the call returns; ``ComRange._com``
   runs each COM call in a thread of ``com_executor`` and retries it with random
   exponential back-off (1 ms doubling to 512 ms) while Excel rejects it
   (``RPC_E_SERVERCALL_RETRYLATER``, or ``DISP_E_EXCEPTION`` with SCODE None or
   0x800A03EC), forever: :mod:`udfs.desktop` bounds it with ``asyncio.wait_for``.
4. pywin32 turns the Python value into a COM VARIANT: numbers and text as such, a
   ``win32com.client.VARIANT(vt, value)`` as its own variant type; Excel shows a VT_ERROR
   variant whose SCODE is one of its error codes as that error (``CVErr(xlErrValue)``):
   ``ISERROR`` is TRUE.  Text, even ``"#VALUE! …"``, is text.
5. Notes: ``Range.AddComment(text)`` (fails, error 1004, when the cell has one),
   ``Range.Comment`` (Nothing when none), ``Comment.Text()``, ``Comment.Delete()``; a
   program's change is refused while Excel calculates.

What runs here is xlwings' real ``xlwings.udfs`` (``call_udf``, ``ComRange``, its
threads and retries, the real ``xlfunc``/``xlarg``/``xlret``/``xlsub`` decorators, as
``xlwings/__init__`` binds them on Windows), with :mod:`standin.desktop_excel` (Excel)
and :mod:`standin.desktop_pywin32` (pywin32, ``xlwings._xlwindows``) standing in, and a
real asyncio loop in a thread as
``xlwings.com_server.loop``.  ``xladdin.excel.desktop_entry`` (the add-in's one UDF
module) and :mod:`udfs` are imported afresh under those decorators for the duration of
:func:`classic_add_in`, and the modules as they were are put back afterwards.

Checked against the installed xlwings source: 1, 2, 3 (run, not re-told) and the SCODEs
(``_xlwindows.cell_errors``).  Assumed, not run here (no Windows, no Excel; see
``tests/standin/DESKTOP.md``): 4 (pywin32's documented ``VARIANT``), 5 (VBA's documented
object model), how long Excel stays busy, that ``ProtectDrawingObjects`` is what forbids
notes on a protected sheet, and that a note added by a program carries no author line.
Not modelled: the workbook argument of ``CallUDF`` (``this_workbook``: embedded code),
Excel's recalculation after a resize, several workbooks or sheets.
"""

from __future__ import annotations

import asyncio
import importlib
import sys
import threading
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from .desktop_excel import COM_ERRORS, VARIANT, VT_ERROR, Excel
from .desktop_pywin32 import pywin32_modules, xlwindows_module
from .functions import Shown
from .values import ExcelError

#: The add-in's one UDF module (``UDF MODULES`` in xlwings.conf, :mod:`xladdin.excel.desktop`).
UDF_MODULE = "xladdin.excel.desktop_entry"
#: What pywin32 gives for an optional argument left out (DISP_E_PARAMNOTFOUND).
MISSING = -2147352572
_FRESH = ("udfs", "udfs.planning", "udfs.desktop", UDF_MODULE, "xlwings.udfs",
          "xlwings.com_server", "xlwings._xlwindows")
_DECORATORS = {"func": "xlfunc", "arg": "xlarg", "ret": "xlret", "script": "xlsub",
               "sub": "xlsub"}


def _cell(value: Any) -> Any:
    """What a cell shows for one value the add-in returned (step 4)."""
    if isinstance(value, VARIANT):
        if value.varianttype == VT_ERROR and value.value in COM_ERRORS:
            return ExcelError(COM_ERRORS[value.value])
        raise AssertionError(f"a variant Excel would not show as an error: {value!r}")
    return value


def _as_vba_passes(value: Any) -> Any:
    """An argument as pywin32 hands it over: an error cell as its SCODE, a range or an
    array as a tuple of rows."""
    if isinstance(value, ExcelError):
        return {text: scode for scode, text in COM_ERRORS.items()}[str(value)]
    if isinstance(value, list):
        return tuple(tuple(row) if isinstance(row, list) else (row,) for row in value)
    return value


@dataclass
class AddIn:
    """The classic add-in running in this process, over :attr:`excel`."""

    excel: Excel
    entry: types.ModuleType  # xladdin.excel.desktop_entry as the add-in imported it
    planning: types.ModuleType  # udfs.planning as imported under the add-in
    desktop: types.ModuleType  # udfs.desktop as imported under the add-in
    xlwings_udfs: types.ModuleType  # xlwings' real xlwings.udfs
    loop: asyncio.AbstractEventLoop

    def enter(self, ref: str, name: str, *args: Any) -> Shown:
        """The officer's formula ``=NAME(args…)`` in ``ref`` calculated alone."""
        return self.calculate([(ref, name, *args)])[0]

    def calculate(self, formulas: list[tuple[Any, ...]]) -> list[Shown]:
        """One calculation of several formulas ``(ref, NAME, args…)``: Excel calls each
        cell's VBA wrapper, which calls ``CallUDF`` with ``Application.Caller``; Excel
        stays busy until the last one is done."""
        self.excel.start_calculation()
        try:
            return [self._call(ref, name, args) for ref, name, *args in formulas]
        finally:
            self.excel.end_calculation()

    def _call(self, ref: str, name: str, args: list[Any]) -> Shown:
        meta = getattr(self.entry, name).__xlfunc__
        visible = [info for info in meta["args"] if info["name"] != "caller"]
        if len(args) > len(visible):
            raise TypeError(f"{name} takes at most {len(visible)} arguments")
        given = iter([_as_vba_passes(a) for a in args] + [MISSING] * (len(visible) - len(args)))
        vba_args = tuple(None if info["name"] == "caller" else next(given)
                         for info in meta["args"])
        try:  # the cell shows the answer before Excel ends the calculation
            return self._show(ref, self.xlwings_udfs.call_udf(UDF_MODULE, name, vba_args, None,
                                                              self.excel.range(ref)))
        except Exception as error:  # noqa: BLE001 - the VBA wrapper: F = Err.Description
            self.excel.cell(ref).shown = f"{type(error).__name__}: {error}"
            return Shown(grid=[[self.excel.cell(ref).shown]], crashed=True, message=str(error))

    def _show(self, ref: str, result: Any) -> Shown:
        if len(result) == 1 and len(result[0]) == 1:  # CallUDF's squeeze
            result = result[0][0]
        elif len(result) == 1:
            result = result[0]
        if not isinstance(result, list):
            rows = [[result]]
        elif not isinstance(result[0], list):
            rows = [result]  # a 1-D array: Excel puts it in a row
        else:
            rows = result
        grid = [[_cell(v) for v in row] for row in rows]
        self.excel.cell(ref).shown = grid[0][0]
        return Shown(grid=grid, raw=result)

    def settle(self, timeout: float = 30.0) -> None:
        """Wait until the work scheduled on the COM server's loop is done (the notes)."""
        async def idle() -> None:
            while True:
                others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
                if not others:
                    return
                await asyncio.gather(*others, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(idle(), self.loop).result(timeout)


@contextmanager
def classic_add_in(excel: Excel | None = None) -> Iterator[AddIn]:
    """This process as the classic add-in's COM server over ``excel`` (see the module's
    docstring); everything is put back on exit."""
    import xlwings
    from xlwings.main import Engine

    excel = excel or Excel()
    xlwindows = xlwindows_module()
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="com_server.loop", daemon=True)
    com_server = types.ModuleType("xlwings.com_server")
    com_server.loop = loop  # type: ignore[attr-defined]
    standing_in = {**pywin32_modules(), "xlwings._xlwindows": xlwindows,
                   "xlwings.com_server": com_server}
    names = set(standing_in) | set(_FRESH)
    saved_modules = {name: sys.modules.get(name) for name in names}
    saved_attributes = {name: getattr(xlwings, name, None)
                        for name in (*_DECORATORS, "udfs", "_xlwindows", "com_server")}
    saved_path = list(sys.path)
    engine = Engine(impl=xlwindows.engine)  # type: ignore[attr-defined]
    xlwings_udfs = None
    try:
        for name in _FRESH:
            sys.modules.pop(name, None)
        sys.modules.update(standing_in)
        xlwings._xlwindows = xlwindows  # type: ignore[attr-defined]
        xlwings.com_server = com_server  # type: ignore[attr-defined]
        xlwings_udfs = importlib.import_module("xlwings.udfs")
        for name, real in _DECORATORS.items():
            setattr(xlwings, name, getattr(xlwings_udfs, real))
        xlwings.engines.add(engine)
        thread.start()
        entry = importlib.import_module(UDF_MODULE)
        yield AddIn(excel=excel, entry=entry, planning=sys.modules["udfs.planning"],
                    desktop=sys.modules["udfs.desktop"], xlwings_udfs=xlwings_udfs, loop=loop)
    finally:
        if thread.is_alive():
            loop.call_soon_threadsafe(loop.stop)
            thread.join(10)
        loop.close()
        if xlwings_udfs is not None:
            xlwings_udfs.com_executor.shutdown(wait=True)
        if engine in xlwings.engines.engines:
            xlwings.engines.engines.remove(engine)
            del xlwings.engines.engines_by_name["excel"]
        for name, module in saved_modules.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module
        for name, value in saved_attributes.items():
            if value is None:
                if hasattr(xlwings, name):
                    delattr(xlwings, name)
            else:
                setattr(xlwings, name, value)
        import xladdin.excel
        if saved_modules[UDF_MODULE] is not None:
            xladdin.excel.desktop_entry = saved_modules[UDF_MODULE]  # type: ignore[attr-defined]
        elif hasattr(xladdin.excel, "desktop_entry"):
            del xladdin.excel.desktop_entry
        sys.path[:] = saved_path


def call_desktop_function(function: Callable[..., Any] | str, *args: Any) -> Shown:
    """One call of ``function`` (one of ``udfs``, or its name) from cell B2 as the classic
    add-in makes it, with ``args`` as the officer's formula gives them (one cell: its
    value; an error cell: :class:`ExcelError` or its text; a range: a 2D list); what the
    cell shows, its note in :attr:`Shown.message` once the add-in's work is done."""
    name = function if isinstance(function, str) else function.__name__
    with classic_add_in() as add_in:
        shown = add_in.enter("B2", name, *args)
        add_in.settle()
        if not shown.crashed:
            shown.message = add_in.excel.cell("B2").note
    return shown
