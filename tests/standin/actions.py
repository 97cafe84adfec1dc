"""Apply the actions that an xlwings script returns, as Excel's add-in would, with openpyxl.

A script's answer (``book.json()``) is ``{"actions": [action, ...]}``; the add-in runs
them in order (``runActions``), each through the callback named by ``func``::

    {"func": "setValues", "args": [null],
     "values": [[1, "a"], [2, "b"]],          # setValues / setFormula only
     "sheet_position": 0,                     # 0-based index at the time it runs
     "start_row": 1, "start_column": 0,       # 0-based, for range actions
     "row_count": 2, "column_count": 2}

``args`` is always a list (a single argument is wrapped: ``[value]``).  Sheet positions
refer to the workbook as it is when the action runs (after earlier ``addSheet``,
``sheetDelete``… of the same batch).

Behaviour follows Excel, not openpyxl, where they differ:

* ``setValues`` writes like typing: a string starting with ``=`` becomes a formula, an ISO
  date (how xlwings sends a ``date``/``datetime``) becomes a date, ``TRUE``/``FALSE`` a
  boolean, a numeric string a number (``"00004"`` → 4, as Excel does: keep codes as text
  with a leading ``'``), with ``locale`` deciding ``.``/``,`` (``"vi-VN"``: ``1.200`` →
  1200, ``2,5`` → 2.5; ``"en-US"``: the reverse).  Other date spellings
  (``05/01/2024``) stay text here, though Excel may read them as dates.
  Writing into a table's header row keeps the headers unique non-empty texts
  (``Column2``…), as Excel does.  ``setFormula`` with one formula for a
  larger range fills it, adjusting relative references.
* Renaming a sheet rewrites the formulas, defined names and validations that refer to
  it; deleting one turns those references into ``#REF!``; renaming a table rewrites
  structured references.
* Excel's refusals are errors here too (:class:`ActionError`): a value array that does
  not match the range, a duplicate or invalid sheet/table/defined name, hiding or
  deleting the last visible sheet.

openpyxl writes no cached values: recalculate the result (:func:`standin.recalc`) before
reading what an officer would see.  Actions that cannot be applied faithfully with
openpyxl raise :class:`UnsupportedAction` naming the action (charts, pictures, shapes,
pivot tables, conditional formats, threaded comments, sorting, inserting or deleting
cells, moving ranges, macros…); so does any ``func`` this module does not know.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from collections.abc import Callable, Iterable
from copy import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.cell.cell import MergedCell
from openpyxl.comments import Comment
from openpyxl.formula.tokenizer import Token, Tokenizer
from openpyxl.formula.translate import Translator
from openpyxl.styles import PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname, range_boundaries
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.cell_range import MultiCellRange
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.table import Table, TableStyleInfo

MAX_ROW = 1_048_576
MAX_COL = 16_384
_INVALID_SHEET_CHARS = set('[]:*?/\\')


class ActionError(ValueError):
    """Excel would refuse this action (the add-in would show the error, nothing after it runs)."""


class UnsupportedAction(NotImplementedError):
    """An action the stand-in cannot apply faithfully with openpyxl."""


@dataclass
class Applied:
    """What applying the actions did besides changing the workbook."""

    path: Path
    alerts: list[dict[str, str]] = field(default_factory=list)  # book.app.alert(...)
    ignored: list[str] = field(default_factory=list)  # no-ops: save, calculate, screen updating
    count: int = 0


# -- values as typed into a cell ---------------------------------------------------------
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_ISO_DATETIME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?Z?$")
_SEPARATORS = {"vi-VN": (",", "."), "en-US": (".", ",")}  # decimal, thousands
DATE_FORMATS = {"vi-VN": ("dd/mm/yyyy", "dd/mm/yyyy hh:mm"), "en-US": ("m/d/yyyy", "m/d/yyyy h:mm")}


def _number_pattern(locale: str) -> re.Pattern[str]:
    decimal, thousands = _SEPARATORS[locale]
    d, t = re.escape(decimal), re.escape(thousands)
    return re.compile(
        rf"^([+-]?)(\d+|\d{{1,3}}(?:{t}\d{{3}})+)(?:{d}(\d+))?(?:[eE]([+-]?\d+))?(%?)$"
    )


def typed(value: Any, locale: str = "vi-VN") -> tuple[Any, str | None]:
    """A value written through ``range.values`` as Excel stores it, and a number format."""
    if value is None or value == "":
        return None, None
    if isinstance(value, (bool, int, float)):
        return value, None
    if not isinstance(value, str):
        raise ActionError(f"a cell cannot hold {type(value).__name__}: {value!r}")
    if value.startswith("=") and len(value) > 1:
        return value, None
    if value.startswith("'"):
        return value[1:], None
    text = value.strip()
    if text.upper() in ("TRUE", "FALSE"):
        return text.upper() == "TRUE", None
    date_format, datetime_format = DATE_FORMATS[locale]
    match = _ISO_DATE.match(text)
    if match:
        try:
            return dt.datetime(*map(int, match.groups())), date_format
        except ValueError:
            return value, None
    match = _ISO_DATETIME.match(text)
    if match:
        parts = [int(p) if p else 0 for p in match.groups()]
        try:
            moment = dt.datetime(*parts)
        except ValueError:
            return value, None
        return moment, (date_format if moment.time() == dt.time(0) else datetime_format)
    match = _number_pattern(locale).match(text)
    if match:
        sign, whole, fraction, exponent, percent = match.groups()
        _, thousands = _SEPARATORS[locale]
        literal = f"{sign}{whole.replace(thousands, '')}"
        if fraction:
            literal += f".{fraction}"
        if exponent:
            literal += f"e{exponent}"
        number: int | float = float(literal) if (fraction or exponent) else int(literal)
        if percent:
            number = number / 100
            return number, ("0.00%" if fraction else "0%")
        if isinstance(number, float) and number.is_integer() and not exponent:
            number = int(number)
        return number, None
    return value, None


# -- addresses -------------------------------------------------------------------------
def bounds(address: str) -> tuple[int, int, int, int]:
    """(min_row, min_col, max_row, max_col) of an A1 address; ``A:A``/``1:1`` are whole."""
    address = address.split("!")[-1].replace("$", "")
    min_col, min_row, max_col, max_row = range_boundaries(address)
    return (min_row or 1, min_col or 1, max_row or MAX_ROW, max_col or MAX_COL)


def _a1(min_row: int, min_col: int, max_row: int, max_col: int, absolute: bool = False) -> str:
    d = "$" if absolute else ""
    first = f"{d}{get_column_letter(min_col)}{d}{min_row}"
    if (min_row, min_col) == (max_row, max_col):
        return first
    return f"{first}:{d}{get_column_letter(max_col)}{d}{max_row}"


class _Context:
    def __init__(self, wb, locale: str, applied: Applied):
        self.wb = wb
        self.locale = locale
        self.applied = applied

    def sheet(self, action: dict[str, Any], position: int | None = None):
        position = action.get("sheet_position") if position is None else position
        if position is None or not 0 <= int(position) < len(self.wb.worksheets):
            raise ActionError(f"{action['func']}: no sheet at position {position}")
        return self.wb.worksheets[int(position)]

    @staticmethod
    def box(action: dict[str, Any]) -> tuple[int, int, int, int]:
        try:
            top = int(action["start_row"]) + 1
            left = int(action["start_column"]) + 1
            bottom = top + int(action["row_count"]) - 1
            right = left + int(action["column_count"]) - 1
        except (KeyError, TypeError):
            raise ActionError(f"{action['func']}: the action has no range") from None
        return top, left, bottom, right

    def used_box(self, ws, box):
        """Clip a (possibly whole-row/column) box to the used part of the sheet."""
        top, left, bottom, right = box
        return top, left, min(bottom, max(ws.max_row, top)), min(right, max(ws.max_column, left))

    def cells(self, ws, box, *, clip: bool = True):
        top, left, bottom, right = self.used_box(ws, box) if clip else box
        for row in range(top, bottom + 1):
            for column in range(left, right + 1):
                yield ws.cell(row=row, column=column)


def _arg(action: dict[str, Any], index: int, default: Any = None) -> Any:
    args = action.get("args") or []
    return args[index] if index < len(args) else default


def _writable(cell, func: str):
    if isinstance(cell, MergedCell):
        raise ActionError(f"{func}: {cell.coordinate} is inside a merged cell")
    return cell


# -- formulas that mention sheets and tables -----------------------------------------------
def _rewrite_formula(formula: str, operand: Callable[[str], str]) -> str:
    if not isinstance(formula, str) or not formula.startswith("="):
        return formula
    tokens = Tokenizer(formula).items
    changed = False
    for token in tokens:
        if token.type == Token.OPERAND and token.subtype == Token.RANGE:
            new = operand(token.value)
            if new != token.value:
                token.value = new
                changed = True
    return "=" + "".join(t.value for t in tokens) if changed else formula


def _split_sheet_ref(ref: str) -> tuple[list[str] | None, str]:
    if "!" not in ref:
        return None, ref
    qualifier, rest = ref.rsplit("!", 1)
    if qualifier.startswith("'") and qualifier.endswith("'"):
        qualifier = qualifier[1:-1].replace("''", "'")
    if "[" in qualifier:  # external workbook
        return None, ref
    return qualifier.split(":"), rest


def _rename_sheet_ref(old: str, new: str) -> Callable[[str], str]:
    def operand(ref: str) -> str:
        names, rest = _split_sheet_ref(ref)
        if names is None or not any(n.casefold() == old.casefold() for n in names):
            return ref
        names = [new if n.casefold() == old.casefold() else n for n in names]
        return f"{quote_sheetname(':'.join(names))}!{rest}"

    return operand


def _delete_sheet_ref(title: str) -> Callable[[str], str]:
    def operand(ref: str) -> str:
        names, rest = _split_sheet_ref(ref)
        if names is not None and any(n.casefold() == title.casefold() for n in names):
            return f"#REF!{rest}"  # Excel: =Khac!A1 becomes =#REF!A1
        return ref

    return operand


def _rename_table_ref(old: str, new: str) -> Callable[[str], str]:
    pattern = re.compile(rf"^{re.escape(old)}(?=\[|$)", re.IGNORECASE)
    return lambda ref: pattern.sub(new, ref)


def _rewrite_everywhere(wb, operand: Callable[[str], str]) -> None:
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f" and isinstance(cell.value, str):
                    cell.value = _rewrite_formula(cell.value, operand)
        for validation in ws.data_validations.dataValidation:
            for attr in ("formula1", "formula2"):
                text = getattr(validation, attr)
                if text:
                    setattr(validation, attr, _rewrite_formula("=" + text, operand)[1:])
        for table in ws.tables.values():
            for column in table.tableColumns:
                formula = column.calculatedColumnFormula
                if formula is not None and formula.attr_text:
                    formula.attr_text = _rewrite_formula("=" + formula.attr_text, operand)[1:]
        for defined in ws.defined_names.values():
            defined.attr_text = _rewrite_formula("=" + defined.attr_text, operand)[1:]
    for defined in wb.defined_names.values():
        defined.attr_text = _rewrite_formula("=" + defined.attr_text, operand)[1:]


def _check_sheet_name(wb, name: Any, func: str, ignore=None) -> str:
    if not isinstance(name, str) or not name or len(name) > 31:
        raise ActionError(f"{func}: {name!r} is not a valid sheet name (1 to 31 characters)")
    if set(name) & _INVALID_SHEET_CHARS or name.startswith("'") or name.endswith("'"):
        raise ActionError(f"{func}: a sheet name cannot contain [ ] : * ? / \\ ({name!r})")
    for ws in wb.worksheets:
        if ws is not ignore and ws.title.casefold() == name.casefold():
            raise ActionError(f"{func}: a sheet named {name!r} already exists")
    return name


# -- handlers --------------------------------------------------------------------------------
HANDLERS: dict[str, Callable[[_Context, dict[str, Any]], None]] = {}


def handler(*names: str):
    def register(function):
        for name in names:
            HANDLERS[name] = function
        return function

    return register


def _write(ctx: _Context, cell, value: Any) -> None:
    stored, number_format = typed(value, ctx.locale)
    general = cell.number_format == "General"
    _writable(cell, "setValues").value = stored
    if general:  # Excel formats a typed date or percentage; openpyxl would pick ISO
        cell.number_format = number_format or "General"


def _matrix(action: dict[str, Any], box) -> list[list[Any]]:
    values = action.get("values")
    top, left, bottom, right = box
    rows, columns = bottom - top + 1, right - left + 1
    if (
        not isinstance(values, list)
        or len(values) != rows
        or any(not isinstance(row, list) or len(row) != columns for row in values)
    ):
        raise ActionError(
            f"{action['func']}: the number of rows or columns in the input array doesn't "
            f"match the size or dimensions of the range ({rows}×{columns})"
        )
    return values


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
        cell.value = None


def _clear_formats(ws, cell) -> None:
    if not isinstance(cell, MergedCell):
        cell.style = "Normal"


def _overlaps(a, b) -> bool:
    """Whether boxes (top, left, bottom, right) share a cell."""
    return not (a[2] < b[0] or a[0] > b[2] or a[3] < b[1] or a[1] > b[3])


def _unmerge_in(ws, box) -> None:
    for merged in list(ws.merged_cells.ranges):
        if _overlaps((merged.min_row, merged.min_col, merged.max_row, merged.max_col), box):
            ws.unmerge_cells(merged.coord)


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


def _whole_sheet_box(ws):
    return (1, 1, max(ws.max_row, 1), max(ws.max_column, 1))


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


# -- sheets ------------------------------------------------------------------------------------
def _activate(wb, ws) -> None:
    wb.active = wb.worksheets.index(ws)
    for other in wb.worksheets:
        other.sheet_view.tabSelected = other is ws


@handler("addSheet")
def _add_sheet(ctx, action):
    position = int(_arg(action, 0, len(ctx.wb.worksheets)))
    name = _arg(action, 1)
    if name is None:
        number = 1
        while any(ws.title.casefold() == f"sheet{number}" for ws in ctx.wb.worksheets):
            number += 1
        name = f"Sheet{number}"
    _check_sheet_name(ctx.wb, name, "addSheet")
    active = ctx.wb.active
    ctx.wb.create_sheet(title=name, index=position)
    # Excel's worksheets.add() does not activate the new sheet.
    if active is not None:
        _activate(ctx.wb, active)


@handler("setSheetName")
def _set_sheet_name(ctx, action):
    ws = ctx.sheet(action)
    new = _check_sheet_name(ctx.wb, _arg(action, 0), "setSheetName", ignore=ws)
    old = ws.title
    if old == new:
        return
    ws.title = new
    _rewrite_everywhere(ctx.wb, _rename_sheet_ref(old, new))


@handler("sheetDelete")
def _sheet_delete(ctx, action):
    ws = ctx.sheet(action)
    visible = [s for s in ctx.wb.worksheets if s.sheet_state == "visible"]
    if visible == [ws]:
        raise ActionError("sheetDelete: a workbook must contain at least one visible worksheet")
    was_active = ctx.wb.active is ws
    title = ws.title
    ctx.wb.remove(ws)
    _rewrite_everywhere(ctx.wb, _delete_sheet_ref(title))
    if was_active:
        _activate(ctx.wb, next(s for s in ctx.wb.worksheets if s.sheet_state == "visible"))


@handler("activateSheet")
def _activate_sheet(ctx, action):
    _activate(ctx.wb, ctx.sheet(action, position=int(_arg(action, 0))))


@handler("setSheetVisibility")
def _set_sheet_visibility(ctx, action):
    ws = ctx.sheet(action)
    states = {"Visible": "visible", "Hidden": "hidden", "VeryHidden": "veryHidden"}
    state = states.get(_arg(action, 0))
    if state is None:
        raise ActionError(f"setSheetVisibility: unknown visibility {_arg(action, 0)!r}")
    if state != "visible":
        visible = [s for s in ctx.wb.worksheets if s.sheet_state == "visible"]
        if visible == [ws]:
            raise ActionError("setSheetVisibility: a workbook must keep at least one visible sheet")
    ws.sheet_state = state
    if state != "visible" and ctx.wb.active is ws:
        _activate(ctx.wb, next(s for s in ctx.wb.worksheets if s.sheet_state == "visible"))


@handler("setShowGridlines")
def _set_show_gridlines(ctx, action):
    ctx.sheet(action).sheet_view.showGridLines = bool(_arg(action, 0))


@handler("setSheetPosition")
def _set_sheet_position(ctx, action):
    ws = ctx.sheet(action)
    active = ctx.wb.active
    new_index = int(_arg(action, 0))
    ctx.wb.move_sheet(ws, offset=new_index - ctx.wb.worksheets.index(ws))
    if active is not None:
        ctx.wb.active = ctx.wb.worksheets.index(active)


@handler("copySheet")
def _copy_sheet(ctx, action):
    ws = ctx.sheet(action)
    if ws.tables:
        raise UnsupportedAction("copySheet: copying a sheet that holds Excel tables")
    where, target, name = _arg(action, 0), int(_arg(action, 1)), _arg(action, 2)
    _check_sheet_name(ctx.wb, name, "copySheet")
    active = ctx.wb.active
    copied = ctx.wb.copy_worksheet(ws)
    copied.title = name
    for validation in ws.data_validations.dataValidation:
        copied.add_data_validation(copy(validation))
    copied.sheet_state = ws.sheet_state
    new_index = target if where == "Before" else target + 1
    ctx.wb.move_sheet(copied, offset=new_index - ctx.wb.worksheets.index(copied))
    if active is not None:
        _activate(ctx.wb, active)


@handler("freezePaneAtRange")
def _freeze_at(ctx, action):
    ws = ctx.sheet(action)
    top, left, bottom, right = bounds(str(_arg(action, 0)))
    # Office.js freezeAt(range): the range is the frozen top-left pane.
    rows = 0 if bottom == MAX_ROW else bottom
    columns = 0 if right == MAX_COL else right
    if rows == 0 and columns == 0:
        ws.freeze_panes = None
        return
    ws.freeze_panes = f"{get_column_letter(columns + 1)}{rows + 1}"


@handler("freezePaneUnfreeze")
def _unfreeze(ctx, action):
    ctx.sheet(action).freeze_panes = None


@handler("setPrintArea")
def _set_print_area(ctx, action):
    ws = ctx.sheet(action)
    value = _arg(action, 0)
    if value:
        ws.print_area = value
    else:
        ws._print_area = None


@handler("rangeSelect")
def _range_select(ctx, action):
    ws, box = ctx.sheet(action), ctx.box(action)
    _activate(ctx.wb, ws)
    selection = ws.sheet_view.selection[0]
    selection.sqref = _a1(*box)
    selection.activeCell = f"{get_column_letter(box[1])}{box[0]}"


# -- formats -----------------------------------------------------------------------------------
@handler("setNumberFormat")
def _set_number_format(ctx, action):
    ws, box = ctx.sheet(action), ctx.box(action)
    for cell in ctx.cells(ws, box):
        if not isinstance(cell, MergedCell):
            cell.number_format = str(_arg(action, 0))


def _fill(color: str | None) -> PatternFill:
    if not color:
        return PatternFill(fill_type=None)
    return PatternFill(fill_type="solid", fgColor=color.lstrip("#").upper())


@handler("setRangeColor")
def _set_range_color(ctx, action):
    ws, box = ctx.sheet(action), ctx.box(action)
    for cell in ctx.cells(ws, box):
        if not isinstance(cell, MergedCell):
            cell.fill = _fill(_arg(action, 0))


@handler("setRangeColors")
def _set_range_colors(ctx, action):
    ws, box = ctx.sheet(action), ctx.box(action)
    colors = _arg(action, 0)
    fake = {**action, "values": colors}
    top, left, _, _ = box
    for r, row in enumerate(_matrix(fake, box)):
        for c, color in enumerate(row):
            cell = ws.cell(row=top + r, column=left + c)
            if not isinstance(cell, MergedCell):
                cell.fill = _fill(color)


@handler("setFontProperty")
def _set_font_property(ctx, action):
    ws, box = ctx.sheet(action), ctx.box(action)
    prop, value = _arg(action, 0), _arg(action, 1)
    if prop not in ("bold", "italic", "size", "color", "name"):
        raise UnsupportedAction(f"setFontProperty: font property {prop!r}")
    for cell in ctx.cells(ws, box):
        if isinstance(cell, MergedCell):
            continue
        font = copy(cell.font)
        if prop in ("bold", "italic"):
            setattr(font, prop, bool(value))
        elif prop == "size":
            font.size = float(value)
        elif prop == "color":
            font.color = value.lstrip("#").upper() if value else None
        else:
            font.name = value
        cell.font = font


_LINE = {
    ("continuous", "hairline"): "hair",
    ("continuous", "thin"): "thin",
    ("continuous", "medium"): "medium",
    ("continuous", "thick"): "thick",
    ("dash", "thin"): "dashed",
    ("dash", "medium"): "mediumDashed",
    ("dash_dot", "thin"): "dashDot",
    ("dash_dot", "medium"): "mediumDashDot",
    ("dash_dot_dot", "thin"): "dashDotDot",
    ("dash_dot_dot", "medium"): "mediumDashDotDot",
    ("dot", "thin"): "dotted",
    ("double", "thin"): "double",
    ("slant_dash_dot", "thin"): "slantDashDot",
}
_LINE_BACK = {style: key for key, style in _LINE.items()}


def _side_with(side: Side | None, attribute: str, value: Any) -> Side:
    style, weight = _LINE_BACK.get(getattr(side, "style", None), (None, "thin"))
    color = getattr(side, "color", None)
    if attribute == "line_style":
        style = None if value in (None, "none") else value
        if style is None:
            return Side(style=None)
    elif attribute == "weight":
        weight = value
        style = style or "continuous"
    elif attribute == "color":
        color = value.lstrip("#").upper()
        style = style or "continuous"
    else:
        raise UnsupportedAction(f"setBorderProperty: attribute {attribute!r}")
    line = _LINE.get((style, weight)) or _LINE.get((style, "thin"))
    if line is None:
        raise ActionError(f"setBorderProperty: unknown line style {style!r}")
    return Side(style=line, color=color)


@handler("setBorderProperty")
def _set_border_property(ctx, action):
    ws, box = ctx.sheet(action), ctx.box(action)
    side_name, attribute, value = _arg(action, 0), _arg(action, 1), _arg(action, 2)
    top, left, bottom, right = ctx.used_box(ws, box)
    for cell in ctx.cells(ws, box):
        if isinstance(cell, MergedCell):
            continue
        border = copy(cell.border)
        r, c = cell.row, cell.column
        targets = {
            "edge_top": ["top"] if r == top else [],
            "edge_bottom": ["bottom"] if r == bottom else [],
            "edge_left": ["left"] if c == left else [],
            "edge_right": ["right"] if c == right else [],
            "inside_horizontal": ["bottom"] if r < bottom else [],
            "inside_vertical": ["right"] if c < right else [],
            "diagonal_down": ["diagonal"],
            "diagonal_up": ["diagonal"],
        }
        if side_name not in targets:
            raise ActionError(f"setBorderProperty: unknown side {side_name!r}")
        for attr in targets[side_name]:
            setattr(border, attr, _side_with(getattr(border, attr), attribute, value))
        if side_name == "diagonal_down":
            border.diagonalDown = True
        if side_name == "diagonal_up":
            border.diagonalUp = True
        cell.border = border
        # the neighbour's matching edge, so that Excel shows one line
        if side_name == "inside_horizontal" and r < bottom:
            below = ws.cell(row=r + 1, column=c)
            if not isinstance(below, MergedCell):
                b = copy(below.border)
                b.top = _side_with(b.top, attribute, value)
                below.border = b


_HORIZONTAL = {
    "General": "general",
    "Left": "left",
    "Center": "center",
    "Right": "right",
    "Fill": "fill",
    "Justify": "justify",
    "CenterAcrossSelection": "centerContinuous",
    "Distributed": "distributed",
}
_VERTICAL = {
    "Top": "top",
    "Center": "center",
    "Bottom": "bottom",
    "Justify": "justify",
    "Distributed": "distributed",
}


def _align(ctx, action, **changes):
    ws, box = ctx.sheet(action), ctx.box(action)
    for cell in ctx.cells(ws, box):
        if isinstance(cell, MergedCell):
            continue
        alignment = copy(cell.alignment)
        for key, value in changes.items():
            setattr(alignment, key, value)
        cell.alignment = alignment


@handler("setHorizontalAlignment")
def _set_horizontal(ctx, action):
    _align(ctx, action, horizontal=_HORIZONTAL[_arg(action, 0)])


@handler("setVerticalAlignment")
def _set_vertical(ctx, action):
    _align(ctx, action, vertical=_VERTICAL[_arg(action, 0)])


@handler("setWrapText")
def _set_wrap_text(ctx, action):
    _align(ctx, action, wrap_text=bool(_arg(action, 0)))


@handler("rangeAdjustIndent")
def _adjust_indent(ctx, action):
    ws, box = ctx.sheet(action), ctx.box(action)
    for cell in ctx.cells(ws, box):
        if not isinstance(cell, MergedCell):
            alignment = copy(cell.alignment)
            alignment.indent = max(0, min(250, (alignment.indent or 0) + int(_arg(action, 0))))
            cell.alignment = alignment


def _points_to_characters(points: float) -> float:
    """Column width: Office.js points → the file's characters (Calibri 11: 7 px a digit)."""
    pixels = points * 96 / 72
    return round(max(0.0, (pixels - 5) / 7), 2)


@handler("setColumnWidth")
def _set_column_width(ctx, action):
    ws, (_, left, _, right) = ctx.sheet(action), ctx.box(action)
    width = _points_to_characters(float(_arg(action, 0)))
    for column in range(left, min(right, MAX_COL) + 1):
        ws.column_dimensions[get_column_letter(column)].width = width


@handler("setRowHeight")
def _set_row_height(ctx, action):
    ws, (top, _, bottom, _) = ctx.sheet(action), ctx.box(action)
    for row in range(top, min(bottom, max(ws.max_row, top)) + 1):
        ws.row_dimensions[row].height = float(_arg(action, 0))


@handler("setRowHidden")
def _set_row_hidden(ctx, action):
    ws, (top, _, bottom, _) = ctx.sheet(action), ctx.box(action)
    for row in range(top, min(bottom, max(ws.max_row, top)) + 1):
        ws.row_dimensions[row].hidden = bool(_arg(action, 0))


@handler("setColumnHidden")
def _set_column_hidden(ctx, action):
    ws, (_, left, _, right) = ctx.sheet(action), ctx.box(action)
    for column in range(left, min(right, max(ws.max_column, left)) + 1):
        ws.column_dimensions[get_column_letter(column)].hidden = bool(_arg(action, 0))


def _autofit(ws, box, axis: str) -> None:
    top, left, bottom, right = box
    if axis == "rows":
        for row in range(top, bottom + 1):
            if row in ws.row_dimensions:
                ws.row_dimensions[row].height = None  # Excel sizes rows to fit on opening
        return
    for column in range(left, right + 1):
        longest = 0
        for row in range(top, bottom + 1):
            value = ws.cell(row=row, column=column).value
            if value is None or (isinstance(value, str) and value.startswith("=")):
                continue
            text = value if isinstance(value, str) else str(value)
            longest = max(longest, max(len(line) for line in text.splitlines() or [""]))
        if longest:
            ws.column_dimensions[get_column_letter(column)].width = round(longest * 1.1 + 2, 2)


@handler("setAutofit")
def _set_autofit(ctx, action):
    ws, box = ctx.sheet(action), ctx.box(action)
    _autofit(ws, ctx.used_box(ws, box), _arg(action, 0))


@handler("setSheetAutofit")
def _set_sheet_autofit(ctx, action):
    ws = ctx.sheet(action)
    _autofit(ws, _whole_sheet_box(ws), _arg(action, 0))


@handler("rangeMerge")
def _range_merge(ctx, action):
    ws, (top, left, bottom, right) = ctx.sheet(action), ctx.box(action)
    _unmerge_in(ws, (top, left, bottom, right))
    if _arg(action, 0):
        for row in range(top, bottom + 1):
            if right > left:
                ws.merge_cells(start_row=row, start_column=left, end_row=row, end_column=right)
    elif (top, left) != (bottom, right):
        ws.merge_cells(start_row=top, start_column=left, end_row=bottom, end_column=right)


@handler("rangeUnmerge")
def _range_unmerge(ctx, action):
    _unmerge_in(ctx.sheet(action), ctx.box(action))


def _outline(ctx, action, step: int) -> None:
    ws, (top, left, bottom, right) = ctx.sheet(action), ctx.box(action)
    if _arg(action, 0) == "columns":
        for column in range(left, min(right, MAX_COL) + 1):
            dim = ws.column_dimensions[get_column_letter(column)]
            dim.outline_level = max(0, min(7, (dim.outline_level or 0) + step))
    else:
        for row in range(top, min(bottom, MAX_ROW) + 1):
            dim = ws.row_dimensions[row]
            dim.outline_level = max(0, min(7, (dim.outline_level or 0) + step))


@handler("rangeGroup")
def _range_group(ctx, action):
    _outline(ctx, action, +1)


@handler("rangeUngroup")
def _range_ungroup(ctx, action):
    _outline(ctx, action, -1)


# -- links and notes ---------------------------------------------------------------------
@handler("addHyperlink")
def _add_hyperlink(ctx, action):
    ws, box = ctx.sheet(action), ctx.box(action)
    address, text, tip = _arg(action, 0), _arg(action, 1), _arg(action, 2)
    for cell in ctx.cells(ws, box, clip=False):
        _writable(cell, "addHyperlink")
        link = Hyperlink(ref=cell.coordinate, tooltip=tip)
        if str(address).startswith("#"):
            link.location = str(address)[1:]
        else:
            link.target = str(address)
        cell.hyperlink = link
        cell.value = text if text is not None else address
        cell.style = "Hyperlink"


def _note_cell(ctx, action):
    ws = ctx.sheet(action)
    address = _arg(action, 0)
    top, left, _, _ = bounds(address) if address else ctx.box(action)
    return _writable(ws.cell(row=top, column=left), action["func"])


@handler("addNote", "setNoteText")
def _set_note(ctx, action):
    cell = _note_cell(ctx, action)
    if action["func"] == "addNote" and cell.comment is not None:
        raise ActionError(f"addNote: {cell.coordinate} already has a note")
    cell.comment = Comment(str(_arg(action, 1, "")), "Excel")


@handler("deleteNote")
def _delete_note(ctx, action):
    _note_cell(ctx, action).comment = None


# -- names ----------------------------------------------------------------------------------
_NAME = re.compile(r"^[^\W\d][\w.]*$")


def _check_name(name: str, func: str) -> str:
    looks_like_a_cell = isinstance(name, str) and re.fullmatch(r"[A-Za-z]{1,3}\d+|[RrCc]\d*", name)
    if not isinstance(name, str) or not _NAME.match(name) or looks_like_a_cell:
        raise ActionError(f"{func}: {name!r} is not a valid name")
    return name


def _scope(ctx, position):
    if position is None:
        return ctx.wb.defined_names
    return ctx.sheet({"func": "names", "sheet_position": position}).defined_names


def _add_name(names, name: str, refers_to: str, func: str) -> None:
    _check_name(name, func)
    if any(existing.casefold() == name.casefold() for existing in names):
        raise ActionError(f"{func}: the name {name!r} already exists")
    names[name] = DefinedName(name, attr_text=str(refers_to).lstrip("="))


@handler("namesAdd")
def _names_add(ctx, action):
    names = _scope(ctx, action.get("sheet_position"))
    _add_name(names, _arg(action, 0), _arg(action, 1), "namesAdd")


@handler("setRangeName")
def _set_range_name(ctx, action):
    ws, box = ctx.sheet(action), ctx.box(action)
    refers_to = f"{quote_sheetname(ws.title)}!{_a1(*box, absolute=True)}"
    _add_name(ctx.wb.defined_names, _arg(action, 0), refers_to, "setRangeName")


def _find_name(names, name: str, func: str) -> str:
    for existing in names:
        if existing.casefold() == name.casefold():
            return existing
    raise ActionError(f"{func}: no name {name!r}")


@handler("nameDelete")
def _name_delete(ctx, action):
    name, book_scope, scope_index = _arg(action, 2), _arg(action, 4), _arg(action, 5)
    names = _scope(ctx, None if book_scope else scope_index)
    del names[_find_name(names, name, "nameDelete")]


@handler("setNameRefersTo")
def _set_name_refers_to(ctx, action):
    name, book_scope, scope_index, value = (_arg(action, i) for i in range(4))
    names = _scope(ctx, None if book_scope else scope_index)
    names[_find_name(names, name, "setNameRefersTo")].attr_text = str(value).lstrip("=")


# -- tables ---------------------------------------------------------------------------------
def _all_tables(wb):
    return [(ws, table) for ws in wb.worksheets for table in ws.tables.values()]


def _table(ctx, action):
    ws = ctx.sheet(action)
    tables = list(ws.tables.values())
    index = int(_arg(action, 0))
    if not 0 <= index < len(tables):
        raise ActionError(f"{action['func']}: no table {index} on sheet {ws.title!r}")
    return ws, tables[index]


def _check_table_name(wb, name: str, func: str, ignore=None) -> str:
    if not isinstance(name, str) or not _NAME.match(name) or len(name) > 255:
        raise ActionError(f"{func}: {name!r} is not a valid table name")
    taken = [t.displayName for _, t in _all_tables(wb) if t is not ignore]
    taken += list(wb.defined_names) + [n for ws in wb.worksheets for n in ws.defined_names]
    if any(other.casefold() == name.casefold() for other in taken):
        raise ActionError(f"{func}: the name {name!r} is already used")
    return name


def _header_names(ws, table_ref: str) -> None:
    """Excel's table headers are unique texts: blanks become Column1…, numbers text."""
    top, left, _, right = bounds(table_ref)
    seen: set[str] = set()
    for column in range(left, right + 1):
        cell = ws.cell(row=top, column=column)
        text = "" if cell.value is None else str(cell.value)
        if not text:
            number = column - left + 1
            text = f"Column{number}"
        base, suffix = text, 2
        while text.casefold() in seen:
            text, suffix = f"{base}{suffix}", suffix + 1
        seen.add(text.casefold())
        cell.value = text


@handler("addTable")
def _add_table(ctx, action):
    ws = ctx.sheet(action)
    address, has_headers, style, name = (_arg(action, i) for i in range(4))
    if not has_headers:
        raise UnsupportedAction("addTable with has_headers=False (Excel inserts a header row)")
    top, left, bottom, right = bounds(str(address))
    for other_ws, other in _all_tables(ctx.wb):
        if other_ws is ws and _overlaps(bounds(other.ref), (top, left, bottom, right)):
            raise ActionError(f"addTable: {address} overlaps table {other.displayName!r}")
    if name is None:
        number = 1
        while any(t.displayName.casefold() == f"table{number}" for _, t in _all_tables(ctx.wb)):
            number += 1
        name = f"Table{number}"
    _check_table_name(ctx.wb, name, "addTable")
    if bottom == top:  # a header alone: Excel adds an empty body row
        bottom += 1
    ref = _a1(top, left, bottom, right)
    _header_names(ws, ref)
    table = Table(displayName=name, name=name, ref=ref)
    table.tableStyleInfo = TableStyleInfo(
        name=style or "TableStyleMedium2", showRowStripes=True, showColumnStripes=False
    )
    table.autoFilter = AutoFilter(ref=ref)
    ws.add_table(table)


def _retable(ws, table, new_name: str | None = None) -> None:
    """Re-key ws.tables after a change of name (TableList is keyed by name)."""
    tables = list(ws.tables.values())
    ws.tables.clear()
    for t in tables:
        if t is table and new_name:
            t.displayName = new_name
            t.name = new_name
        ws.tables.add(t)


@handler("setTableName")
def _set_table_name(ctx, action):
    ws, table = _table(ctx, action)
    new = _check_table_name(ctx.wb, _arg(action, 1), "setTableName", ignore=table)
    old = table.displayName
    _retable(ws, table, new)
    _rewrite_everywhere(ctx.wb, _rename_table_ref(old, new))


@handler("setTableStyle")
def _set_table_style(ctx, action):
    _, table = _table(ctx, action)
    info = copy(table.tableStyleInfo) if table.tableStyleInfo else TableStyleInfo()
    info.name = _arg(action, 1)
    table.tableStyleInfo = info


def _style_flag(attribute: str):
    def apply(ctx, action):
        _, table = _table(ctx, action)
        info = copy(table.tableStyleInfo) or TableStyleInfo(name="TableStyleMedium2")
        setattr(info, attribute, bool(_arg(action, 1)))
        table.tableStyleInfo = info

    return apply


HANDLERS["showTableStyleFirstColumn"] = _style_flag("showFirstColumn")
HANDLERS["showTableStyleLastColumn"] = _style_flag("showLastColumn")
HANDLERS["showTableStyleRowStripes"] = _style_flag("showRowStripes")
HANDLERS["showTableStyleColumnStripes"] = _style_flag("showColumnStripes")


@handler("showAutofilterTable")
def _show_autofilter(ctx, action):
    _, table = _table(ctx, action)
    table.autoFilter = AutoFilter(ref=table.ref) if _arg(action, 1) else None


@handler("showHeadersTable", "showTotalsTable")
def _show_headers_totals(ctx, action):
    _, table = _table(ctx, action)
    if action["func"] == "showHeadersTable":
        current = (table.headerRowCount if table.headerRowCount is not None else 1) > 0
    else:
        current = (table.totalsRowCount or 0) > 0
    if bool(_arg(action, 1)) != current:
        raise UnsupportedAction(f"{action['func']}: adding or removing a table's header/total row")


@handler("resizeTable")
def _resize_table(ctx, action):
    ws, table = _table(ctx, action)
    top, left, bottom, right = bounds(str(_arg(action, 1)))
    o_top, o_left, _, _ = bounds(table.ref)
    if top != o_top:
        raise ActionError("resizeTable: the headers must remain in the same row")
    ref = _a1(top, left, bottom, right)
    _header_names(ws, ref)
    table.ref = ref
    table.tableColumns = []  # rebuilt from the header cells when saved
    table._initialise_columns()
    for cell, column in zip(ws[ref][0], table.tableColumns):
        column.name = str(cell.value)
    if table.autoFilter is not None:
        table.autoFilter = AutoFilter(ref=ref)


@handler("addTableRow")
def _add_table_row(ctx, action):
    ws, table = _table(ctx, action)
    position, values = int(_arg(action, 1)), _arg(action, 2)
    top, left, bottom, right = bounds(table.ref)
    headers = (table.headerRowCount if table.headerRowCount is not None else 1) > 0
    body_rows = bottom - top + 1 - (1 if headers else 0) - (table.totalsRowCount or 0)
    if table.totalsRowCount or position != body_rows:
        raise UnsupportedAction("addTableRow: only appending to a table without a total row")
    new_row = bottom + 1
    if any(ws.cell(row=new_row, column=c).value is not None for c in range(left, right + 1)):
        raise UnsupportedAction(
            "addTableRow: the row below the table is not empty (Excel shifts cells down)"
        )
    for offset, column in enumerate(table.tableColumns):
        cell = ws.cell(row=new_row, column=left + offset)
        above = ws.cell(row=bottom, column=left + offset)
        if above.has_style:
            cell._style = copy(above._style)
        value = None if values is None else values[offset]
        if value is None and column.calculatedColumnFormula is not None:
            cell.value = "=" + column.calculatedColumnFormula.attr_text
        else:
            _write(ctx, cell, value)
    table.ref = _a1(top, left, new_row, right)
    if table.autoFilter is not None:
        table.autoFilter = AutoFilter(ref=table.ref)


# -- data validation --------------------------------------------------------------------------
_DV_TYPES = {
    "whole_number": "whole",
    "decimal": "decimal",
    "list": "list",
    "date": "date",
    "time": "time",
    "text_length": "textLength",
    "custom": "custom",
}
_DV_OPERATORS = {
    "between": "between",
    "not_between": "notBetween",
    "equal_to": "equal",
    "not_equal_to": "notEqual",
    "greater_than": "greaterThan",
    "less_than": "lessThan",
    "greater_than_or_equal": "greaterThanOrEqual",
    "less_than_or_equal": "lessThanOrEqual",
}


def _subtract(rect, hole):
    """The parts of rectangle ``rect`` outside ``hole`` (both (top, left, bottom, right))."""
    t, l, b, r = rect
    ht, hl, hb, hr = hole
    if hb < t or ht > b or hr < l or hl > r:
        return [rect]
    parts = []
    if ht > t:
        parts.append((t, l, ht - 1, r))
    if hb < b:
        parts.append((hb + 1, l, b, r))
    mid_top, mid_bottom = max(t, ht), min(b, hb)
    if hl > l:
        parts.append((mid_top, l, mid_bottom, hl - 1))
    if hr < r:
        parts.append((mid_top, hr + 1, mid_bottom, r))
    return parts


def _remove_validation(ws, box) -> None:
    keep = []
    for validation in ws.data_validations.dataValidation:
        rects = []
        for cell_range in validation.sqref.ranges:
            rect = (cell_range.min_row, cell_range.min_col, cell_range.max_row, cell_range.max_col)
            rects.extend(_subtract(rect, box))
        if rects:
            validation.sqref = MultiCellRange(
                " ".join(_a1(*rect) for rect in rects)
            )
            keep.append(validation)
    ws.data_validations.dataValidation = keep


def _formula_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (dt.date, dt.datetime)):
        from .values import to_serial

        return repr(to_serial(value))
    text = str(value)
    return text[1:] if text.startswith("=") else text


@handler("setDataValidationList")
def _set_validation_list(ctx, action):
    ws, box = ctx.sheet(action), ctx.box(action)
    source, dropdown = _arg(action, 0) or {}, _arg(action, 1, True)
    kind = source.get("type")
    if kind == "literal":
        values = source.get("values")
        items = values if isinstance(values, list) else str(values).split(",")
        formula = '"' + ",".join(str(v) for v in items) + '"'
    elif kind == "range":
        src_ws = ctx.sheet(source)
        src_box = ctx.box({**source, "func": "setDataValidationList"})
        formula = f"{quote_sheetname(src_ws.title)}!{_a1(*src_box, absolute=True)}"
    elif kind == "name":
        formula = str(source.get("name"))
    else:
        raise ActionError(f"setDataValidationList: unknown source {source!r}")
    _remove_validation(ws, box)
    validation = DataValidation(
        type="list", formula1=formula, allow_blank=True, showDropDown=not bool(dropdown)
    )
    validation.add(_a1(*box))
    ws.add_data_validation(validation)


@handler("setDataValidationRule")
def _set_validation_rule(ctx, action):
    ws, box = ctx.sheet(action), ctx.box(action)
    rule = _arg(action, 0) or {}
    kind = rule.get("type")
    if kind not in _DV_TYPES:
        raise ActionError(f"setDataValidationRule: unknown type {kind!r}")
    _remove_validation(ws, box)
    operator = rule.get("operator")
    validation = DataValidation(
        type=_DV_TYPES[kind],
        operator=_DV_OPERATORS.get(operator) if kind != "custom" else None,
        formula1=_formula_text(rule.get("formula1")),
        formula2=_formula_text(rule.get("formula2")),
        allow_blank=True,
    )
    validation.add(_a1(*box))
    ws.add_data_validation(validation)


@handler("deleteDataValidation")
def _delete_validation(ctx, action):
    _remove_validation(ctx.sheet(action), ctx.box(action))


# -- copying ------------------------------------------------------------------------------------
def _copy_block(
    ctx, src_ws, src_box, dst_ws, dst_box, what: str, skip_blanks=False, transpose=False
):
    s_top, s_left, s_bottom, s_right = ctx.used_box(src_ws, src_box)
    rows, columns = s_bottom - s_top + 1, s_right - s_left + 1
    snapshot = [
        [
            (cell.value, copy(cell._style), cell.coordinate)
            for cell in (src_ws.cell(row=s_top + r, column=s_left + c) for c in range(columns))
        ]
        for r in range(rows)
    ]
    if transpose:
        snapshot = [list(col) for col in zip(*snapshot)]
        rows, columns = columns, rows
    d_top, d_left, d_bottom, d_right = dst_box
    d_rows, d_columns = d_bottom - d_top + 1, d_right - d_left + 1
    tiles_down = d_rows // rows if d_rows % rows == 0 and d_rows > rows else 1
    tiles_right = d_columns // columns if d_columns % columns == 0 and d_columns > columns else 1
    for tile_r in range(tiles_down):
        for tile_c in range(tiles_right):
            for r, row in enumerate(snapshot):
                for c, (value, style, origin) in enumerate(row):
                    target = dst_ws.cell(
                        row=d_top + tile_r * rows + r, column=d_left + tile_c * columns + c
                    )
                    if isinstance(target, MergedCell):
                        continue
                    if skip_blanks and value is None:
                        continue
                    if what in ("all", "formulas", "values"):
                        if isinstance(value, str) and value.startswith("=") and what != "values":
                            value = Translator(value, origin).translate_formula(target.coordinate)
                        elif what == "values" and isinstance(value, str) and value.startswith("="):
                            raise UnsupportedAction(
                                "copyFromRange with copy_type='values' of formulas "
                                "(needs the computed values)"
                            )
                        target.value = value
                    if what in ("all", "formats"):
                        target._style = copy(style)


@handler("copyRange")
def _copy_range(ctx, action):
    src_ws, src_box = ctx.sheet(action), ctx.box(action)
    dst_ws = ctx.sheet(action, position=int(_arg(action, 0)))
    dst_box = bounds(str(_arg(action, 1)))
    _copy_block(ctx, src_ws, src_box, dst_ws, dst_box, "all")


@handler("copyFromRange")
def _copy_from_range(ctx, action):
    dst_ws, dst_box = ctx.sheet(action), ctx.box(action)
    src_ws = ctx.sheet(action, position=int(_arg(action, 0)))
    src_box = bounds(str(_arg(action, 1)))
    what = str(_arg(action, 2) or "all").lower()
    if what not in ("all", "formats", "formulas", "values"):
        raise UnsupportedAction(f"copyFromRange with copy_type={what!r}")
    _copy_block(
        ctx, src_ws, src_box, dst_ws, dst_box, what, bool(_arg(action, 3)), bool(_arg(action, 4))
    )


@handler("rangeAutofill")
def _range_autofill(ctx, action):
    ws, src_box = ctx.sheet(action), ctx.box(action)
    dst_box = bounds(str(_arg(action, 0)))
    kind = _arg(action, 1)
    source_values = [cell.value for cell in ctx.cells(ws, src_box)]
    numbers = [v for v in source_values if isinstance(v, (int, float)) and not isinstance(v, bool)]
    if kind == "FillCopy" or (kind == "FillDefault" and not numbers):
        _copy_block(ctx, ws, src_box, ws, dst_box, "all")
    elif kind == "FillFormats":
        _copy_block(ctx, ws, src_box, ws, dst_box, "formats")
    else:
        raise UnsupportedAction(f"rangeAutofill with {kind} (series fills)")


# -- book level ---------------------------------------------------------------------------------
@handler("alert")
def _alert(ctx, action):
    keys = ("prompt", "title", "buttons", "mode", "callback")
    ctx.applied.alerts.append({key: _arg(action, i, "") for i, key in enumerate(keys)})


@handler("setCalculation")
def _set_calculation(ctx, action):
    mode = {"Automatic": "auto", "Manual": "manual", "AutomaticExceptTables": "autoNoTable"}.get(
        _arg(action, 0)
    )
    if mode is None:
        raise ActionError(f"setCalculation: unknown mode {_arg(action, 0)!r}")
    ctx.wb.calculation.calcMode = mode


@handler("calculate", "setScreenUpdating", "save")
def _no_op(ctx, action):
    ctx.applied.ignored.append(action["func"])


def apply_actions(
    xlsx_path: str | Path,
    actions: list[dict[str, Any]] | dict[str, Any],
    out_path: str | Path,
    *,
    locale: str = "vi-VN",
) -> Applied:
    """Apply ``actions`` (``book.json()`` or its ``"actions"`` list) to a copy of the file.

    ``xlsx_path`` is never modified; the result is written to ``out_path`` (atomically).
    ``locale`` decides how numeric strings written through ``setValues`` are read.
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
