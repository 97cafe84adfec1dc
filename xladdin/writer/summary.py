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
from .summary_layout import HEAD, STATUS_WORDS, code_width, summary_layout, summary_title, year_mode
from .summary_progress import ProgressSheet
from .summary_year import CUMULATIVE_SHEET, PERIOD_SHEET, YearSheets

__all__ = ["LATE_WORD", "STATUS_WORDS", "status_word", "write_summary"]
LATE_WORD = "Nộp muộn"  # a form counted, but sent after its due date


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
    spec = definition("summary")
    workbook = new_workbook(target)
    f = Formats(workbook)
    main = workbook.add_worksheet(spec["sheet"]["name"])
    year = YearSheets(workbook, f, summary, cache)  # contract §8: periods and the year to date
    cumulative = workbook.add_worksheet(CUMULATIVE_SHEET)
    by_period = workbook.add_worksheet(PERIOD_SHEET)
    progress = workbook.add_worksheet(spec["progress_sheet"]["name"])
    targets = workbook.add_worksheet(spec["targets_sheet"]["name"])
    sources = workbook.add_worksheet(spec["sources_sheet"]["name"])
    issues = workbook.add_worksheet(spec["issues_sheet"]["name"])
    writer = _SummaryWriter(workbook, f, summary, spec, folder, cache, year)
    year.period_sheet(by_period)
    year.cumulative_sheet(cumulative)
    writer.targets_sheet(targets)
    writer.main_sheet(main)
    ProgressSheet(writer, status_word).write(progress)
    writer.sources_sheet(sources)
    writer.issues_sheet(issues)
    if regions:
        add_regions_sheet(workbook, f, summary, regions, STATUS_WORDS, cache)
    add_guide_sheet(workbook, f, "summary")
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
        self.targets_name = c.TARGETS_SHEET

    # «Chỉ tiêu đơn vị»: constants, what the plan gave each unit
    def targets_sheet(self, sheet: Worksheet) -> None:
        f, spec = self.f, self.spec["targets_sheet"]
        last_col = 2 + len(self.units)
        title = spec["title_year"] if year_mode(self.s) else spec["title"]
        parts.line(sheet, f, 0, title, last_col, "title", 24)
        headers = [c.CODE, c.NAME, c.UNIT] + [u.name for u in self.units]
        last = self.HEAD + max(len(self.rows), 1)
        parts.add_table(sheet, f, spec["table"], self.HEAD, last, headers)
        sheet.set_column(0, 0, code_width(self.s, self.spec))
        sheet.set_column(1, 1, self.spec["columns"][1]["width"])
        sheet.set_column(2, 2, 6)
        unit_width = self.spec["unit_columns"]["width"]
        sheet.set_column(3, 3 + max(len(self.units) - 1, 0), unit_width)
        sheet.set_row(self.HEAD, max(
            [45.0] + [parts.row_height(u.name, unit_width * 0.85) for u in self.units]))
        name_width = self.spec["columns"][1]["width"]
        for r in self.rows:
            row = self.row_of[r.code]
            sheet.write_string(row, 0, r.code, f["text"])
            sheet.write_string(row, 1, r.name, f["text"])
            sheet.write_string(row, 2, r.unit, f["text_center"])
            sheet.set_row(row, parts.row_height(r.name, name_width))
            for index, unit in enumerate(self.units):
                value = self.s.targets.get(unit.code, {}).get(r.code)
                parts.put_value(
                    sheet, row, 3 + index, value, f["percent" if r.is_rate else "count"]
                )
        self.targets_name = sheet.name
        parts.protect(sheet)
        parts.print_a4(sheet, landscape=True, title_row=self.HEAD, last_col=last_col, last_row=last)

    def target_ref(self, code: str, unit_index: int) -> str:
        quoted = "'" + self.targets_name.replace("'", "''") + "'"
        return f"{quoted}!{parts.cell(self.row_of[code], 3 + unit_index)}"

    def target_refs(self, code: str) -> list[str]:
        return [self.target_ref(code, i) for i in range(len(self.units))]

    # «Tổng hợp»: the layout of summary_layout, written with XlsxWriter
    def main_sheet(self, sheet: Worksheet) -> None:
        layout = summary_layout(self.s, target_refs=self.target_refs,
                                unit_formula=self.year.unit_formula)
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
            "Tình trạng",
            "Tệp nguồn",
            "Thời gian sửa tệp",
            "Đúng hạn",
            "Số lỗi",
            "Số cảnh báo",
        ]
        parts.line(sheet, f, 0, spec["title"], len(headers) - 1, "title", 24)
        due = self.s.meta.due_date
        shown_due = f"{due[8:10]}/{due[5:7]}/{due[0:4]}" if due and len(due) >= 10 else "chưa đặt"
        parts.line(
            sheet,
            f,
            1,
            f"Hạn gửi: {shown_due} · đã nhận {len(self.s.received)}/"
            f"{len(self.s.expected)} · chưa gửi: {len(self.s.missing)} · muộn: {len(self.s.late)}"
            + (f" · {len(self.s.issues)} vấn đề (trang «{c.ISSUES_SHEET}»)" if self.s.issues
               else " · không có vấn đề nào khi đọc biểu mẫu"),
            len(headers) - 1,
            "subtitle",
        )
        last = 3 + max(len(self.units), 1)
        parts.add_table(sheet, f, spec["table"], 3, last, headers)
        for col, width in enumerate([12, 22, 18, 48, 18, 10, 8, 10]):
            sheet.set_column(col, col, width)
        for i, unit in enumerate(self.units):
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
                sheet.write_string(row, 5, "Muộn" if unit.late else "Đúng hạn", f["text_center"])
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
        parts.highlight(sheet, f, 4, 5, last, f'={parts.cell(4, 5)}="Muộn"', "late_highlight")
        parts.protect(sheet)
        parts.print_a4(sheet, landscape=True, title_row=3, last_col=len(headers) - 1, last_row=last)

    def _link(self, sheet, row: int, col: int, file: str) -> None:
        """The file's path, clickable (relative to the summary, so the folder can move)."""
        try:
            relative = os.path.relpath(Path(file).resolve(), self.folder.resolve())
        except ValueError:  # another drive on Windows
            relative = str(Path(file).resolve())
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
        headers = ["Mức độ", "Tệp", "Trang", "Ô", "Quy tắc", "Nội dung"]
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
            # else the printed page cuts it off
            sheet.set_row(row, max(parts.row_height(text, width) for text, width in (
                (issue.message, 70), (issue.file or "", 40), (issue.rule, 18))))
        parts.highlight(sheet, f, 3, 0, last, f'={parts.cell(3, 0)}="Lỗi"', "error_highlight")
        parts.protect(sheet)
        if not issues:  # nothing to show: hidden, without a print area, never an empty page
            sheet.hide()
            return
        parts.print_a4(sheet, landscape=True, title_row=2, last_col=len(headers) - 1, last_row=last)
