"""The new-plan job: a plan for any unit, its children from a CSV or the national list."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .. import admin_units
from .. import contract as c
from ..bundled import catalogue as bundled_catalogue
from ..engine.catalogue import Catalogue
from ..engine.model import PLAN, Meta, Plan, now_iso
from ..engine.plan_builder import TargetLine, build_plan
from ..engine.text import control_characters
from ..engine.units import Unit
from ..errors import InputError, UsageError
from ..inputs import read_children, read_targets
from ..outputs import WORKBOOK_SUFFIXES, check_suffix
from ..silent import Silent
from ..writer.plan import write_plan
from ..writer.save import refuse_clobbering


def new_plan(
    *,
    unit_code: str,
    unit_name: str,
    year: int,
    out: Path,
    children_csv: Path | None = None,
    targets_csv: Path | None = None,
    round_number: int = 1,
    parent_code: str | None = None,
    indicators: list[str] | None = None,
    due_date: str | None = None,
    notes: list[str] | None = None,
    password: str | None = None,
    catalogue: Catalogue | None = None,
    units_as_of: dt.date | None = None,
    progress: Silent | None = None,
) -> tuple[Path, Plan, list[str]]:
    """Start a plan for any unit: children from CHILDREN.csv or the national list (the
    list in force on ``units_as_of``, by default 1 January of ``year``; ``VN`` is the
    nation, whose children are the provinces)."""
    for value, label in (
        (unit_code, "Mã đơn vị (--unit-code)"),
        (unit_name, "Tên đơn vị (--unit-name)"),
    ):
        if not str(value).strip():
            raise UsageError(f"{label} không được để trống.")
    unit_code, unit_name = unit_code.strip(), unit_name.strip()
    for value, label in (
        (unit_code, "Mã đơn vị (--unit-code)"),
        (unit_name, "Tên đơn vị (--unit-name)"),
    ):
        if control_characters(value):
            raise UsageError(
                f"{label} có ký tự điều khiển ({', '.join(control_characters(value))})."
            )
    check_suffix(out, WORKBOOK_SUFFIXES, "bảng kế hoạch")
    catalogue = catalogue or bundled_catalogue()
    refuse_clobbering([children_csv, targets_csv], [out])
    listed = admin_units.unit_list(year, units_as_of)
    from_list = f"Đơn vị cấp dưới: {listed.describe(admin_units.plan_date(year, units_as_of))}"
    extra: dict[str, str] = {}
    if children_csv is not None:
        children = read_children(children_csv)
    else:
        children = admin_units.sub_units(unit_code, year, units_as_of)
        if not children:
            raise InputError(
                f"Đơn vị {unit_code} không có đơn vị cấp dưới trong danh mục hành chính năm "
                f"{year}: "
                "hãy kê các đơn vị cấp dưới trong tệp CHILDREN.csv (--children)."
            )
        notes = [*(notes or []), from_list]
        extra[c.KEY_UNITS_AS_OF] = listed.true_on.isoformat()
    children = [Unit(c.code, c.name, unit_code, c.weight, c.level) for c in children]
    if parent_code is None:
        try:
            parent_code = admin_units.lookup(unit_code, year, units_as_of).parent_code or ""
        except InputError:
            parent_code = ""
    targets: list[TargetLine] = (
        read_targets(targets_csv, catalogue, children) if targets_csv else []
    )
    if indicators is None:
        indicators = [] if targets else [i.code for i in catalogue]
    parent_name = admin_units.name_of(parent_code, year, units_as_of) if parent_code else None
    if parent_name:
        extra = {c.KEY_PARENT_NAME: parent_name, **extra}
    meta = Meta(
        template=PLAN,
        unit_code=unit_code,
        unit_name=unit_name,
        parent_code=parent_code or "",
        year=year,
        round=round_number,
        created_at=now_iso(),
        due_date=due_date,
        extra=extra,
    )
    plan, warnings = build_plan(meta, children, catalogue, targets, indicators, notes or [])
    (progress or Silent()).phase(f"Đang ghi bảng kế hoạch ({len(plan.children)} đơn vị cấp dưới)")
    return write_plan(plan, out, password=password, catalogue=catalogue), plan, warnings
