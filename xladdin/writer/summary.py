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

from .. import contract as c
from ..contract import SEVERITY_WORDS
from ..engine.catalogue import Catalogue
from ..engine.consolidate import MISSING, RECEIVED, REJECTED, Summary, UnitStatus
from ..engine.model import FormRow
from ..engine.plan import pct_done
from ..engine.regions import RegionGroup
from ..templates import definition, period_title
from . import formulas, parts
from .catalogue_sheet import add_catalogue_sheet
from .guide import add_guide_sheet
from .meta import add_meta_sheet
from .regions_sheet import add_regions_sheet
from .save import atomic_write
from .styles import Formats, new_workbook
from .summary_progress import MANY_UNITS, ProgressSheet
from .summary_year import CUMULATIVE_SHEET, PERIOD_SHEET, YearSheets, year_title

STATUS_WORDS = {"received": "Đã nhận", MISSING: "Chưa gửi", REJECTED: "Có lỗi – chưa cộng"}
LATE_WORD = "Nộp muộn"  # a form counted, but sent after its due date


def status_word(unit: UnitStatus) -> str:
    """What the summary says of a unit: «Nộp muộn» for a late form that was counted."""
    if unit.status == RECEIVED and unit.late:
        return LATE_WORD
    return STATUS_WORDS[unit.status]


def write_summary(
    summary: Summary,
    path: str | os.PathLike,
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
    writer = _SummaryWriter(workbook, f, summary, spec, folder, cache)
    writer.year = year
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
    HEAD = 4  # 0-based header row of the main tables

    def __init__(
        self, workbook, formats: Formats, summary: Summary, spec: dict, folder: Path, cache: bool
    ):
        self.workbook, self.f, self.s, self.spec, self.folder, self.cache = (
            workbook, formats, summary, spec, folder, cache)
        self.units = list(summary.units)
        self.rows = list(summary.rows)
        self.row_of = {r.code: self.HEAD + 1 + i for i, r in enumerate(self.rows)}
        # a code is never wrapped in the middle: the column fits the longest (Times digits)
        self.code_width = max(
            [spec["columns"][0]["width"]] + [len(r.code) * 1.1 + 1 for r in self.rows]
        )
        fixed = len(spec["columns"])
        self.unit_col = {u.code: fixed + i for i, u in enumerate(self.units)}
        meta = summary.meta
        self.title = year_title(summary) or spec["sheet"]["title"].format(
            period_title=period_title(meta)
        )

    # «Chỉ tiêu đơn vị»: constants, what the plan gave each unit
    def targets_sheet(self, sheet) -> None:
        f, spec = self.f, self.spec["targets_sheet"]
        last_col = 2 + len(self.units)
        parts.line(sheet, f, 0, spec["title"], last_col, "title", 24)
        headers = [c.CODE, c.NAME, c.UNIT] + [u.name for u in self.units]
        last = self.HEAD + max(len(self.rows), 1)
        parts.add_table(sheet, f, spec["table"], self.HEAD, last, headers)
        self._widths(sheet)
        for r in self.rows:
            row = self.row_of[r.code]
            self._label(sheet, row, r, self.spec["columns"][1]["width"])
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

    def _widths(self, sheet, first_unit_col: int = 3) -> None:
        sheet.set_column(0, 0, self.code_width)
        sheet.set_column(1, 1, self.spec["columns"][1]["width"])
        sheet.set_column(2, 2, 6)
        sheet.set_column(first_unit_col, first_unit_col + max(len(self.units) - 1, 0),
                         self.spec["unit_columns"]["width"])
        self._header_height(sheet)

    def _header_height(self, sheet) -> None:
        """Tall enough for the longest unit name, wrapped in its narrow column (bold)."""
        width = self.spec["unit_columns"]["width"] * 0.85
        sheet.set_row(
            self.HEAD, max([45.0] + [parts.row_height(u.name, width) for u in self.units])
        )

    def _label(self, sheet, row: int, r: FormRow, name_width: float = 34) -> None:
        """Code, name and ĐVT; the row as tall as the wrapped name needs."""
        sheet.write_string(row, 0, r.code, self.f["text"])
        sheet.write_string(row, 1, r.name, self.f["text"])
        sheet.write_string(row, 2, r.unit, self.f["text_center"])
        sheet.set_row(row, parts.row_height(r.name, name_width))

    # «Tổng hợp»
    def main_sheet(self, sheet) -> None:
        f, s, spec = self.f, self.s, self.spec
        columns = spec["columns"]
        last_col = len(columns) - 1 + len(self.units)
        parts.line(sheet, f, 0, self.title, last_col, "title", 26)
        parts.line(sheet, f, 1, spec["sheet"]["subtitle"].format(
            unit_name=s.meta.unit_name, unit_code=s.meta.unit_code, received=len(s.received),
            expected=len(s.expected)), last_col, "subtitle", 20)
        parts.line(
            sheet,
            f,
            2,
            spec["sheet"]["note"].format(sources_sheet=spec["sources_sheet"]["name"]),
            last_col,
            "note",
            30,
        )
        headers = [c["header"] for c in columns] + [u.name for u in self.units]
        last = self.HEAD + max(len(self.rows), 1)
        parts.add_table(sheet, f, spec["table"]["name"], self.HEAD, last, headers)
        for i, column in enumerate(columns):
            sheet.set_column(i, i, column["width"])
        sheet.set_column(0, 0, self.code_width)
        first_unit = len(columns)
        sheet.set_column(first_unit, max(first_unit, last_col), spec["unit_columns"]["width"])
        self._header_height(sheet)
        # Provenance on the column itself while a comment per unit stays readable; beyond
        # that the sheet «Nguồn số liệu» (named in the note line) says where every number
        # came from, with a link to each file.
        for unit in self.units if len(self.units) <= MANY_UNITS else ():
            source = s.sources.get(unit.code)
            note = (
                f"Nguồn: {source}"
                if source
                else f"{STATUS_WORDS[unit.status]}: không có số liệu được cộng."
            )
            sheet.write_comment(self.HEAD, self.unit_col[unit.code], note, {"x_scale": 2})
        for r in self.rows:
            self._main_row(sheet, r)
        parts.highlight(
            sheet,
            f,
            self.HEAD + 1,
            5,
            last,
            f"=AND(ISNUMBER({parts.cell(self.HEAD + 1, 5)}),{parts.cell(self.HEAD + 1, 5)}<1)",
            "late_highlight",
        )
        sheet.freeze_panes(self.HEAD + 1, 2)
        parts.protect(sheet)
        parts.print_a4(sheet, landscape=True, title_row=self.HEAD, last_col=last_col, last_row=last)

    def _main_row(self, sheet, r: FormRow) -> None:
        f, s, row = self.f, self.s, self.row_of[r.code]
        self._label(sheet, row, r, self.spec["columns"][1]["width"])
        first = parts.cell(row, len(self.spec["columns"]))
        last = parts.cell(row, len(self.spec["columns"]) + max(len(self.units) - 1, 0))
        counted = set(s.counted)
        if r.is_rate:
            num, den = r.parts
            for unit in self.units:
                col = self.unit_col[unit.code]
                value = s.results.get(unit.code, {}).get(r.code) if unit.code in counted else None
                if unit.code in counted:
                    sheet.write_formula(row, col, formulas.rate(parts.cell(self.row_of[num], col),
                                                                 parts.cell(self.row_of[den], col)),
                                        f["percent"], parts.cached(value, self.cache))
                else:
                    sheet.write_blank(row, col, None, f["percent"])
            parts.put_value(sheet, row, 3, s.total_target(r.code), f["percent"])
            first_unit, last_unit = (
                len(self.spec["columns"]),
                len(self.spec["columns"]) + len(self.units) - 1,
            )
            num_row, den_row = self.row_of[num], self.row_of[den]
            numerators = (
                f"SUM({parts.cell(num_row, first_unit)}:{parts.cell(num_row, last_unit)})"
            )
            denominators = (
                f"SUM({parts.cell(den_row, first_unit)}:{parts.cell(den_row, last_unit)})"
            )
            sheet.write_formula(
                row,
                4,
                f'=IF({denominators}=0,"",{numerators}/{denominators})',
                f["percent_total"],
                parts.cached(s.total_result(r.code), self.cache),
            )
            words = definition("form")["rate"]
            total = s.total_result(r.code)
            target = s.total_target(r.code)
            reached = None if total is None or target is None else (
                words["reached"] if total >= target else words["not_reached"])
            sheet.write_formula(
                row,
                5,
                formulas.rate_reached(
                    "E" + str(row + 1), "D" + str(row + 1), words["reached"], words["not_reached"]
                ),
                f["text_center"],
                parts.cached(reached, self.cache),
            )
            return
        is_total = bool(r.parts) and all(p in self.row_of for p in r.parts)
        for unit in self.units:
            col = self.unit_col[unit.code]
            if unit.code not in counted:
                sheet.write_blank(row, col, None, f["count"])
                continue
            value = s.results[unit.code].get(r.code)
            if is_total:
                refs = [parts.cell(self.row_of[p], col) for p in r.parts]
                sheet.write_formula(
                    row,
                    col,
                    formulas.total_of(refs),
                    f["count_total"],
                    parts.cached(value, self.cache),
                )
            elif (year := self.year.unit_formula(r.code, unit.code)) is not None:
                sheet.write_formula(row, col, year, f["count"], parts.cached(value, self.cache))
            else:
                parts.put_value(sheet, row, col, value, f["count"])
        target_refs = ",".join(self.target_ref(r.code, i) for i in range(len(self.units)))
        total_target = s.total_target(r.code)
        if self.units:
            sheet.write_formula(row, 3, f'=IF(COUNT({target_refs})=0,"",SUM({target_refs}))',
                                f["count_total"], parts.cached(total_target, self.cache))
            total = s.total_result(r.code)
            sheet.write_formula(
                row,
                4,
                f'=IF(COUNT({first}:{last})=0,"",SUM({first}:{last}))',
                f["count_total"],
                parts.cached(total, self.cache),
            )
        else:
            total = None
        ratio = pct_done(total, total_target) if total is not None and total_target else None
        sheet.write_formula(row, 5, formulas.pct_done(f"E{row + 1}", f"D{row + 1}"), f["percent"],
                            parts.cached(ratio, self.cache))

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
                    else unit.modified.strftime("%d/%m/%Y %H:%M")
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
        parts.highlight(sheet, f, 3, 0, last, f'={parts.cell(3, 0)}="Lỗi"', "error_highlight")
        parts.protect(sheet)
        if not issues:  # nothing to show: hidden, without a print area, never an empty page
            sheet.hide()
            return
        parts.print_a4(sheet, landscape=True, title_row=2, last_col=len(headers) - 1, last_row=last)
