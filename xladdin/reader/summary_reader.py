"""Reading a summary workbook back: each indicator's consolidated result (for next-round)."""

from __future__ import annotations

from .. import contract as c
from ..engine.cells import read_count
from ..engine.model import ERROR, SUMMARY, Issue, Meta
from ..engine.values import ExcelError, exact
from ..grid.base import WorkbookGrid, a1
from ..templates import definition
from .locate import clean, column_index, locate_table, meta_from_keys, read_meta


def read_summary(grid: WorkbookGrid) -> tuple[Meta | None, dict[str, object], list[Issue]]:
    """(meta, code → Kết quả of the whole unit, issues)."""
    keys = read_meta(grid) or {}
    issues: list[Issue] = []
    if keys.get(c.KEY_TEMPLATE) != SUMMARY:
        issues.append(Issue(ERROR, grid.source, None, None, "not-a-summary",
                            "Tệp không phải bảng tổng hợp của xladdin (_meta template = summary)."))
        return None, {}, issues
    results, issues = read_results(grid)
    return meta_from_keys(keys, SUMMARY), results, issues


def read_results(grid: WorkbookGrid) -> tuple[dict[str, object], list[Issue]]:
    """code → Kết quả of the whole unit, from the «Tổng hợp» table (by name or headers);
    also the sheet the «Tổng hợp» button writes into a plan workbook."""
    spec = definition("summary")
    headers = {c["key"]: c["header"] for c in spec["columns"]}
    issues: list[Issue] = []
    located = locate_table(
        grid, spec["table"]["name"], [headers["code"], headers["result"]], spec["sheet"]["name"]
    )
    if located is None:
        issues.append(
            Issue(ERROR, grid.source, None, None, "table-missing", "Không tìm thấy bảng «TongHop».")
        )
        return {}, issues
    table = located.table
    sheet = grid.sheet(table.sheet)
    code_col, result_col = (
        column_index(table, headers["code"]),
        column_index(table, headers["result"]),
    )
    results: dict[str, object] = {}
    for row in range(table.header_row + 1, table.last_row + 1):
        code = clean(sheet.value(row, code_col))
        if not code:
            continue
        raw = sheet.value(row, result_col)
        if raw is None and sheet.formula(row, result_col) is not None:
            units = [sheet.value(row, c) for c in range(result_col + 2, table.last_col + 1)]
            numbers = [v for v in units if isinstance(v, int | float) and not isinstance(v, bool)]
            results[code] = sum(exact(v) for v in numbers) if numbers else None
        elif isinstance(raw, float | int) and not isinstance(raw, bool):
            results[code] = exact(raw)
        elif raw is None or isinstance(raw, ExcelError):
            results[code] = None
        else:
            reading = read_count(raw)
            if reading.is_error:
                issues.append(
                    Issue(
                        ERROR,
                        grid.source,
                        table.sheet,
                        a1(row, result_col),
                        reading.problem.rule,
                        f"{code}: {reading.problem.message}",
                    )
                )
            results[code] = reading.value
    return results, issues
