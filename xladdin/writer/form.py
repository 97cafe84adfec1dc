"""Writes a report form (template = form, contract §4): one per child unit.

Sheet «Báo cáo» with Table BaoCao: Mã | Chỉ tiêu | ĐVT | Chỉ tiêu đợt (a constant: a
form travels alone, without the plan) | Kết quả (input) | % đạt (formula) | Ghi chú
(input); the letterhead and signature block of an administrative report; A4 portrait.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..engine.catalogue import Catalogue
from ..engine.model import Form, FormRow
from ..engine.periods import period_of
from ..engine.units import is_neighbourhood
from ..templates import definition, form_note, period_title
from . import parts
from .catalogue_sheet import add_catalogue_sheet
from .cells import put
from .form_cells import form_row
from .guide import add_guide_sheet
from .meta import add_meta_sheet
from .save import atomic_write
from .styles import Formats, new_workbook


def write_form(form: Form, path: str | os.PathLike, *, password: str | None = None,
               cache: bool = True, catalogue: Catalogue | None = None) -> Path:
    return atomic_write(path, lambda tmp: build_form(form, str(tmp), password=password, cache=cache,
                                                     catalogue=catalogue))


def build_form(form: Form, target, *, password: str | None = None, cache: bool = True,
               catalogue: Catalogue | None = None) -> None:
    """Write the form to ``target`` (a path or a binary file object)."""
    spec = definition("form")
    workbook = new_workbook(target)
    f = Formats(workbook)
    sheet = workbook.add_worksheet(spec["sheet"]["name"])
    _FormSheet(sheet, f, form, spec, cache).write(password)
    add_guide_sheet(workbook, f, "form")
    add_meta_sheet(workbook, form.meta)
    add_catalogue_sheet(workbook, catalogue)
    meta = form.meta
    workbook.set_properties({
        "title": f"Báo cáo {meta.unit_name} – {period_of(meta).label(meta.year)}",
        "author": "xladdin",
    })
    sheet.activate()
    workbook.close()


class _FormSheet:
    def __init__(self, sheet, formats: Formats, form: Form, spec: dict, cache: bool):
        self.sheet, self.f, self.form, self.spec, self.cache = sheet, formats, form, spec, cache
        self.col = {c["key"]: i for i, c in enumerate(spec["columns"])}
        self.last_col = len(spec["columns"]) - 1
        self.head = spec["sheet"]["header_row"] - 1

    def write(self, password: str | None) -> None:
        sheet, f, spec = self.sheet, self.f, self.spec
        self._letterhead()
        rows = self.form.rows or (FormRow("", "", "", None),)
        last = self.head + len(rows)
        parts.add_table(sheet, f, spec["table"]["name"], self.head, last,
                        [c["header"] for c in spec["columns"]])
        for i, column in enumerate(spec["columns"]):
            sheet.set_column(i, i, column["width"])
        sheet.set_row(self.head, 30)
        self.row_of = {r.code: self.head + 1 + i for i, r in enumerate(rows)}
        self.results = {r.code: r.result for r in rows}
        validation = spec["validation"]
        inputs = []
        for r in rows:
            row = self.row_of[r.code]
            if self._row(r, row):
                inputs.append([row, self.col["result"], row, self.col["result"]])
            sheet.set_row(row, parts.row_height(r.name, spec["columns"][self.col["name"]]["width"]))
        if inputs:
            parts.whole_number_validation(
                sheet,
                *inputs[0],
                title=validation["result_title"],
                prompt=validation["result_prompt"],
                error_title=validation["result_error_title"],
                error=validation["result_error"],
                other_cells=inputs[1:],
            )
        parts.text_prompt(sheet, self.head + 1, self.col["note"], last, self.col["note"],
                          validation["note_prompt"])
        end = self._signatures(last + 2)
        sheet.freeze_panes(self.head + 1, 0)
        parts.protect(sheet, password)
        parts.print_a4(sheet, landscape=spec["sheet"]["orientation"] == "landscape",
                       title_row=self.head, last_col=self.last_col, last_row=end)

    def _row(self, r: FormRow, row: int) -> bool:
        """Write one row; True when its Kết quả is an input cell."""
        sheet, f, col = self.sheet, self.f, self.col
        sheet.write_string(row, col["code"], r.code, f["text"])
        sheet.write_string(row, col["name"], r.name, f["text"])
        sheet.write_string(row, col["unit"], r.unit, f["text_center"])
        parts.put_value(sheet, row, col["note"], r.note or None, f["text_input"])
        if not r.code:
            return False
        cells = form_row(r, row, col, self.row_of, self.results)
        for cell in cells.cells:
            put(sheet, f, row, cell, self.cache)
        return cells.is_input

    def _letterhead(self) -> None:
        sheet, f, spec, meta, last = (
            self.sheet,
            self.f,
            self.spec["sheet"],
            self.form.meta,
            self.last_col,
        )
        sheet.merge_range(0, 0, 0, 1, self.form.parent_name.upper(), f["letterhead"])
        sheet.merge_range(1, 0, 1, 1, meta.unit_name.upper(), f["letterhead_bold"])
        sheet.merge_range(0, 2, 0, last, spec["motto_1"], f["letterhead_bold"])
        sheet.merge_range(1, 2, 1, last, spec["motto_2"], f["letterhead_bold"])
        due = meta.due_date
        shown_due = f"{due[8:10]}/{due[5:7]}/{due[0:4]}" if due and len(due) >= 10 else "…"
        parts.line(sheet, f, 3, spec["title"].format(period_title=period_title(meta)),
                   last, "title", 24)
        parts.line(
            sheet,
            f,
            4,
            spec["unit_line"].format(unit_name=meta.unit_name, unit_code=meta.unit_code),
            last,
            "subtitle",
        )
        parts.line(sheet, f, 5, spec["due_line"].format(due_date=shown_due), last, "subtitle")
        parts.line(sheet, f, 6, form_note(meta), last, "note", 28)

    def _signatures(self, first_row: int) -> int:
        sheet, f, spec = self.sheet, self.f, self.spec["sheet"]
        sheet.merge_range(first_row, 3, first_row, self.last_col, spec["date_line"], f["small"])
        meta = self.form.meta
        right = (
            "signer_right_neighbourhood"
            if is_neighbourhood(meta.unit_code, meta.unit_name, meta.parent_code)
            else "signer_right"
        )
        for col_from, col_to, title, hint in (
            (0, 1, spec["signer_left"], spec["signer_left_hint"]),
            (3, self.last_col, spec[right], spec[right + "_hint"]),
        ):
            sheet.merge_range(first_row + 1, col_from, first_row + 1, col_to, title, f["signer"])
            sheet.merge_range(first_row + 2, col_from, first_row + 2, col_to, hint, f["small"])
        return first_row + 7  # room to sign


