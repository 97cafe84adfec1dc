"""Files on disk, read with python-calamine: fast, read-only, macros never run.

The file's bytes are read once (:mod:`.package` checks them: regular file, size, zip
bomb, encrypted), each sheet is scanned once (:mod:`.sheet_xml`: formulas, error cells,
where the cells are, Tables), and calamine reads the values from those same bytes, or
from a copy whose far-away cells and error cells were left out (calamine materialises
a sheet as a dense rectangle and refuses error values it does not know).  Error cells
are read as :class:`ExcelError` values and formulas are known, never mistaken for
blanks.  Cells left out are reported in :attr:`CalamineGrid.notices`.
"""

from __future__ import annotations

import functools
import io
import os
import re
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import cast

from python_calamine import CalamineWorkbook, SheetVisibleEnum

from ..engine.model import WARNING, Issue
from ..engine.values import ExcelError
from ..errors import WorkbookError
from .base import RowsSheetGrid, TableLocation, WorkbookGrid, a1
from .package import MAX_FILE_BYTES, FileBytes, Package, read_file_once
from .plain_book import plain_sheets
from .sheet_rewrite import rewritten_sheet
from .sheet_xml import SheetScan, deadline_from_now, scan_sheet, sheet_parts, sheet_tables

__all__ = ["MAX_FILE_BYTES", "CalamineGrid", "open_workbook"]
_DECLARES = re.compile(rb"<!(?i:DOCTYPE|ENTITY)")  # in the first 4 KB of a part
_RESEND = "Hãy mở tệp bằng Excel, lưu lại rồi gửi lại."


def open_workbook(path: str | os.PathLike, *, file: FileBytes | None = None,
                  deadline: float | None = None, plain: bool = True) -> CalamineGrid:
    """Open ``path`` (or the bytes already read from it) or raise :class:`WorkbookError`
    saying, in Vietnamese, why not.  A plain workbook is read from its parts in one pass
    (``plain=False``: always by calamine, as the tests compare)."""
    file = file or read_file_once(path)
    package = Package(file)
    deadline = deadline if deadline is not None else deadline_from_now()
    _refuse_doctypes(package)
    proven = plain_sheets(package, deadline) if plain else None
    if proven is not None:  # read in the same pass that scanned it: calamine is not needed
        sheets, found = proven
        return CalamineGrid(file.path, None, {s.name: s.scan for s in sheets}, found, {
            s.name: CalamineSheetGrid(s.name, s.rows, s.scan, s.hidden) for s in sheets})
    parts = sheet_parts(package)
    tables: list[TableLocation] = []
    scans: dict[str, SheetScan] = {}
    for name, part in parts.items():
        own = sheet_tables(package, name, part) if package.has(part) else []
        scans[name] = scan_sheet(package, part, own, deadline)
        # a Table claiming rows down to 1048576 ends at the sheet's last row of cells
        tables.extend(replace(t, last_row=max(t.header_row, min(t.last_row, scans[name].last_row)))
                      for t in own)
    replaced = {parts[name]: rewritten_sheet(package, parts[name], scan, deadline)
                for name, scan in scans.items() if scan.rewrite}
    data = _with_parts(package, replaced) if replaced else file.data
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception:  # calamine raises several types
        raise WorkbookError(f"Tệp bị hỏng, không đọc được. {_RESEND}",
                            file=package.source, rule="corrupt") from None
    return CalamineGrid(file.path, book, scans, tables)


def _refuse_doctypes(package: Package) -> None:
    """Excel never writes a DOCTYPE: one in a part is an entity bomb or an XXE attempt."""
    for name in package.infos:
        if name.endswith((".xml", ".rels")):
            if _declares(package.head(name)):
                raise WorkbookError(
                    f"Tệp có nội dung XML lạ (khai báo DOCTYPE/ENTITY ở phần {name}), không phải "
                    f"do Excel lưu: đã bỏ qua, không đọc. {_RESEND}",
                    file=package.source,
                    rule="corrupt",
                )


@functools.lru_cache(maxsize=64)
def _declares(head: bytes) -> bool:  # the same parts, form after form: searched once
    return _DECLARES.search(head) is not None


def _with_parts(package: Package, replaced: dict[str, bytes]) -> bytes:
    """A copy of the zip with some parts replaced (stored: it only lives in memory)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as copy:
        for name in package.infos:
            copy.writestr(name, replaced[name] if name in replaced else package.read(name))
    return out.getvalue()


class CalamineGrid(WorkbookGrid):
    """A workbook read by calamine (``book``), or from its plain parts (``sheets``, every
    one read already: :mod:`.plain_book`)."""

    def __init__(self, path: Path, book: CalamineWorkbook | None, scans: dict[str, SheetScan],
                 tables: list[TableLocation], sheets: dict[str, CalamineSheetGrid] | None = None):
        self.path = path
        self.source = str(path)
        self._book = book
        self._scans = scans
        self._tables = tables
        self._sheets: dict[str, CalamineSheetGrid] = dict(sheets or {})
        self._names = list(self._sheets) if book is None else list(book.sheet_names)
        self.notices = [
            _far_notice(self.source, name, scan) for name, scan in scans.items() if scan.n_far
        ]

    @property
    def sheet_names(self) -> list[str]:
        return list(self._names)

    def sheet(self, name: str) -> CalamineSheetGrid:
        if name not in self._sheets:
            if self._book is None:
                raise WorkbookError(f"Không có trang «{name}». {_RESEND}", file=self.source,
                                    sheet=name, rule="corrupt")
            try:
                # calamine's cells as the grid's (read only, so a list of objects)
                data = cast(list[list[object]],
                            self._book.get_sheet_by_name(name).to_python(skip_empty_area=False))
                hidden = any(m.name == name and m.visible != SheetVisibleEnum.Visible
                             for m in self._book.sheets_metadata)
            except Exception:
                raise WorkbookError(f"Không đọc được trang này (tệp bị hỏng). {_RESEND}",
                                    file=self.source, sheet=name, rule="corrupt") from None
            self._sheets[name] = CalamineSheetGrid(
                name, data, self._scans.get(name) or SheetScan(), hidden
            )
        return self._sheets[name]

    def tables(self) -> list[TableLocation]:
        return self._tables

    def close(self) -> None:
        if self._book is None:
            return
        try:
            self._book.close()
        except Exception:
            pass


def _far_notice(source: str, sheet: str, scan: SheetScan) -> Issue:
    example = ", ".join(a1(*c) for c in scan.far)
    return Issue(
        WARNING,
        source,
        sheet,
        a1(*scan.far[0]) if scan.far else None,
        "far-cells",
        f"Trang «{sheet}» có {scan.n_far} ô có dữ liệu nằm xa ngoài bảng ({example}): đã bỏ qua, "
        "không đọc. Nếu đó là số liệu báo cáo, hãy chép vào đúng bảng rồi gửi lại.",
    )


class CalamineSheetGrid(RowsSheetGrid):
    def __init__(self, name: str, data: list[list[object]], scan: SheetScan, hidden: bool):
        self.name = name
        self.hidden = hidden
        self._data = data
        self._scan = scan
        self._size = (len(data), max((len(row) for row in data), default=0))

    @property
    def n_rows(self) -> int:
        return self._size[0]

    @property
    def n_cols(self) -> int:  # counted once: readers ask for it with every row
        return self._size[1]

    def row_values(self, row: int) -> list[object]:
        if self._scan.errors or not 0 <= row < self._size[0]:
            return super().row_values(row)
        values = [None if value == "" else value for value in self._data[row]]
        return values + [None] * (self._size[1] - len(values))

    def value(self, row: int, col: int) -> object:
        try:
            value = self._data[row][col]
        except IndexError:
            value = ""
        if value == "":
            error = self._scan.errors.get((row, col))
            return ExcelError.of_cell(error) if error else None
        return value

    def formula(self, row: int, col: int) -> str | None:
        return self._scan.formulas.get((row, col))
