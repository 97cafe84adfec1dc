"""pywin32 and ``xlwings._xlwindows`` reduced to what the classic add-in's UDF path uses,
over the small Excel of :mod:`standin.desktop_excel`.

* :func:`pywin32_modules` — ``pythoncom``, ``pywintypes``, ``win32com.client`` reduced to what
  ``xlwings.udfs`` uses (marshalling a range between threads: a single-use stream, as in COM).
* :func:`xlwindows_module` — ``xlwings._xlwindows`` reduced to what ``call_udf``,
  ``get_cache_key``, ``ComRange`` and ``delayed_resize_dynamic_array_formula`` use.
"""

from __future__ import annotations

import types
from typing import Any

from .desktop_excel import COM_ERRORS, VARIANT, VT_ERROR, ComError, Excel, XlRange


def pywin32_modules() -> dict[str, types.ModuleType]:
    """``pythoncom``, ``pywintypes``, ``win32com``, ``win32com.client`` as ``xlwings.udfs``
    and :mod:`udfs.planning` use them."""

    class Stream:
        """A range marshalled for another thread: good for one unmarshalling, as in COM."""

        def __init__(self, obj: Any):
            self._obj: Any = obj

        def take(self) -> Any:
            if self._obj is None:
                raise ComError(-2147467259, "stream already released")
            obj, self._obj = self._obj, None
            return obj

    pythoncom = types.ModuleType("pythoncom")
    pythoncom.VT_ERROR = VT_ERROR  # type: ignore[attr-defined]
    pythoncom.IID_IDispatch = "IID_IDispatch"  # type: ignore[attr-defined]
    pythoncom.CoInitialize = lambda: None  # type: ignore[attr-defined]
    pythoncom.CoMarshalInterThreadInterfaceInStream = (  # type: ignore[attr-defined]
        lambda iid, obj: Stream(obj))
    pythoncom.CoGetInterfaceAndReleaseStream = (  # type: ignore[attr-defined]
        lambda stream, iid: stream.take())
    pywintypes = types.ModuleType("pywintypes")
    pywintypes.com_error = ComError  # type: ignore[attr-defined]
    pywintypes.IID = str  # type: ignore[attr-defined]
    win32com = types.ModuleType("win32com")
    client = types.ModuleType("win32com.client")
    client.VARIANT = VARIANT  # type: ignore[attr-defined]
    client.Dispatch = lambda obj, resultCLSID=None: obj  # type: ignore[attr-defined]  # noqa: N803
    win32com.client = client  # type: ignore[attr-defined]
    return {"pythoncom": pythoncom, "pywintypes": pywintypes, "win32com": win32com,
            "win32com.client": client}


def xlwindows_module() -> types.ModuleType:
    """``xlwings._xlwindows`` as far as the UDF path uses it (``impl`` objects)."""
    module = types.ModuleType("xlwings._xlwindows")

    class App:
        def __init__(self, excel: Excel):
            self.pid = excel.pid

    class Book:
        def __init__(self, excel: Excel):
            self.name = excel.book
            self.app = App(excel)

    class Sheet:
        def __init__(self, excel: Excel):
            self._excel = excel
            self.name = excel.sheet
            self.book = Book(excel)

        def range(self, cell1: Range, cell2: Range) -> Range:
            a, b = cell1.xl, cell2.xl
            return Range(XlRange(self._excel, a.row, a.column, b.row - a.row + 1,
                                 b.column - a.column + 1))

    class Range:
        def __init__(self, xl: XlRange):
            self.xl = xl

        @property
        def api(self) -> XlRange:
            return self.xl

        @property
        def address(self) -> str:
            return self.xl.Address

        @property
        def shape(self) -> tuple[int, int]:
            return self.xl.rows, self.xl.columns

        @property
        def sheet(self) -> Sheet:
            return Sheet(self.xl._excel)

        def __call__(self, row: int, column: int) -> Range:
            return Range(self.xl.Cells(row, column))

        @property
        def formula(self) -> str:
            return self.xl.Formula

        @formula.setter
        def formula(self, value: str) -> None:
            self.xl.Formula = value

        formula_array = formula

        def clear_contents(self) -> None:
            self.xl.ClearContents()

    class Engine:
        name = "excel"

        @staticmethod
        def clean_value_data(data: Any, datetime_builder: Any, empty_as: Any,
                             number_builder: Any, err_to_str: bool) -> Any:
            """As ``_xlwindows.clean_value_data``: empty → ``empty_as``, an error cell (its
            SCODE) → its text with ``err_to_str``, else None."""
            def clean(value: Any) -> Any:
                if value in ("", None):
                    return empty_as
                if number_builder is not None and isinstance(value, float):
                    return number_builder(value)
                if isinstance(value, int) and value in COM_ERRORS:
                    return COM_ERRORS[value] if err_to_str else None
                return value
            return [[clean(value) for value in row] for row in data]

        @staticmethod
        def prepare_xl_data_element(value: Any, options: Any) -> Any:
            return value

    module.Range = Range  # type: ignore[attr-defined]
    module.engine = Engine()  # type: ignore[attr-defined]
    module.cell_errors = COM_ERRORS  # type: ignore[attr-defined]
    module.BOOK_CALLER = None  # type: ignore[attr-defined]
    module.is_range_instance = lambda value: isinstance(value, XlRange)  # type: ignore[attr-defined]
    return module
