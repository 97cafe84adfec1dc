"""The plan's «Còn lại đơn vị» sheet (contract §9): each child's own remainder.

Table ``ConLaiDonVi``, one row per child and indicator (child by child, so that each
tổ dân phố / commune reads its own block): Mã đơn vị | Tên đơn vị | Mã | Chỉ tiêu | ĐVT |
Phần kế hoạch năm | Đã thực hiện | Còn lại.

* Phần kế hoạch năm: the child's share of Kế hoạch năm, split by Trọng số (largest
  remainder, the same split as every other), written as a number by the engine;
* Đã thực hiện: what the child has done in earlier rounds (carried by ``next-round``
  from the summary's column of that child; an officer may correct it: an input cell);
  a plan where nothing is known by child yet (round 1) has no such sheet;
* Còn lại: a formula, Phần kế hoạch năm − Đã thực hiện (shown «0 (vượt n)» when the
  child is past its share, as the plan's Còn lại).

The next round's Chỉ tiêu đợt is split in proportion to Còn lại (never below 0): the
KeHoach sheet's child cells are the live split (``_phanbo``) with each child's Còn lại
cell as its weight (:func:`left_cells`), so an edit of Chỉ tiêu đợt or of Đã thực hiện
re-splits; the engine (engine.remainder) computes the same numbers.  When nobody has
anything left (hidden column J says so) the live split follows the unit list's weights.  Only counts
have a remainder: a stock is a level, a rate a
ratio, a combined row the sum of its parts.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import contract as c
from ..engine.model import Plan
from ..engine.remainder import splittable, standings
from . import formulas, parts
from .styles import Formats

HEAD = 3  # 0-based header row
HEADERS = [c.UNIT_CODE, c.UNIT_NAME, c.CODE, c.NAME, c.UNIT, c.ANNUAL_SHARE, c.DONE, c.REMAINING]
SHARE_COL, DONE_COL, LEFT_COL = 5, 6, 7
NOBODY_COL = 9  # hidden: 1 when no child has anything left of the k-th code (row HEAD+1+k)


def remainder_rows(plan: Plan) -> list[str]:
    """The indicator codes that have a remainder of their own, in plan order."""
    return [r.code for r in plan.rows if splittable(plan, r) and r.annual_plan is not None]


def _sheet_codes(plan: Plan) -> list[str]:
    """The codes on the sheet (none when nothing is known by child yet: round 1)."""
    codes = remainder_rows(plan)
    known = [r.code for r in plan.rows if r.code in codes and r.child_done is not None]
    return known if plan.children else []


@dataclass(frozen=True)
class RemainderCells:
    """One indicator's cells on the sheet (absolute, with the sheet's name)."""

    lefts: tuple[str, ...]  # each child's Còn lại
    nobody_left: str  # 1 when no child has anything left (then the weights split)


def left_cells(plan: Plan) -> dict[str, RemainderCells]:
    """Indicator code → its cells: the weights of the live split by remainder (writer.plan)."""
    codes = _sheet_codes(plan)
    sheet = "'" + c.REMAINDER_SHEET.replace("'", "''") + "'"
    return {code: RemainderCells(
        tuple(f"{sheet}!${parts.column(LEFT_COL)}${HEAD + 2 + i * len(codes) + k}"
              for i in range(len(plan.children))),
        f"{sheet}!${parts.column(NOBODY_COL)}${HEAD + 2 + k}")
            for k, code in enumerate(codes)}


def add_remainder_sheet(workbook, formats: Formats, plan: Plan, cache: bool = True,
                        password: str | None = None) -> None:
    codes = _sheet_codes(plan)  # a row done before the plan knew its children: weights
    if not codes:
        return  # nothing known by child yet (round 1): next-round starts the sheet
    f = formats
    sheet = workbook.add_worksheet(c.REMAINDER_SHEET)
    standing = standings(plan)
    rows = {r.code: r for r in plan.rows}
    last_col = len(HEADERS) - 1
    parts.line(sheet, f, 0, f"PHẦN KẾ HOẠCH NĂM, ĐÃ THỰC HIỆN VÀ CÒN LẠI CỦA TỪNG ĐƠN VỊ – NĂM "
               f"{plan.meta.year}", last_col, "title", 24)
    parts.line(
        sheet,
        f,
        1,
        "Phần kế hoạch năm: Kế hoạch năm chia theo Trọng số. Đã thực hiện: kết quả các đợt "
        "trước của đơn vị, lấy từ bảng tổng hợp. Chỉ tiêu đợt ở trang «"
        f"{c.PLAN_SHEET}» được chia theo Còn lại (đơn vị làm được nhiều thì được giao ít hơn; "
        "đơn vị đã vượt phần của mình không được giao thêm) và tự tính lại: sửa Chỉ tiêu đợt ở "
        "trang đó, hoặc sửa Đã thực hiện ở đây (ô nền vàng), thì phần giao của từng đơn vị "
        "đổi theo. Nếu không đơn vị nào còn lại gì, Chỉ tiêu đợt được chia theo Trọng số.",
        last_col,
        "note",
        44,
    )
    if plan.done_unknown:
        names = {u.code: u.name for u in plan.children}
        parts.line(sheet, f, 2, "CHÚ Ý: chưa có kết quả đợt trước của "
                   + ", ".join(f"{names[code]} ({code})" for code in plan.done_unknown)
                   + ": Đã thực hiện của các đơn vị này là CHƯA BIẾT, đang được tính là 0 "
                   "(--missing-as-zero). Khi nhận được biểu mẫu: tổng hợp lại và chạy lại "
                   "next-round.", last_col, "note", 44)
    last = HEAD + len(plan.children) * len(codes)
    parts.add_table(sheet, f, c.REMAINDER_TABLE, HEAD, last, HEADERS)
    for col, width in enumerate([13, 16, 16, 36, 6, 11, 11, 11]):
        sheet.set_column(col, col, width)
    sheet.set_row(HEAD, 32)
    row = HEAD
    for i, child in enumerate(plan.children):
        for code in codes:
            row += 1
            mine = standing[code][i]
            sheet.write_string(row, 0, child.code, f["text"])
            sheet.write_string(row, 1, child.name, f["text"])
            sheet.write_string(row, 2, code, f["text"])
            sheet.write_string(row, 3, rows[code].name, f["text"])
            sheet.set_row(row, parts.row_height(rows[code].name, 32))
            sheet.write_string(row, 4, rows[code].unit, f["text_center"])
            parts.put_value(sheet, row, SHARE_COL, mine.share, f["count"])
            parts.put_value(sheet, row, DONE_COL, mine.done, f["count_input"])
            sheet.write_formula(row, LEFT_COL, formulas.remaining(parts.cell(row, SHARE_COL),
                                                                  parts.cell(row, DONE_COL)),
                                f["remaining"], parts.cached(mine.left, cache))
    left = f"${parts.column(LEFT_COL)}${HEAD + 2}:${parts.column(LEFT_COL)}${last + 1}"
    code_range = f"$C${HEAD + 2}:$C${last + 1}"
    for k, code in enumerate(codes):  # the first child's block holds every code once
        nobody = all(s.left_for_split == 0 for s in standing[code])
        sheet.write_formula(HEAD + 1 + k, NOBODY_COL,
                            f'=IF(SUMIFS({left},{code_range},C{HEAD + 2 + k},{left},">0")=0,1,0)',
                            None, parts.cached(1 if nobody else 0, cache))
    sheet.set_column(NOBODY_COL, NOBODY_COL, None, None, {"hidden": True})
    parts.whole_number_validation(
        sheet,
        HEAD + 1,
        DONE_COL,
        last,
        DONE_COL,
        title=c.DONE,
        prompt="Số đơn vị này đã thực hiện trong các đợt trước (số nguyên ≥ 0).",
        error_title="Số không hợp lệ",
        error="Nhập số nguyên ≥ 0.",
    )
    sheet.freeze_panes(HEAD + 1, 2)
    parts.protect(sheet, password)
    parts.print_a4(sheet, landscape=False, title_row=HEAD, last_col=last_col, last_row=last)
