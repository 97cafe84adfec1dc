"""``consolidate`` and ``next-round``: what comes back, and what remains."""

from __future__ import annotations

from pathlib import Path

import click

from .. import contract as c
from .. import jobs
from ..engine.next_round import RoundTarget
from ..engine.periods import parse_period
from ..engine.year import owed, period_label
from .app import app
from .progress import Progress
from .workbooks import count_line


@app.command("consolidate", short_help="Tổng hợp biểu mẫu gửi về (consolidate).")
@click.argument("inbox", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--plan",
    "plan_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Bảng kế hoạch đã dùng để tạo biểu mẫu.",
)
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Bảng tổng hợp sẽ ghi (.xlsx).")
@click.option(
    "--json",
    "json_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Ghi thêm báo cáo JSON (expected, received, missing, duplicates, totals, by_unit, issues, "
    "periods, cumulative).",
)
@click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(["%Y-%m-%d"]),
    help="Đến ngày YYYY-MM-DD: liệt kê, theo từng kỳ đã đến hạn, đơn vị chưa gửi biểu mẫu.",
)
@click.option(
    "--by-region",
    "by_region",
    is_flag=True,
    help="Kế hoạch toàn quốc: thêm trang «Theo vùng» (tổng theo 6 vùng kinh tế - xã hội) và "
    "khóa regions trong báo cáo JSON.",
)
@click.option(
    "--allow-partial",
    "allow_partial",
    is_flag=True,
    help="Vẫn cộng biểu mẫu đơn vị cấp dưới gửi lên khi chưa đủ (report-up --allow-partial, "
    "ghi «CHƯA ĐỦ»): chỉ cảnh báo. Không có tùy chọn này, biểu mẫu đó là lỗi và chưa được cộng.",
)
def consolidate_command(
    inbox: Path, plan_path: Path, out: Path, json_path: Path | None, as_of,
    by_region: bool = False, allow_partial: bool = False,
) -> int:
    """Tổng hợp mọi biểu mẫu trong thư mục INBOX (hoặc các trang của một tệp Excel).

    Consolidate every form under INBOX (.xlsx/.xlsm, recursively; or the unit sheets of one
    workbook); forms of several periods (months, quarters, rounds) of the year are shown
    period by period and cumulatively. Exit code 1 when a form had errors and was left out
    of the totals.
    """
    with Progress() as progress:
        summary = jobs.consolidate(inbox, plan_path, out, json_path, progress=progress,
                                   as_of=as_of.date() if as_of else None, by_region=by_region,
                                   allow_partial=allow_partial)
    click.echo(
        f"Đã nhận {len(summary.received)}/{len(summary.expected)} đơn vị; được cộng: "
        f"{len(summary.counted)}; chưa gửi: {len(summary.missing)}; muộn: {len(summary.late)}; "
        f"tệp trùng: {len(summary.duplicates)}; {count_line(list(summary.issues))}."
    )
    if summary.missing:
        names = {u.code: u.name for u in summary.units}
        click.echo("Chưa gửi: " + ", ".join(names[c] for c in summary.missing))
    for issue in summary.issues:  # a unit's own report is short of some of its sub-units
        if issue.rule == c.PARTIAL_RULE:
            click.echo(f"{Path(issue.file or '').name}: {issue.message}")
    if len(summary.periods) > 1:
        click.echo("Các kỳ: " + "; ".join(
            f"{period_label(p)}: {len(p.received)}/{len(p.expected)}" for p in summary.periods))
    if as_of is not None:
        names = {u.code: u.name for u in summary.units}
        for text, codes in owed(summary, as_of.date()).items():
            if codes:
                click.echo(f"Đến {as_of:%d/%m/%Y}, {parse_period(text).label()} chưa gửi: "
                           + ", ".join(names.get(c, c) for c in codes))
    click.echo(f"Bảng tổng hợp: {out}" + (f"; báo cáo JSON: {json_path}" if json_path else ""))
    return 1 if any(i.is_error for i in summary.issues) else 0


@app.command("next-round", short_help="Lập kế hoạch đợt sau (next round).")
@click.argument("plan", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--summary",
    "summary_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Bảng tổng hợp của đợt vừa xong.",
)
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Bảng kế hoạch đợt mới (.xlsx).")
@click.option("--round-target", "round_target",
              help="Chỉ tiêu đợt mới cho mọi chỉ tiêu: một số, hoặc NN% của số còn lại (mặc định: "
              "100% số còn lại).")
@click.option("--targets", "targets_csv",
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="TARGETS.csv (như new-plan: code,annual_plan,done,round_target): Chỉ tiêu "
              "đợt mới cho từng chỉ tiêu; --round-target áp dụng cho các chỉ tiêu còn lại.")
@click.option("--due-date", type=click.DateTime(["%Y-%m-%d"]),
              help="Hạn báo cáo của đợt mới (YYYY-MM-DD), ghi vào bảng kế hoạch và các biểu mẫu.")
@click.option("--missing-as-zero", is_flag=True,
              help="Đơn vị chưa có kết quả trong bảng tổng hợp (chưa gửi, biểu mẫu lỗi) được tính "
              "là đã thực hiện 0; không có tùy chọn này thì next-round dừng và nêu tên các đơn vị "
              "đó.")
def next_round_command(plan: Path, summary_path: Path, out: Path, round_target: str | None,
                       due_date, missing_as_zero: bool, targets_csv: Path | None) -> None:
    """Lập kế hoạch đợt sau: cộng kết quả đợt này vào Đã thực hiện, tính lại Còn lại.

    Carry this round's results into Đã thực hiện (each child's too) and start the next
    round's plan: the new round is split in proportion to what each child has left.
    """
    if round_target and "%" not in round_target:
        wanted = RoundTarget.parse(round_target)
        if wanted.grouped:
            click.echo(f"Cảnh báo: --round-target '{round_target.strip()}' được đọc là "
                       f"{wanted.number} (dấu chấm phân cách hàng nghìn, như trong Excel tiếng "
                       "Việt).", err=True)
    new_plan = jobs.next_round(plan, summary_path, out, round_target=round_target,
                               due_date=due_date.date().isoformat() if due_date else None,
                               missing_as_zero=missing_as_zero, targets_csv=targets_csv)
    if new_plan.done_unknown:
        names = {u.code: u.name for u in new_plan.children}
        click.echo("CẢNH BÁO: chưa có kết quả đợt trước của "
                   + ", ".join(f"{names[code]} ({code})" for code in new_plan.done_unknown)
                   + ": được tính là đã thực hiện 0 (--missing-as-zero), ghi ở trang «"
                   + c.REMAINDER_SHEET + "».", err=True)
    by_remainder = sum(r.child_done is not None and r.shares is not None for r in new_plan.rows)
    click.echo(
        f"Đã tạo {out}: đợt {new_plan.meta.round} năm {new_plan.meta.year}"
        + (
            f"; {by_remainder} chỉ tiêu chia theo phần còn lại của từng đơn vị"
            if by_remainder
            else ""
        )
        + "."
    )
