"""The Excel stand-in: runs xladdin's custom functions and scripts the way Excel's
xlwings add-in (Office.js) and xlwings Server do, on Linux, without Excel.

* :func:`call_function` — one custom-function call as the add-in posts it; the answer as
  the cell shows it (:class:`Shown`).
* :func:`call_desktop_function` — the same call through the classic desktop add-in
  (Excel for Windows, COM): xlwings' own ``call_udf`` over a small Excel in this process
  (:mod:`standin.desktop_mode`, ``DESKTOP.md``: what is run, checked and assumed).
* :func:`book_json` — a workbook as the JSON the add-in posts for a script.
* :func:`run_script` — book_json → ``custom_scripts_call`` → :func:`apply_actions`.
* :func:`apply_actions` — the actions of ``book.json()`` applied with openpyxl.
* :func:`recalc` — recalculate with LibreOffice headless; :func:`cell_values` reads the
  cached values an officer would see.

xlwings itself runs in server mode in a separate worker process
(:mod:`standin.server_mode` says why); only :func:`standin.desktop_mode.classic_add_in`
imports xlwings here (its ``xlwings.udfs``, for the length of the call).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl

from libreoffice import LibreOfficeError, recalc, soffice

from .actions import ActionError, Applied, UnsupportedAction, apply_actions, supported_actions
from .desktop_mode import call_desktop_function
from .functions import EMPTY, OMITTED, Shown, call_function, encode_argument, function_payload
from .scripts import ScriptFailed, ScriptRun, inspect_book, run_script, script_meta
from .server_mode import ServerSideError, WorkerError, shutdown, worker
from .values import ExcelError
from .workbook_json import book_json


def cell_values(xlsx_path: str | Path, ref: str, sheet: str | None = None) -> Any:
    """Cached values of ``ref`` (``"B3"`` or ``"A1:C4"``) as openpyxl reads them.

    One cell gives its value, a range a list of rows.  Error cells come back as
    :class:`ExcelError`.  Read a recalculated file (:func:`recalc`) to see what Excel
    shows: files written by openpyxl carry no cached values.
    """
    wb = openpyxl.load_workbook(xlsx_path, data_only=True)
    ws = wb[sheet] if sheet else wb.active
    ref = ref.split("!")[-1].replace("$", "")

    def shown(value: Any) -> Any:
        if isinstance(value, str):
            try:
                return ExcelError(value)
            except ValueError:
                return value
        return value

    if ":" not in ref:
        return shown(ws[ref].value)
    return [[shown(cell.value) for cell in row] for row in ws[ref]]


__all__ = [
    "EMPTY",
    "OMITTED",
    "ActionError",
    "Applied",
    "ExcelError",
    "LibreOfficeError",
    "ScriptFailed",
    "ScriptRun",
    "ServerSideError",
    "Shown",
    "UnsupportedAction",
    "WorkerError",
    "apply_actions",
    "book_json",
    "call_desktop_function",
    "call_function",
    "cell_values",
    "encode_argument",
    "function_payload",
    "inspect_book",
    "recalc",
    "run_script",
    "script_meta",
    "shutdown",
    "soffice",
    "supported_actions",
    "worker",
]
