"""Forms that are sheets of one workbook: pasted there by hand, one per unit, or added to
a plan by «Tạo biểu mẫu»; each sheet is read as a form of its own.

Works on any grid (a file, or a book open in Excel), so it never imports the file
runtime.  A sheet in a book cannot keep the form's own sheet name («Báo cáo») nor its
Table name (``BaoCao`` is unique in a workbook), so the reader's warnings about a renamed
sheet or a lost Table, or about a unit recognised by the form's «(mã …)» line, say nothing
here and are left out; a unit recognised only by the sheet's name is still said.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace

from .. import contract as c
from ..engine.catalogue import Catalogue
from ..engine.consolidate import Submission
from ..engine.model import ERROR, WARNING, FormReading, Issue, Plan
from ..engine.periods import period_of
from ..grid.base import OneSheet, WorkbookGrid
from .form_reader import read_form
from .locate import normalize
from .period_claims import title_claim

NOT_A_FORM = {"not-a-form", "not-a-workbook"}
SKIPPED_SHEETS = {c.META_SHEET.casefold(), c.GUIDE_SHEET.casefold()}
# A sheet in a book has no _meta of its own, nor the form's sheet and Table names: these
# warnings say nothing there (a unit known only by the sheet's name is still said).
SAID_NOTHING_IN_A_BOOK = {"sheet-renamed", "table-missing", "unit-from-title"}


def read_form_sheets(grid: WorkbookGrid, plan: Plan, catalogue: Catalogue, modified: dt.datetime,
                     skip: Iterable[str] = ()) -> list[Submission]:
    """Every sheet but ``_meta``, «Hướng dẫn» and ``skip``, as a :class:`Submission`
    named ``<book>#<sheet>``."""
    units = {normalize(c.code): c.code for c in plan.children} | {
        normalize(c.name): c.code for c in plan.children
    }
    skipped = SKIPPED_SHEETS | {normalize(name) for name in skip}
    submissions = []
    for sheet in grid.sheet_names:
        if normalize(sheet) in skipped:
            continue
        one = OneSheet(grid, sheet)
        reading = set_aside_non_form(read_form(one, catalogue, units, returned=True))
        reading = replace(reading, issues=tuple(  # each issue names its sheet («Trang»)
            replace(i, sheet=i.sheet or sheet) for i in reading.issues
            if i.rule not in SAID_NOTHING_IN_A_BOOK) + _other_period(one, sheet, plan, reading))
        submissions.append(Submission(f"{grid.source}#{sheet}", modified, reading))
    return submissions


def _other_period(grid: OneSheet, sheet: str, plan: Plan, reading: FormReading
                  ) -> tuple[Issue, ...]:
    """A sheet has no ``_meta``: its title says its period.  A sheet of an earlier round
    left in the book after «Đợt mới» would count that round's results again (its shares
    differ from this round's only by a warning): an error, the sheet left out."""
    claim = title_claim(grid, sheet) if reading.form is not None else None
    now = period_of(plan.meta)
    if claim is None or claim[2] is None or claim[2] == now:
        return ()
    words, cell, _ = claim
    return (Issue(
        ERROR, grid.source, sheet, cell, "wrong-period",
        f"Trang «{sheet}» là báo cáo {words}, nhưng bảng kế hoạch đang ở "
        f"{now.label(plan.meta.year)}: báo cáo của kỳ khác không được cộng vào kỳ này. Hãy "
        "bấm «Tạo biểu mẫu» để có các trang báo cáo của kỳ này (các trang cũ: chép sang một "
        "bảng tính khác rồi xóa khỏi đây), nhập số rồi bấm lại."),)


def set_aside_non_form(reading: FormReading) -> FormReading:
    """In an inbox, a workbook that is not a form (a note, a plan) is set aside with a
    warning: it is named, and it takes nothing away from the forms."""
    if reading.form is not None:
        return reading
    issues = tuple(replace(i, severity=WARNING, message=i.message + " Đã bỏ qua.")
                   if i.rule in NOT_A_FORM else i for i in reading.issues)
    return replace(reading, issues=issues)
