"""Running a script's actions on a copy of a workbook, one registered handler each."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import openpyxl

# Importing a handler module registers its handlers in HANDLERS.
from . import book, cells, copying, formats, notes_names, sheets, tables, validation  # noqa: F401
from .core import _SEPARATORS, HANDLERS, ActionError, Applied, UnsupportedAction, _Context


def apply_actions(
    xlsx_path: str | Path,
    actions: list[dict[str, Any]] | dict[str, Any],
    out_path: str | Path,
    *,
    locale: str = "vi-VN",
    unprotect_first: bool = False,
) -> Applied:
    """Apply ``actions`` (``book.json()`` or its ``"actions"`` list) to a copy of the file.

    ``xlsx_path`` is never modified; the result is written to ``out_path`` (atomically).
    ``locale`` decides how numeric strings written through ``setValues`` are read.
    As in Excel, writing a locked cell of a protected sheet is refused (ActionError);
    ``unprotect_first`` plays the officer who unprotects every sheet before clicking, as
    the buttons' help asks in Excel on the web and xlwings Lite (Office.js gives xlwings
    no way to lift protection).
    """
    source = Path(xlsx_path).resolve()
    target = Path(out_path).resolve()
    if source == target:
        raise ValueError("out_path must differ from xlsx_path: the input is never modified")
    if locale not in _SEPARATORS:
        raise ValueError(f"locale must be one of {sorted(_SEPARATORS)}")
    if isinstance(actions, dict):
        actions = actions.get("actions", [])
    keep_vba = source.suffix.lower() == ".xlsm"
    wb = openpyxl.load_workbook(source, keep_vba=keep_vba)
    if unprotect_first:
        for ws in wb.worksheets:
            ws.protection.sheet = False
    applied = Applied(path=target)
    ctx = _Context(wb, locale, applied)
    for number, action in enumerate(actions, start=1):
        func = action.get("func")
        function = HANDLERS.get(func)
        if function is None:
            raise UnsupportedAction(f"action {number} ({func!r}) is not supported by the stand-in")
        try:
            function(ctx, action)
        except (ActionError, UnsupportedAction) as error:
            raise type(error)(f"action {number}: {error}") from None
        applied.count += 1
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(
        prefix=".standin-", suffix=target.suffix, dir=target.parent
    )
    os.close(handle)
    try:
        wb.save(temporary)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return applied


def supported_actions() -> Iterable[str]:
    """The ``func`` names :func:`apply_actions` knows."""
    return sorted(HANDLERS)
