"""«Tổng hợp»: consolidate the report sheets of the plan open in Excel.

Where the plan comes from: **the book itself**.  An officer keeps one workbook a round:
the plan (sheets «Kế hoạch», «Đơn vị», ``_meta``) and, next to it, one report sheet per
unit: the sheets «Tạo biểu mẫu» added (filled in place, e.g. a shared workbook on
OneDrive), or each unit's «Báo cáo» sheet copied in (Move or Copy… › this workbook).
Every sheet that is not the plan's own nor written by a button («Tổng hợp», «Kiểm tra»)
is read as a form; units are recognised by the «(mã …)» line of the form or by the
sheet's name.  A folder of form files is for ``xladdin consolidate`` (desktop).

Results go to the sheet «Tổng hợp» (each indicator's target, result and % đạt for the
whole unit, then each unit's result; below, each unit's status with a link to its sheet)
and every issue to «Kiểm tra».  Above MANY_UNITS units «Tổng hợp» keeps the whole unit's
six columns, as the summary file does, and each unit's numbers are rows of the sheets
«Theo kỳ» (results) and «Chỉ tiêu đơn vị» (targets), laid out by the same functions as
the file's (:mod:`xladdin.writer.period_layout`, :mod:`xladdin.writer.summary_targets`);
«Tổng hợp»'s totals are formulas over them.  The rules are those of ``xladdin consolidate`` (a form
with an error is left out whole), except lateness: a sheet has no date of its own.
"""

from __future__ import annotations

import datetime as dt

from .. import contract as c
from ..engine.consolidate import Summary, consolidate
from ..errors import InputError
from ..reader.book_forms import read_form_sheets
from ..templates import definition
from ..writer import parts
from ..writer.period_layout import PeriodLayout, SheetLayout
from ..writer.summary_layout import (
    HEAD,
    STATUS_WORDS,
    SummaryLayout,
    UnitRows,
    many_units,
    summary_layout,
)
from ..writer.summary_targets import TargetsLayout
from .cell_values import layout_rows, percent_runs, row_runs, row_values
from .check import SHEET as CHECK_SHEET
from .check import write_issues
from .plan_book import UsablePlan, usable_plan
from .session import BookSession, Outcome, link, now_text

ROUND_LABEL = "Đợt tổng hợp"  # «Đợt mới» checks the round of the results it carries
HEADER_ROW = HEAD  # 0-based: the same header row as the summary workbook's
UNIT_HEADERS = [c.UNIT_CODE, c.UNIT_NAME, c.STATUS_HEADER, "Trang báo cáo", c.ERRORS_HEADER,
                c.WARNINGS_HEADER]
# Many units: B..F (Chỉ tiêu / Tên đơn vị, ĐVT / Tình trạng, Chỉ tiêu đợt / Trang báo cáo,
# Kết quả, % đạt) wrapped, so that with A (the codes) the six columns fit an A4 portrait
# page: 86 widths of «0» at most (LibreOffice's and Excel's default margins)
PRINTED_WIDTHS = (28.0, 10.0, 11.0, 10.0, 8.0)
NOTE_ROW = 3  # 0-based: where each unit's numbers are (many units)
MANY_NOTE = ("Tổng của {units} đơn vị. Số của từng đơn vị: trang «{period}» (mỗi dòng một đơn "
             "vị); chỉ tiêu giao từng đơn vị: trang «{targets}»; tình trạng và trang báo cáo của "
             "từng đơn vị: bảng dưới.")


def summary_sheet_name() -> str:
    return c.SUMMARY_SHEET


def book_summary(session: BookSession, reading: UsablePlan) -> Summary:
    """The engine's summary of the report sheets of this book now: what «Tổng hợp» writes,
    and what «Đợt mới» and «Báo cáo lên» check its sheets against."""
    plan = reading.plan
    if not plan.children:
        raise InputError("Bảng kế hoạch chưa có đơn vị cấp dưới nào: không có gì để tổng hợp.")
    own = {name for name in (reading.sheet, reading.units_sheet) if name}
    # the plan's own sheets (by the names they have now) and every sheet the plan and the
    # buttons make: never a unit's form, nor said to be «not a form» on every click
    own |= set(c.BOOK_SHEETS)
    submissions = read_form_sheets(session.grid, plan, session.catalogue, dt.datetime.min, skip=own)
    if not any(s.reading and s.reading.form for s in submissions):
        raise InputError(
            "Chưa có trang báo cáo nào của đơn vị cấp dưới trong bảng tính này: hãy bấm «Tạo biểu "
            "mẫu» (các đơn vị nhập ngay vào đây) hoặc chép trang «Báo cáo» của từng đơn vị vào "
            "bảng "
            "tính này, rồi bấm lại «Tổng hợp»."
        )
    return consolidate(plan, submissions, session.catalogue, same_book=True)


def consolidate_sheets(session: BookSession) -> Outcome:
    summary = book_summary(session, usable_plan(session, "tổng hợp"))
    name = session.output_sheet(summary_sheet_name())
    if many_units(summary):  # the file's long layout: each unit a row of its own sheets
        layout = _unit_sheets(session, summary)
        note = MANY_NOTE.format(units=len(summary.units), period=c.PERIOD_SHEET,
                                targets=c.TARGETS_SHEET)
    else:
        layout = summary_layout(summary)  # the summary file's «Tổng hợp», targets as numbers
        note = None
    session.write(name, 0, 0, summary_rows(summary, layout, note))
    widths = _widths(layout)
    if note:
        _long_formats(session, name, layout, summary, widths)
    session.widths(name, widths)
    for row in (0, layout.head, layout.last + 2):
        session.bold(name, row, 0, max(len(layout.headers), len(UNIT_HEADERS)))
    status = write_issues(session, list(summary.issues), c.BUTTON_LABELS["consolidate_sheets"])
    rejected = [u.name for u in summary.units if u.status == c.ERROR]
    missing = [u.name for u in summary.units if u.status == "missing"]
    lines = [
        f"Đã tổng hợp {len(summary.counted)}/{len(summary.expected)} đơn vị vào trang «{name}»."
    ]
    if missing:
        lines.append(f"Chưa có báo cáo: {', '.join(missing)}.")
    if rejected:
        lines.append(f"Có lỗi, chưa được cộng: {', '.join(rejected)}.")
    lines.append(f"{status} Xem trang «{CHECK_SHEET}».")
    return Outcome("\n".join(lines), error=bool(rejected))


def _unit_sheets(session: BookSession, summary: Summary) -> SummaryLayout:
    """Many units: «Theo kỳ» and «Chỉ tiêu đơn vị» written as the summary file lays them
    out (arrival left blank: a sheet has no date), and «Tổng hợp»'s layout over them.  The
    sheets exist before any formula names them (desktop Excel would ask for a file)."""
    period = PeriodLayout(summary, filters=True, dated=False, names_sheet=c.SUMMARY_SHEET)
    targets = TargetsLayout(summary, definition(c.SUMMARY))
    for name, layout in ((c.PERIOD_SHEET, period.sheet()), (c.TARGETS_SHEET, targets.by_unit())):
        write_layout(session, session.output_sheet(name), layout)
    return summary_layout(summary, unit_rows=UnitRows(targets.column, period.year_to_date))


def _long_formats(session: BookSession, name: str, layout: SummaryLayout, summary: Summary,
                  widths: list[float]) -> None:
    """Many units: rates and % đạt as percents; the six columns print on one A4 page wide
    (the runtimes give a script no page setup: the widths do it) with the names, statuses
    and sheet links wrapped, and the note over them."""
    for col, first, last, fmt in percent_runs((r.row, r.cells) for r in layout.rows):
        session.number_format(name, first, col, last, fmt)
    for col, width in enumerate(PRINTED_WIDTHS, start=1):
        widths[col] = width
    session.wrap(name, layout.head, 1, layout.last + 2 + len(summary.units), len(PRINTED_WIDTHS))
    session.merge_wrapped(name, NOTE_ROW, len(PRINTED_WIDTHS), 45)
    # a wrapped row is made as tall as its text (runtimes do not all do it themselves);
    # rows of one line keep Excel's own height, one action a run of equal heights
    texts = {line.row: [(cell.value, PRINTED_WIDTHS[cell.col - 1]) for cell in line.cells
                        if 1 <= cell.col <= 2 and isinstance(cell.value, str)]
             for line in layout.rows}
    for i, unit in enumerate(summary.units):
        sheet = _sheet_of(unit.file)
        texts[layout.last + 3 + i] = [(unit.name, PRINTED_WIDTHS[0]),
                                      (STATUS_WORDS[unit.status], PRINTED_WIDTHS[1]),
                                      (sheet, PRINTED_WIDTHS[2])]
    heights = {row: max((parts.row_height(text, width - 1) for text, width in found), default=0)
               for row, found in texts.items()}
    tall = sorted(row for row, height in heights.items() if height > parts.row_height("", 1))
    for row, last in row_runs(tall, lambda first, row: heights[first] == heights[row]):
        session.row_height(name, row, last, heights[row])


def _sheet_of(file: str | None) -> str:
    """A report sheet's name, from its submission's ``<book>#<sheet>``."""
    return file.split("#", 1)[1] if file and "#" in file else ""


def write_layout(session: BookSession, name: str, layout: SheetLayout) -> None:
    block, runs = layout_rows(layout)
    session.write(name, 0, 0, block)
    for col, first, last, fmt in runs:
        session.number_format(name, first, col, last, fmt)
    session.widths(name, list(layout.widths))
    session.bold(name, 0, 0)
    session.bold(name, layout.head, 0, len(layout.headers))


def summary_rows(summary: Summary, layout: SummaryLayout,
                 note: str | None = None) -> list[list[object]]:
    """The layout as one block of values from A1: its title lines (the note's row holds
    the round these results are of: «Đợt mới» and «Báo cáo lên» check it), ``note`` (where
    each unit's numbers are, when they are not columns here), the TongHop table, then
    each unit's status with a link to its sheet."""
    title, subtitle, _note = layout.lines
    rows: list[list[object]] = [
        [title.text],
        [subtitle.text],
        [ROUND_LABEL, summary.meta.round, "", "Lúc", now_text()],
        [note] if note else [],  # NOTE_ROW
        list(layout.headers),
    ]
    rows += [row_values(line.cells, len(layout.headers)) for line in layout.rows]
    rows += [[], [*UNIT_HEADERS]]
    for unit in summary.units:
        sheet = _sheet_of(unit.file)
        rows.append([unit.code, unit.name, STATUS_WORDS[unit.status],
                     link(sheet, "A1", sheet) if sheet else "", unit.errors, unit.warnings])
    return rows


def _widths(layout: SummaryLayout) -> list[float]:
    """Column widths from A, the ranges of the layout spelled out."""
    widths = [0.0] * (layout.last_col + 1)
    for first, last, width in layout.widths:
        for col in range(first, min(last, layout.last_col) + 1):
            widths[col] = width
    return widths
