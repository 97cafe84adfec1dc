"""``report-up``: this unit's consolidated results, into the form its parent sent."""

from __future__ import annotations

from pathlib import Path

import click

from .app import app


@app.command("report-up", short_help="Báo cáo lên cấp trên (fill the parent's form).")
@click.argument("summary", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--form",
    "form_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Biểu mẫu cấp trên gửi (không bị sửa).",
)
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Biểu mẫu đã điền để gửi cấp trên (.xlsx).")
@click.option("--allow-partial", is_flag=True,
              help="Gửi báo cáo chưa đủ: vẫn ghi khi còn đơn vị cấp dưới chưa được cộng (biểu "
                   "mẫu ghi rõ «CHƯA ĐỦ» và tên các đơn vị đó; cấp trên thấy cảnh báo).")
def report_up_command(summary: Path, form_path: Path, out: Path, allow_partial: bool) -> None:
    """Điền kết quả tổng hợp của đơn vị (SUMMARY) vào biểu mẫu cấp trên gửi.

    Fill a copy of the parent's form with this unit's consolidated results, by indicator
    code; the received form is left unchanged. Exit code 1 when the parent asks for an
    indicator the summary does not have, or when some sub-units are not counted (missing,
    or left out with errors) unless --allow-partial.
    """
    from ..levels import report_up

    done = report_up(summary, form_path, out, allow_partial=allow_partial)
    for note in done.notes:
        click.echo(f"Ghi chú: {note}", err=True)
    click.echo(
        f"Đã ghi {done.path}: {len(done.filled)} chỉ tiêu của {done.form.meta.unit_name} "
        f"({done.form.meta.unit_code}) gửi {done.form.parent_name or done.form.meta.parent_code}."
    )
