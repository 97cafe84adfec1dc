"""What the action handlers share: errors, addresses, typed values, the registry.

* :class:`ActionError` / :class:`UnsupportedAction`, and :class:`Applied`;
* :func:`typed` — a value as Excel stores it when it is typed into a cell;
* addresses (:func:`bounds`, ``_a1``) and ``_Context``, the workbook being changed;
* rewriting the formulas that mention a renamed or deleted sheet or a renamed table;
* :data:`HANDLERS` and the :func:`handler` decorator that each handler module uses, and
  the helpers that handlers of several modules call.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.cell.cell import MergedCell
from openpyxl.formula.tokenizer import Token, Tokenizer
from openpyxl.utils import get_column_letter, quote_sheetname, range_boundaries

MAX_ROW = 1_048_576
MAX_COL = 16_384


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


PROTECTED = (
    "The cell or chart you're trying to change is on a protected sheet. To make a change, "
    "unprotect the sheet."
)


def _writable(cell, func: str):
    """The cell, if Excel lets a script change it: not inside a merged range, and not a
    locked cell of a protected sheet (PROTECTION.md says what was checked against Excel)."""
    if isinstance(cell, MergedCell):
        raise ActionError(f"{func}: {cell.coordinate} is inside a merged cell")
    if cell.parent.protection.sheet and (cell.protection is None or cell.protection.locked):
        raise ActionError(f"{func}: {cell.parent.title}!{cell.coordinate}: {PROTECTED}")
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
    target = _writable(cell, "setValues")
    target.value = stored
    if isinstance(value, str) and value.startswith("'") and isinstance(stored, str):
        target.data_type = "s"  # Excel keeps what follows an apostrophe as text, «=…» too
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


# -- used by handlers of several modules ------------------------------------------------
def _overlaps(a, b) -> bool:
    """Whether boxes (top, left, bottom, right) share a cell."""
    return not (a[2] < b[0] or a[0] > b[2] or a[3] < b[1] or a[1] > b[3])


def _unmerge_in(ws, box) -> None:
    for merged in list(ws.merged_cells.ranges):
        if _overlaps((merged.min_row, merged.min_col, merged.max_row, merged.max_col), box):
            ws.unmerge_cells(merged.coord)


def _whole_sheet_box(ws):
    return (1, 1, max(ws.max_row, 1), max(ws.max_column, 1))


_NAME = re.compile(r"^[^\W\d][\w.]*$")


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
