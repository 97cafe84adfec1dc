"""One unit, two levels (contract §10): the child of its parent's plan and the parent of
its own sub-units' plan.

* :func:`plan_from_form`: the blank form the parent sent becomes this unit's plan (unit,
  parent, year, round, period, due date and each indicator's target come from the form);
* :func:`report_up`: this unit's consolidated results fill a copy of that form, which
  the parent's ``consolidate`` then reads like any other form.

The received form is only read, never changed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from . import admin_units
from . import contract as c
from .bundled import catalogue as bundled_catalogue
from .engine.catalogue import Catalogue
from .engine.model import FORM, PLAN, Form, Meta, Plan, now_iso
from .engine.plan_builder import TargetLine, build_plan
from .engine.report_up import fill_form
from .engine.units import Unit
from .errors import InputError, WorkbookError
from .inputs import read_children
from .reader.carried import catalogue_of
from .reader.form_reader import read_form
from .reader.guard import judge_file
from .reader.summary_reader import read_summary
from .writer.form import write_form
from .writer.plan import write_plan

# _meta keys of the form a plan was made from (report-up finds that form again by them)
FROM_FORM_KEYS = {c.KEY_CREATED_AT: c.KEY_FORM_CREATED_AT, c.KEY_DUE_DATE: c.KEY_FORM_DUE_DATE}


def read_received_form(path: Path, catalogue: Catalogue | None = None) -> tuple[Form, Catalogue]:
    """The form the parent sent, and the catalogue it carries (refused when it is not a
    clean form: an error names the file, sheet and cell)."""
    def judge(grid):
        own = catalogue_of(grid, catalogue or bundled_catalogue())
        reading = read_form(grid, own)
        return own, reading, reading.form.meta.template if reading.form else None

    catalogue, reading, keys_template = judge_file(path, judge)
    errors = [i for i in reading.issues if i.is_error]
    if reading.form is None or errors:
        first = errors[0] if errors else None
        raise WorkbookError(
            first.message if first else "Tệp không phải biểu mẫu báo cáo.",
            file=str(path),
            sheet=first.sheet if first else None,
            cell=first.cell if first else None,
        )
    if keys_template not in (None, FORM):
        raise WorkbookError("Tệp không phải biểu mẫu báo cáo.", file=str(path))
    return reading.form, catalogue


def form_targets(form: Form, catalogue: Catalogue) -> list[TargetLine]:
    """The form's rows as TARGETS.csv lines: each count's Chỉ tiêu đợt, each rate's target
    rate; a combined row keeps its place (the plan sums its parts); the numerator and
    denominator rows a form adds for a rate are left out unless they carry a target
    (the commune's own forms add them again)."""
    rate_inputs = {p for r in form.rows if r.is_rate for p in r.parts}
    whole_year = form.meta.round == 0
    lines = []
    for row in form.rows:
        if row.code not in catalogue:
            continue
        if row.is_rate:
            lines.append(TargetLine(row.code, name=row.name, round_target=row.target_rate,
                                    annual_plan=row.target_rate if whole_year else None))
        elif row.parts:
            lines.append(TargetLine(row.code, name=row.name))
        elif row.round_target is None and row.code in rate_inputs:
            continue
        else:
            lines.append(TargetLine(row.code, name=row.name, round_target=row.round_target,
                                    annual_plan=row.round_target if whole_year else None))
    return lines


def plan_from_form(
    form_path: Path,
    out: Path,
    *,
    children_csv: Path | None = None,
    due_date: str | None = None,
    password: str | None = None,
    units_as_of: dt.date | None = None,
) -> tuple[Path, Plan, list[str]]:
    """This unit's plan from the form its parent sent: the unit is the form's unit, the
    children come from CHILDREN.csv or the national list."""
    form, catalogue = read_received_form(form_path)
    meta = form.meta
    if not meta.unit_code or not meta.year:
        raise WorkbookError(
            "Biểu mẫu thiếu mã đơn vị hoặc năm trong trang _meta.", file=str(form_path)
        )
    notes = [
        f"Chỉ tiêu nhận từ biểu mẫu của {form.parent_name or meta.parent_code} "
        f"({Path(form_path).name})."
    ]
    extra = {k: v for k, v in meta.extra.items() if k != c.KEY_PARENT_NAME}
    if form.parent_name:
        extra[c.KEY_PARENT_NAME] = form.parent_name
    for key, kept_as in FROM_FORM_KEYS.items():
        value = getattr(meta, key)
        if value:
            extra[kept_as] = value
    if children_csv is not None:
        children = read_children(children_csv)
    else:
        children = admin_units.sub_units(meta.unit_code, meta.year, units_as_of)
        if not children:
            raise InputError(
                f"Đơn vị {meta.unit_name} ({meta.unit_code}) không có đơn vị cấp dưới trong danh "
                "mục hành chính: "
                "hãy kê các đơn vị cấp dưới (khu phố, thôn, tổ dân phố) trong tệp CHILDREN.csv "
                "(--children)."
            )
        listed = admin_units.unit_list(meta.year, units_as_of)
        notes.append(
            f"Đơn vị cấp dưới: {listed.describe(admin_units.plan_date(meta.year, units_as_of))}"
        )
        extra[c.KEY_UNITS_AS_OF] = listed.true_on.isoformat()
    children = [Unit(c.code, c.name, meta.unit_code, c.weight, c.level) for c in children]
    plan_meta = Meta(
        template=PLAN,
        unit_code=meta.unit_code,
        unit_name=meta.unit_name,
        parent_code=meta.parent_code,
        year=meta.year,
        round=meta.round,
        created_at=now_iso(),
        due_date=due_date or meta.due_date,
        extra=extra,
    )
    plan, warnings = build_plan(
        plan_meta, children, catalogue, form_targets(form, catalogue), [], notes
    )
    warnings = [w for w in warnings if "biểu mẫu sẽ có thêm dòng" not in w]
    return write_plan(plan, out, password=password, catalogue=catalogue), plan, warnings


@dataclass(frozen=True)
class ReportUp:
    """What report-up did: the filled form, and what the officer should know."""

    path: Path
    form: Form
    filled: dict[str, int]  # indicator code → result written
    notes: list[str]  # Vietnamese: indicators of the summary the parent does not ask for


def read_summary_file(path: Path, catalogue: Catalogue) -> tuple[Meta, dict[str, object]]:
    """A summary's identity and each indicator's result for the whole unit; errors in it
    stop report-up (a number that might be wrong is never sent up)."""
    meta, results, issues = judge_file(path, read_summary)
    errors = [i for i in issues if i.is_error]
    if errors or meta is None:
        first = errors[0] if errors else None
        raise WorkbookError(
            first.message if first else "Tệp không phải bảng tổng hợp.",
            file=str(path),
            sheet=first.sheet if first else None,
            cell=first.cell if first else None,
        )
    return meta, results


def report_up(summary_path: Path, form_path: Path, out: Path) -> ReportUp:
    """Fill a copy of the parent's form with this unit's consolidated results, matched
    by indicator code (contract §10).  A count or stock row gets the summary's result;
    a rate and a combined row are computed by the form from their parts, as always.
    The received form is never modified."""
    from .jobs import carried_catalogue, check_output_differs

    check_output_differs([summary_path, form_path], out)
    summary_catalogue = carried_catalogue(summary_path)
    form, catalogue = read_received_form(form_path, summary_catalogue)
    meta, results = read_summary_file(summary_path, catalogue)
    _same_unit(meta, form.meta, summary_path, form_path)
    done = fill_form(form, results, catalogue)
    if done.missing:
        raise InputError(
            f"Biểu mẫu {Path(form_path).name} của cấp trên yêu cầu {len(done.missing)} chỉ tiêu "
            f"mà bảng tổng hợp {Path(summary_path).name} không có (hoặc chưa có kết quả): "
            f"{', '.join(done.missing)}. Chưa ghi tệp {out}: hãy bổ sung các chỉ tiêu này vào "
            "kế hoạch, tổng hợp lại rồi chạy lại."
        )
    path = write_form(done.form, out, catalogue=catalogue)
    return ReportUp(path, done.form, done.filled, done.notes)


def _same_unit(summary: Meta, form: Meta, summary_path: Path, form_path: Path) -> None:
    """The summary must be this form's unit, year and round (and period)."""
    clashes = []
    if summary.unit_code != form.unit_code:
        clashes.append(f"đơn vị {summary.unit_code} ≠ {form.unit_code}")
    if summary.year != form.year:
        clashes.append(f"năm {summary.year} ≠ {form.year}")
    if summary.round != form.round:
        clashes.append(f"đợt {summary.round} ≠ {form.round}")
    period_s, period_f = summary.extra.get(c.KEY_PERIOD), form.extra.get(c.KEY_PERIOD)
    if period_s and period_f and period_s != period_f:
        clashes.append(f"kỳ {period_s} ≠ {period_f}")
    if clashes:
        raise InputError(
            f"Bảng tổng hợp {Path(summary_path).name} ({summary.unit_name}, năm {summary.year}, "
            f"đợt {summary.round}) "
            f"không khớp biểu mẫu {Path(form_path).name} ({form.unit_name}, năm {form.year}, đợt "
            f"{form.round}): "
            f"{'; '.join(clashes)}."
        )
