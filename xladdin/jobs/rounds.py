"""The next-round job: the plan of the next round from a plan and its summary (§9)."""

from __future__ import annotations

from pathlib import Path

from .. import contract as c
from ..engine.catalogue import Catalogue
from ..engine.model import Plan
from ..engine.plan_builder import TargetLine
from ..errors import InputError, WorkbookError
from ..inputs import read_targets
from ..outputs import WORKBOOK_SUFFIXES, check_output_differs, check_suffix
from ..reader.guard import judge_file
from ..writer.plan import write_plan
from .reading import carried_catalogue, usable_plan


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
    from ..engine.next_round import RoundTarget
    from ..engine.next_round import next_round as advance
    from ..reader.summary_reader import absent_rows, read_summary, read_unit_results, total_issues

    wanted = RoundTarget.parse(round_target) if round_target else None

    check_suffix(out, WORKBOOK_SUFFIXES, "bảng kế hoạch")
    check_output_differs([plan_path, summary_path, *([targets_csv] if targets_csv else [])], out)
    catalogue = carried_catalogue(plan_path, catalogue)
    plan, _ = usable_plan(plan_path, catalogue)
    lines = read_targets(targets_csv, catalogue, list(plan.children)) if targets_csv else []
    fixed = _round_targets(lines, plan, targets_csv)
    def both(grid):
        meta, results, issues = read_summary(grid)
        if meta is None:
            return meta, results, issues, {}
        # a unit's number typed over (its units no longer add up) is never carried
        issues += total_issues(grid, catalogue)
        return meta, results, issues, read_unit_results(grid, plan.children)

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
    rows_lost = absent_rows(results, plan, str(summary_path), c.SUMMARY_SHEET)  # same plan
    if rows_lost:
        raise WorkbookError(rows_lost[0].message, file=str(summary_path), sheet=c.SUMMARY_SHEET)
    absent = (tuple(u.code for u in plan.children if u.code not in by_unit) if by_unit
              else ())
    if absent and not missing_as_zero:
        names = ", ".join(f"{u.name} ({u.code})" for u in plan.children if u.code in absent)
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
