"""Reading a summary workbook back: the one reader of summaries.

* :func:`read_summary`: each indicator's consolidated result for the whole unit
  (next-round, report-up, validate);
* :func:`read_report_data`: every counted number, one record per unit, indicator and
  period (``read_report`` for analysts, ``export --dhis2``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .. import contract as c
from ..engine.catalogue import Catalogue
from ..engine.cells import read_count
from ..engine.model import ERROR, SUMMARY, Issue, Meta, Plan
from ..engine.periods import parse_period
from ..engine.tidy import Number, ReportData, ReportRecord, from_parts, indicator_kinds
from ..engine.units import Unit
from ..engine.values import ExcelError, exact
from ..errors import UsageError, WorkbookError
from ..grid.base import SheetGrid, TableLocation, WorkbookGrid, a1
from ..templates import definition
from .locate import clean, column_index, locate_table, meta_from_keys, read_meta
from .meta_check import meta_issues
from .period_checks import header_issues, period_words, rows_against_sources
from .summary_units import has_unit_columns, totals_of, unit_totals, whole_unit


def _col(table: TableLocation, header: str) -> int:
    """The column of a header the table needs.  A table found by its name may have had
    that header retyped (the cell, not the table's column name): an error naming the
    header row, never a crash."""
    col = column_index(table, header)
    if col is None:
        raise WorkbookError(
            f"Bảng «{table.name}» thiếu cột «{header}»: tiêu đề cột đã bị đổi hoặc xóa; hãy "
            "tổng hợp lại để có bảng tổng hợp mới.",
            sheet=table.sheet, cell=a1(table.header_row, table.first_col), rule="column-missing",
        )
    return col


def read_summary(grid: WorkbookGrid) -> tuple[Meta | None, dict[str, object], list[Issue]]:
    """(meta, code → Kết quả of the whole unit, issues)."""
    keys = read_meta(grid) or {}
    issues: list[Issue] = []
    if keys.get(c.KEY_TEMPLATE) != SUMMARY:
        issues.append(Issue(ERROR, grid.source, None, None, "not-a-summary",
                            "Tệp không phải bảng tổng hợp của xladdin (_meta template = summary)."))
        return None, {}, issues
    results, issues = read_results(grid)
    issues = meta_issues(keys, SUMMARY, grid.source) + issues
    return meta_from_keys(keys, SUMMARY), results, issues


def read_results(grid: WorkbookGrid) -> tuple[dict[str, object], list[Issue]]:
    """code → Kết quả of the whole unit, from the «Tổng hợp» table (by name or headers);
    also the sheet the «Tổng hợp» button writes into a plan workbook."""
    spec = definition(c.SUMMARY)
    headers = {c["key"]: c["header"] for c in spec["columns"]}
    issues: list[Issue] = []
    located = locate_table(
        grid, spec["table"]["name"], [headers["code"], headers["result"]], spec["sheet"]["name"]
    )
    if located is None:
        issues.append(
            Issue(
                ERROR,
                grid.source,
                None,
                None,
                "table-missing",
                f"Không tìm thấy bảng «{c.SUMMARY_TABLE}».",
            )
        )
        return {}, issues
    table = located.table
    sheet = grid.sheet(table.sheet)
    code_col, result_col = _col(table, headers["code"]), _col(table, headers["result"])
    results: dict[str, object] = {}
    seen: dict[str, int] = {}  # code → its row
    by_unit: dict[str, dict[str, Number]] | None = None
    for row in range(table.header_row + 1, table.last_row + 1):
        code = clean(sheet.value(row, code_col))
        if not code:
            continue
        if code in seen:  # a code retyped as another row's: which result is it?
            issues.append(Issue(
                ERROR, grid.source, table.sheet, a1(row, code_col), "code-repeated",
                f"Mã chỉ tiêu «{code}» có ở hai dòng của bảng «{table.name}» "
                f"({a1(seen[code], code_col)} và {a1(row, code_col)}): mã đã bị sửa tay? Hãy "
                "tổng hợp lại."))
        seen.setdefault(code, row)
        raw = sheet.value(row, result_col)
        if raw is None and sheet.formula(row, result_col) is not None:  # saved uncalculated
            # each unit from «Theo kỳ» (rates and combined rows from their parts); the
            # button's sheet has no «Theo kỳ»: its unit columns, numbers typed by the button
            by_unit = by_unit if by_unit is not None else unit_totals(grid)[0]
            if by_unit or not has_unit_columns(table):
                results[code] = whole_unit(grid, code, by_unit)
                continue
            units = [sheet.value(row, c) for c in range(result_col + 2, table.last_col + 1)]
            numbers = [v for v in units if isinstance(v, int | float) and not isinstance(v, bool)]
            results[code] = sum(exact(v) for v in numbers) if numbers else None
        elif isinstance(raw, float | int) and not isinstance(raw, bool):
            results[code] = exact(raw)
        elif raw is None or isinstance(raw, ExcelError):
            results[code] = None
        else:
            reading = read_count(raw)
            if reading.problem is not None and reading.is_error:
                issues.append(Issue(ERROR, grid.source, table.sheet, a1(row, result_col),
                                    reading.problem.rule, f"{code}: {reading.problem.message}"))
            results[code] = reading.value
    return results, issues


def absent_rows(results: Mapping[str, object], plan: Plan, source: str,
                sheet: str | None) -> list[Issue]:
    """The plan's indicators «Tổng hợp» has no row for (a code retyped in column A, a row
    deleted): carrying the summary on would count them as nothing done, so an error."""
    absent = [row.code for row in plan.rows if row.code not in results]
    if not absent:
        return []
    return [Issue(
        ERROR, source, sheet, None, "row-missing",
        f"Bảng «{c.SUMMARY_TABLE}» không có dòng của {len(absent)} chỉ tiêu của bảng kế "
        f"hoạch: {', '.join(absent)} (mã ở cột «{c.CODE}» đã bị sửa hoặc dòng đã bị xóa); "
        "hãy tổng hợp lại từ các biểu mẫu.")]


# --- the tidy records (read_report, export --dhis2): «Theo kỳ» and «Chỉ tiêu đơn vị» -----


def read_report_data(
    grid: WorkbookGrid, catalogue: Catalogue
) -> tuple[ReportData | None, list[Issue]]:
    """Every counted number of a summary, one record per unit, indicator and period, from
    the «Theo kỳ» table (unit × period), with each unit's target from «Chỉ tiêu đơn vị».
    A cell that is not a number is an error naming it; a blank cell is no record; a
    number typed over in «Theo kỳ» (its units no longer add up to «Tổng hợp») is an error
    too, so export and report-up never send it (:func:`total_issues`)."""
    data, issues = report_records(grid, catalogue)
    if data is not None:  # «Theo kỳ» read once: total_issues gives its issues too
        issues = total_issues(grid, catalogue, period=(data, issues))
    return data, issues


def report_records(
    grid: WorkbookGrid, catalogue: Catalogue, *, in_plan: bool = False
) -> tuple[ReportData | None, list[Issue]]:
    """:func:`read_report_data` without the check against «Tổng hợp».  ``in_plan``: the
    sheets the «Tổng hợp» button wrote into the plan's own workbook (``_meta`` says plan)."""
    keys = read_meta(grid) or {}
    if keys.get(c.KEY_TEMPLATE) != (c.PLAN if in_plan else SUMMARY):
        return None, [Issue(ERROR, grid.source, None, None, "not-a-summary",
                            "Tệp không phải bảng tổng hợp của xladdin (_meta template = summary).")]
    meta = meta_from_keys(keys, SUMMARY)
    issues: list[Issue] = []
    located = locate_table(grid, c.PERIOD_TABLE, [c.PERIOD_CODE, c.UNIT_CODE], c.PERIOD_SHEET)
    if located is None:
        return None, [Issue(ERROR, grid.source, None, None, "table-missing",
                            f"Không tìm thấy bảng «{c.PERIOD_TABLE}» (trang «{c.PERIOD_SHEET}»): "
                            "bảng tổng hợp này được tạo bởi phiên bản cũ; hãy tổng hợp lại.")]
    table = located.table
    sheet = grid.sheet(table.sheet)
    period_col, code_col = _col(table, c.PERIOD_CODE), _col(table, c.UNIT_CODE)
    name_col = column_index(table, c.UNIT_NAME)
    latest_col = column_index(table, c.LATEST)
    first = max(latest_col or 0, name_col or 0, code_col, period_col) + 1
    codes = [
        (col, clean(sheet.value(table.header_row, col))) for col in range(first, table.last_col + 1)
    ]
    codes = [(col, code) for col, code in codes if code]
    issues += header_issues(grid.source, table, codes, catalogue)
    codes = [(col, code) for col, code in codes if catalogue.find(code) is not None]
    unit_names: dict[str, str] = {}
    row_of: dict[str, dict[str, int]] = {}  # period → unit → its row (one row each)
    periods: list[str] = []
    found: list[tuple[str, str, str, int, Number]] = []  # unit, period, indicator, row, value
    for row in range(table.header_row + 1, table.last_row + 1):
        unit = clean(sheet.value(row, code_col))
        period = clean(sheet.value(row, period_col))
        if not unit or not period:
            continue
        try:
            parse_period(period)
        except UsageError as error:
            issues.append(Issue(ERROR, grid.source, table.sheet, a1(row, period_col), "bad-period",
                                error.message))
            continue
        mine = row_of.setdefault(period, {})
        if unit in mine:  # a row copied: its numbers would count twice
            issues.append(Issue(
                ERROR, grid.source, table.sheet, a1(row, code_col), "row-repeated",
                f"Đơn vị {unit} có hai dòng {period_words(period)} ({a1(mine[unit], code_col)} và "
                f"{a1(row, code_col)}) trong bảng «{table.name}»: dòng đã bị chép? Hãy tổng hợp "
                "lại từ các biểu mẫu."))
            continue
        mine[unit] = row
        unit_names.setdefault(unit, clean(sheet.value(row, name_col)) if name_col else unit)
        if period not in periods:
            periods.append(period)
        values: dict[str, Number | None] = {
            code: _number(sheet.value(row, col), grid.source, table.sheet, row, col, code, issues)
            for col, code in codes
        }
        for col, code in codes:  # a formula saved without its value: computed from its parts
            if values[code] is None and sheet.formula(row, col):
                values[code] = from_parts(catalogue.find(code), values)
        found += [
            (unit, period, code, row, value) for code, value in values.items() if value is not None
        ]
    issues += rows_against_sources(grid, table, code_col, row_of)
    targets = _unit_targets(grid, {name: code for code, name in unit_names.items()})
    names = _indicator_names(grid)
    indicators = indicator_kinds([code for _, code in codes], names, catalogue)
    records = tuple(
        ReportRecord(unit, unit_names[unit], code, period, targets.get((unit, code)), value)
        for unit, period, code, _, value in found)
    ordered = tuple(sorted(periods, key=lambda p: parse_period(p)))
    return ReportData(meta, indicators, records, ordered, tuple(unit_names.items())), issues


def _number(raw: object, source: str, sheet: str, row: int, col: int, code: str,
            issues: list[Issue]) -> Number | None:
    """A numeric cell's exact value, None when blank; anything else is an error."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, float | int) and not isinstance(raw, bool):
        value = exact(raw)
        return value.numerator if value.denominator == 1 else value
    if isinstance(raw, ExcelError):
        issues.append(Issue(ERROR, source, sheet, a1(row, col), "formula-error",
                            f"{code}: ô có lỗi công thức {raw}."))
        return None
    reading = read_count(raw)
    if reading.problem is not None and reading.is_error:
        issues.append(Issue(ERROR, source, sheet, a1(row, col), reading.problem.rule,
                            f"{code}: {reading.problem.message}"))
        return None
    return reading.value


def _unit_targets(
    grid: WorkbookGrid, code_of_name: dict[str, str]
) -> dict[tuple[str, str], Number]:
    """(unit code, indicator code) → the target «Chỉ tiêu đơn vị» gives the unit (its
    columns are headed by unit names)."""
    located = locate_table(grid, c.TARGETS_TABLE, [c.CODE, c.NAME], c.TARGETS_SHEET)
    if located is None:
        return {}
    table = located.table
    sheet = grid.sheet(table.sheet)
    if column_index(table, c.UNIT_CODE) is not None:  # many units: a row per unit
        unit_col = _col(table, c.UNIT_CODE)
        first = max(unit_col, column_index(table, c.UNIT_NAME) or 0) + 1
        codes = {col: clean(sheet.value(table.header_row, col))
                 for col in range(first, table.last_col + 1)}
        return _numbers(sheet, table, unit_col, codes)
    units = {col: code_of_name.get(clean(sheet.value(table.header_row, col)), "")
             for col in range(table.first_col, table.last_col + 1)}
    by_code = _numbers(sheet, table, _col(table, c.CODE), units)
    return {(unit, code): value for (code, unit), value in by_code.items()}


def _numbers(sheet: SheetGrid, table: TableLocation, label_col: int, columns: dict[int, str]
             ) -> dict[tuple[str, str], Number]:
    """(row's label, column's label) → the number in that cell, for every numeric cell
    of a labelled row and column (an int when whole)."""
    found: dict[tuple[str, str], Number] = {}
    for row in range(table.header_row + 1, table.last_row + 1):
        label = clean(sheet.value(row, label_col))
        for col, heading in columns.items():
            value = sheet.value(row, col)
            if label and heading and isinstance(value, int | float) and not isinstance(value, bool):
                number = exact(value)
                found[(label, heading)] = number.numerator if number.denominator == 1 else number
    return found


def _indicator_names(grid: WorkbookGrid) -> dict[str, tuple[str, str]]:
    """code → (name, ĐVT) from the «Tổng hợp» table."""
    located = locate_table(grid, c.SUMMARY_TABLE, [c.CODE, c.RESULT], c.SUMMARY_SHEET)
    if located is None:
        return {}
    table = located.table
    sheet = grid.sheet(table.sheet)
    cols = [column_index(table, h) for h in (c.CODE, c.NAME, c.UNIT)]
    names = {}
    for row in range(table.header_row + 1, table.last_row + 1):
        code, name, unit = (clean(sheet.value(row, col)) if col is not None else "" for col in cols)
        if code:
            names[code] = (name or code, unit)
    return names


def read_unit_results(
    grid: WorkbookGrid, children: Sequence[Unit], *, in_plan: bool = False
) -> dict[str, dict[str, object]]:
    """child code → code → its result, from the «Tổng hợp» columns headed by each child's
    name (contract §9: next-round carries each child's own results), or, in a summary of
    many units, from its rows of «Theo kỳ» (``in_plan``: the button's, in the plan's
    workbook).  A child without a column, or whose column is blank (not counted), is left
    out."""
    located = locate_table(grid, c.SUMMARY_TABLE, [c.CODE, c.RESULT], c.SUMMARY_SHEET)
    if located is None:
        return {}
    table = located.table
    if not has_unit_columns(table):
        totals, _ = unit_totals(grid, in_plan=in_plan)  # unreadable: read_summary says so
        wanted = {child.code for child in children}
        return {unit: dict(numbers) for unit, numbers in totals.items() if unit in wanted}
    sheet = grid.sheet(table.sheet)
    code_col, result_col = column_index(table, c.CODE), column_index(table, c.RESULT)
    found: dict[str, dict[str, object]] = {}
    for child in children:
        col = column_index(table, child.name)
        if col is None or code_col is None or col <= (result_col or 0):
            continue
        mine: dict[str, object] = {}
        for row in range(table.header_row + 1, table.last_row + 1):
            code = clean(sheet.value(row, code_col))
            raw = sheet.value(row, col)
            if code and isinstance(raw, float | int) and not isinstance(raw, bool):
                mine[code] = exact(raw)
        if mine:
            found[child.code] = mine
    return found


def total_issues(grid: WorkbookGrid, catalogue: Catalogue, *, in_plan: bool = False,
                 period: tuple[ReportData | None, list[Issue]] | None = None) -> list[Issue]:
    """«Tổng hợp»: each count's Kết quả must be the sum of its units' columns (the formula
    written there); a total typed over, or a unit's number changed, is an error naming
    the cell (validate on a summary).  With them, the issues of reading «Theo kỳ» (where
    each unit's numbers are: next-round carries them), when the summary has it.
    ``in_plan``: the sheet the «Tổng hợp» button wrote into the plan's workbook (read
    by «Đợt mới» and «Báo cáo lên»), and its «Theo kỳ» above MANY_UNITS units.  ``period``:
    :func:`report_records` of this grid, when the caller has read it already."""
    located = locate_table(grid, c.SUMMARY_TABLE, [c.CODE, c.RESULT], c.SUMMARY_SHEET)
    data, period_issues = period or report_records(grid, catalogue, in_plan=in_plan)
    by_unit = totals_of(data, catalogue) if data is not None else {}  # each unit, «Theo kỳ»
    has_period = grid.table(c.PERIOD_TABLE) is not None or bool(by_unit)
    if located is None:
        return period_issues if has_period else []
    table = located.table
    sheet = grid.sheet(table.sheet)
    code_col, result_col = _col(table, c.CODE), _col(table, c.RESULT)
    first_unit = (column_index(table, c.PCT) or result_col) + 1
    wide = has_unit_columns(table)
    issues = list(period_issues) if has_period or not wide else []
    for row in range(table.header_row + 1, table.last_row + 1):
        code = clean(sheet.value(row, code_col))
        found = catalogue.find(code) if code else None
        total = sheet.value(row, result_col)
        if code and found is None:  # a retyped code: its row would be read as no result
            issues.append(Issue(
                ERROR, grid.source, table.sheet, a1(row, code_col), "code-unknown",
                f"Mã chỉ tiêu «{code}» không có trong danh mục chỉ tiêu: mã ở cột "
                f"«{c.CODE}» đã bị sửa tay? Kết quả dòng này sẽ không được dùng; hãy tổng hợp "
                "lại từ các biểu mẫu."))
            continue
        if (
            found is None
            or found.is_rate
            or not isinstance(total, int | float)
            or isinstance(total, bool)
        ):
            continue
        sums: list[tuple[str, list[Number]]] = []  # where the units are, their numbers
        if wide:
            units = [sheet.value(row, col) for col in range(first_unit, table.last_col + 1)]
            sums.append(("", [exact(v) for v in units
                              if isinstance(v, int | float) and not isinstance(v, bool)]))
        sums.append((f" ở trang «{c.PERIOD_SHEET}»",
                     [mine[code] for mine in by_unit.values() if code in mine]))
        if has_period and not sums[-1][1]:  # no unit has a number of it in «Theo kỳ»
            issues.append(Issue(
                ERROR, grid.source, table.sheet, a1(row, result_col), "column-missing",
                f"{code}: Kết quả {total:g} nhưng trang «{c.PERIOD_SHEET}» không có cột "
                f"«{code}» (tiêu đề cột đã bị sửa hoặc cột đã bị xóa); hãy tổng hợp lại từ "
                "các biểu mẫu."))
            continue
        for where, numbers in sums:
            if numbers and sum(numbers) != exact(total):
                issues.append(Issue(
                    ERROR, grid.source, table.sheet, a1(row, result_col), "total-mismatch",
                    f"{code}: Kết quả {total:g} khác tổng các đơn vị{where} "
                    f"({float(sum(numbers)):g}); bảng tổng hợp đã bị sửa tay? Hãy tổng hợp lại "
                    "từ các biểu mẫu."))
                break  # one error a row
    return issues
