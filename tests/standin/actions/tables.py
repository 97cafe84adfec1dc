"""Excel tables: add, rename, style, resize, append a row."""

from __future__ import annotations

from copy import copy

from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.table import Table, TableStyleInfo

from .core import (
    _NAME,
    HANDLERS,
    ActionError,
    UnsupportedAction,
    _a1,
    _arg,
    _header_names,
    _overlaps,
    _rename_table_ref,
    _rewrite_everywhere,
    _write,
    bounds,
    handler,
)


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
