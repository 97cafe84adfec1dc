"""Excel for Windows as the classic add-in's COM server sees it, small enough to read
(:mod:`standin.desktop_pywin32` has the modules standing in for pywin32 and
``xlwings._xlwindows`` over it), so that xlwings' own ``xlwings.udfs`` (``call_udf``,
``ComRange``, the decorators) runs here unchanged.

* :class:`Excel` — one workbook, one sheet, cells with a shown value and a note, and the
  calculation: while Excel calculates, a COM call from another thread is rejected with
  ``RPC_E_SERVERCALL_RETRYLATER`` (what xlwings' ``ComRange._com`` retries), and for
  :attr:`Excel.busy_after` more calls after it; a change made during the calculation from
  the calculating thread is refused and recorded (:attr:`Excel.written_while_calculating`).
* :class:`XlRange`, :class:`XlComment`, :class:`XlSheet`, :class:`XlBook`,
  :class:`XlApplication` — the COM objects (the VBA object model's names: ``Cells``,
  ``Comment``, ``AddComment``, ``Comment.Text()``/``Delete()``/``Parent``, ``GetAddress``,
  ``Worksheet.ProtectDrawingObjects``/``Comments``/``Range``/``Parent``/``Name``,
  ``Application.Workbooks``, ``Workbook.Worksheets``/``Name``, ``Range.Value`` (an error as
  its SCODE); collections iterated or called with a name, as pywin32 gives them).
  ``AddComment`` on a cell that has a comment fails, as in Excel (error 1004).
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

RPC_E_SERVERCALL_RETRYLATER = -2147418111  # in xlwings.udfs.RPC_E_SERVERCALL_RETRYLATER
DISP_E_EXCEPTION = -2147352567
XL_ERROR_1004 = -2146827284  # the SCODE of Excel's run-time error 1004 inside DISP_E_EXCEPTION
DISP_E_BADINDEX = -2147352565  # «Subscript out of range»
VT_ERROR = 10
#: Excel's error values as COM carries them (``xlwings._xlwindows.cell_errors``).
COM_ERRORS = {
    -2146826281: "#DIV/0!",
    -2146826246: "#N/A",
    -2146826259: "#NAME?",
    -2146826288: "#NULL!",
    -2146826252: "#NUM!",
    -2146826265: "#REF!",
    -2146826273: "#VALUE!",
}


class ComError(Exception):
    """``pywintypes.com_error``: args ``(hresult, text, excepinfo, argerror)``."""

    def __init__(self, hresult: int, text: str, excepinfo: Any = None, argerror: Any = None):
        super().__init__(hresult, text, excepinfo, argerror)
        self.hresult = hresult


class VARIANT:
    """``win32com.client.VARIANT``: a value sent as a given COM variant type."""

    def __init__(self, vt: int, value: Any):
        self.varianttype = vt
        self.value = value

    def __repr__(self) -> str:
        return f"VARIANT({self.varianttype}, {self.value!r})"


def _column(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _letters(column: int) -> str:
    text = ""
    while column:
        column, rest = divmod(column - 1, 26)
        text = chr(65 + rest) + text
    return text


def parse_ref(ref: str) -> tuple[int, int, int, int]:
    """``"B2"`` or ``"B2:D2"`` → (row, column, rows, columns)."""
    first, _, last = ref.partition(":")
    cells = [re.fullmatch(r"\$?([A-Z]+)\$?(\d+)", part) for part in (first, last or first)]
    (c1, r1), (c2, r2) = [(_column(m[1]), int(m[2])) for m in cells if m] or [(0, 0)] * 2
    if not c1:
        raise ValueError(ref)
    return r1, c1, r2 - r1 + 1, c2 - c1 + 1


@dataclass
class Cell:
    """What the officer sees in one cell."""

    shown: Any = None
    note: str | None = None
    formula: str = ""


@dataclass
class Excel:
    """One running Excel: workbook ``KeHoach.xlsm``, sheet ``KeHoach``."""

    book: str = "KeHoach.xlsm"
    sheet: str = "KeHoach"
    pid: int = 4242
    objects_protected: bool = False
    book_open: bool = True  # False: the officer closed the workbook
    busy_after: int = 0  # calls rejected after a calculation ends
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)
    calculating: bool = False
    rejected: int = 0  # calls rejected as Excel was busy
    background_calls: Counter[str] = field(default_factory=Counter)  # COM calls from other
    # threads than the calculating one, by member ("Range.Comment": 3)
    written_while_calculating: list[str] = field(default_factory=list)
    _calc_thread: int | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def cell(self, ref: str) -> Cell:
        row, column, _, _ = parse_ref(ref)
        return self.cells.setdefault((row, column), Cell())

    def range(self, ref: str) -> XlRange:
        return XlRange(self, *parse_ref(ref))

    def start_calculation(self) -> None:
        with self._lock:
            self.calculating = True
            self._calc_thread = threading.get_ident()

    def end_calculation(self) -> None:
        with self._lock:
            self.calculating = False
            self._calc_thread = None

    def check(self, what: str, *, change: bool = False) -> None:
        """Excel answering one COM call (or refusing it)."""
        with self._lock:
            if self.calculating and threading.get_ident() == self._calc_thread:
                if change:
                    self.written_while_calculating.append(what)
                    raise ComError(DISP_E_EXCEPTION, "Exception occurred.",
                                   (0, None, None, None, 0, XL_ERROR_1004))
                return
            self.background_calls[what] += 1
            if self.calculating or self.busy_after > 0:
                if not self.calculating:
                    self.busy_after -= 1
                self.rejected += 1
                raise ComError(RPC_E_SERVERCALL_RETRYLATER, "Call was rejected by callee.")


class XlCollection(list[Any]):
    """A COM collection as pywin32 gives it: iterated, or called with a name (``Item``);
    an unknown name fails as in Excel (error 9, «Subscript out of range»)."""

    def __init__(self, excel: Excel, what: str, items: list[Any]):
        super().__init__(items)
        self._excel = excel
        self._what = what

    def __call__(self, name: str) -> Any:
        self._excel.check(f"{self._what}(name)")
        for item in self:
            if item._name == name:
                return item
        raise ComError(DISP_E_EXCEPTION, "Exception occurred.",
                       (0, None, "Subscript out of range", None, 0, DISP_E_BADINDEX))


class XlApplication:
    def __init__(self, excel: Excel):
        self._excel = excel

    @property
    def Workbooks(self) -> XlCollection:  # noqa: N802
        self._excel.check("Application.Workbooks")
        books = [XlBook(self._excel)] if self._excel.book_open else []
        return XlCollection(self._excel, "Workbooks", books)


class XlBook:
    def __init__(self, excel: Excel):
        self._excel = excel
        self._name = excel.book

    @property
    def Name(self) -> str:  # noqa: N802
        self._excel.check("Workbook.Name")
        return self._name

    @property
    def Worksheets(self) -> XlCollection:  # noqa: N802
        self._excel.check("Workbook.Worksheets")
        return XlCollection(self._excel, "Worksheets", [XlSheet(self._excel)])


class XlSheet:
    def __init__(self, excel: Excel):
        self._excel = excel
        self._name = excel.sheet

    @property
    def Parent(self) -> XlBook:  # noqa: N802
        self._excel.check("Worksheet.Parent")
        return XlBook(self._excel)

    def Range(self, address: str) -> XlRange:  # noqa: N802
        self._excel.check("Worksheet.Range")
        return XlRange(self._excel, *parse_ref(address))

    @property
    def Comments(self) -> list[XlComment]:  # noqa: N802
        self._excel.check("Worksheet.Comments")
        return [XlComment(self._excel, *place) for place, cell in sorted(self._excel.cells.items())
                if cell.note is not None]

    @property
    def Name(self) -> str:  # noqa: N802 - COM names
        self._excel.check("Worksheet.Name")
        return self._excel.sheet

    @property
    def ProtectDrawingObjects(self) -> bool:  # noqa: N802
        self._excel.check("Worksheet.ProtectDrawingObjects")
        return self._excel.objects_protected


class XlComment:
    def __init__(self, excel: Excel, row: int, column: int):
        self._excel = excel
        self._cell = excel.cells.setdefault((row, column), Cell())
        self._place = row, column

    @property
    def Parent(self) -> XlRange:  # noqa: N802
        self._excel.check("Comment.Parent")
        return XlRange(self._excel, *self._place)

    def Text(self) -> str:  # noqa: N802
        self._excel.check("Comment.Text")
        return self._cell.note or ""

    def Delete(self) -> None:  # noqa: N802
        self._excel.check("Comment.Delete", change=True)
        self._cell.note = None


class XlRange:
    """A COM ``Range``: rows × columns from (row, column)."""

    CLSID = "{00020846-0000-0000-C000-000000000046}"

    def __init__(self, excel: Excel, row: int, column: int, rows: int = 1, columns: int = 1):
        self._excel = excel
        self.row, self.column, self.rows, self.columns = row, column, rows, columns

    def _top_left(self) -> Cell:
        return self._excel.cells.setdefault((self.row, self.column), Cell())

    def _ref(self, absolute: bool = True) -> str:
        mark = "$" if absolute else ""
        first = f"{mark}{_letters(self.column)}{mark}{self.row}"
        if self.rows == self.columns == 1:
            return first
        last = f"{mark}{_letters(self.column + self.columns - 1)}{mark}{self.row + self.rows - 1}"
        return f"{first}:{last}"

    def Cells(self, row: int, column: int) -> XlRange:  # noqa: N802
        self._excel.check("Range.Cells")
        return XlRange(self._excel, self.row + row - 1, self.column + column - 1)

    @property
    def Address(self) -> str:  # noqa: N802
        self._excel.check("Range.Address")
        return self._ref()

    def GetAddress(self, row_absolute: bool = True, column_absolute: bool = True,  # noqa: N802
                   reference_style: int = 1, external: bool = False) -> str:
        self._excel.check("Range.Address")
        assert reference_style == 1 and row_absolute == column_absolute
        ref = self._ref(bool(row_absolute))
        return f"[{self._excel.book}]{self._excel.sheet}!{ref}" if external else ref

    @property
    def Application(self) -> XlApplication:  # noqa: N802
        self._excel.check("Range.Application")
        return XlApplication(self._excel)

    @property
    def Worksheet(self) -> XlSheet:  # noqa: N802
        self._excel.check("Range.Worksheet")
        return XlSheet(self._excel)

    @property
    def Comment(self) -> XlComment | None:  # noqa: N802
        self._excel.check("Range.Comment")
        cell = self._top_left()
        return XlComment(self._excel, self.row, self.column) if cell.note is not None else None

    def AddComment(self, text: str) -> XlComment:  # noqa: N802
        self._excel.check("Range.AddComment", change=True)
        cell = self._top_left()
        if cell.note is not None:  # Excel: run-time error 1004
            raise ComError(DISP_E_EXCEPTION, "Exception occurred.",
                           (0, "Microsoft Excel", "Application-defined or object-defined "
                            "error", None, 0, XL_ERROR_1004))
        cell.note = text
        return XlComment(self._excel, self.row, self.column)

    @property
    def Value(self) -> Any:  # noqa: N802
        """The top-left cell's value as pywin32 reads it: an error as its SCODE."""
        self._excel.check("Range.Value")
        shown = self._top_left().shown
        codes = {text: scode for scode, text in COM_ERRORS.items()}
        return codes.get(str(shown), shown) if type(shown).__name__ == "ExcelError" else shown

    @property
    def Formula(self) -> str:  # noqa: N802
        self._excel.check("Range.Formula")
        return self._top_left().formula

    @Formula.setter
    def Formula(self, value: str) -> None:  # noqa: N802
        self._excel.check("Range.Formula", change=True)
        self._top_left().formula = value

    def ClearContents(self) -> None:  # noqa: N802
        """Values and formulas go; notes stay (``ClearComments`` would take them)."""
        self._excel.check("Range.ClearContents", change=True)
        for r in range(self.rows):
            for c in range(self.columns):
                cell = self._excel.cells.get((self.row + r, self.column + c))
                if cell is not None:
                    cell.shown, cell.formula = None, ""
