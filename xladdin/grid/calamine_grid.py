"""Files on disk, read with python-calamine: fast, read-only, macros never run.

calamine gives the values (shared strings, cached formula results, dates) and the
Tables.  It does not say which cells hold formulas, and shows an error cell
(``#DIV/0!``) and a formula without a cached value alike as an empty cell, so a
streaming scan of the sheet's XML (:mod:`.sheet_xml`) adds both: errors are read as
:class:`ExcelError` values and formulas are known, never mistaken for blanks.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

from python_calamine import CalamineError, CalamineWorkbook, SheetVisibleEnum

from ..engine.values import ExcelError
from ..errors import WorkbookError
from ..os_messages import os_reason
from .base import RowsSheetGrid, TableLocation, WorkbookGrid
from .sheet_xml import SheetXml, sheet_parts

MAX_FILE_BYTES = 50 * 1024 * 1024  # a report form is a few dozen KB
MAX_UNZIPPED_BYTES = 400 * 1024 * 1024  # guards against zip bombs
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted .xlsx and old .xls
_ZIP_SIGNATURE = b"PK\x03\x04"


def open_workbook(path: str | os.PathLike) -> CalamineGrid:
    """Open ``path`` or raise :class:`WorkbookError` saying, in Vietnamese, why not."""
    path = Path(path)
    source = str(path)
    try:
        size = path.stat().st_size
        with open(path, "rb") as handle:
            head = handle.read(8)
    except OSError as error:
        raise WorkbookError(
            f"Không mở được tệp: {os_reason(error)}.", file=source, rule="unreadable"
        ) from None
    if size > MAX_FILE_BYTES:
        raise WorkbookError(
            f"Tệp quá lớn ({size // (1024 * 1024)} MB) để là một biểu mẫu báo cáo.",
            file=source, rule="oversized")
    if head.startswith(_OLE_SIGNATURE) and path.suffix.lower() in (".xlsx", ".xlsm"):
        raise WorkbookError(
            "Tệp được đặt mật khẩu (mã hóa): hãy bỏ mật khẩu mở tệp rồi gửi lại.",
            file=source, rule="encrypted")
    if not head.startswith(_ZIP_SIGNATURE):
        raise WorkbookError(
            "Đây không phải tệp Excel (.xlsx/.xlsm).", file=source, rule="not-a-workbook"
        )
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            unzipped = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        raise WorkbookError(
            "Tệp bị hỏng hoặc chưa tải/sao chép hết (không đọc được nội dung nén).",
            file=source, rule="corrupt") from None
    if unzipped > MAX_UNZIPPED_BYTES:
        raise WorkbookError("Nội dung tệp quá lớn sau khi giải nén.", file=source, rule="oversized")
    if "xl/workbook.xml" not in names:
        raise WorkbookError(
            "Tệp nén này không phải một bảng tính Excel.", file=source, rule="not-a-workbook"
        )
    try:
        book = CalamineWorkbook.from_path(source, load_tables=True)
    except (CalamineError, Exception) as error:  # calamine raises several types
        raise WorkbookError(
            f"Tệp bị hỏng, không đọc được ({type(error).__name__}).", file=source, rule="corrupt"
        ) from None
    return CalamineGrid(path, book)


class CalamineGrid(WorkbookGrid):
    def __init__(self, path: Path, book: CalamineWorkbook):
        self.path = path
        self.source = str(path)
        self._book = book
        self._sheets: dict[str, CalamineSheetGrid] = {}
        self._parts: dict[str, str] | None = None
        self._tables: list[TableLocation] | None = None

    @property
    def sheet_names(self) -> list[str]:
        return list(self._book.sheet_names)

    def sheet(self, name: str) -> CalamineSheetGrid:
        if name not in self._sheets:
            try:
                data = self._book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            except Exception as error:
                raise WorkbookError(
                    f"Không đọc được trang ({error}).", file=self.source, sheet=name, rule="corrupt"
                ) from None
            hidden = any(
                m.name == name and m.visible != SheetVisibleEnum.Visible
                for m in self._book.sheets_metadata
            )
            self._sheets[name] = CalamineSheetGrid(name, data, self._xml(name), hidden)
        return self._sheets[name]

    def _xml(self, name: str) -> SheetXml:
        if self._parts is None:
            self._parts = sheet_parts(self.path)
        return SheetXml(self.path, self._parts.get(name))

    def tables(self) -> list[TableLocation]:
        if self._tables is None:
            self._tables = []
            try:
                names = list(self._book.table_names)
            except Exception:  # TablesNotLoaded / TablesNotSupported: no tables to offer
                names = []
            for name in names:
                table = self._book.get_table_by_name(name)
                (first_row, first_col), (last_row, last_col) = table.start, table.end
                self._tables.append(
                    TableLocation(name, table.sheet, first_row - 1, first_col, last_row, last_col,
                                  tuple(str(c) for c in table.columns)))
        return self._tables

    def close(self) -> None:
        try:
            self._book.close()
        except Exception:
            pass


class CalamineSheetGrid(RowsSheetGrid):
    def __init__(self, name: str, data: list[list[object]], xml: SheetXml, hidden: bool):
        self.name = name
        self.hidden = hidden
        self._data = data
        self._xml = xml

    def value(self, row: int, col: int) -> object:
        try:
            value = self._data[row][col]
        except IndexError:
            value = ""
        if value == "":
            error = self._xml.errors.get((row, col))
            return ExcelError(error) if error else None
        return value

    def formula(self, row: int, col: int) -> str | None:
        return self._xml.formulas.get((row, col))
