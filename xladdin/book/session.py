"""A book open in Excel as the one-click scripts see it: read once, then write.

Every script reads the whole book first (:class:`~xladdin.grid.xlwings_grid.XlwingsGrid`:
in xlwings Server and Lite the book is the JSON Excel sent, and what a script writes is
queued and applied by Excel after the script returns, so nothing written can be read
back), computes with the engine, then writes.  :func:`run` is the one door: whatever
goes wrong, the officer reads a Vietnamese message (an alert), never a traceback.

Runtimes differ in two things only, handled here:

* column widths: desktop Excel counts characters, Office.js points;
* sheet protection (plans are protected without a password): desktop Excel lifts it
  around a write and puts it back; Office.js offers xlwings no way to, so in Excel on
  the web and xlwings Lite the officer unprotects «Kế hoạch» and ``_meta`` first (Excel
  then refuses the write with its own message, nothing is half-written by Python).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, SupportsFloat

from ..bundled import catalogue as bundled_catalogue
from ..errors import ExcelAutomationError, ProtectedSheetError, XladdinError
from ..grid.xlwings_grid import XlwingsGrid
from ..reader.carried import catalogue_of

_TYPED_AS_SOMETHING_ELSE = re.compile(
    r"^\s*([+-]?[\d.,\s]+%?|\d{4}-\d{2}-\d{2}.*|\d{1,2}/\d{1,2}/\d{2,4}.*|true|false)\s*$",
    re.IGNORECASE,
)


class Formula(str):
    """A cell's formula (``=…``), written as such; any other ``str`` is written as text."""


@dataclass(frozen=True)
class Outcome:
    message: str  # Vietnamese, for the alert
    error: bool = False


class BookSession:
    def __init__(self, book: Any, title: str) -> None:  # an xlwings Book (untyped library)
        self.book, self.title = book, title
        self.grid = XlwingsGrid(book)
        self.catalogue = catalogue_of(
            self.grid, bundled_catalogue()
        )  # with the book's own indicators
        self.desktop = book.app.engine.name == "excel"  # COM / AppleScript: writes happen at once
        self.path = _saved_file(book) if self.desktop else None  # where files may be written


    # -- writing -----------------------------------------------------------------------
    def write(self, sheet_name: str, row: int, col: int, rows: list[list[object]]) -> None:
        """A block of cells from (row, col), 0-based: texts as typed text, Formula as a
        formula, numbers as numbers, None as an empty cell."""
        width = max((len(r) for r in rows), default=0)
        if not width:
            return
        block = [[_cell(v) for v in r] + [""] * (width - len(r)) for r in rows]
        sheet = self.book.sheets[sheet_name]
        sheet.range((row + 1, col + 1), (row + len(rows), col + width)).value = block

    def write_cells(self, sheet_name: str, row: int, cells: dict[int, object]) -> None:
        """Some cells of one row (column → value), each run of adjacent columns at once."""
        columns = sorted(cells)
        start = 0
        for i in range(1, len(columns) + 1):
            if i == len(columns) or columns[i] != columns[i - 1] + 1:
                run = columns[start:i]
                self.write(sheet_name, row, run[0], [[cells[c] for c in run]])
                start = i

    def output_sheet(self, name: str) -> str:
        """A sheet of our own (``Kiểm tra``, ``Tổng hợp``…): emptied, or added at the end."""
        existing = next((s for s in self.book.sheets if s.name.casefold() == name.casefold()), None)
        if existing is not None:
            existing.clear()
            return existing.name
        sheets = self.book.sheets
        sheets.add(name=name, after=sheets[len(sheets) - 1])
        return name

    def widths(self, sheet_name: str, widths: list[float]) -> None:
        """Column widths in characters, from column A."""
        sheet = self.book.sheets[sheet_name]
        for index, chars in enumerate(widths):
            size = (
                chars if self.desktop else round((chars * 7 + 5) * 72 / 96, 1)
            )  # Office.js: points
            sheet.range((1, index + 1)).column_width = size

    def number_format(self, sheet_name: str, row: int, col: int, last_row: int,
                      fmt: str) -> None:
        """Rows ``row``..``last_row`` of one column (0-based) shown as ``fmt``."""
        self.book.sheets[sheet_name].range((row + 1, col + 1), (last_row + 1, col + 1)
                                           ).number_format = fmt

    def wrap(self, sheet_name: str, row: int, col: int, last_row: int, n_cols: int = 1) -> None:
        """Texts of these cells wrap in their columns (rows grow to fit)."""
        self.book.sheets[sheet_name].range((row + 1, col + 1), (last_row + 1, col + n_cols)
                                           ).wrap_text = True

    def row_height(self, sheet_name: str, row: int, last_row: int, height: float) -> None:
        """Rows ``row``..``last_row`` (0-based) ``height`` points tall."""
        self.book.sheets[sheet_name].range((row + 1, 1), (last_row + 1, 1)).row_height = height

    def merge_wrapped(self, sheet_name: str, row: int, last_col: int, height: float) -> None:
        """One line of text over columns A..``last_col``, wrapped, ``height`` points tall
        (Excel never makes a merged cell's row taller by itself)."""
        line = self.book.sheets[sheet_name].range((row + 1, 1), (row + 1, last_col + 1))
        line.merge()
        line.wrap_text = True
        line.row_height = height

    def bold(self, sheet_name: str, row: int, col: int, n_cols: int = 1) -> None:
        self.book.sheets[sheet_name].range(
            (row + 1, col + 1), (row + 1, col + n_cols)
        ).font.bold = True

    @contextmanager
    def unprotected(self, *sheet_names: str) -> Iterator[None]:
        """Desktop Excel: lift the protection of these sheets around a write (no password)."""
        lifted: list[Any] = []  # the sheets' COM objects
        if self.desktop:
            for name in sheet_names:
                api = self.book.sheets[name].api
                try:
                    protected = bool(api.ProtectContents)
                except Exception:  # not COM (macOS): Excel says so itself if it refuses
                    protected = False
                if protected:
                    try:
                        api.Unprotect()
                    except Exception as error:  # noqa: BLE001 - COM raises its own types
                        raise unprotect_failure(name, error) from None
                    lifted.append(api)
        try:
            yield
        finally:
            for api in lifted:
                api.Protect(DrawingObjects=True, Contents=True, Scenarios=True,
                            AllowFormattingColumns=True, AllowFormattingRows=True)


# Excel's own refusal through COM: DISP_E_EXCEPTION, whose excepinfo carries Excel's
# message.  Unprotect() without a password fails this way only when the sheet has one
# (documented: Worksheet.Unprotect "If the sheet isn't protected with a password, this
# argument is ignored"; otherwise Excel refuses).  Any other code (RPC_E_CALL_REJECTED
# while a cell is being edited, a crashed Excel…) is Excel failing, not a password.
DISP_E_EXCEPTION = -2147352567


def unprotect_failure(sheet: str, error: BaseException) -> XladdinError:
    """What a failed ``Worksheet.Unprotect()`` means for the officer."""
    code = error.args[0] if error.args and isinstance(error.args[0], int) else None
    if code == DISP_E_EXCEPTION:
        return ProtectedSheetError(
            f"Trang «{sheet}» được khóa bằng mật khẩu: hãy bỏ khóa (Xem lại › "
            "Bỏ bảo vệ trang tính) rồi bấm lại."
        )
    return ExcelAutomationError(
        f"Excel không bỏ khóa được trang «{sheet}» ({error}): nếu đang sửa một ô, bấm Enter "
        "hoặc Esc rồi bấm lại; nếu vẫn lỗi, lưu tệp, mở lại Excel và thử lại."
    )


def link(sheet: str, cell: str | None, text: str | None = None) -> object:
    """A HYPERLINK formula to a cell of this book (works in every Excel and LibreOffice)."""
    if not cell:
        return text or ""
    quoted = "'" + sheet.replace("'", "''") + "'"
    target = f"#{quoted}!{cell}".replace('"', '""')
    shown = (text or cell).replace('"', '""')
    return Formula(f'=HYPERLINK("{target}","{shown}")')


def now_text() -> str:
    return dt.datetime.now().strftime("%d/%m/%Y %H:%M")


def run(body: Callable[[BookSession], Outcome], book, title: str) -> None:
    """Run a script's body on ``book`` and tell the officer how it went."""
    try:
        outcome = body(BookSession(book, title))
    except XladdinError as error:
        outcome = Outcome(str(error), error=True)
    except Exception:  # a bug of ours: a readable message; the details go to the log only
        logging.getLogger("xladdin.scripts").exception("%s failed", title)
        outcome = Outcome(
            "Lỗi không mong đợi của chương trình. Bảng tính có thể chưa được cập nhật hết; "
            "hãy báo cho người hỗ trợ kỹ thuật.",
            error=True,
        )
    tell(book, title, outcome)


def tell(book, title: str, outcome: Outcome) -> None:
    try:
        book.app.alert(
            outcome.message,
            title=f"xladdin – {title}",
            mode="critical" if outcome.error else "info",
        )
    except Exception:  # a runtime without alerts: the sheets written say it
        pass


def _saved_file(book) -> Path | None:
    """The workbook's file on this PC (None: never saved, or on OneDrive/SharePoint)."""
    try:
        path = Path(book.fullname)
        return path if path.is_file() else None
    except (OSError, ValueError, TypeError):
        return None


def _cell(value: object) -> object:
    if isinstance(value, Formula) or value is None or isinstance(value, bool):
        return "" if value is None else value
    if isinstance(value, str):
        if not value.strip():
            return value  # blank stays blank: "'" would make it a text cell (COUNTA, ISBLANK)
        return (
            "'" + value if value[:1] in "=+-@'" or _TYPED_AS_SOMETHING_ELSE.match(value) else value
        )
    if isinstance(value, int | float):
        return value
    if not isinstance(value, SupportsFloat):
        return str(value)
    try:  # Fraction and friends
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    return int(number) if number.is_integer() else number
