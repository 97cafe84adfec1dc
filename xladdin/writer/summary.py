"""Writes the summary workbook (template = summary) that ``consolidate`` produces.

Sheets: «Tổng hợp» (Table TongHop: each indicator's target, result and % đạt for the
whole unit, then each child unit's result; totals are native formulas), «Tiến độ» (% đạt
per unit and a chart), «Chỉ tiêu đơn vị» (what each unit was given), «Nguồn số liệu»
(the file behind every unit's numbers, when it came, on time or late, with a link),
«Kiểm tra» (every issue), «Hướng dẫn» and ``_meta``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from .. import contract as c
from ..contract import SEVERITY_WORDS
from ..engine.catalogue import Catalogue
from ..engine.consolidate import MISSING, RECEIVED, REJECTED, Summary, UnitStatus
from ..engine.periods import period_of, shown_date
from ..engine.regions import RegionGroup
from ..templates import definition
from . import parts
from .catalogue_sheet import add_catalogue_sheet
from .cells import put
from .guide import add_guide_sheet
from .meta import add_meta_sheet
from .regions_sheet import add_regions_sheet
from .save import atomic_write
from .styles import Formats, new_workbook
from .summary_layout import (
    HEAD,
    STATUS_WORDS,
    UnitRows,
    many_units,
    summary_layout,
    summary_title,
    year_mode,
)
from .summary_progress import ProgressSheet
from .summary_targets import TargetsSheet
from .summary_year import CUMULATIVE_SHEET, PERIOD_SHEET, YearSheets

__all__ = ["LATE_WORD", "STATUS_WORDS", "status_word", "write_summary"]
LATE_WORD = c.LATE_RECEIVED_WORD  # a form counted, but sent after its due date
MAX_ROW_HEIGHT = 409  # points: Excel refuses a taller row


def status_word(unit: UnitStatus) -> str:
    """What the summary says of a unit: «Nộp muộn» for a late form that was counted."""
    if unit.status == RECEIVED and unit.late:
        return LATE_WORD
    return STATUS_WORDS[unit.status]


def write_summary(
    summary: Summary,
    path: str | os.PathLike[str],
    *,
    cache: bool = True,
    catalogue: Catalogue | None = None,
    regions: list[RegionGroup] | None = None,
) -> Path:
    """``regions``: add the «Theo vùng» sheet (a national summary, ``--by-region``)."""
    target = Path(path)
    return atomic_write(
        target, lambda tmp: _build(summary, str(tmp), target.parent, cache, catalogue, regions)
    )


def _build(
    summary: Summary, target: str, folder: Path, cache: bool, catalogue: Catalogue | None = None,
    regions: list[RegionGroup] | None = None,
) -> None:
    spec = definition(c.SUMMARY)
    workbook = new_workbook(target)
    f = Formats(workbook)
    main = workbook.add_worksheet(spec["sheet"]["name"])
    # contract §8: periods and the year to date
    year = YearSheets(workbook, f, summary, cache, filters=many_units(summary))
    cumulative = workbook.add_worksheet(CUMULATIVE_SHEET)
    by_period = workbook.add_worksheet(PERIOD_SHEET)
    progress = workbook.add_worksheet(spec["progress_sheet"]["name"])
    targets = workbook.add_worksheet(spec["targets_sheet"]["name"])
    sources = workbook.add_worksheet(spec["sources_sheet"]["name"])
    issues = workbook.add_worksheet(spec["issues_sheet"]["name"])
    writer = _SummaryWriter(workbook, f, summary, spec, folder, cache, year)
    year.period_sheet(by_period)
    year.cumulative_sheet(cumulative)
    writer.targets.write(targets)
    writer.main_sheet(main)
    ProgressSheet(writer, status_word).write(progress)
    writer.sources_sheet(sources)
    writer.issues_sheet(issues)
    if regions:
        add_regions_sheet(workbook, f, summary, regions, STATUS_WORDS, cache)
    add_guide_sheet(workbook, f, c.SUMMARY)
    add_meta_sheet(workbook, summary.meta)
    add_catalogue_sheet(workbook, catalogue)
    workbook.set_properties({"title": writer.title, "author": "xladdin"})
    main.activate()
    workbook.close()


class _SummaryWriter:
    HEAD = HEAD  # 0-based header row of the main tables

    def __init__(self, workbook: Workbook, formats: Formats, summary: Summary,
                 spec: dict[str, Any], folder: Path, cache: bool, year: YearSheets):
        self.workbook, self.f, self.s, self.spec, self.folder, self.cache = (
            workbook, formats, summary, spec, folder, cache)
        self.year = year
        self.units = list(summary.units)
        self.rows = list(summary.rows)
        self.row_of = {r.code: self.HEAD + 1 + i for i, r in enumerate(self.rows)}
        fixed = len(spec["columns"])
        self.unit_col = {u.code: fixed + i for i, u in enumerate(self.units)}
        self.title = summary_title(summary, spec)
        self.targets = TargetsSheet(formats, summary, spec)
        self.long = many_units(summary)
        self.main_name = "'" + c.SUMMARY_SHEET.replace("'", "''") + "'"
        self._folder = str(folder.resolve())
        self._folders: dict[Path, str] = {}

    def target_ref(self, code: str, unit_index: int) -> str:
        return self.targets.ref(code, unit_index)

    def unit_result(self, code: str, unit_index: int) -> str:
        """A unit's result of a count or stock row (no «=»): its «Tổng hợp» cell, or its
        rows of «Theo kỳ» when the units are in rows."""
        unit = self.units[unit_index].code
        if self.long:
            return self.year.unit_value(code, unit)
        return f"{self.main_name}!{parts.cell(self.row_of[code], self.unit_col[unit])}"

    # «Tổng hợp»: the layout of summary_layout, written with XlsxWriter
    def main_sheet(self, sheet: Worksheet) -> None:
        layout = summary_layout(self.s, target_refs=self.targets.refs,
                                unit_formula=self.year.unit_formula,
                                unit_rows=UnitRows(self.targets.column, self.year.year_to_date))
        f = self.f
        for text in layout.lines:
            parts.line(sheet, f, text.row, text.text, text.last_col, text.style, text.height)
        parts.add_table(sheet, f, self.spec["table"]["name"], layout.head, layout.last,
                        list(layout.headers))
        for first, last, width in layout.widths:
            sheet.set_column(first, last, width)
        sheet.set_row(layout.head, layout.header_height)
        for col, note in layout.comments:
            sheet.write_comment(layout.head, col, note, {"x_scale": 2})
        for line in layout.rows:
            for cell in line.cells:
                put(sheet, f, line.row, cell, self.cache)
            sheet.set_row(line.row, line.height)
        pct = parts.cell(layout.head + 1, layout.pct_col)
        parts.highlight(sheet, f, layout.head + 1, layout.pct_col, layout.last,
                        f"=AND(ISNUMBER({pct}),{pct}<1)", "late_highlight")
        sheet.freeze_panes(layout.head + 1, 2)
        parts.protect(sheet)
        parts.print_a4(sheet, landscape=True, title_row=layout.head, last_col=layout.last_col,
                       last_row=layout.last)

    # «Nguồn số liệu»: every unit, its file, when, on time or not
    def sources_sheet(self, sheet) -> None:
        f, spec = self.f, self.spec["sources_sheet"]
        headers = [
            c.UNIT_CODE,
            c.UNIT_NAME,
            c.STATUS_HEADER,
            c.SOURCE_FILE,
            c.FILE_TIME,
            c.ON_TIME,
            c.ERRORS_HEADER,
            c.WARNINGS_HEADER,
        ]
        parts.line(sheet, f, 0, spec["title"], len(headers) - 1, "title", 24)
        # a year: what the latest period's line says (who sent it, by when), named
        latest = self.s.periods[-1] if year_mode(self.s) else self.s
        due_words = (c.DUE_HEADER if latest is self.s
                     else f"{period_of(latest.meta).label(latest.meta.year)}: hạn gửi")
        due = latest.meta.due_date or next((u.due_date for u in latest.units if u.due_date), None)
        shown_due = shown_date(due) or "chưa đặt"
        parts.line(
            sheet,
            f,
            1,
            f"{due_words}: {shown_due} · đã nhận {len(latest.received)}/"
            f"{len(latest.expected)} · chưa gửi: {len(latest.missing)} · muộn: "
            f"{len(latest.late)}"
            + (f" · {len(self.s.issues)} vấn đề (trang «{c.ISSUES_SHEET}»)" if self.s.issues
               else " · không có vấn đề nào khi đọc biểu mẫu"),
            len(headers) - 1,
            "subtitle",
        )
        last = 3 + max(len(self.units), 1)
        parts.add_table(sheet, f, spec["table"], 3, last, headers, filters=self.long)
        for col, width in enumerate([12, 22, 18, 48, 18, 10, 8, 10]):
            sheet.set_column(col, col, width)
        # the rows say the same as the line: each unit's form of that period (every
        # period's file and date are on «Theo kỳ»)
        for i, unit in enumerate(latest.units):
            row = 4 + i
            sheet.write_string(row, 0, unit.code, f["text"])
            sheet.write_string(row, 1, unit.name, f["text"])
            sheet.write_string(row, 2, status_word(unit), f["text_center"])
            if unit.file:
                self._link(sheet, row, 3, unit.file)
                arrived = (
                    f"{unit.typed_date:%d/%m/%Y} (ngày ghi trong biểu mẫu)"
                    if unit.typed_date
                    else f"{unit.modified:%d/%m/%Y %H:%M}" if unit.modified else ""
                )
                sheet.write_string(row, 4, arrived, f["text_center"])
                sheet.write_string(row, 5, c.LATE if unit.late else c.ON_TIME, f["text_center"])
            else:
                for col in (3, 4, 5):
                    sheet.write_blank(row, col, None, f["text"])
            sheet.write_number(row, 6, unit.errors, f["count"])
            sheet.write_number(row, 7, unit.warnings, f["count"])
        status = parts.cell(4, 2)
        parts.highlight(
            sheet,
            f,
            4,
            2,
            last,
            f'=OR({status}="{STATUS_WORDS[MISSING]}",{status}="{STATUS_WORDS[REJECTED]}")',
            "missing_highlight",
        )
        parts.highlight(sheet, f, 4, 5, last, f'={parts.cell(4, 5)}="{c.LATE}"', "late_highlight")
        parts.protect(sheet, filters=self.long)
        parts.print_a4(sheet, landscape=True, title_row=3, last_col=len(headers) - 1, last_row=last)

    def _relative(self, file: str) -> str:
        """``file`` relative to the summary's folder, symlinks resolved; each folder is
        resolved once (10,000 forms share a few folders)."""
        path = Path(file)
        if path.is_symlink():
            return self._relative_to_summary(path.resolve())
        folder = self._folders.get(path.parent)
        if folder is None:
            folder = self._folders[path.parent] = self._relative_to_summary(path.parent.resolve())
        return path.name if folder == os.curdir else os.path.join(folder, path.name)

    def _relative_to_summary(self, resolved: Path) -> str:
        try:
            return os.path.relpath(resolved, self._folder)
        except ValueError:  # another drive on Windows
            return str(resolved)

    def _link(self, sheet: Worksheet, row: int, col: int, file: str) -> None:
        """The file's path, clickable (relative to the summary, so the folder can move)."""
        relative = self._relative(file)
        shown = str(file)
        if len(relative) < 250 and '"' not in relative and "#" not in relative:
            sheet.write_url(
                row, col, "external:" + relative.replace(os.sep, "/"), self.f["text"], shown
            )
        else:
            sheet.write_string(row, col, shown, self.f["text"])

    # «Kiểm tra»: every issue, one row each
    def issues_sheet(self, sheet) -> None:
        f, spec = self.f, self.spec["issues_sheet"]
        headers = list(c.ISSUES_COLUMNS)
        parts.line(sheet, f, 0, spec["title"], len(headers) - 1, "title", 24)
        issues = list(self.s.issues)
        last = 2 + max(len(issues), 1)
        parts.add_table(sheet, f, spec["table"], 2, last, headers)
        for col, width in enumerate([9, 40, 12, 6, 18, 70]):
            sheet.set_column(col, col, width)
        for i, issue in enumerate(issues):
            row = 3 + i
            sheet.write_string(
                row, 0, SEVERITY_WORDS.get(issue.severity, issue.severity), f["text_center"]
            )
            sheet.write_string(row, 1, issue.file or "", f["text"])
            sheet.write_string(row, 2, issue.sheet or "", f["text"])
            sheet.write_string(row, 3, issue.cell or "", f["text_center"])
            sheet.write_string(row, 4, issue.rule, f["text"])
            sheet.write_string(row, 5, issue.message, f["text"])
            # a long message (or path) wraps in its column: the row is as tall as it needs,
            # else the printed page cuts it off; Excel's tallest row is 409 points (about
            # 2,000 characters here: longer texts are not wrapped to find that out)
            sheet.set_row(row, min(MAX_ROW_HEIGHT, max(
                parts.row_height(text[:2500], width) for text, width in (
                    (issue.message, 70), (issue.file or "", 40), (issue.rule, 18)))))
        parts.highlight(sheet, f, 3, 0, last, f'={parts.cell(3, 0)}="Lỗi"', "error_highlight")
        parts.protect(sheet)
        if not issues:  # nothing to show: hidden, without a print area, never an empty page
            sheet.hide()
            return
        parts.print_a4(sheet, landscape=True, title_row=2, last_col=len(headers) - 1, last_row=last)
