"""The jobs an officer asks for, one function each, shared by the CLI and the buttons.

Each job reads its inputs (never modifying them), calls the engine and writes its
outputs atomically; problems come back as issues or as :mod:`xladdin.errors`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import admin_units
from . import contract as c
from .bundled import catalogue as bundled_catalogue
from .engine.catalogue import Catalogue
from .engine.forms import form_filename, plan_forms
from .engine.model import PLAN, FormReading, Issue, Meta, Plan, PlanReading, now_iso
from .engine.plan_builder import TargetLine, build_plan
from .engine.text import control_characters
from .engine.units import Unit
from .engine.validate import plan_issues
from .errors import InputError, UsageError, WorkbookError
from .inbox import shown
from .inputs import read_children, read_targets
from .outputs import WORKBOOK_SUFFIXES as WORKBOOK_SUFFIXES
from .outputs import check_output_differs as check_output_differs
from .outputs import check_suffix as check_suffix
from .outputs import write_json as write_json
from .reader.any_workbook import check_workbook
from .reader.carried import catalogue_of
from .reader.form_reader import read_form
from .reader.guard import add_notices, judge_file, with_notices
from .reader.plan_reader import read_plan
from .silent import Silent as Silent  # re-exported: the CLI's Progress extends it
from .writer.batch import write_forms
from .writer.plan import write_plan
from .writer.save import refuse_clobbering


@dataclass
class Validation:
    file: str
    template: str | None
    issues: list[Issue] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return any(i.is_error for i in self.issues)

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "template": self.template,
            "issues": [i.as_dict() for i in self.issues],
        }


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


def _read_file(path: Path, read, catalogue: Catalogue | None):
    catalogue = catalogue or bundled_catalogue()
    return judge_file(
        path, lambda grid: add_notices(read(grid, catalogue_of(grid, catalogue)), grid)
    )


def carried_catalogue(path: Path, base: Catalogue | None = None) -> Catalogue:
    """The catalogue a workbook was made with: ``base`` (default: the bundled one) plus
    the indicators the workbook carries (contract §8, ``--catalogue``)."""
    return judge_file(path, lambda grid: catalogue_of(grid, base or bundled_catalogue()))


def read_plan_file(path: Path, catalogue: Catalogue | None = None) -> PlanReading:
    return _read_file(path, read_plan, catalogue)


def read_form_file(path: Path, catalogue: Catalogue | None = None) -> FormReading:
    return _read_file(path, read_form, catalogue)


def usable_plan(path: Path, catalogue: Catalogue | None = None) -> tuple[Plan, list[Issue]]:
    """A plan to work from: cell errors stop the job; the split checks come back as issues."""
    reading = read_plan_file(path, catalogue)
    errors = [i for i in reading.issues if i.is_error]
    if errors or reading.plan is None:
        first = errors[0] if errors else None
        raise WorkbookError(
            (first.message if first else "Không đọc được bảng kế hoạch.")
            + (
                f" (và {len(errors) - 1} lỗi khác; chạy «xladdin validate» để xem hết)"
                if len(errors) > 1
                else ""
            ),
            file=str(path),
            sheet=first.sheet if first else None,
            cell=first.cell if first else None,
        )
    return reading.plan, list(reading.issues) + plan_issues(reading)


def make_forms(
    plan_path: Path,
    out_dir: Path,
    *,
    due_date: str | None = None,
    password: str | None = None,
    catalogue: Catalogue | None = None,
    period: str | None = None,
    progress: Silent | None = None,
    replace_filled: bool = False,
) -> tuple[list[Path], list[Issue]]:
    """One report form per child unit of the plan for ``period`` (contract §8; default
    the plan's round), in ``out_dir``; each form carries its own due date.  A form
    already there with results typed in is never replaced (unless ``replace_filled``)."""
    from .engine.periods import parse_period

    catalogue = carried_catalogue(plan_path, catalogue)
    plan, issues = usable_plan(plan_path, catalogue)
    if not plan.children:
        raise InputError(f"{plan_path}: bảng kế hoạch chưa có đơn vị cấp dưới nào.")
    if period:
        wanted = parse_period(period)
        if wanted.is_calendar and plan.meta.year and wanted.year != plan.meta.year:
            raise UsageError(
                f"Kỳ {wanted.label()} không thuộc năm {plan.meta.year} của bảng kế hoạch."
            )
        period = wanted.text
    due = due_date or plan.meta.due_date
    forms = [(form, out_dir / form_filename(form.meta.unit_code, form.meta.unit_name, period))
             for form in plan_forms(plan, due_date=due, catalogue=catalogue, period=period)]
    refuse_clobbering([plan_path], [path for _, path in forms])
    if not replace_filled:
        refuse_filled([path for _, path in forms], catalogue)
    issues += blank_target_issues(str(plan_path), [form for form, _ in forms])
    progress = progress or Silent()
    progress.phase("Đang ghi biểu mẫu", len(forms))
    return write_forms(
        forms, password=password, catalogue=catalogue, progress=progress.step
    ), issues


def _asked(form) -> list:
    """The count and stock rows a form gives a target to: not the rates, nor the numerator
    and denominator rows a rate brings (a form never has a target for those)."""
    rate_inputs = {part for row in form.rows if row.is_rate for part in row.parts}
    return [row for row in form.rows
            if not row.is_rate and not (row.code in rate_inputs and row.round_target is None)]


def refuse_filled(paths: list[Path], catalogue: Catalogue) -> None:
    """A :class:`UsageError` when one of ``paths`` is a form with results typed in: an
    officer's returned form is an input, and ``forms --out`` must never destroy it."""
    filled = []
    for path in paths:
        if not path.is_file():
            continue
        try:
            reading = judge_file(path, lambda grid: read_form(grid, catalogue))
        except WorkbookError:
            filled.append(path)  # something else under that name: not ours to replace
            continue
        if reading.form is None or any(r.result not in (None, 0) for r in reading.form.rows):
            filled.append(path)
    if filled:
        names = ", ".join(p.name for p in filled[:3]) + (
            f" và {len(filled) - 3} tệp khác" if len(filled) > 3 else ""
        )
        raise UsageError(
            f"Thư mục {paths[0].parent} đã có biểu mẫu đã điền kết quả ({names}): xladdin không "
            "ghi đè. Hãy chọn thư mục khác cho biểu mẫu mới."
        )


def blank_target_issues(source: str, forms) -> list[Issue]:
    """A form whose Chỉ tiêu đợt is blank asks a unit for nothing: an error when no form
    asks for anything, a warning naming the indicators left blank otherwise."""
    counts = [row for form in forms for row in _asked(form)]
    blank = [row for row in counts if row.round_target is None]
    if not counts or not blank:
        return []
    sheet = c.PLAN_SHEET
    if len(blank) == len(counts):
        return [
            Issue(
                c.ERROR,
                source,
                sheet,
                None,
                "no-round-targets",
                "Bảng kế hoạch chưa có Chỉ tiêu đợt nào (hoặc chưa chia được cho đơn vị nào): các "
                "biểu mẫu "
                "có cột Chỉ tiêu đợt trống. Nhập Chỉ tiêu đợt và trọng số rồi tạo lại biểu mẫu.",
            )
        ]
    codes = list(dict.fromkeys(row.code for row in blank))
    shown = ", ".join(codes[:8]) + (f" và {len(codes) - 8} chỉ tiêu khác" if len(codes) > 8 else "")
    return [
        Issue(
            c.WARNING,
            source,
            sheet,
            None,
            "blank-round-targets",
            f"Chỉ tiêu đợt còn trống ở {len(codes)} chỉ tiêu ({shown}): biểu mẫu để trống các ô "
            "này.",
        )
    ]


def validate_file(path: Path, catalogue: Catalogue | None = None) -> Validation:
    """Check a plan or a form (contract §5, validate): the rules of «Kiểm tra»."""
    catalogue = catalogue or bundled_catalogue()

    def judge(grid) -> Validation:
        try:
            own = catalogue_of(grid, catalogue)
        except WorkbookError as error:
            return Validation(
                str(path),
                None,
                [Issue("error", str(path), error.sheet, error.cell, "catalogue", error.message)],
            )
        template, issues = check_workbook(grid, own)
        return Validation(str(path), template, list(with_notices(issues, grid)))

    try:
        result = judge_file(path, judge)
    except WorkbookError as error:
        result = Validation(
            str(path),
            None,
            [Issue("error", str(path), error.sheet, error.cell, error.rule, error.message)],
        )
    name = shown(path)
    if name != str(path):  # a name that is not UTF-8: printable, with its bytes as \xNN
        result = Validation(name, result.template, [replace(i, file=name) for i in result.issues])
    return result


def consolidate(
    inbox: Path,
    plan_path: Path,
    out: Path,
    json_path: Path | None = None,
    *,
    catalogue: Catalogue | None = None,
    progress: Silent | None = None,
    as_of=None,
    by_region: bool = False,
):
    """Read every form under ``inbox`` (a folder, or one workbook of pasted sheets), write
    the summary workbook and, optionally, the JSON report; inputs are never modified.
    Forms of several periods of the plan's year are consolidated each on their own and
    together (contract §8); ``as_of`` (a date) adds who owes which period's form."""
    from .engine.year import consolidate_year as consolidate_forms
    from .engine.year import owed
    from .inbox import inbox_files, read_book, read_folder
    from .writer.summary import write_summary

    progress = progress or Silent()
    catalogue = carried_catalogue(plan_path, catalogue)
    check_suffix(out, WORKBOOK_SUFFIXES, "bảng tổng hợp")
    if json_path:
        check_suffix(json_path, (".json",), "báo cáo JSON")
    outputs = [out] + ([json_path] if json_path else [])
    refuse_clobbering([plan_path, inbox], outputs)
    if inbox.is_dir():  # no output may replace a form of the inbox either
        refuse_clobbering(inbox_files(inbox), outputs)
    plan, plan_problems = usable_plan(plan_path, catalogue)
    if inbox.is_file():
        submissions = read_book(inbox, plan, catalogue)
    elif inbox.is_dir():
        skip = {p.resolve() for p in [plan_path, *outputs]}
        progress.phase("Đang đọc biểu mẫu", len(inbox_files(inbox)))
        submissions = list(read_folder(inbox, catalogue, skip=skip, progress=progress))
    else:
        raise UsageError(f"Không có thư mục hay tệp {inbox}.")
    progress.phase("Đang ghi bảng tổng hợp")
    summary = consolidate_forms(plan, submissions, catalogue)
    groups = plan_regions(plan) if by_region else None
    write_summary(summary, out, catalogue=catalogue, regions=groups)
    if json_path:
        report = summary.report()
        if as_of is not None:
            report["as_of"] = {"date": as_of.isoformat(), "owed": owed(summary, as_of)}
        if groups:
            report["regions"] = regions_report(summary, groups)
        write_json(report, json_path)
    return summary


def plan_regions(plan: Plan) -> list:
    """A national plan's provinces grouped by socio-economic region: the 63 provinces'
    regions before the reform, the 34's after it (by the date of the plan's list)."""
    from .engine.regions import group_by_region

    as_of = plan.meta.extra.get(c.KEY_UNITS_AS_OF)
    day = dt.date.fromisoformat(as_of) if as_of else None
    codes = [child.code for child in plan.children]
    regions = admin_units.regions_for(codes, plan.meta.year, day)
    return group_by_region(codes, {code: (r.code, r.name) for code, r in regions.items()})


def regions_report(summary, groups) -> dict:
    """JSON: ``{region name: {"units": [codes], "totals": {indicator: result}}}``."""
    from fractions import Fraction

    from .engine.regions import region_totals

    def number(value):
        if isinstance(value, Fraction):
            return value.numerator if value.denominator == 1 else float(value)
        return value

    return {group.name: {"units": list(group.units),
                         "totals": {code: number(value)
                                    for code, value in region_totals(summary, group).items()}}
            for group in groups}


def next_round(
    plan_path: Path, summary_path: Path, out: Path, catalogue: Catalogue | None = None, *,
    round_target: str | None = None, due_date: str | None = None, missing_as_zero: bool = False,
    targets_csv: Path | None = None,
) -> Plan:
    """The plan of the next round (contract §5, §9): results carried into Đã thực hiện,
    each child's own results into «Còn lại đơn vị», the new round split by what each
    child has left; ``round_target`` a number or «NN%» of what remains; ``due_date``
    written to the new plan (its forms inherit it); ``targets_csv`` (the new-plan CSV) sets
    Chỉ tiêu đợt per indicator, ``round_target`` the rest."""
    from .engine.next_round import RoundTarget
    from .engine.next_round import next_round as advance
    from .reader.summary_reader import read_summary, read_unit_results

    wanted = RoundTarget.parse(round_target) if round_target else None

    check_suffix(out, WORKBOOK_SUFFIXES, "bảng kế hoạch")
    check_output_differs([plan_path, summary_path, *([targets_csv] if targets_csv else [])], out)
    catalogue = carried_catalogue(plan_path, catalogue)
    plan, _ = usable_plan(plan_path, catalogue)
    lines = read_targets(targets_csv, catalogue, list(plan.children)) if targets_csv else []
    fixed = _round_targets(lines, plan, targets_csv)
    def both(grid):
        meta, results, issues = read_summary(grid)
        return meta, results, issues, (read_unit_results(grid, plan.children) if meta else {})

    meta, results, issues, by_unit = judge_file(summary_path, both)
    errors = [i for i in issues if i.is_error]
    if errors:
        raise WorkbookError(
            errors[0].message, file=str(summary_path), sheet=errors[0].sheet, cell=errors[0].cell
        )
    if (meta.unit_code, meta.year, meta.round) != (
        plan.meta.unit_code,
        plan.meta.year,
        plan.meta.round,
    ):
        raise InputError(
            f"Bảng tổng hợp {summary_path} là của đơn vị {meta.unit_code}, năm {meta.year}, đợt "
            f"{meta.round}; "
            f"bảng kế hoạch là của {plan.meta.unit_code}, năm {plan.meta.year}, đợt "
            f"{plan.meta.round}."
        )
    absent = tuple(c.code for c in plan.children if c.code not in by_unit) if by_unit else ()
    if absent and not missing_as_zero:
        names = ", ".join(f"{c.name} ({c.code})" for c in plan.children if c.code in absent)
        raise InputError(
            f"Bảng tổng hợp {summary_path} không có kết quả đợt {plan.meta.round} của "
            f"{len(absent)} đơn vị: {names} (chưa gửi biểu mẫu, hoặc biểu mẫu bị lỗi nên chưa "
            "được cộng). Lập đợt mới bây giờ sẽ coi như các đơn vị này chưa làm được gì và giao "
            "cho họ nhiều hơn. Hãy nhận đủ biểu mẫu, tổng hợp lại rồi chạy lại; hoặc, nếu đúng "
            "là các đơn vị này chưa làm được gì, chạy lại với --missing-as-zero (bảng kế hoạch "
            "mới sẽ ghi rõ tên các đơn vị được tính là 0)."
        )
    new_plan = advance(plan, results, source=summary_path.name, by_unit=by_unit,
                       round_target=wanted, due_date=due_date, counted_as_zero=absent,
                       targets=fixed)
    for line in lines:
        carried = new_plan.row(line.code)
        if line.done is not None and carried is not None and line.done != carried.done:
            raise InputError(
                f"{targets_csv}, dòng {line.line}, cột done: {line.done} khác Đã thực hiện của đợt "
                f"mới ({carried.done}, lấy từ bảng kế hoạch và bảng tổng hợp); để trống cột done.")
    write_plan(new_plan, out, catalogue=catalogue)
    return new_plan


def _round_targets(lines: list[TargetLine], plan: Plan, path: Path | None) -> dict:
    """TARGETS.csv for next-round: only Chỉ tiêu đợt is taken; Kế hoạch năm and Đã thực
    hiện come from the plan and the summary, the shares from each child's remainder."""
    fixed = {}
    for line in lines:
        row = plan.row(line.code)
        where = f"{path}, dòng {line.line}"
        if row is None:
            raise InputError(f"{where}: chỉ tiêu {line.code} không có trong bảng kế hoạch.")
        if line.shares:
            raise InputError(f"{where}: next-round chia Chỉ tiêu đợt theo phần còn lại của từng "
                             "đơn vị; hãy bỏ các cột đơn vị.")
        if line.round_share is not None:
            raise InputError(f"{where}, cột round_target: ghi một số; muốn lấy phần trăm của số "
                             "còn lại thì dùng --round-target NN%.")
        if line.annual_plan is not None and line.annual_plan != row.annual_plan:
            raise InputError(f"{where}, cột annual_plan: {line.annual_plan} khác Kế hoạch năm "
                             f"trong bảng kế hoạch ({row.annual_plan}); để trống cột này.")
        if line.round_target is None:
            continue
        if plan.parts_present(row):
            raise InputError(f"{where}: {line.code} là tổng của các chỉ tiêu thành phần; hãy "
                             "ghi Chỉ tiêu đợt cho từng thành phần.")
        fixed[line.code] = line.round_target
    return fixed
