"""Data validation: drop-down lists, rules, removing them from a range."""

from __future__ import annotations

import datetime as dt
from typing import Any

from openpyxl.utils import quote_sheetname
from openpyxl.worksheet.cell_range import MultiCellRange
from openpyxl.worksheet.datavalidation import DataValidation

from .core import ActionError, _a1, _arg, handler

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
    t, left, b, r = rect
    ht, hl, hb, hr = hole
    if hb < t or ht > b or hr < left or hl > r:
        return [rect]
    parts = []
    if ht > t:
        parts.append((t, left, ht - 1, r))
    if hb < b:
        parts.append((hb + 1, left, b, r))
    mid_top, mid_bottom = max(t, ht), min(b, hb)
    if hl > left:
        parts.append((mid_top, left, mid_bottom, hl - 1))
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
        from ..values import to_serial

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
