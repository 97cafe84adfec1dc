"""What kind of workbook this is, and everything wrong with it (plan, form or summary).

The checks behind «Kiểm tra» on a book open in Excel; any grid will do.
"""

from __future__ import annotations

from .. import contract as c
from ..engine.catalogue import Catalogue
from ..engine.form_vs_plan import impossible_rates
from ..engine.model import ERROR, FORM, PLAN, SUMMARY, Issue
from ..engine.validate import plan_issues
from ..grid.base import WorkbookGrid
from .form_reader import read_form
from .locate import read_meta
from .plan_reader import read_plan


def template_of(grid: WorkbookGrid) -> str | None:
    """``_meta``'s template, else guessed from the tables (KeHoach: plan, BaoCao: form)."""
    meta = read_meta(grid)
    template = meta.get(c.KEY_TEMPLATE) if meta is not None else None
    if template:
        return template
    return PLAN if grid.table(c.PLAN_TABLE) else FORM if grid.table(c.FORM_TABLE) else None


def check_workbook(grid: WorkbookGrid, catalogue: Catalogue) -> tuple[str | None, list[Issue]]:
    """(template, issues) with the same rules as ``xladdin validate``."""
    template = template_of(grid)
    if template == PLAN:
        reading = read_plan(grid, catalogue)
        return PLAN, list(reading.issues) + plan_issues(reading)
    if template == FORM:  # a CPR above 100 % is caught before the form is sent
        form = read_form(grid, catalogue)
        rows = form.form.rows if form.form else ()
        return FORM, list(form.issues) + impossible_rates(form, rows, catalogue)
    if template == SUMMARY:  # read back as next-round and export read it
        from .summary_reader import read_summary, total_issues

        return SUMMARY, read_summary(grid)[2] + total_issues(grid, catalogue)
    return template, [
        Issue(
            ERROR,
            grid.source,
            None,
            None,
            "not-our-workbook",
            "Bảng tính này không phải bảng kế hoạch hay biểu mẫu báo cáo của xladdin "
            f"(không có trang {c.META_SHEET}, bảng {c.PLAN_TABLE} hay {c.FORM_TABLE}).",
        )
    ]
