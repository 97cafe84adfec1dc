"""Finding our tables and the ``_meta`` keys in a workbook, however it was re-saved.

The Table (ListObject) name is the first clue; when an editor dropped it (or the
officer copied the sheet), the header row is found by its column titles.  Headers are
compared after Unicode NFC normalisation, case folding and whitespace collapsing, since
files come back from Excel, LibreOffice and WPS in both NFC and NFD.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass

from .. import contract as c
from ..contract import META_SHEET as META_SHEET
from ..engine.model import ERROR, WARNING, Meta
from ..grid.base import SheetGrid, TableLocation, WorkbookGrid, a1
from .meta_check import meta_integer

SCAN_ROWS = 60  # a header row further down than this is not one of ours


def normalize(text: object) -> str:
    """NFC, trimmed, single spaces, case-folded: how two headers are compared."""
    if text is None:
        return ""
    if isinstance(text, str):
        return _normalized(text)
    return " ".join(unicodedata.normalize("NFC", str(text)).split()).casefold()


@functools.lru_cache(maxsize=4096)
def _normalized(text: str) -> str:  # the same headers and titles, form after form
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def clean(text: object) -> str:
    """A cell's text as an officer means it: NFC, trimmed."""
    if text is None:
        return ""
    if isinstance(text, str):
        return _cleaned(text)
    if isinstance(text, float) and text.is_integer():
        text = int(text)
    return " ".join(unicodedata.normalize("NFC", str(text)).split())


@functools.lru_cache(maxsize=4096)
def _cleaned(text: str) -> str:  # titles, codes and names, form after form
    return " ".join(unicodedata.normalize("NFC", text).split())


class MetaKeys(dict[str, str]):
    """The ``_meta`` keys, with the sheet and the A1 cell of each value (for messages)
    and the keys given twice with different values."""

    def __init__(self, sheet: str):
        super().__init__()
        self.sheet = sheet
        self.cells: dict[str, str] = {}
        self.repeated: list[str] = []


def read_meta(grid: WorkbookGrid) -> dict[str, str] | None:
    """The ``_meta`` keys (found by name, not by row), or None without such a sheet."""
    name = next((n for n in grid.sheet_names if n.casefold() == META_SHEET), None)
    if name is None:
        return None
    sheet = grid.sheet(name)
    meta = MetaKeys(name)
    for row in range(sheet.n_rows):
        key = clean(sheet.value(row, 0))
        if key:
            value = clean(sheet.value(row, 1))
            if key in meta and meta[key] != value and key not in meta.repeated:
                meta.repeated.append(key)
            meta.setdefault(key, value)
            meta.cells.setdefault(key, a1(row, 1))
    return meta


@dataclass(frozen=True)
class Located:
    table: TableLocation
    by_name: bool  # False: found by its header row, the Table object is gone


def locate_table(
    grid: WorkbookGrid, name: str, required: list[str], preferred_sheet: str | None = None
) -> Located | None:
    """The table ``name``, or else the first sheet row holding all ``required`` headers."""
    table = grid.table(name)
    if table is not None:
        return Located(table, by_name=True)
    wanted = [normalize(h) for h in required]
    sheets = [s for s in grid.sheet_names if s.casefold() != META_SHEET]
    if preferred_sheet in sheets:
        sheets.remove(preferred_sheet)
        sheets.insert(0, preferred_sheet)
    for sheet_name in sheets:
        sheet = grid.sheet(sheet_name)
        for row in range(min(sheet.n_rows, SCAN_ROWS)):
            headers = [normalize(v) for v in sheet.row_values(row)]
            if all(h in headers for h in wanted):
                first = headers.index(wanted[0])
                last_col = max(i for i, h in enumerate(headers) if h)
                last_row = _last_data_row(sheet, row, first)
                titles = tuple(clean(v) for v in sheet.row_values(row)[first:last_col + 1])
                return Located(
                    TableLocation(name, sheet_name, row, first, last_row, last_col, titles),
                    by_name=False,
                )
    return None


def report_sheets(grid: WorkbookGrid, required: list[str]) -> list[str]:
    """Every sheet holding a table (or a header row) with all ``required`` headers: a form
    has one; two mean a copied sheet («Báo cáo (2)») whose numbers may be the real ones."""
    wanted = [normalize(h) for h in required]
    found = []
    for sheet_name in (s for s in grid.sheet_names if s.casefold() != META_SHEET):
        by_table = any(
            t.sheet == sheet_name and all(h in [normalize(x) for x in t.headers] for h in wanted)
            for t in grid.tables()
        )
        sheet = grid.sheet(sheet_name)
        if by_table or any(
            _holds_all(wanted, {normalize(v) for v in sheet.row_values(row)})
            for row in range(min(sheet.n_rows, SCAN_ROWS))
        ):
            found.append(sheet_name)
    return found


def _holds_all(wanted: list[str], headers: set[str]) -> bool:
    return all(h in headers for h in wanted)


def _last_data_row(sheet: SheetGrid, header_row: int, code_col: int) -> int:
    """Without a Table: the data ends at the first row with nothing in its first two columns."""
    row = header_row
    while row + 1 < sheet.n_rows and any(
        clean(sheet.value(row + 1, c)) for c in (code_col, code_col + 1)
    ):
        row += 1
    return row


def find_label(sheet: SheetGrid, label: str) -> tuple[int, int] | None:
    """The cell right of the first cell reading ``label`` (a labelled setting), or None."""
    wanted = normalize(label)
    for row in range(min(sheet.n_rows, SCAN_ROWS)):
        for col, value in enumerate(sheet.row_values(row)):
            if isinstance(value, str) and normalize(value) == wanted:
                return row, col + 1
    return None


def coded_rows(
    sheet: SheetGrid, table: TableLocation, code_col: int, issue
) -> list[tuple[int, str]]:
    """(row, indicator code) of the table's data rows, in order.

    A row without a code but with something in it (an officer's note) is skipped with a
    warning; a code met twice is an error, its second row skipped.  ``issue(severity,
    rule, message, cell)`` reports both.
    """
    seen: set[str] = set()
    found = []
    for row in range(table.header_row + 1, table.last_row + 1):
        code = clean(sheet.value(row, code_col))
        if not code:
            if any(clean(v) for v in sheet.row_values(row)):
                issue(
                    WARNING,
                    "extra-row",
                    f"Dòng {row + 1} không có mã chỉ tiêu: đã bỏ qua.",
                    a1(row, code_col),
                )
            continue
        if code in seen:
            issue(
                ERROR,
                "duplicate-row",
                f"Chỉ tiêu {code} xuất hiện hai lần (dòng {row + 1}).",
                a1(row, code_col),
            )
            continue
        seen.add(code)
        found.append((row, code))
    return found


def column_index(table: TableLocation, header: str) -> int | None:
    """0-based sheet column of the table column titled ``header``."""
    wanted = normalize(header)
    for offset, title in enumerate(table.headers):
        if normalize(title) == wanted:
            return table.first_col + offset
    return None


_KNOWN_KEYS = set(c.META_KEYS) | {c.KEY_PERIOD}


def meta_from_keys(keys: dict[str, str], template: str, unit_code: str | None = None) -> Meta:
    """A :class:`Meta` from the ``_meta`` keys as read (missing numbers read as 0)."""

    def integer(key: str) -> int:  # a garbled value is an error of meta_check, 0 here
        return meta_integer(keys.get(key)) or 0

    return Meta(
        template=template,
        unit_code=unit_code or keys.get(c.KEY_UNIT_CODE, ""),
        unit_name=keys.get(c.KEY_UNIT_NAME, ""),
        parent_code=keys.get(c.KEY_PARENT_CODE, ""),
        year=integer(c.KEY_YEAR),
        round=integer(c.KEY_ROUND),
        created_at=keys.get(c.KEY_CREATED_AT, ""),
        due_date=keys.get(c.KEY_DUE_DATE) or None,
        template_version=integer(c.KEY_TEMPLATE_VERSION) or 1,
        period=keys.get(c.KEY_PERIOD) or None,
        extra={k: v for k, v in keys.items() if k not in _KNOWN_KEYS},
    )
