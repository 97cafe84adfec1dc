"""The reporting year in the summary workbook (contract §8): «Theo kỳ» and «Lũy kế».

* «Theo kỳ» (Table ``TheoKy``): one row per unit and period, unit by unit, periods in
  order: the period, the unit, whether its form was counted, due date, when it
  arrived (and what that was taken from), on time or not, «Mới nhất» (1 on the unit's
  latest counted period: a formula) and one column per indicator (the form's numbers;
  a rate and a combined row are formulas of their parts).  This is where every other
  number of the year comes from.
* «Lũy kế» (Table ``LuyKe``): one row per indicator: Kế hoạch năm, each period's total
  side by side, the year to date (Lũy kế) and its % of Kế hoạch năm, all formulas over
  «Theo kỳ»: a count is the sum of its periods, a stock the sum over units of each
  unit's latest period (``Mới nhất`` = 1), a rate its numerator over its denominator, a
  combined row the sum of its parts.

A unit's rows are consecutive, so its formulas look at its own block only (a few rows),
never at the whole table: the workbook stays light with many units.
"""

from __future__ import annotations

from .. import contract as c
from ..engine.catalogue import COUNT, RATE, STOCK
from ..engine.consolidate import MISSING, RECEIVED, REJECTED, TYPED_DATE, Summary
from ..engine.model import FormRow
from ..engine.periods import period_of, shown_date
from ..engine.plan_values import resolve_plan
from ..engine.summary import FILE_TIME
from . import formulas, parts

PERIOD_SHEET, PERIOD_TABLE = c.PERIOD_SHEET, c.PERIOD_TABLE
CUMULATIVE_SHEET, CUMULATIVE_TABLE = c.CUMULATIVE_SHEET, c.CUMULATIVE_TABLE
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
HOW = {
    COUNT: "Cộng các kỳ",
    STOCK: "Số cuối kỳ mới nhất",
    RATE: "Tử số / mẫu số",
    "combined": "Tổng các thành phần",
}
STATUS_COL, LATEST_COL, FIRST_INDICATOR = 5, 10, 11
HEAD = 3  # 0-based header row of both tables


def code_width(code: str) -> float:
    """A column width (in widths of «0») that holds an indicator code in bold capitals on one
    line: capitals and «_» are about 1.4 digits wide in Times New Roman (seen in LibreOffice
    renders, where «BPTT_TRIETSAN» broke at 1.1 a character)."""
    return len(code) * 1.4 + 2


def periods_of(summary: Summary) -> tuple[Summary, ...]:
    return summary.periods or (summary,)


def year_title(summary: Summary) -> str | None:
    """The summary's title when it holds several periods: the year, to date."""
    periods = periods_of(summary)
    if len(periods) < 2:
        return None
    last = period_of(periods[-1].meta).label(summary.meta.year)
    return (
        f"TỔNG HỢP KẾT QUẢ THỰC HIỆN CHỈ TIÊU NĂM {summary.meta.year} – LŨY KẾ ĐẾN {last.upper()}"
    )


def _how(r: FormRow, combined: bool) -> str:
    if r.is_rate:
        return RATE
    return "combined" if combined else r.kind


class YearSheets:
    """Writes «Theo kỳ» then «Lũy kế»; gives the main sheet its per-unit formulas."""

    def __init__(self, workbook, formats, summary: Summary, cache: bool, filters: bool = False):
        """``filters``: filter buttons on «Theo kỳ» (a summary of many units)."""
        self.workbook, self.f, self.s, self.cache = workbook, formats, summary, cache
        self.filters = filters
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

    # «Theo kỳ»
    def period_sheet(self, sheet) -> None:
        f, s = self.f, self.s
        headers = PERIOD_HEADERS + [r.code for r in self.rows]
        last_col = len(headers) - 1
        many = self.filters  # many units: a unit is found by the filter buttons
        widths = [7.0, 14, 10, 13, 20, 16, 11, 11, 16, 9, 8]
        widths += [max(11.0, code_width(r.code)) for r in self.rows]  # never wrapped mid-code
        title_col = parts.first_page(widths) if many else last_col
        parts.line(
            sheet,
            f,
            0,
            f"SỐ LIỆU TỪNG KỲ BÁO CÁO – {s.meta.unit_name.upper()} NĂM {s.meta.year}",
            title_col,
            "title",
            24,
        )
        parts.line(
            sheet,
            f,
            1,
            "Mỗi dòng là biểu mẫu của một đơn vị trong một kỳ; cột chỉ tiêu ghi theo mã "
            "(tên chỉ tiêu ở trang «Lũy kế»). «Mới nhất» = 1 ở kỳ gần nhất của đơn vị đã được "
            "cộng: "
            "số cuối kỳ (stock) lấy từ dòng này.",
            title_col,
            "note",
            30,
        )
        parts.add_table(sheet, f, PERIOD_TABLE, HEAD, self.last, headers, filters=many)
        for col, width in enumerate(widths):
            sheet.set_column(col, col, width)
        sheet.set_row(HEAD, 32)
        for code, col in self.level_col.items():  # outside the table and the print area
            sheet.write_string(HEAD, col, f"{c.LATEST}: {code}", f["small_left"])
            sheet.set_column(col, col, 8, None, {"hidden": True})
        for i, unit in enumerate(s.units):
            first, last = self.block[unit.code]
            for j, period in enumerate(self.periods):
                self._period_row(sheet, first + j, last, j, period, i)
        sheet.freeze_panes(HEAD + 1, FIRST_INDICATOR)
        parts.protect(sheet, filters=many)
        parts.print_a4(sheet, landscape=True, title_row=HEAD, last_col=last_col, last_row=self.last,
                       across=(3, 4, sum(widths)) if many else None)  # unit code and name

    def _period_row(
        self, sheet, row: int, block_last: int, j: int, period: Summary, i: int
    ) -> None:
        f = self.f
        status = period.units[i]
        sheet.write_number(row, 0, j + 1, f["count"])
        sheet.write_string(row, 1, period_of(period.meta).label(period.meta.year), f["text"])
        sheet.write_string(row, 2, period.period_text, f["text_center"])
        sheet.write_string(row, 3, status.code, f["text"])
        sheet.write_string(row, 4, status.name, f["text"])
        sheet.write_string(row, STATUS_COL, STATUS[status.status], f["text_center"])
        due = status.due_date or period.meta.due_date
        parts.put_value(sheet, row, 6, shown_date(due), f["text_center"])
        if status.modified is not None:
            arrived = status.typed_date or status.modified.date()
            sheet.write_string(row, 7, f"{arrived:%d/%m/%Y}", f["text_center"])
            sheet.write_string(row, 8, ARRIVED_FROM.get(status.arrived_from or "", ""), f["text"])
            sheet.write_string(row, 9, c.LATE if status.late else c.ON_TIME, f["text_center"])
        else:
            for col in (7, 8, 9):
                sheet.write_blank(row, col, None, f["text"])
        counted = status.status == RECEIVED
        later = [p.units[i].status == RECEIVED for p in self.periods[j + 1:]]
        latest = 1 if counted and not any(later) else 0
        me = parts.cell(row, STATUS_COL)
        if row < block_last:  # no counted row after this one in the unit's block
            after = f"{parts.cell(row + 1, STATUS_COL)}:{parts.cell(block_last, STATUS_COL)}"
            flag = (
                f'=IF({me}="{STATUS[RECEIVED]}",IF(COUNTIF({after},"{STATUS[RECEIVED]}")=0,1,0),0)'
            )
        else:
            flag = f'=IF({me}="{STATUS[RECEIVED]}",1,0)'
        sheet.write_formula(row, LATEST_COL, flag, f["count"], parts.cached(latest, self.cache))
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
            sheet.write_formula(row, level, formula, f["count"],
                                parts.cached(1 if reported else 0, self.cache))
        for r in self.rows:
            col, value = self.col[r.code], results.get(r.code)
            if not counted:
                sheet.write_blank(row, col, None, f["percent" if r.is_rate else "count"])
            elif r.is_rate:
                num, den = (parts.cell(row, self.col[p]) for p in r.parts)
                sheet.write_formula(
                    row, col, formulas.rate(num, den), f["percent"], parts.cached(value, self.cache)
                )
            elif r.code in self.combined:
                sheet.write_formula(
                    row,
                    col,
                    formulas.total_of([parts.cell(row, self.col[p]) for p in r.parts]),
                    f["count_total"],
                    parts.cached(value, self.cache),
                )
            else:
                parts.put_value(sheet, row, col, value, f["count"])

    def _range(self, col: int, first: int | None = None, last: int | None = None) -> str:
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
        values = self._range(self.col[code], first, last)
        if row.is_stock:
            latest = self._range(self._latest(code), first, last)
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
        values, latest = self._range(col, first, last), self._range(self._latest(code), first, last)
        if self._is_stock(code):
            return f'IF(SUM({latest})=0,"",SUMPRODUCT({values},{latest}))'
        return f'IF(COUNT({values})=0,"",SUM({values}))'

    def year_to_date(self, code: str) -> str:
        """The whole unit's number of a count or stock row over «Theo kỳ»: a count the sum
        of every unit and period, a stock the sum of each unit's latest period."""
        values = self._range(self.col[code])
        if self._is_stock(code):
            latest = self._range(self._latest(code))
            return f'=IF(SUM({latest})=0,"",SUMPRODUCT({values},{latest}))'
        return f'=IF(COUNT({values})=0,"",SUM({values}))'

    def _latest(self, code: str) -> int:
        """The column flagging the period a unit's stock is taken from."""
        return self.level_col.get(code, LATEST_COL)

    def _is_stock(self, code: str) -> bool:
        row = next(r for r in self.rows if r.code == code)
        if code in self.combined:
            return all(r.is_stock for r in self.rows if r.code in row.parts)
        return row.is_stock

    # «Lũy kế»
    def cumulative_sheet(self, sheet) -> None:
        f, s = self.f, self.s
        labels = [period_of(p.meta).label(p.meta.year) for p in self.periods]
        headers = [c.CODE, c.NAME, c.UNIT, "Cách tính lũy kế", c.ANNUAL_PLAN] + labels + [
            c.CUMULATIVE, c.PCT_ANNUAL]
        last_col = len(headers) - 1
        parts.line(
            sheet,
            f,
            0,
            f"KẾT QUẢ TỪNG KỲ VÀ LŨY KẾ NĂM {s.meta.year} – {s.meta.unit_name.upper()}",
            last_col,
            "title",
            24,
        )
        parts.line(
            sheet,
            f,
            1,
            "Lũy kế: số đếm cộng các kỳ; số cuối kỳ (phụ nữ đang dùng BPTT, phụ nữ có chồng "
            "15–49…) lấy kỳ mới nhất của mỗi đơn vị rồi cộng các đơn vị; tỷ lệ tính từ tử số và "
            "mẫu số. "
            "Số từng đơn vị, từng kỳ ở trang «Theo kỳ».",
            last_col,
            "note",
            32,
        )
        last = HEAD + max(len(self.rows), 1)
        parts.add_table(sheet, f, CUMULATIVE_TABLE, HEAD, last, headers)
        codes = max((code_width(r.code) for r in self.rows), default=14.0)
        for col, width in enumerate([max(14.0, codes), 34, 6, 16, 11]):
            sheet.set_column(col, col, width)
        sheet.set_column(5, last_col, 11)
        sheet.set_row(HEAD, 32)
        self.row_of = {r.code: HEAD + 1 + i for i, r in enumerate(self.rows)}
        annual = {code: v.annual_plan for code, v in resolve_plan(s.plan).items()}
        for r in self.rows:
            self._cumulative_row(sheet, r, annual.get(r.code), len(labels))
        sheet.freeze_panes(HEAD + 1, 2)
        parts.protect(sheet)
        parts.print_a4(sheet, landscape=True, title_row=HEAD, last_col=last_col, last_row=last)

    def _cumulative_row(self, sheet, r: FormRow, annual, k: int) -> None:
        f, row = self.f, self.row_of[r.code]
        how = _how(r, r.code in self.combined)
        pct_style, count_style = "percent", ("percent" if r.is_rate else "count")
        sheet.write_string(row, 0, r.code, f["text"])
        sheet.write_string(row, 1, r.name, f["text"])
        sheet.set_row(row, parts.row_height(r.name, 30))
        sheet.write_string(row, 2, r.unit, f["text_center"])
        sheet.write_string(row, 3, HOW[how], f["text"])
        parts.put_value(sheet, row, 4, annual, f[count_style])
        total_col = 5 + k
        for j, period in enumerate(self.periods + (None,)):
            col = 5 + j
            value = self.s.total_result(r.code) if period is None else period.total_result(r.code)
            if how in (RATE, "combined"):
                refs = [parts.cell(self.row_of[p], col) for p in r.parts]
                formula = formulas.rate(*refs) if how == RATE else formulas.total_of(refs)
            elif period is None:
                formula = self.year_to_date(r.code)
            else:
                values, which = self._range(self.col[r.code]), self._range(2)
                formula = (f'=IF(COUNTIFS({which},"{period.period_text}",{values},"<>")=0,"",'
                           f'SUMIF({which},"{period.period_text}",{values}))')
            style = (
                f["percent_total" if r.is_rate else "count_total"]
                if period is None
                else f[count_style]
            )
            sheet.write_formula(row, col, formula, style, parts.cached(value, self.cache))
        total = self.s.total_result(r.code)
        ratio = None if annual in (None, 0) or total is None else total / annual
        sheet.write_formula(
            row,
            total_col + 1,
            formulas.pct_done(parts.cell(row, total_col), parts.cell(row, 4)),
            f[pct_style],
            parts.cached(ratio, self.cache),
        )


def _abs(row: int, col: int) -> str:
    return f"${parts.column(col)}${row + 1}"


