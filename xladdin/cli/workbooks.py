"""``new-plan``, ``forms`` and ``validate``: making and checking workbooks."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .. import contract as c
from .. import jobs
from ..engine.model import Issue
from ..engine.plan_builder import Note
from ..inputs import read_catalogue
from .app import app
from .progress import Progress

KINDS = {c.PLAN: "bảng kế hoạch", c.FORM: "biểu mẫu báo cáo", c.SUMMARY: "bảng tổng hợp"}


def print_issues(issues: list[Issue], *, err: bool = False) -> None:
    for issue in issues:
        where = "!".join(part for part in (issue.sheet, issue.cell) if part)
        word = c.SEVERITY_WORDS.get(issue.severity, issue.severity)
        click.echo(f"  {word:9} {where:16} {issue.message}", err=err)


def count_line(issues: list[Issue]) -> str:
    errors = sum(i.is_error for i in issues)
    return f"{errors} lỗi, {len(issues) - errors} cảnh báo"


@app.command("new-plan", short_help="Tạo bảng kế hoạch (start a plan).")
@click.option("--unit-code", help="Mã đơn vị (mã GSO, ví dụ 31 cho Hải Phòng; VN cho toàn quốc).")
@click.option("--unit-name", help="Tên đơn vị, ví dụ «Thành phố Hải Phòng».")
@click.option("--year", type=click.IntRange(2000, 2100), help="Năm kế hoạch.")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Tệp kế hoạch sẽ tạo (.xlsx).")
@click.option(
    "--from-form",
    "from_form",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Biểu mẫu cấp trên gửi: đơn vị, cấp trên, năm, đợt, hạn nộp và chỉ tiêu lấy từ biểu mẫu.",
)
@click.option(
    "--children",
    "children_csv",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="CHILDREN.csv (code,name,weight): các đơn vị cấp dưới. Mặc định: lấy theo danh mục hành "
    "chính.",
)
@click.option(
    "--targets",
    "targets_csv",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="TARGETS.csv (code,annual_plan,done,round_target); round_target có thể là «50%».",
)
@click.option(
    "--catalogue",
    "catalogue_csv",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Danh mục chỉ tiêu riêng (cột như workbooks/catalogue/indicators.csv): thêm hoặc thay "
    "chỉ tiêu; "
    "bảng kế hoạch mang theo danh mục này.",
)
@click.option("--round", "round_number", default=1, show_default=True, type=click.IntRange(0, 99),
              help="Đợt (0 = cả năm).")
@click.option("--parent-code", help="Mã đơn vị cấp trên (mặc định: theo danh mục hành chính).")
@click.option(
    "--indicators",
    help="Danh sách mã chỉ tiêu, cách nhau bởi dấu phẩy (mặc định: cả danh mục "
    "khi không có TARGETS.csv).",
)
@click.option(
    "--due-date", type=click.DateTime(["%Y-%m-%d"]), help="Hạn nộp báo cáo của các biểu mẫu."
)
@click.option(
    "--units-as-of",
    type=click.DateTime(["%Y-%m-%d"]),
    help="Lấy đơn vị cấp dưới theo danh mục hành chính của ngày này (mặc định: 01/01 của năm kế "
    "hoạch; "
    "từ 01/07/2025: danh mục sau cải cách).",
)
@click.option("--password", help="Mật khẩu bảo vệ trang (mặc định: không có).")
def new_plan_command(
    unit_code,
    unit_name,
    year,
    out,
    from_form,
    children_csv,
    targets_csv,
    catalogue_csv,
    round_number,
    parent_code,
    indicators,
    due_date,
    units_as_of,
    password,
):
    """Tạo bảng kế hoạch phân bổ chỉ tiêu cho một đơn vị bất kỳ, hoặc từ biểu mẫu cấp trên
    gửi (--from-form).

    Start a plan workbook for any unit (nation VN, province, district, commune, ward...),
    or from the form the parent unit sent (--from-form).
    """
    due = due_date.date().isoformat() if due_date else None
    as_of = units_as_of.date() if units_as_of else None
    if from_form is not None:
        given = [
            name
            for name, value in (
                ("--unit-code", unit_code),
                ("--unit-name", unit_name),
                ("--year", year),
                ("--targets", targets_csv),
                ("--catalogue", catalogue_csv),
                ("--parent-code", parent_code),
                ("--indicators", indicators),
            )
            if value is not None
        ]
        if given:
            raise click.UsageError(
                "--from-form lấy đơn vị, năm, chỉ tiêu và danh mục từ biểu mẫu: bỏ "
                f"{', '.join(given)}."
            )
        from ..levels import plan_from_form

        path, plan, warnings = plan_from_form(
            from_form,
            out,
            children_csv=children_csv,
            due_date=due,
            password=password,
            units_as_of=as_of,
        )
    else:
        missing = [
            name
            for name, value in (
                ("--unit-code", unit_code),
                ("--unit-name", unit_name),
                ("--year", year),
            )
            if value is None
        ]
        if missing:
            raise click.UsageError(
                f"Thiếu {', '.join(missing)} (hoặc dùng --from-form BIEU_MAU.xlsx)."
            )
        codes = [x.strip() for x in indicators.split(",") if x.strip()] if indicators else None
        catalogue = read_catalogue(catalogue_csv) if catalogue_csv else None
        with Progress() as progress:
            path, plan, warnings = jobs.new_plan(
                progress=progress,
                unit_code=unit_code,
                unit_name=unit_name,
                year=year,
                out=out,
                children_csv=children_csv,
                targets_csv=targets_csv,
                round_number=round_number,
                parent_code=parent_code,
                indicators=codes,
                due_date=due,
                password=password,
                catalogue=catalogue,
                units_as_of=as_of,
            )
    for warning in warnings:
        click.echo(f"{'Ghi chú' if isinstance(warning, Note) else 'Cảnh báo'}: {warning}", err=True)
    click.echo(
        f"Đã tạo {path}: {plan.meta.unit_name} ({plan.meta.unit_code}) năm {plan.meta.year}, "
        f"{len(plan.rows)} chỉ tiêu, {len(plan.children)} đơn vị cấp dưới."
    )
    for note in plan.notes:
        if note.startswith("Đơn vị cấp dưới:") or note.startswith("Chỉ tiêu nhận từ"):
            click.echo(note)


@app.command("forms", short_help="Tạo biểu mẫu cho đơn vị cấp dưới (make forms).")
@click.argument("plan", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Thư mục để ghi các biểu mẫu.")
@click.option("--due-date", type=click.DateTime(["%Y-%m-%d"]),
              help="Hạn nộp báo cáo (YYYY-MM-DD), ghi vào từng biểu mẫu.")
@click.option(
    "--period",
    help="Kỳ báo cáo: YYYY-MM (tháng), YYYY-Qn (quý) hoặc round-N (đợt; mặc định "
    "là đợt của bảng kế hoạch).",
)
@click.option("--password", help="Mật khẩu bảo vệ trang (mặc định: không có).")
def forms_command(plan, out_dir, due_date, period, password):
    """Tạo một biểu mẫu báo cáo cho mỗi đơn vị cấp dưới của bảng kế hoạch.

    Write one report form per child unit of PLAN, for one period (--period).
    """
    with Progress() as progress:
        written, issues = jobs.make_forms(
            plan, out_dir, password=password, period=period, progress=progress,
            due_date=due_date.date().isoformat() if due_date else None)
    shown = [i for i in issues if i.is_error or i.rule == "blank-round-targets"]
    click.echo(f"Đã tạo {len(written)} biểu mẫu trong {out_dir}.")
    if shown:
        click.echo("Bảng kế hoạch còn chỗ phải sửa; biểu mẫu ghi đúng số đang có trong bảng "
                   f"({count_line(shown)}):", err=True)
        print_issues(shown, err=True)
    return 1 if any(i.is_error for i in shown) else 0


@app.command("validate", short_help="Kiểm tra kế hoạch/biểu mẫu (check a file).")
@click.argument("file", type=click.Path(path_type=Path))  # whatever FILE is, --json prints JSON
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
def validate_command(file, as_json):
    """Kiểm tra một bảng kế hoạch hoặc biểu mẫu báo cáo (thoát mã 1 khi có lỗi).

    Check a plan or a report form; exit code 1 when it has errors.
    """
    try:
        result = jobs.validate_file(file)
    except Exception as error:  # noqa: BLE001 - the guard says it all; this is the last net
        result = jobs.Validation(
            str(file),
            None,
            [
                Issue(
                    c.ERROR,
                    str(file),
                    None,
                    None,
                    "unexpected",
                    f"Lỗi không mong đợi ({type(error).__name__}).",
                )
            ],
        )
    if as_json:
        data = result.as_dict()
        click.echo(
            json.dumps(data, ensure_ascii=False, indent=2)
            .encode("utf-8", "backslashreplace")
            .decode("utf-8")
        )
    else:
        kind = KINDS.get(result.template or "", "tệp")
        click.echo(f"{file} ({kind}): {count_line(result.issues)}")
        if result.template == c.SUMMARY:
            click.echo(
                "  Bảng tổng hợp do «xladdin consolidate» tạo: đã đọc lại bảng "
                f"{c.SUMMARY_TABLE}; các biểu "
                f"mẫu gốc được kiểm tra khi tổng hợp (xem trang «{c.ISSUES_SHEET}» của bảng)."
            )
        print_issues(result.issues)
    return 1 if result.has_errors else 0
