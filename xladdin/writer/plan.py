"""Writes the plan workbook (template = plan, contract §3).

Sheets: «Kế hoạch» (Table KeHoach, with native split formulas), «Đơn vị» (Table DonVi:
the children and their weights), «Hướng dẫn» (one page of help), the hidden ``_phanbo``
(the split's helper cells, children in rows: :mod:`.live_split`) and the very hidden
``_meta``.  Every formula is stored with the engine's value as its cached result, so a
reader or a viewer that does not calculate sees the right numbers; Excel and
LibreOffice recalculate on opening.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..contract import PLAN
from ..engine.catalogue import Catalogue
from ..engine.model import Plan
from ..engine.plan_values import child_weights, resolve_plan
from ..engine.split_exact import MAX_DECIMALS, decimals, too_big
from ..engine.units import Repeats
from ..errors import InputError
from ..templates import definition
from .catalogue_sheet import add_catalogue_sheet
from .guide import add_guide_sheet
from .meta import add_meta_sheet
from .plan_cells import UNIT_NAMES_NAME, WEIGHTS_NAME
from .plan_sheet import PlanSheet
from .remainder_sheet import add_remainder_sheet
from .save import atomic_write
from .split_sheet import add_split_sheet
from .styles import Formats, new_workbook
from .units_sheet import UnitsSheet


def write_plan(plan: Plan, path: str | os.PathLike, *, password: str | None = None,
               cache: bool = True, catalogue: Catalogue | None = None) -> Path:
    """Write ``plan`` to ``path`` atomically.  ``cache=False`` stores 0 as every formula's
    cached value (tests use it to prove that a recalculation really happens)."""
    _check_headers(plan)
    _check_split(plan)
    return atomic_write(path, lambda tmp: _build(plan, tmp, password, cache, catalogue))


def _build(
    plan: Plan, target, password: str | None, cache: bool, catalogue: Catalogue | None = None
) -> None:
    spec = definition(PLAN)
    workbook = new_workbook(str(target) if isinstance(target, Path) else target)
    formats = Formats(workbook)
    plan_sheet = workbook.add_worksheet(spec["sheet"]["name"])
    units_sheet = workbook.add_worksheet(spec["units_sheet"]["name"])
    values = resolve_plan(plan)
    weights_ref, names_ref = UnitsSheet(units_sheet, formats, plan, spec, cache).write(password)
    if plan.children:
        workbook.define_name(WEIGHTS_NAME, f"={weights_ref}")
        workbook.define_name(UNIT_NAMES_NAME, f"={names_ref}")
    plan_writer = PlanSheet(plan_sheet, formats, plan, spec, values, cache)
    title = plan_writer.write(password)
    add_split_sheet(workbook, formats, plan, {code: v.round_target for code, v in values.items()},
                    WEIGHTS_NAME if plan.children else None)
    add_remainder_sheet(workbook, formats, plan, cache, password)  # §9
    add_guide_sheet(workbook, formats, PLAN)
    plan_writer.live_split_sheet(workbook, units_sheet.name)
    add_meta_sheet(workbook, plan.meta)
    add_catalogue_sheet(workbook, catalogue)
    workbook.set_properties({"title": title, "author": "xladdin", "comments": plan.meta.unit_name})
    plan_sheet.activate()
    workbook.close()


EXCEL_COLUMNS = 16_384  # A … XFD


def max_children() -> int:
    """Children that fit in KeHoach: one column each (contract §3) beside the fixed ones."""
    return EXCEL_COLUMNS - len(definition(PLAN)["columns"]) - 1


def _check_headers(plan: Plan) -> None:
    spec = definition(PLAN)
    fixed = {c["header"] for c in spec["columns"]} | {spec["check_column"]["header"]}
    room = max_children()
    if len(plan.children) > room:  # XlsxWriter would silently leave the table out
        raise InputError(
            f"Bảng kế hoạch có {len(plan.children)} đơn vị cấp dưới, nhiều hơn số cột Excel có "
            f"({room} cột cho đơn vị): hãy chia thành nhiều bảng kế hoạch (ví dụ theo cấp trung "
            "gian)."
        )
    repeats = Repeats("đơn vị thứ")  # the one check (engine.units): CSV and «Đơn vị» say the lines
    for number, child in enumerate(plan.children, start=1):
        if child.name in fixed:
            raise InputError(
                f"Tên đơn vị cấp dưới «{child.name}» trùng với tiêu đề một cột của bảng."
            )
        twice = repeats.see(number, child.code, child.name)
        if twice:
            raise InputError(
                f"Hai đơn vị cấp dưới trùng nhau ({twice}): hãy "
                "đặt mã và tên khác nhau (tên là tiêu đề cột của bảng kế hoạch, mã là tên tệp "
                "biểu mẫu)."
            )

def _check_split(plan: Plan) -> None:
    """Refuse what the workbook's whole-number split could not compute exactly."""
    weights = child_weights(plan)
    values = resolve_plan(plan)
    for child, weight in zip(plan.children, weights):
        if decimals(weight) is None:
            raise InputError(
                f"Trọng số của «{child.name}» ({child.weight}) có quá {MAX_DECIMALS} số lẻ: "
                f"hãy làm tròn tới {MAX_DECIMALS} số lẻ (bảng tính chia chính xác tới đó)."
            )
    for row in plan.rows:
        v = values[row.code]
        live = row.shares is None and not row.is_rate and not plan.parts_present(row)
        if live and isinstance(v.round_target, int) and too_big(v.round_target, weights):
            raise InputError(
                f"Chỉ tiêu {row.code}: Chỉ tiêu đợt {v.round_target} nhân tổng trọng số quá lớn "
                "để bảng tính chia chính xác; hãy dùng trọng số nhỏ hơn (ví dụ dân số tính theo "
                "nghìn người)."
            )
