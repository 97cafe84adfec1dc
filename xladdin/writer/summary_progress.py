"""«Tiến độ» of the summary: % đạt of each unit for the main indicators, and a chart that
prints on the same A4 page.

* Headers name the indicators («% đạt: Số người mới đặt dụng cụ tử cung (DCTC)»), never
  a code wrapped in the middle; the header row is as tall as the longest name needs.
* The chart: one group of columns per unit, one colour per indicator, the legend below
  it, and a dashed red line «Mốc 100 %» (a line series over a column of 100 % just right
  of the print area, so it plots in Excel and LibreOffice alike).
* The print area ends below the chart: the rows under the table get a fixed height, so
  the chart's height in rows is known.
"""

from __future__ import annotations

from math import ceil

from .. import contract as c
from ..engine.model import FormRow
from ..engine.plan import pct_done
from . import formulas, parts
from .summary_year import code_width

ROW_PX = 20  # a 15-point row, in pixels: the rows under the table are set to it
TOP = 2  # 0-based header row of the table
WIDTHS = [12, 22, 14]  # Mã đơn vị, Tên đơn vị, Tình trạng; then one column per indicator
INDICATOR_WIDTH = 15
REFERENCE_HEADER = "Mốc 100%"
# Above this many units a bar per unit (and a comment per unit on «Tổng hợp») is no longer
# readable: the chart becomes how many units reached each band of % đạt, beside the table,
# and provenance stays on «Nguồn số liệu» (a row and a link per unit).
MANY_UNITS = 60
DISTRIBUTION_TOP = 3  # header row of the distribution (many units); the table comes below it
DISTRIBUTION_CHART_ROWS = 20  # its chart, in rows of ROW_PX
BANDS = (("Chưa có số liệu", None, None), ("Dưới 25%", 0, 0.25), ("25% – dưới 50%", 0.25, 0.5),
         ("50% – dưới 75%", 0.5, 0.75), ("75% – dưới 100%", 0.75, 1), ("Từ 100% trở lên", 1, None))


def _ratio(value: object, planned: object) -> float | str:
    """The cached % đạt: the double the workbook divides to ("" without one), so a band's
    edge is judged as the workbook will; whole numbers divide exactly without Fractions
    (20,000 cells of a summary of 10,000 units)."""
    if value is None or not planned:
        return ""
    if type(value) is int and type(planned) is int:
        return value / planned  # correctly rounded, as float(Fraction(value, planned))
    ratio = pct_done(value, planned)
    return "" if ratio is None else float(ratio)


class ProgressSheet:
    """Written by the summary writer (``writer``: unit_result, target_ref, units)."""

    def __init__(self, writer, status_word):
        self.w, self.f, self.s = writer, writer.f, writer.s
        self.status_word = status_word
        spec = dict(writer.spec["progress_sheet"])
        if len(self.s.periods or ()) > 1:  # several periods: the year to date, annual shares
            spec["title"], spec["chart_title"] = spec["title_year"], spec["chart_title_year"]
        self.spec = spec

    def main_indicators(self) -> list[FormRow]:
        """Up to five counts that are not parts of a total and that some unit is asked for."""
        w = self.w
        inside = {p for r in w.rows if r.parts and not r.is_rate for p in r.parts}
        main = [r for r in w.rows if not r.is_rate and r.code not in inside
                and any(self.s.targets.get(u.code, {}).get(r.code) for u in w.units)]
        return main[:5]

    def write(self, sheet) -> None:
        f, s, w = self.f, self.s, self.w
        main = self.main_indicators()
        many = len(w.units) > MANY_UNITS  # no bar per unit: a distribution above the table
        self.top = DISTRIBUTION_TOP + len(BANDS) + DISTRIBUTION_CHART_ROWS + 3 if many and main \
            else TOP
        headers = [c.UNIT_CODE, c.UNIT_NAME, c.STATUS_HEADER] + [f"% đạt: {r.name}" for r in main]
        last_col = len(headers) - 1
        parts.line(sheet, f, 0, self.spec["title"], max(last_col, 6), "title", 24)
        last = self.top + max(len(w.units), 1)
        parts.add_table(sheet, f, self.spec["table"], self.top, last, headers, filters=many)
        for col, width in enumerate(WIDTHS):
            sheet.set_column(col, col, width)
        sheet.set_column(
            3, max(6, last_col), INDICATOR_WIDTH
        )  # the printed width: the chart fits it
        if many:  # the distribution heads each column with a code: never wrapped mid-code
            for j, r in enumerate(main):
                sheet.set_column(3 + j, 3 + j, max(INDICATOR_WIDTH, code_width(r.code)))
        sheet.set_row(
            self.top, max([32.0] + [parts.row_height(h, INDICATOR_WIDTH - 2) for h in headers[3:]])
        )
        counted = set(s.counted)  # a set built once: a list per unit made this quadratic
        reference_col = max(last_col, 6) + 2  # outside the print area
        ratios: list[list[float | None]] = [[] for _ in main]  # for the distribution
        for i, unit in enumerate(w.units):
            row = self.top + 1 + i
            sheet.write_string(row, 0, unit.code, f["text"])
            sheet.write_string(row, 1, unit.name, f["text"])
            status = self.status_word(unit)
            sheet.write_string(row, 2, status, f["text_center"])
            sheet.set_row(row, max(  # «Có lỗi – chưa cộng» wraps in its column
                parts.row_height(unit.name, WIDTHS[1]),
                parts.row_height(status, WIDTHS[2] - 2)))
            for j, r in enumerate(main):
                result = w.unit_result(r.code, i)
                target = w.target_ref(r.code, i)
                value = s.results.get(unit.code, {}).get(r.code) if unit.code in counted else None
                planned = s.targets.get(unit.code, {}).get(r.code)
                ratio = _ratio(value, planned)
                sheet.write_formula(row, 3 + j, formulas.pct_done(result, target), f["percent"],
                                    ratio if w.cache else 0)
                ratios[j].append(ratio if isinstance(ratio, float) else None)
            if not many:
                sheet.write_number(row, reference_col, 1, f["small_percent"])
        if not many:
            sheet.write_string(self.top, reference_col, REFERENCE_HEADER, f["small_left"])
        printed_col = max(last_col, 6)
        if main and many:
            chart_rows = 0
            self._distribution(sheet, main, ratios, last)
        else:
            chart_rows = self._chart(sheet, main, last, reference_col) if main and w.units else 0
        parts.protect(sheet, filters=many)
        parts.print_a4(sheet, landscape=many, title_row=self.top, last_col=printed_col,
                       last_row=last + 1 + chart_rows)

    def _distribution(self, sheet, main: list[FormRow], ratios: list[list[float | None]],
                      last: int) -> None:
        """Many units: above the table, how many units reached each band of % đạt (live
        formulas over the table, each indicator's count above its own column), and a
        column chart of it as wide as the table: page 1 of the printout."""
        f, w = self.f, self.w
        top = DISTRIBUTION_TOP
        sheet.merge_range(top - 1, 1, top - 1, 2 + max(len(main), 1),
                          self.spec["distribution_title"], f["subtitle"])
        sheet.write_string(top, 1, c.PCT, f["header"])
        for j, r in enumerate(main):
            sheet.write_string(top, 3 + j, r.code, f["header"])
            cells = f"{parts.cell(self.top + 1, 3 + j)}:{parts.cell(last, 3 + j)}"
            for k, (label, low, high) in enumerate(BANDS):
                if low is None:
                    formula = f'=SUMPRODUCT(({cells}="")*1)'
                    count = sum(1 for x in ratios[j] if x is None)
                else:
                    below = f"*({cells}<{high})" if high is not None else ""
                    formula = f"=SUMPRODUCT(ISNUMBER({cells})*({cells}>={low}){below})"
                    count = sum(1 for x in ratios[j] if x is not None and x >= low
                                and (high is None or x < high))
                if j == 0:
                    sheet.write_string(top + 1 + k, 1, label, f["text"])
                sheet.write_formula(top + 1 + k, 3 + j, formula, f["count"],
                                    parts.cached(count, w.cache))
        chart = w.workbook.add_chart({"type": "column"})
        first, end = top + 1, top + len(BANDS)
        for j, r in enumerate(main):
            chart.add_series(
                {
                    "name": r.name[:60],
                    "categories": [sheet.name, first, 1, end, 1],
                    "values": [sheet.name, first, 3 + j, end, 3 + j],
                }
            )
        chart.set_title({"name": self.spec["distribution_chart_title"].format(units=len(w.units)),
                         "name_font": {"size": 12}})
        chart.set_y_axis({"name": "Số đơn vị", "major_gridlines": {"visible": True}})
        chart.set_legend({"position": "bottom"})
        printed = [max(INDICATOR_WIDTH, code_width(r.code)) for r in main]
        chart.set_size({"width": self._print_width(len(main), printed),
                        "height": DISTRIBUTION_CHART_ROWS * ROW_PX})
        for row in range(end + 2, end + 2 + DISTRIBUTION_CHART_ROWS):
            sheet.set_row(row, ROW_PX * 0.75)  # the chart's height in rows is known
        sheet.insert_chart(end + 2, 0, chart, {"object_position": 3})

    @staticmethod
    def _print_width(indicators: int, widths_of: list[float] | None = None) -> int:
        """The printed columns' width in pixels (XlsxWriter's measure): the chart fits it."""
        shown = widths_of or []
        widths = WIDTHS + shown + [INDICATOR_WIDTH] * max(indicators - len(shown),
                                                          4 - len(shown), 0)
        return sum(int(w * 7 + 0.5) + 5 for w in widths) - 10

    def _chart(self, sheet, main: list[FormRow], last: int, reference_col: int) -> int:
        """The chart under the table; the number of rows it takes."""
        units = len(self.w.units)
        chart = self.w.workbook.add_chart({"type": "column"})
        categories = [sheet.name, TOP + 1, 1, last, 1]
        for j, r in enumerate(main):
            chart.add_series({"name": r.name[:60], "categories": categories,
                              "values": [sheet.name, TOP + 1, 3 + j, last, 3 + j], "gap": 60})
        line = self.w.workbook.add_chart({"type": "line"})
        line.add_series({"name": REFERENCE_HEADER, "categories": categories,
                         "values": [sheet.name, TOP + 1, reference_col, last, reference_col],
                         "line": {"color": "#C00000", "width": 2, "dash_type": "dash"},
                         "marker": {"type": "none"}})
        chart.combine(line)
        chart.set_title({"name": self.spec["chart_title"], "name_font": {"size": 12}})
        chart.set_y_axis({"num_format": "0%", "min": 0, "major_gridlines": {"visible": True,
                          "line": {"color": "#D9D9D9"}}})
        chart.set_x_axis({"num_font": {"rotation": -45 if units > 6 else 0, "size": 9}})
        chart.set_legend({"position": "bottom", "font": {"size": 9}})
        legend_lines = ceil((len(main) + 1) / 2)  # two names a line
        height = 300 + 18 * legend_lines + (60 if units > 6 else 0)
        chart.set_size({"width": self._print_width(len(main)), "height": height})
        first = last + 2
        rows = ceil(height / ROW_PX) + 1
        for row in range(first, first + rows):
            sheet.set_row(row, ROW_PX * 0.75)
        sheet.insert_chart(first, 0, chart, {"object_position": 3})
        return rows
