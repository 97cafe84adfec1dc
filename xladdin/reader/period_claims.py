"""Does the rest of a form agree with the period its ``_meta`` names (contract §8)?

The commonest habit of a unit reporting every month: copy last month's file, rename it
for this month, type this month's numbers.  Its ``_meta`` and title still say last
month, so it would silently replace last month's numbers.  The file name
(``…_2024-02.xlsx``, as ``forms`` names a month's form) and the title line
(«… THÁNG 2/2024», «QUÝ I/2024») each claim a period: one that differs from ``_meta``
is an error (rule ``wrong-period``), and the form opens no period (engine.year).
"""

from __future__ import annotations

import re
from pathlib import PurePath

from .. import contract as c
from ..engine.model import ERROR, Issue
from ..engine.periods import Period, parse_period, round_period
from ..errors import UsageError
from ..grid.base import WorkbookGrid, a1
from .meta_check import meta_integer

_IN_NAME = re.compile(r"_(\d{4}-(?:\d{2}|Q[1-4]))$", re.IGNORECASE)
_IN_TITLE = re.compile(r"\b(?:THÁNG\s+(\d{1,2})|QUÝ\s+(IV|I{1,3}))/(\d{4})\b"
                       r"|\bĐỢT\s+(\d{1,2})\s+NĂM\s+\d{4}\b|\bCẢ\s+NĂM\s+\d{4}\b")
_QUARTERS = {"I": 1, "II": 2, "III": 3, "IV": 4}
_TITLE_ROWS = 6


def period_claims(grid: WorkbookGrid, sheet_name: str, meta: dict[str, str]) -> list[Issue]:
    said = _meta_period(meta)
    if said is None:
        return []  # a garbled period is meta_check's error
    issues = []
    stem = PurePath(grid.source.replace("\\", "/")).stem
    if (found := _IN_NAME.search(stem)) and _parsed(found[1]) not in (None, said):
        issues.append(_mismatch(grid.source, None, None, f"tên tệp ghi kỳ {found[1]}", said))
    claim = title_claim(grid, sheet_name)
    if claim is not None and claim[2] is not None and claim[2] != said:
        issues.append(_mismatch(grid.source, sheet_name, claim[1],
                                f"dòng tiêu đề ghi {claim[0]}", said))
    return issues


def title_claim(grid: WorkbookGrid, sheet_name: str) -> tuple[str, str, Period | None] | None:
    """The period the sheet's title line names: (its words, its cell, the period), from
    «THÁNG 3/2024», «QUÝ I/2024», «ĐỢT 2 NĂM 2024» or «CẢ NĂM 2024» (round 0)."""
    sheet = grid.sheet(sheet_name)
    for row in range(min(sheet.n_rows, _TITLE_ROWS)):
        for col, value in enumerate(sheet.row_values(row)[:12]):
            if not isinstance(value, str) or not (found := _IN_TITLE.search(value)):
                continue
            text = (f"{found[3]}-{int(found[1]):02d}" if found[1]
                    else f"{found[3]}-Q{_QUARTERS[found[2]]}" if found[2]
                    else f"round-{int(found[4])}" if found[4] else "round-0")
            return found[0], a1(row, col), _parsed(text)
    return None


def _meta_period(meta: dict[str, str]) -> Period | None:
    text = (meta.get(c.KEY_PERIOD) or "").strip()
    if not text:
        number = meta_integer(meta.get(c.KEY_ROUND))
        return round_period(number) if number is not None else None
    return _parsed(text)


def _parsed(text: str) -> Period | None:
    try:
        return parse_period(text)
    except UsageError:
        return None


def _mismatch(source: str, sheet: str | None, cell: str | None, what: str, said: Period
              ) -> Issue:
    return Issue(
        ERROR, source, sheet, cell, "wrong-period",
        f"Biểu mẫu tự mâu thuẫn về kỳ báo cáo: {what}, nhưng trang _meta ghi kỳ {said.text} "
        f"({said.label()}). Có thể tệp được chép từ biểu mẫu kỳ khác rồi sửa số: không được "
        "cộng vào kỳ nào. Hãy dùng đúng biểu mẫu của kỳ này do cấp trên gửi.")
