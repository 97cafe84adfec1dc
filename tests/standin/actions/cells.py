"""Writing and clearing cells: values, formulas, array formulas, clear contents/formats."""

from __future__ import annotations

from openpyxl.cell.cell import MergedCell
from openpyxl.formula.translate import Translator
from openpyxl.utils import get_column_letter

from .core import (
    ActionError,
    _a1,
    _arg,
    _header_names,
    _matrix,
    _unmerge_in,
    _whole_sheet_box,
    _writable,
    _write,
    bounds,
    handler,
)


def _sync_table_headers(ws, box) -> None:
    """Excel keeps a table's header cells unique non-empty texts, and its columns named so."""
    top, left, bottom, right = box
    for table in ws.tables.values():
        if (table.headerRowCount if table.headerRowCount is not None else 1) == 0:
            continue
        t_top, t_left, _, t_right = bounds(table.ref)
        if not (top <= t_top <= bottom and left <= t_right and right >= t_left):
            continue
        _header_names(ws, table.ref)
        for offset, column in enumerate(table.tableColumns):
            column.name = ws.cell(row=t_top, column=t_left + offset).value


@handler("setValues")
def _set_values(ctx, action):
    ws, box = ctx.sheet(action), ctx.box(action)
    top, left, _, _ = box
    for r, row in enumerate(_matrix(action, box)):
        for c, value in enumerate(row):
            _write(ctx, ws.cell(row=top + r, column=left + c), value)
    _sync_table_headers(ws, box)


@handler("setFormula")
def _set_formula(ctx, action):
    ws, box = ctx.sheet(action), ctx.box(action)
    top, left, bottom, right = box
    values = action.get("values")
    if isinstance(values, list):
        for r, row in enumerate(_matrix(action, box)):
            for c, value in enumerate(row):
                _write(ctx, ws.cell(row=top + r, column=left + c), value)
        _sync_table_headers(ws, box)
        return
    origin = f"{get_column_letter(left)}{top}"
    for row in range(top, bottom + 1):
        for column in range(left, right + 1):
            cell = ws.cell(row=row, column=column)
            if isinstance(values, str) and values.startswith("="):
                _writable(cell, "setFormula").value = Translator(values, origin).translate_formula(
                    cell.coordinate
                )
            else:
                _write(ctx, cell, values)
    _sync_table_headers(ws, box)


@handler("setFormulaArray")
def _set_formula_array(ctx, action):
    from openpyxl.worksheet.formula import ArrayFormula

    ws, box = ctx.sheet(action), ctx.box(action)
    formula = _arg(action, 0)
    if not isinstance(formula, str) or not formula.startswith("="):
        raise ActionError(f"setFormulaArray: not a formula: {formula!r}")
    ref = _a1(*box)
    ws.cell(row=box[0], column=box[1]).value = ArrayFormula(ref, formula)


def _clear_contents(cell) -> None:
    if not isinstance(cell, MergedCell):
        _writable(cell, "clearContents").value = None


def _clear_formats(ws, cell) -> None:
    if not isinstance(cell, MergedCell):
        cell.style = "Normal"


@handler("rangeClearContents")
def _range_clear_contents(ctx, action):
    ws, box = ctx.sheet(action), ctx.box(action)
    for cell in ctx.cells(ws, box):
        _clear_contents(cell)
    _sync_table_headers(ws, box)


@handler("rangeClearFormats")
def _range_clear_formats(ctx, action):
    ws, box = ctx.sheet(action), ctx.box(action)
    _unmerge_in(ws, box)
    for cell in ctx.cells(ws, box):
        _clear_formats(ws, cell)


@handler("rangeClear")
def _range_clear(ctx, action):
    ws, box = ctx.sheet(action), ctx.box(action)
    _unmerge_in(ws, box)
    for cell in ctx.cells(ws, box):
        _clear_contents(cell)
        _clear_formats(ws, cell)
        cell.hyperlink = None
        cell.comment = None
    _sync_table_headers(ws, box)


@handler("sheetClearContents")
def _sheet_clear_contents(ctx, action):
    ws = ctx.sheet(action)
    for cell in ctx.cells(ws, _whole_sheet_box(ws)):
        _clear_contents(cell)
    _sync_table_headers(ws, _whole_sheet_box(ws))


@handler("sheetClearFormats")
def _sheet_clear_formats(ctx, action):
    ws = ctx.sheet(action)
    _unmerge_in(ws, _whole_sheet_box(ws))
    for cell in ctx.cells(ws, _whole_sheet_box(ws)):
        _clear_formats(ws, cell)
    ws.column_dimensions.clear()
    ws.row_dimensions.clear()


@handler("sheetClear")
def _sheet_clear(ctx, action):
    ws = ctx.sheet(action)
    _unmerge_in(ws, _whole_sheet_box(ws))
    for cell in ctx.cells(ws, _whole_sheet_box(ws)):
        _clear_contents(cell)
        _clear_formats(ws, cell)
        cell.hyperlink = None
        cell.comment = None
    _sync_table_headers(ws, _whole_sheet_box(ws))
    ws.column_dimensions.clear()
    ws.row_dimensions.clear()
