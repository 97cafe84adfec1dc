"""The «Hướng dẫn» sheet: one printable page saying how to use the workbook."""

from __future__ import annotations

from ..templates import guide as _guide
from . import parts
from .styles import Formats


def add_guide_sheet(workbook, formats: Formats, template: str) -> None:
    guide = _guide()
    lines = guide[template]["lines"]
    sheet = workbook.add_worksheet(guide["sheet"])
    # A4 portrait holds ~90 characters of 11-pt Times at 100 %: printed as is, never
    # cut (LibreOffice ignores fit-to-page for a single very wide column).
    sheet.set_column(0, 0, 88)
    sheet.write_string(0, 0, guide[template]["title"], formats["title"])
    sheet.set_row(0, 28)
    for offset, text in enumerate(lines):
        sheet.write_string(2 + offset, 0, text, formats["guide"])
        sheet.set_row(2 + offset, 16 * (1 + len(text) // 80))
    parts.protect(sheet)
    parts.print_a4(sheet, landscape=False, title_row=None, last_col=0, last_row=1 + len(lines))
