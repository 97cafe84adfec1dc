"""«Theo kỳ»'s layout (Table ``TheoKy``), computed once for both renderers.

One row per unit and period, unit by unit, periods in order: the period, the unit,
whether its form was counted, due date, when it arrived (and what that was taken from),
on time or not, «Mới nhất» (1 on the unit's latest counted period: a formula) and one
column per indicator (the form's numbers; a rate and a combined row are formulas of
their parts).  :class:`PeriodLayout` says what goes in every cell and where each unit's
block of rows is, so the other sheets' formulas can point at it.  Two renderers write
it: XlsxWriter for the summary file (:class:`xladdin.writer.summary_year.YearSheets`)
and the open-book runtime for the «Tổng hợp» button above MANY_UNITS units
(:mod:`xladdin.book.consolidate`).  A change to «Theo kỳ» is made here.

A unit's rows are consecutive, so its formulas look at its own block only (a few rows),
never at the whole table: the workbook stays light with many units.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .. import contract as c
from ..engine.consolidate import MISSING, RECEIVED, REJECTED, TYPED_DATE, Summary
from ..engine.periods import period_of, shown_date
from ..engine.summary import FILE_TIME
from . import formulas, parts
from .cells import Cell
from .form_layout import Text

PERIOD_SHEET, PERIOD_TABLE = c.PERIOD_SHEET, c.PERIOD_TABLE
PERIOD_HEADERS = [
    c.PERIOD_ORDER,
    c.PERIOD_LABEL,
    c.PERIOD_CODE,
    c.UNIT_CODE,
    c.UNIT_NAME,
    c.STATUS_HEADER,
    c.DUE_HEADER,
    c.RECEIVED_ON,
    c.ARRIVED_FROM_HEADER,
    c.ON_TIME,
    c.LATEST,
]
STATUS = {RECEIVED: c.RECEIVED_WORD, MISSING: c.MISSING_WORD, REJECTED: c.REJECTED_WORD}
ARRIVED_FROM = {TYPED_DATE: "Ngày ghi trong biểu mẫu", FILE_TIME: c.FILE_TIME}
STATUS_COL, LATEST_COL, FIRST_INDICATOR = 5, 10, 11
HEAD = 3  # 0-based header row of both tables («Theo kỳ», «Lũy kế»)
NOTE = ("Mỗi dòng là biểu mẫu của một đơn vị trong một kỳ; cột chỉ tiêu ghi theo mã (tên chỉ "
        "tiêu ở trang «{names}»). «Mới nhất» = 1 ở kỳ gần nhất của đơn vị đã được cộng: số cuối "
        "kỳ (stock) lấy từ dòng này.")


@dataclass(frozen=True)
class SheetLayout:
    """A sheet of one table: lines above it, the header row, then rows of cells (lazily:
    10,000 units are 10,000 rows); ``widths`` from column A."""

    lines: tuple[Text, ...]
    head: int
    headers: tuple[str, ...]
    widths: tuple[float, ...]
    rows: Iterable[tuple[int, list[Cell]]]


def code_width(code: str) -> float:
    """A column width (in widths of «0») that holds an indicator code in bold capitals on one
    line: capitals and «_» are about 1.4 digits wide in Times New Roman (seen in LibreOffice
    renders, where «BPTT_TRIETSAN» broke at 1.1 a character)."""
    return len(code) * 1.4 + 2


def periods_of(summary: Summary) -> tuple[Summary, ...]:
    return summary.periods or (summary,)


class PeriodLayout:
    """«Theo kỳ»: its cells (:meth:`sheet`) and the formulas that read it.

    ``filters``: a summary of many units (the title spans the first page, a unit is
    found by the filter buttons).  ``dated``: the forms have a date (files); sheets of
    the plan's own workbook have none, so arrival and lateness stay blank."""

    def __init__(self, summary: Summary, *, filters: bool = False, dated: bool = True,
                 names_sheet: str = c.CUMULATIVE_SHEET):
        self.s, self.filters, self.dated, self.names_sheet = summary, filters, dated, names_sheet
        self.periods = periods_of(summary)
        self.rows = list(summary.rows)
        present = {r.code for r in self.rows}
        self.combined = {
            r.code
            for r in self.rows
            if not r.is_rate and r.parts and all(p in present for p in r.parts)
        }
        self.col = {r.code: FIRST_INDICATOR + i for i, r in enumerate(self.rows)}
        units = summary.units
        k = len(self.periods)
        self.block = {
            u.code: (HEAD + 1 + i * k, HEAD + i * k + k) for i, u in enumerate(units)
        }  # first, last row
        self.last = HEAD + max(len(units) * k, 1)
        self.sheet_ref = "'" + PERIOD_SHEET + "'"
        # Several periods: a stock left blank in a unit's latest form keeps its earlier
        # level (engine.year.cumulate), so each stock has its own hidden «latest» column
        # beside the table: 1 on the unit's latest period that reported it.
        stocks = [r.code for r in self.rows if k > 1 and not r.is_rate and self._is_stock(r.code)]
        after = FIRST_INDICATOR + len(self.rows) + 1
        self.level_col = {code: after + i for i, code in enumerate(stocks)}

    # -- the sheet ---------------------------------------------------------------------------
    def sheet(self) -> SheetLayout:
        s = self.s
        headers = PERIOD_HEADERS + [r.code for r in self.rows]
        widths = [7.0, 14, 10, 13, 20, 16, 11, 11, 16, 9, 8]
        widths += [max(11.0, code_width(r.code)) for r in self.rows]  # never wrapped mid-code
        title_col = parts.first_page(widths) if self.filters else len(headers) - 1
        lines = (
            Text(0, 0, title_col, f"SỐ LIỆU TỪNG KỲ BÁO CÁO – {s.meta.unit_name.upper()} NĂM "
                 f"{s.meta.year}", "title", 24),
            Text(1, 0, title_col, NOTE.format(names=self.names_sheet), "note", 30),
        )
        return SheetLayout(lines, HEAD, tuple(headers), tuple(widths), self._table())

    def _table(self) -> Iterator[tuple[int, list[Cell]]]:
        for i, unit in enumerate(self.s.units):
            first, last = self.block[unit.code]
            for j, period in enumerate(self.periods):
                yield first + j, self._period_cells(first + j, last, j, period, i)

    def _period_cells(self, row: int, block_last: int, j: int, period: Summary, i: int
                      ) -> list[Cell]:
        """One unit's row of one period, in the order the file has always written them."""
        status = period.units[i]
        cells = [
            Cell(0, j + 1, style="count"),
            Cell(1, period_of(period.meta).label(period.meta.year), style="text"),
            Cell(2, period.period_text, style="text_center"),
            Cell(3, status.code, style="text"),
            Cell(4, status.name, style="text"),
            Cell(STATUS_COL, STATUS[status.status], style="text_center"),
            Cell(6, shown_date(status.due_date or period.meta.due_date), style="text_center"),
        ]
        if status.modified is not None and self.dated:
            arrived = status.typed_date or status.modified.date()
            cells += [
                Cell(7, f"{arrived:%d/%m/%Y}", style="text_center"),
                Cell(8, ARRIVED_FROM.get(status.arrived_from or "", ""), style="text"),
                Cell(9, c.LATE if status.late else c.ON_TIME, style="text_center"),
            ]
        else:
            cells += [Cell(col, None, style="text") for col in (7, 8, 9)]
        counted = status.status == RECEIVED
        later = [p.units[i].status == RECEIVED for p in self.periods[j + 1:]]
        me = parts.cell(row, STATUS_COL)
        if row < block_last:  # no counted row after this one in the unit's block
            after = f"{parts.cell(row + 1, STATUS_COL)}:{parts.cell(block_last, STATUS_COL)}"
            flag = (
                f'=IF({me}="{STATUS[RECEIVED]}",IF(COUNTIF({after},"{STATUS[RECEIVED]}")=0,1,0),0)'
            )
        else:
            flag = f'=IF({me}="{STATUS[RECEIVED]}",1,0)'
        cells.append(Cell(LATEST_COL, formula=flag, style="count",
                          cached=1 if counted and not any(later) else 0))
        results = period.results.get(status.code, {}) if counted else {}
        for code, level in self.level_col.items():
            col = self.col[code]
            here = parts.cell(row, col)
            reported_later = [p.results.get(status.code, {}).get(code)
                              for p in self.periods[j + 1:] if p.units[i].status == RECEIVED]
            reported = results.get(code) is not None and all(v is None for v in reported_later)
            formula = (f"=IF(ISNUMBER({here}),IF(COUNT({parts.cell(row + 1, col)}:"
                       f"{parts.cell(block_last, col)})=0,1,0),0)" if row < block_last
                       else f"=IF(ISNUMBER({here}),1,0)")
            cells.append(Cell(level, formula=formula, style="count", cached=1 if reported else 0))
        for r in self.rows:
            col, value = self.col[r.code], results.get(r.code)
            if not counted:
                cells.append(Cell(col, None, style="percent" if r.is_rate else "count"))
            elif r.is_rate:
                num, den = (parts.cell(row, self.col[p]) for p in r.parts)
                cells.append(Cell(col, formula=formulas.rate(num, den), style="percent",
                                  cached=value))
            elif r.code in self.combined:
                cells.append(Cell(col, formula=formulas.total_of(
                    [parts.cell(row, self.col[p]) for p in r.parts]), style="count_total",
                    cached=value))
            else:
                cells.append(Cell(col, value, style="count"))
        return cells

    # -- formulas over it ----------------------------------------------------------------------
    def range(self, col: int, first: int | None = None, last: int | None = None) -> str:
        first = HEAD + 1 if first is None else first
        last = self.last if last is None else last
        return f"{self.sheet_ref}!{_abs(first, col)}:{_abs(last, col)}"

    def unit_formula(self, code: str, unit_code: str) -> str | None:
        """The main sheet's year-to-date cell of a unit (a count or stock that is not a
        combined row): its block of «Theo kỳ»."""
        if code not in self.col or code in self.combined or len(self.periods) < 2:
            return None
        row = next(r for r in self.rows if r.code == code)
        if row.is_rate:
            return None
        first, last = self.block[unit_code]
        values = self.range(self.col[code], first, last)
        if row.is_stock:
            latest = self.range(self.latest(code), first, last)
            return f'=IF(SUM({latest})=0,"",SUMPRODUCT({values},{latest}))'
        return f'=IF(COUNT({values})=0,"",SUM({values}))'

    def unit_value(self, code: str, unit_code: str) -> str:
        """An expression (no «=») for a unit's number of a count or stock row, combined
        rows included (their «Theo kỳ» cells are sums of parts), read from its block of
        «Theo kỳ»: one period, its cell; several, the year to date."""
        first, last = self.block[unit_code]
        col = self.col[code]
        if first == last:
            return f"{self.sheet_ref}!{_abs(first, col)}"
        values, latest = self.range(col, first, last), self.range(self.latest(code), first, last)
        if self._is_stock(code):
            return f'IF(SUM({latest})=0,"",SUMPRODUCT({values},{latest}))'
        return f'IF(COUNT({values})=0,"",SUM({values}))'

    def year_to_date(self, code: str) -> str:
        """The whole unit's number of a count or stock row over «Theo kỳ»: a count the sum
        of every unit and period, a stock the sum of each unit's latest period."""
        values = self.range(self.col[code])
        if self._is_stock(code):
            latest = self.range(self.latest(code))
            return f'=IF(SUM({latest})=0,"",SUMPRODUCT({values},{latest}))'
        return f'=IF(COUNT({values})=0,"",SUM({values}))'

    def latest(self, code: str) -> int:
        """The column flagging the period a unit's stock is taken from."""
        return self.level_col.get(code, LATEST_COL)

    def _is_stock(self, code: str) -> bool:
        row = next(r for r in self.rows if r.code == code)
        if code in self.combined:
            return all(r.is_stock for r in self.rows if r.code in row.parts)
        return row.is_stock


def _abs(row: int, col: int) -> str:
    return f"${parts.column(col)}${row + 1}"

