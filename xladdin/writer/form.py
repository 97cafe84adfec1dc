"""Writes a report form (template = form, contract §4): one per child unit.

Sheet «Báo cáo» with Table BaoCao: Mã | Chỉ tiêu | ĐVT | Chỉ tiêu đợt (a constant: a
form travels alone, without the plan) | Kết quả (input) | % đạt (formula) | Ghi chú
(input); the letterhead and signature block of an administrative report; A4 portrait.
What goes where is :func:`xladdin.writer.form_layout.form_layout`; this module writes it
with XlsxWriter (validation, protection, print setup).
"""

from __future__ import annotations

import os
from pathlib import Path

from ..contract import FORM
from ..engine.catalogue import Catalogue
from ..engine.model import Form
from ..engine.periods import period_of
from ..templates import definition
from . import parts
from .catalogue_sheet import add_catalogue_sheet
from .cells import put
from .form_layout import FormLayout, Text, form_layout
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
    spec = definition(FORM)
    workbook = new_workbook(target)
    f = Formats(workbook)
    sheet = workbook.add_worksheet(spec["sheet"]["name"])
    _write_sheet(sheet, f, form_layout(form), password, cache)
    add_guide_sheet(workbook, f, FORM)
    add_meta_sheet(workbook, form.meta)
    add_catalogue_sheet(workbook, catalogue)
    meta = form.meta
    workbook.set_properties({
        "title": f"Báo cáo {meta.unit_name} – {period_of(meta).label(meta.year)}",
        "author": "xladdin",
    })
    sheet.activate()
    workbook.close()


def _write_text(sheet, f: Formats, text: Text) -> None:
    if text.last_col > text.first_col:
        sheet.merge_range(text.row, text.first_col, text.row, text.last_col, text.text,
                          f[text.style])
    else:
        sheet.write_string(text.row, text.first_col, text.text, f[text.style])
    if text.height:
        sheet.set_row(text.row, text.height)


def _write_sheet(sheet, f: Formats, layout: FormLayout, password: str | None,
                 cache: bool) -> None:
    """The layout, with XlsxWriter."""
    spec, col = layout.spec, layout.col
    for text in layout.letterhead:
        _write_text(sheet, f, text)
    parts.add_table(sheet, f, spec["table"]["name"], layout.head, layout.last, layout.headers)
    for i, width in enumerate(layout.widths):
        sheet.set_column(i, i, width)
    sheet.set_row(layout.head, 30)
    inputs = []
    for line in layout.rows:
        for cell in line.cells:
            put(sheet, f, line.row, cell, cache)
        if line.is_input:
            inputs.append([line.row, col["result"], line.row, col["result"]])
        sheet.set_row(line.row, line.height)
    validation = spec["validation"]
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
    parts.text_prompt(sheet, layout.head + 1, col["note"], layout.last, col["note"],
                      validation["note_prompt"])
    for text in layout.signatures:
        _write_text(sheet, f, text)
    sheet.freeze_panes(layout.head + 1, 0)
    parts.protect(sheet, password)
    parts.print_a4(sheet, landscape=spec["sheet"]["orientation"] == "landscape",
                   title_row=layout.head, last_col=layout.last_col, last_row=layout.end)
