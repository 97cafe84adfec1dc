"""Sheets: add, rename, delete, activate, hide, move, copy; panes, print area, selection."""

from __future__ import annotations

from copy import copy
from typing import Any

from openpyxl.utils import get_column_letter

from .core import (
    MAX_COL,
    MAX_ROW,
    ActionError,
    UnsupportedAction,
    _a1,
    _arg,
    _delete_sheet_ref,
    _rename_sheet_ref,
    _rewrite_everywhere,
    bounds,
    handler,
)

# -- sheets ------------------------------------------------------------------------------------
_INVALID_SHEET_CHARS = set('[]:*?/\\')


def _check_sheet_name(wb, name: Any, func: str, ignore=None) -> str:
    if not isinstance(name, str) or not name or len(name) > 31:
        raise ActionError(f"{func}: {name!r} is not a valid sheet name (1 to 31 characters)")
    if set(name) & _INVALID_SHEET_CHARS or name.startswith("'") or name.endswith("'"):
        raise ActionError(f"{func}: a sheet name cannot contain [ ] : * ? / \\ ({name!r})")
    for ws in wb.worksheets:
        if ws is not ignore and ws.title.casefold() == name.casefold():
            raise ActionError(f"{func}: a sheet named {name!r} already exists")
    return name


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
