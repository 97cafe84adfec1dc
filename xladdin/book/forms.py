"""«Tạo biểu mẫu»: one report form per child unit of the plan open in Excel.

What it makes depends on where Excel runs, since a script in Excel on the web or in
xlwings Lite cannot write files on the officer's PC:

* **desktop Excel**, with the plan saved as a file: one form file per unit
  (``<code>_<name>.xlsx``, contract §4, the same files as ``xladdin forms``) in a folder
  ``bieu-mau-dot-<round>`` next to the plan, from the plan as it is on screen (unsaved
  changes included);
* **elsewhere** (Excel on the web, xlwings Lite, or a plan never saved): one sheet per
  unit added to the plan, named after the unit, laid out as the form (the «(mã …)» line
  says which unit it is).  Units fill their sheet in place (a shared workbook) or the
  officer copies it out; «Tổng hợp» then reads these sheets.  A unit that already has a
  sheet keeps it: what it typed is never overwritten.  Two units whose names give one
  sheet name (31 characters at most), or a unit named like a sheet of the plan or of a
  button, get their code after the name: every unit has a sheet of its own.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from .. import contract as c
from ..engine.forms import form_filename, plan_forms
from ..engine.model import Form
from ..engine.units import Unit
from ..errors import InputError
from ..writer.form_layout import form_layout
from .cell_values import row_values
from .plan_book import usable_plan
from .session import BookSession, Outcome

_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")
# the plan's sheets and the buttons': a unit's sheet never takes one of these names
NOT_UNIT_SHEETS = frozenset(name.casefold() for name in c.BOOK_SHEETS)


def make_forms(session: BookSession) -> Outcome:
    reading = usable_plan(session, "tạo biểu mẫu")
    plan = reading.plan
    if not plan.children:
        raise InputError(
            "Bảng kế hoạch chưa có đơn vị cấp dưới nào (trang «Đơn vị»): chưa có biểu mẫu nào để "
            "tạo."
        )
    forms = list(plan_forms(plan, due_date=plan.meta.due_date, catalogue=session.catalogue))
    path = session.path
    if path is not None:
        from ..writer.batch import write_forms  # desktop only: files

        folder = path.parent / f"bieu-mau-dot-{plan.meta.round}"
        written = write_forms(
            [
                (form, folder / form_filename(form.meta.unit_code, form.meta.unit_name))
                for form in forms
            ],
            catalogue=session.catalogue,
        )
        return Outcome(
            f"Đã tạo {len(written)} biểu mẫu báo cáo trong thư mục {folder}: gửi mỗi đơn vị tệp "
            "của mình "
            "(tên tệp bắt đầu bằng mã đơn vị)."
        )
    made, kept = [], []
    taken = {s.casefold() for s in session.grid.sheet_names}
    names = unit_sheet_names(plan.children)
    for form in forms:
        name = names.get(form.meta.unit_code) or sheet_name(form.meta.unit_name)
        if name.casefold() in taken:
            kept.append(name)
            continue
        session.book.sheets.add(name=name, after=session.book.sheets[len(session.book.sheets) - 1])
        write_form_sheet(session, name, form)
        taken.add(name.casefold())
        made.append(name)
    lines = [f"Đã thêm {len(made)} trang biểu mẫu báo cáo, mỗi đơn vị một trang: {', '.join(made)}."
             if made else "Không thêm trang nào."]
    if kept:
        lines.append(f"Giữ nguyên các trang đã có: {', '.join(kept)} (xóa trang nếu muốn tạo lại).")
    lines.append(
        "Các đơn vị nhập Kết quả vào trang của mình (hoặc chép trang ra gửi đi); sau đó bấm «Tổng "
        "hợp»."
    )
    return Outcome("\n".join(lines))


def unit_sheet_names(units: Iterable[Unit]) -> dict[str, str]:
    """unit code → its sheet's name: its name (:func:`sheet_name`), unless another unit's
    gives the same one or it is a sheet of the plan or of a button: then «name (code)»."""
    units = list(units)
    plain = {unit.code: sheet_name(unit.name) for unit in units}
    shared = Counter(name.casefold() for name in plain.values())
    names = {}
    for unit in units:
        name = plain[unit.code]
        if shared[name.casefold()] > 1 or name.casefold() in NOT_UNIT_SHEETS:
            suffix = f" ({_NOT_IN_SHEET_NAMES.sub('-', unit.code)})"
            name = name[: max(0, 31 - len(suffix))].rstrip() + suffix
        names[unit.code] = name[-31:]
    return names


def sheet_name(unit_name: str) -> str:
    """A sheet name from a unit's name: no []:*?/\\, at most 31 characters."""
    return _NOT_IN_SHEET_NAMES.sub("-", unit_name).strip("'").strip()[:31] or "Don vi"


def write_form_sheet(session: BookSession, name: str, form: Form) -> None:
    """The form's layout (:func:`~xladdin.writer.form_layout.form_layout`) as one block of
    values into a sheet of the open book (no signature block: the sheet is filled in place)."""
    layout = form_layout(form)
    block: list[list[object]] = [[] for _ in range(layout.head)]
    for text in layout.letterhead:
        line = block[text.row]
        line += [""] * (text.first_col + 1 - len(line))
        line[text.first_col] = text.text
    block.append(list(layout.headers))
    for row in layout.rows:
        if row.placeholder:
            continue
        block.append(row_values(row.cells, len(layout.headers)))
    session.write(name, 0, 0, block)
    session.widths(name, layout.widths)
    session.bold(name, layout.head, 0, len(layout.headers))
    session.bold(name, layout.title_row, 0)
