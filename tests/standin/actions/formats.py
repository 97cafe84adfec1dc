"""Formats: number formats, fills, fonts, borders, alignment, sizes, merging, outlines."""

from __future__ import annotations

from copy import copy
from typing import Any

from openpyxl.cell.cell import MergedCell
from openpyxl.styles import PatternFill, Side
from openpyxl.utils import get_column_letter

from .core import (
    MAX_COL,
    MAX_ROW,
    ActionError,
    UnsupportedAction,
    _arg,
    _matrix,
    _unmerge_in,
    _whole_sheet_box,
    handler,
)


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
