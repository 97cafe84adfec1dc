"""An .xlsx file as the JSON that Excel's xlwings add-in posts when a script runs.

The Office.js client (``getBookData`` in xlwings Server's ``custom-scripts/index.js``)
posts, for ``/xlwings/custom-scripts-call/<script>``::

    {
      "client": "Office.js",
      "version": "<xlwings version>",
      "book": {"name": "plan.xlsx", "active_sheet_index": 0, "selection": "B3"},
      "names": [
        {"name": "Tong", "sheet_index": 0, "address": "D2:D9",
         "scope_sheet_name": null, "scope_sheet_index": null, "book_scope": true},
        ...                                   # then the sheet-scoped names
      ],
      "sheets": [
        {"name": "KeHoach",
         "values": [[...], ...],              # A1 to the last used cell, "" for empty,
                                              # dates as ISO strings "...T00:00:00.000Z"
         "pictures": [{"name", "width", "height"}],
         "tables": [{"name", "range_address", "header_row_range_address",
                     "data_body_range_address", "total_row_range_address",
                     "show_headers", "show_totals", "table_style", "show_autofilter"}]},
        ...
      ]
    }

Addresses carry no sheet name and no ``$`` (Office.js ``address.split("!").pop()``).
Values are what ``range.values`` reports, i.e. the cached results of formulas, never the
formulas themselves: the payload does not carry formulas (xlwings 0.37 reads them on
demand in xlwings Lite only, ``Range.formula`` raises on the server), so neither does
this.  Only names that refer to ranges are sent (``namedItem.type === "Range"``); a
multi-area name has ``sheet_index``/``address`` null.  Sheets listed in ``exclude`` (or
not in ``include``) keep their name but send ``values: [[]]`` and no tables or pictures;
a ``lazy`` book (``book: xw.BookAsync``) sends ``values: [[]]`` for every sheet.

xlwings 0.37 reads more keys than the published JS client sends, with defaults when they
are missing; this stand-in sends them too, filled from the file, so that the Python side
sees what a current client would show it: ``book.calculation``, a name's ``refers_to``,
per sheet ``visibility``, ``show_gridlines``, ``used_range_address``, ``notes``
(addresses only), ``print_area``, ``shapes``/``charts``/``pivot_tables`` (always empty
here: the stand-in does not model them), and per table the style flags, ``row_count``,
``column_count`` and ``columns`` (header names).

A file written by openpyxl has formulas without cached values, which Excel would compute
on opening.  ``recalculate=None`` (the default) therefore recalculates such a file with
LibreOffice first and reads the values from the recalculated copy (structure still from
the original); ``True`` always does, ``False`` never does (uncached formulas read as "").
"""

from __future__ import annotations

import datetime as dt
import re
from importlib import metadata
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils import get_column_letter, range_boundaries

from .values import iso_from_serial, js_number, to_serial

_VISIBILITY = {"visible": "Visible", "hidden": "Hidden", "veryHidden": "VeryHidden"}
_CALCULATION = {"auto": "Automatic", "manual": "Manual", "autoNoTable": "AutomaticExceptTables"}
_RANGE_REF = re.compile(
    r"^(?:'(?:[^']|'')+'|[^'!,()=+\-*/^&<>\"%{}\s]+)!"
    r"\$?[A-Za-z]{0,3}\$?\d*(?::\$?[A-Za-z]{0,3}\$?\d*)?$"
)


def xlwings_version() -> str:
    """The installed xlwings version, without importing xlwings."""
    return metadata.version("xlwings")


def plain_address(address: str) -> str:
    """``'Kế hoạch'!$A$1:$B$2`` → ``A1:B2`` (what ``address.split("!").pop()`` leaves)."""
    return address.split("!")[-1].replace("$", "")


def _as_list(value: str | list[str] | tuple[str, ...] | None) -> list[str]:
    if not value:
        return []
    if isinstance(value, str):
        return [item.strip() for item in value.split(",") if item.strip()]
    return [str(item).strip() for item in value]


def cell_value(value: Any) -> Any:
    """One cell of ``range.values`` as the add-in sends it (after its date conversion)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return js_number(value)
    if isinstance(value, (dt.datetime, dt.date, dt.time, dt.timedelta)):
        return iso_from_serial(to_serial(value))
    return str(value)


def _formulas_without_cache(wb_formulas, wb_values) -> list[str]:
    missing = []
    for ws_f, ws_v in zip(wb_formulas.worksheets, wb_values.worksheets):
        for row in ws_f.iter_rows():
            for cell in row:
                if cell.data_type != "f":
                    continue
                cached = ws_v._cells.get((cell.row, cell.column))
                # a formula whose result is "" is cached as t="str" with an empty <v>
                # (Excel, LibreOffice, XlsxWriter): openpyxl reads it as None of type "str"
                if cached is None or (cached.value is None and cached.data_type != "str"):
                    missing.append(f"{ws_f.title}!{cell.coordinate}")
    return missing


def _config(wb_values) -> dict[str, str]:
    """The ``xlwings.conf`` sheet (A1's surrounding region: key | value), if any."""
    if "xlwings.conf" not in wb_values.sheetnames:
        return {}
    config = {}
    for row in wb_values["xlwings.conf"].iter_rows(min_col=1, max_col=2, values_only=True):
        if row[0] is None:
            break
        config[str(row[0])] = "" if row[1] is None else str(row[1])
    return config


def _sheet_values(ws) -> list[list[Any]]:
    if ws.max_row == 1 and ws.max_column == 1 and ws["A1"].value is None:
        return [[""]]  # getUsedRange() of a blank sheet is A1
    return [
        [cell_value(value) for value in row]
        for row in ws.iter_rows(
            min_row=1, max_row=ws.max_row, min_col=1, max_col=ws.max_column, values_only=True
        )
    ]


def _used_range_address(ws) -> str | None:
    if ws.max_row == 1 and ws.max_column == 1 and ws["A1"].value is None and not ws["A1"].has_style:
        return None
    first = f"{get_column_letter(ws.min_column)}{ws.min_row}"
    last = f"{get_column_letter(ws.max_column)}{ws.max_row}"
    return first if first == last else f"{first}:{last}"


def _address(min_col: int, min_row: int, max_col: int, max_row: int) -> str:
    first = f"{get_column_letter(min_col)}{min_row}"
    last = f"{get_column_letter(max_col)}{max_row}"
    return first if first == last else f"{first}:{last}"


def table_json(table) -> dict[str, Any]:
    """One Excel table as the add-in describes it."""
    min_col, min_row, max_col, max_row = range_boundaries(table.ref)
    headers = (table.headerRowCount if table.headerRowCount is not None else 1) > 0
    totals = (table.totalsRowCount or 0) > 0
    body_top = min_row + (1 if headers else 0)
    body_bottom = max_row - (1 if totals else 0)
    style = table.tableStyleInfo
    return {
        "name": table.displayName or table.name,
        "range_address": _address(min_col, min_row, max_col, max_row),
        "header_row_range_address": (
            _address(min_col, min_row, max_col, min_row) if headers else None
        ),
        "data_body_range_address": _address(min_col, body_top, max_col, body_bottom),
        "total_row_range_address": _address(min_col, max_row, max_col, max_row) if totals else None,
        "show_headers": headers,
        "show_totals": totals,
        "table_style": (style.name or "") if style is not None else "",
        "show_autofilter": table.autoFilter is not None and headers,
        "show_table_style_first_column": bool(style and style.showFirstColumn),
        "show_table_style_last_column": bool(style and style.showLastColumn),
        "show_table_style_row_stripes": bool(style and style.showRowStripes),
        "show_table_style_column_stripes": bool(style and style.showColumnStripes),
        "row_count": max_row - min_row + 1,
        "column_count": max_col - min_col + 1,
        "columns": [column.name for column in table.tableColumns],
    }


def _range_name(defined, scope_sheet, wb) -> dict[str, Any] | None:
    """A defined name as the add-in sends it, or None if it is not a range name."""
    text = (defined.attr_text or "").strip()
    parts = [part.strip() for part in text.split(",")] if text else []
    if not parts or not all(_RANGE_REF.match(part) for part in parts):
        return None  # a constant, a formula or #REF!: namedItem.type !== "Range"
    sheet_index = address = None
    if len(parts) == 1:
        (sheet_name, coordinates), = list(defined.destinations)
        if sheet_name in wb.sheetnames:
            sheet_index = wb.sheetnames.index(sheet_name)
            address = coordinates.replace("$", "")
    return {
        "name": defined.name,
        "sheet_index": sheet_index,
        "address": address,
        "scope_sheet_name": None if scope_sheet is None else scope_sheet.title,
        "scope_sheet_index": None if scope_sheet is None else wb.worksheets.index(scope_sheet),
        "book_scope": scope_sheet is None,
        "refers_to": "=" + text,
    }


def _names(wb, excluded: set[str]) -> list[dict[str, Any]]:
    names = []
    for defined in wb.defined_names.values():
        if defined.name.startswith("_xlnm."):
            continue
        entry = _range_name(defined, None, wb)
        if entry:
            names.append(entry)
    for ws in wb.worksheets:
        if ws.title in excluded:
            continue
        for defined in ws.defined_names.values():
            if defined.name.startswith("_xlnm."):
                continue
            entry = _range_name(defined, ws, wb)
            if entry:
                names.append(entry)
    return names


def _pictures(ws) -> list[dict[str, Any]]:
    return [
        {
            "name": f"Picture {number}",
            "width": float(image.width) * 0.75,  # px → pt
            "height": float(image.height) * 0.75,
        }
        for number, image in enumerate(getattr(ws, "_images", []), start=1)
    ]


def _notes(ws) -> list[dict[str, str]]:
    return [
        {"address": cell.coordinate}
        for row in ws.iter_rows()
        for cell in row
        if cell.comment is not None
    ]


def _print_area(ws) -> str | None:
    area = ws.print_area
    if not area:
        return None
    return ",".join(part.split("!")[-1] for part in area.split(","))


def _selection(ws) -> str | None:
    selections = ws.sheet_view.selection
    if not selections:
        return "A1"
    sqref = selections[0].sqref or selections[0].activeCell or "A1"
    return ",".join(plain_address(part) for part in str(sqref).split())


def book_json(
    xlsx_path: str | Path,
    active_sheet: str | int | None = None,
    selection: str | None = None,
    *,
    include: str | list[str] | None = None,
    exclude: str | list[str] | None = None,
    lazy: bool = False,
    recalculate: bool | None = None,
    book_name: str | None = None,
) -> dict[str, Any]:
    """The payload Excel's add-in posts for ``xlsx_path``; ``xw.Book(json=...)`` takes it.

    ``active_sheet`` is a sheet name or 0-based index (default: the file's active
    sheet); ``selection`` an address on it such as ``"B3"`` or ``"A1:C4"`` (default: the
    selection saved in the file).  ``include``/``exclude`` and ``lazy`` are what
    ``@script(include=..., exclude=...)`` and a ``book: xw.BookAsync`` parameter ask for.
    """
    path = Path(xlsx_path)
    wb = openpyxl.load_workbook(path)  # structure and formulas
    wb_values = openpyxl.load_workbook(path, data_only=True)  # cached values
    if recalculate is None:
        recalculate = bool(_formulas_without_cache(wb, wb_values))
    if recalculate:
        import tempfile

        from libreoffice import recalc

        with tempfile.TemporaryDirectory(prefix="standin-recalc-") as folder:
            wb_values = openpyxl.load_workbook(recalc(path, folder), data_only=True)

    config = _config(wb_values)
    include_list = _as_list(include) or _as_list(config.get("INCLUDE"))
    exclude_list = _as_list(exclude) or _as_list(config.get("EXCLUDE"))
    if include_list and exclude_list:
        raise ValueError("Either use 'include' or 'exclude', but not both!")
    excluded = set(exclude_list)
    if include_list:
        excluded |= {name for name in wb.sheetnames if name not in include_list}

    if active_sheet is None:
        active_index = wb.worksheets.index(wb.active) if wb.active in wb.worksheets else 0
    elif isinstance(active_sheet, int):
        active_index = active_sheet
    else:
        active_index = wb.sheetnames.index(active_sheet)
    if selection is None:
        selection = _selection(wb.worksheets[active_index])
    else:
        selection = ",".join(plain_address(part) for part in selection.split(","))

    sheets = []
    for ws, ws_values in zip(wb.worksheets, wb_values.worksheets):
        skip = ws.title in excluded
        sheets.append(
            {
                "name": ws.title,
                "values": [[]] if (skip or lazy) else _sheet_values(ws_values),
                "pictures": [] if skip else _pictures(ws),
                "tables": [] if skip else [table_json(t) for t in ws.tables.values()],
                "visibility": _VISIBILITY.get(ws.sheet_state, "Visible"),
                "show_gridlines": ws.sheet_view.showGridLines is not False,
                "used_range_address": _used_range_address(ws),
                "notes": [] if skip else _notes(ws),
                "notes_supported": True,
                "shapes": [],
                "charts": [],
                "pivot_tables": [],
                "print_area": _print_area(ws),
            }
        )

    calc_mode = getattr(wb.calculation, "calcMode", None) or "auto"
    return {
        "client": "Office.js",
        "version": xlwings_version(),
        "book": {
            "name": book_name or path.name,
            "active_sheet_index": active_index,
            "selection": selection,
            "calculation": _CALCULATION.get(calc_mode, "Automatic"),
        },
        "names": _names(wb, excluded),
        "sheets": sheets,
    }
