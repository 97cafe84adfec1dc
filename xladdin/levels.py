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
from fractions import Fraction
from pathlib import Path

from . import admin_units
from . import contract as c
from .bundled import catalogue as bundled_catalogue
from .engine.catalogue import RATE, Catalogue
from .engine.forms import ANNUAL_SHARE
from .engine.model import FORM, PLAN, Form, Meta, Plan, now_iso
from .engine.periods import period_of
from .engine.plan_builder import TargetLine, build_plan
from .engine.report_up import fill_form, mark_partial, partial_text
from .engine.tidy import ReportData
from .engine.units import Unit
from .errors import InputError, WorkbookError
from .inputs import read_children
from .reader.carried import catalogue_of
from .reader.form_reader import read_form
from .reader.guard import judge_file
from .reader.summary_reader import read_report_data, read_summary
from .writer.form import write_form
from .writer.plan import write_plan

# _meta keys of the form a plan was made from (report-up finds that form again by them)
FROM_FORM_KEYS = {c.KEY_CREATED_AT: c.KEY_FORM_CREATED_AT, c.KEY_DUE_DATE: c.KEY_FORM_DUE_DATE}


def refuse_on_errors(path: Path, issues: list, unreadable: bool, what: str) -> None:
    """A file with an error is refused, naming the first error's file, sheet and cell."""
    errors = [i for i in issues if i.is_error]
    if errors or unreadable:
        first = errors[0] if errors else None
        raise WorkbookError(
            first.message if first else what,
            file=str(path),
            sheet=first.sheet if first else None,
            cell=first.cell if first else None,
        )


def read_received_form(path: Path, catalogue: Catalogue | None = None) -> tuple[Form, Catalogue]:
    """The form the parent sent, and the catalogue it carries (refused when it is not a
    clean form: an error names the file, sheet and cell)."""
    def judge(grid):
        own = catalogue_of(grid, catalogue or bundled_catalogue())
        reading = read_form(grid, own)
        return own, reading, reading.form.meta.template if reading.form else None

    catalogue, reading, keys_template = judge_file(path, judge)
    refuse_on_errors(
        path, list(reading.issues), reading.form is None, "Tệp không phải biểu mẫu báo cáo."
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
    # a month's or quarter's form carries the unit's annual share (target_basis), round 0 the year
    whole_year = form.meta.round == 0 or form.meta.extra.get(c.KEY_TARGET_BASIS) == ANNUAL_SHARE
    round_basis = form.meta.extra.get(c.KEY_TARGET_BASIS) != ANNUAL_SHARE
    lines = []
    for row in form.rows:
        if row.code not in catalogue:
            continue
        if row.is_rate:
            lines.append(TargetLine(row.code, name=row.name,
                                    round_target=row.target_rate if round_basis else None,
                                    annual_plan=row.target_rate if whole_year else None))
        elif row.parts:
            lines.append(TargetLine(row.code, name=row.name))
        elif row.round_target is None and row.code in rate_inputs:
            continue
        else:
            lines.append(TargetLine(row.code, name=row.name,
                                    round_target=row.round_target if round_basis else None,
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
    extra = {
        k: v
        for k, v in meta.extra.items()
        if k not in (c.KEY_PARENT_NAME, c.KEY_TARGET_BASIS, c.KEY_PARTIAL_MISSING)
    }
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
        period=meta.period,
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


@dataclass(frozen=True)
class SummaryReading:
    meta: Meta
    results: dict[str, object]  # «Tổng hợp»: the whole unit, year to date
    periods: ReportData | None  # «Theo kỳ»: each unit's numbers of each period


def read_summary_file(path: Path, catalogue: Catalogue) -> SummaryReading:
    """A summary's identity, its results and its numbers per unit and period (the one
    summary reader, :func:`read_report_data`); errors in it stop report-up (a number that
    might be wrong is never sent up).  A summary without «Theo kỳ» has its «Tổng hợp» only."""

    def judge(grid):
        meta, results, issues = read_summary(grid)
        data, more = read_report_data(grid, catalogue) if meta is not None else (None, [])
        return meta, results, data, issues + (more if data is not None else [])

    meta, results, data, issues = judge_file(path, judge)
    refuse_on_errors(path, issues, meta is None, "Tệp không phải bảng tổng hợp.")
    return SummaryReading(meta, results, data)


def period_results(
    data: ReportData, period: str
) -> tuple[dict[str, object] | None, list[tuple[str, str]]]:
    """The unit's results for one period: each count or stock summed over the units whose
    form of that period was counted (a stock: its level at the period's end), and the units
    not counted for it ((code, name)).  None when the summary has no such period.  An indicator some
    counted unit has no number for gets no result (never a sum that leaves a unit out)."""
    if period not in data.periods:
        return None, []
    records = [
        r for r in data.records if r.period == period and data.kind(r.indicator_code) != RATE
    ]
    counted = {r.unit_code for r in records}
    by_code: dict[str, dict[str, object]] = {}
    for r in records:
        by_code.setdefault(r.indicator_code, {})[r.unit_code] = r.result
    results: dict[str, object] = {}
    for code, values in by_code.items():
        numbers = [v for v in values.values() if isinstance(v, int | Fraction)]
        results[code] = sum(numbers) if len(numbers) == len(counted) else None
    left_out = [(code, name) for code, name in data.units if code not in counted]
    return results, left_out


def report_up(
    summary_path: Path, form_path: Path, out: Path, *, allow_partial: bool = False
) -> ReportUp:
    """Fill a copy of the parent's form with this unit's consolidated results, matched
    by indicator code (contract §10): the results of the form's period when the summary
    holds several («Theo kỳ»), else its «Tổng hợp».  A count or stock row gets the result;
    a rate and a combined row are computed by the form from their parts, as always.
    A summary with units not counted (missing, or left out with errors) is refused unless
    ``allow_partial``: then they are named in a note, in each filled row's Ghi chú and in
    ``_meta`` (``partial_missing``), which the parent's consolidate reports.  The
    received form is never modified."""
    from .jobs import carried_catalogue
    from .outputs import check_output_differs

    check_output_differs([summary_path, form_path], out)
    summary_catalogue = carried_catalogue(summary_path)
    form, catalogue = read_received_form(form_path, summary_catalogue)
    reading = read_summary_file(summary_path, catalogue)
    _same_unit(reading.meta, form.meta, summary_path, form_path)
    wanted = period_of(form.meta)
    results, left_out = (period_results(reading.periods, wanted.text) if reading.periods is not None
                         else (None, []))
    if results is None:
        shown = period_of(reading.meta)
        if reading.periods or shown.text != wanted.text:
            raise InputError(
                f"Bảng tổng hợp {Path(summary_path).name} không có kết quả "
                f"{wanted.label(form.meta.year)} "
                f"mà biểu mẫu {Path(form_path).name} yêu cầu: hãy tổng hợp các biểu mẫu của kỳ "
                "này rồi chạy lại."
            )
        results = reading.results
    done = fill_form(form, results, catalogue)
    if done.missing:
        raise InputError(
            f"Biểu mẫu {Path(form_path).name} của cấp trên yêu cầu {len(done.missing)} chỉ tiêu "
            f"mà bảng tổng hợp {Path(summary_path).name} không có (hoặc chưa có kết quả): "
            f"{', '.join(done.missing)}. Chưa ghi tệp {out}: hãy bổ sung các chỉ tiêu này vào "
            "kế hoạch, tổng hợp lại rồi chạy lại."
        )
    if left_out and not allow_partial:
        raise InputError(
            f"{c.PARTIAL_WORD}: bảng tổng hợp {Path(summary_path).name} chưa cộng số liệu của "
            f"{len(left_out)} đơn vị: {partial_text(left_out)} (chưa gửi hoặc có lỗi). Chưa ghi "
            f"tệp {out}. Hãy nhận đủ báo cáo, tổng hợp lại rồi chạy lại; nếu cấp trên cần ngay "
            f"báo cáo chưa đủ, chạy lại với --allow-partial (biểu mẫu sẽ ghi rõ «{c.PARTIAL_WORD}» "
            "và cấp trên sẽ thấy cảnh báo)."
        )
    filled, notes = mark_partial(done.form, done.filled, left_out), list(done.notes)
    if left_out:
        notes.insert(0, f"{c.PARTIAL_WORD}: chưa cộng số liệu của {partial_text(left_out)}. "
                        "Khi đủ, tổng hợp lại rồi báo cáo lại.")
    path = write_form(filled, out, catalogue=catalogue)
    return ReportUp(path, filled, done.filled, notes)


def _same_unit(summary: Meta, form: Meta, summary_path: Path, form_path: Path) -> None:
    """The summary must be this form's unit and year (the period is matched by the caller)."""
    clashes = []
    if summary.unit_code != form.unit_code:
        clashes.append(f"đơn vị {summary.unit_code} ≠ {form.unit_code}")
    if summary.year != form.year:
        clashes.append(f"năm {summary.year} ≠ {form.year}")
    if clashes:
        raise InputError(
            f"Bảng tổng hợp {Path(summary_path).name} ({summary.unit_name}, năm {summary.year}) "
            f"không khớp biểu mẫu {Path(form_path).name} ({form.unit_name}, năm {form.year}): "
            f"{'; '.join(clashes)}."
        )
