"""A plain workbook read straight from its parts, exactly as calamine would read it.

A returned report form is a few small parts (three sheets, shared strings, styles, one
Table).  Opening it with calamine after scanning its sheets for formulas and error cells
reads every sheet twice; when the workbook is *plain* its values are taken from the same
single pass that scans it (:mod:`.sheet_cells`), and calamine is not opened at all.

Plain means, for every part read: the shape :mod:`.sheet_cells` proves, and, for the
values, nothing calamine reads differently from the XML: no error cell, no cell left out
(far cells), no date or time format on a number, no rich or escaped (``_xHHHH_``) text, no
cell attribute but ``r``, ``s`` and ``t``, a shared string that exists, every sheet a
worksheet whose part is there.  A workbook that is not plain gives None and is read by
calamine (:func:`.calamine_grid.open_workbook`), with the same guards; the two readings
of a plain workbook are equal cell by cell (``tests/test_plain_book.py``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from ..errors import WorkbookError
from .base import TableLocation
from .package import Package
from .sheet_cells import Cell, plain_number_styles, shared_strings, sheet_cells, text
from .sheet_xml import SheetScan, parse_xml, resolve_part, scan_cells, sheet_tables

_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_TYPES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_NUMBER = re.compile(rb"-?\d{1,20}(?:\.\d{1,20})?(?:[eE][-+]?\d{1,3})?")
_INDEX = re.compile(rb"\d{1,9}")  # a shared string's index (never a 5,000-digit int())
_HIDDEN = {None: False, "visible": False, "hidden": True, "veryHidden": True}

Rows = list[list[object]]
PLAIN_SHEET = 1024 * 1024  # a workbook with a bigger sheet part is read by calamine


class PlainSheet:
    """What the grid needs of one sheet: its name, values (calamine's rectangle from A1),
    scan and whether it is hidden."""

    def __init__(self, name: str, rows: Rows, scan: SheetScan, hidden: bool):
        self.name, self.rows, self.scan, self.hidden = name, rows, scan, hidden


def plain_sheets(package: Package, deadline: float
                 ) -> tuple[list[PlainSheet], list[TableLocation]] | None:
    """Every sheet of a plain workbook with its Tables, or None: not plain (read it with
    calamine).  Raises nothing a reading with calamine would not raise first."""
    try:
        return _plain_sheets(package, deadline)
    except WorkbookError:
        return None  # the general reading says what is wrong, in its own words


def _plain_sheets(package: Package, deadline: float
                  ) -> tuple[list[PlainSheet], list[TableLocation]] | None:
    listed = _workbook(package)
    if listed is None:
        return None
    sheets, strings_part, styles_part = listed
    strings: tuple[str, ...] | None = ()
    if strings_part is not None:
        strings = shared_strings(package.part(strings_part))
    styles: tuple[bool, ...] | None = ()
    if styles_part is not None:
        styles = plain_number_styles(package.part(styles_part))
    if strings is None or styles is None:
        return None
    found: list[PlainSheet] = []
    tables: list[TableLocation] = []
    if any(package.infos[part].file_size > PLAIN_SHEET for _, part, _ in sheets):
        return None  # a plan's big sheets: calamine materialises only those asked for
    for name, part, hidden in sheets:
        proven = sheet_cells(package.part(part))
        if proven is None:
            return None
        cells = list(proven)
        own = sheet_tables(package, name, part)
        scan = scan_cells(package, cells, own)
        if scan.rewrite or scan.errors:
            return None  # cells left out or error values: calamine's reading says them
        rows = _values(cells, strings, styles)
        if rows is None:
            return None
        found.append(PlainSheet(name, rows, scan, hidden))
        # a Table claiming rows down to 1048576 ends at the sheet's last row of cells
        tables.extend(replace(t, last_row=max(t.header_row, min(t.last_row, scan.last_row)))
                      for t in own)
    return found, tables


def _workbook(package: Package
              ) -> tuple[list[tuple[str, str, bool]], str | None, str | None] | None:
    """(name, part, hidden) of every sheet, and the shared strings' and styles' parts."""
    rels_part = "xl/_rels/workbook.xml.rels"
    if not package.has(rels_part):
        return None
    workbook = parse_xml(package, "xl/workbook.xml")
    if workbook.tag != f"{_MAIN}workbook":
        return None
    relations = {}
    strings_part = styles_part = None
    for rel in parse_xml(package, rels_part).iter(f"{_PKG_REL}Relationship"):
        kind, target = rel.get("Type", ""), rel.get("Target", "")
        if rel.get("TargetMode") == "External":
            continue
        part = resolve_part("xl/workbook.xml", target)
        relations[rel.get("Id")] = (kind, part)
        if kind == _TYPES + "sharedStrings":
            if strings_part is not None or not package.has(part):
                return None
            strings_part = part
        elif kind == _TYPES + "styles":
            if styles_part is not None or not package.has(part):
                return None
            styles_part = part
    sheets = []
    for sheet in workbook.iter(f"{_MAIN}sheet"):
        kind, part = relations.get(sheet.get(f"{_REL}id"), ("", ""))
        state = sheet.get("state")
        name = sheet.get("name")
        if (kind != _TYPES + "worksheet" or not package.has(part) or state not in _HIDDEN
                or not name):
            return None
        sheets.append((name, part, _HIDDEN[state]))
    names = [name for name, _, _ in sheets]
    if not sheets or len(set(names)) != len(names):
        return None
    return sheets, strings_part, styles_part


def _values(cells: Sequence[Cell], strings: Sequence[str], styles: Sequence[bool]
            ) -> Rows | None:
    """The sheet as calamine's ``to_python(skip_empty_area=False)``: a rectangle from A1 to
    the last cell holding a value ('' where there is none); None: a cell is not plain."""
    values: list[tuple[int, int, object]] = []
    height = width = 0
    count = len(strings)
    for cell in cells:
        if not (cell.has_value or cell.has_inline):
            continue
        if cell.extra:
            return None
        row, col = cell.row, cell.col
        if cell.kind == b"s" and not cell.has_inline:  # most cells: a shared string
            index = int(cell.value) if _INDEX.fullmatch(cell.value) else count
            if index >= count:
                return None
            value: object = strings[index]
        else:
            value = _value(cell, strings, styles)
            if value is _NOT_PLAIN:
                return None
            if value is None:
                continue
        values.append((row, col, value))
        height, width = max(height, row + 1), max(width, col + 1)
    rows: Rows = [[""] * width for _ in range(height)]
    for row, col, value in values:
        rows[row][col] = value
    return rows


_NOT_PLAIN = object()


def _value(cell: Cell, strings: Sequence[str], styles: Sequence[bool]) -> object:
    """A cell's value as calamine gives it; None for an empty one, ``_NOT_PLAIN``."""
    kind = cell.kind
    if cell.has_inline:
        found = (text(cell.inline, kept=cell.inline_kept)
                 if kind == b"inlineStr" and not cell.has_value else None)
        return _NOT_PLAIN if found is None else found
    if kind == b"s":
        if not _INDEX.fullmatch(cell.value) or int(cell.value) >= len(strings):
            return _NOT_PLAIN
        return strings[int(cell.value)]
    if kind == b"str":
        found = text(cell.value)
        return _NOT_PLAIN if found is None else found
    if kind == b"b":
        return {b"0": False, b"1": True}.get(cell.value, _NOT_PLAIN)
    if kind in (b"", b"n"):
        if not cell.value:
            return None
        style = cell.style or 0  # no style: the first cell format, as for Excel
        if not _NUMBER.fullmatch(cell.value) or (
            (styles or style) and (style >= len(styles) or not styles[style])
        ):
            return _NOT_PLAIN
        return float(cell.value)
    return _NOT_PLAIN
