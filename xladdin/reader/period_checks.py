"""What «Theo kỳ» must hold to be read back (export, next-round, report-up, validate):
an indicator code heading each indicator column, once; a row for every unit of «Nguồn
số liệu» in every period, once.  An officer who retypes a header or deletes a row leaves
totals that still agree (Excel shifts the ranges), so these are checked on their own."""

from __future__ import annotations

from .. import contract as c
from ..engine.catalogue import Catalogue
from ..engine.model import ERROR, Issue
from ..engine.periods import parse_period
from ..grid.base import TableLocation, WorkbookGrid, a1
from .locate import clean, column_index, locate_table


def period_words(period: str) -> str:
    """«kỳ Tháng 3/2024 (2024-03)»: the words of the sheet and the code of its column."""
    return f"kỳ {parse_period(period).label()} ({period})"


def rows_against_sources(grid: WorkbookGrid, table: TableLocation, code_col: int,
                          row_of: dict[str, dict[str, int]]) -> list[Issue]:
    """«Theo kỳ» has a row for every unit of «Nguồn số liệu» in every period (received
    or not).  A row deleted — Excel shifts the totals' ranges, so they still agree — or a
    unit code retyped would take its numbers out of export and next-round unseen."""
    located = locate_table(grid, c.SOURCES_TABLE, [c.UNIT_CODE], c.SOURCES_SHEET)
    if located is None:  # the button's sheets: «Đợt mới» compares with the forms instead
        return []
    sources = grid.sheet(located.table.sheet)
    col = column_index(located.table, c.UNIT_CODE)
    rows_listed = range(located.table.header_row + 1, located.table.last_row + 1)
    listed = [clean(sources.value(row, col)) for row in rows_listed] if col is not None else []
    listed = [code for code in listed if code]
    known = set(listed)
    issues = []
    for period, rows in row_of.items():
        absent = [code for code in listed if code not in rows]
        if absent:
            issues.append(Issue(
                ERROR, grid.source, table.sheet, None, "row-missing",
                f"Bảng «{table.name}» không có dòng {period_words(period)} của {len(absent)} "
                f"đơn vị có ở trang «{c.SOURCES_SHEET}»: {', '.join(absent[:5])}"
                f"{f' và {len(absent) - 5} đơn vị khác' if len(absent) > 5 else ''} (dòng đã bị "
                "xóa?). Số liệu của các đơn vị này sẽ bị bỏ sót; hãy tổng hợp lại từ các biểu "
                "mẫu."))
        issues += [Issue(
            ERROR, grid.source, table.sheet, a1(row, code_col), "unit-unknown",
            f"Mã đơn vị «{unit}» ({period_words(period)}) không có ở trang "
            f"«{c.SOURCES_SHEET}»: mã đã bị sửa tay? Hãy tổng hợp lại từ các biểu mẫu.")
            for unit, row in rows.items() if listed and unit not in known]
    return issues


def header_issues(source: str, table: TableLocation, codes: list[tuple[int, str]],
                   catalogue: Catalogue) -> list[Issue]:
    """An indicator column of «Theo kỳ» is headed by its code: a header retyped (not a
    code of the catalogue, or another column's) would send its numbers under a name no
    one knows and leave the indicator without them."""
    issues, seen = [], set()
    for col, code in codes:
        if catalogue.find(code) is None or code in seen:
            issues.append(Issue(
                ERROR, source, table.sheet, a1(table.header_row, col), "code-unknown",
                f"Tiêu đề cột «{code}» của bảng «{table.name}» không phải mã chỉ tiêu"
                f"{' (đã có ở cột khác)' if code in seen else ' trong danh mục'}: tiêu đề đã bị "
                "sửa tay? Hãy tổng hợp lại từ các biểu mẫu."))
        seen.add(code)
    return issues
