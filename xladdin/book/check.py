"""«Kiểm tra»: check the book open in Excel and list what is wrong on a sheet «Kiểm tra».

One row per issue: severity, sheet, the cell as a link to it, rule and message; a plain
«Không có lỗi» line when there is nothing to fix.  A summary workbook keeps its own
«Kiểm tra» (what reading the forms found).  The other buttons list here too what
stopped them (errors in the plan's cells, forms that could not be counted).
"""

from __future__ import annotations

from .. import contract as c
from ..engine.model import Issue
from ..reader.any_workbook import check_workbook
from ..writer.summary import SEVERITY_WORDS
from .session import BookSession, Outcome, link, now_text

SHEET = c.ISSUES_SHEET
HEADERS = [header for header in c.ISSUES_COLUMNS if header != c.FILE_HEADER]  # the open book
HEADER_ROW = 4  # 0-based
WHAT = {c.PLAN: "Bảng kế hoạch", c.FORM: "Biểu mẫu báo cáo", c.SUMMARY: "Bảng tổng hợp"}


def check_book(session: BookSession) -> Outcome:
    template, issues = check_workbook(session.grid, session.catalogue)
    if template == c.SUMMARY:  # its own «Kiểm tra» lists what reading the forms found: kept
        return Outcome(
            f"Đây là bảng tổng hợp: các vấn đề phát hiện khi đọc biểu mẫu có ở trang «{SHEET}»."
        )
    status = write_issues(session, issues, WHAT.get(template or "", "Bảng tính"))
    first = next((i for i in issues if i.is_error), None)
    detail = f" Lỗi đầu tiên: {first.message}" if first else ""
    return Outcome(f"{status}{detail} Xem trang «{SHEET}».", error=first is not None)


def status_line(issues: list[Issue]) -> str:
    errors = sum(i.is_error for i in issues)
    warnings = len(issues) - errors
    if not errors:
        return "Không có lỗi." + (f" Có {warnings} cảnh báo (nên xem lại)." if warnings else "")
    return f"Có {errors} lỗi cần sửa" + (f" và {warnings} cảnh báo." if warnings else ".")


def write_issues(session: BookSession, issues: list[Issue], what: str) -> str:
    """Write ``issues`` on «Kiểm tra» (emptied first); returns the status line."""
    name = session.output_sheet(SHEET)
    status = status_line(issues)
    rows: list[list[object]] = [
        ["KẾT QUẢ KIỂM TRA"],
        [f"{what} «{session.book.name}» · kiểm tra lúc {now_text()}"],
        [status],
        [],
        list(HEADERS),
    ]
    for issue in issues:
        sheet = issue.sheet or _sheet_in(issue.file)
        cell = link(sheet, issue.cell) if sheet else (issue.cell or "")
        rows.append(
            [
                SEVERITY_WORDS.get(issue.severity, issue.severity),
                sheet,
                cell,
                issue.rule,
                issue.message,
            ]
        )
    if not issues:
        rows.append(["", "", "", "", "Không có lỗi."])
    session.write(name, 0, 0, rows)
    session.widths(name, [10, 16, 8, 20, 90])
    session.bold(name, 0, 0)
    session.bold(name, 2, 0)
    session.bold(name, HEADER_ROW, 0, len(HEADERS))
    return status


def _sheet_in(source: str | None) -> str:
    """A sheet read as a form of its own is named ``<book>#<sheet>``."""
    return source.split("#", 1)[1] if source and "#" in source else ""
