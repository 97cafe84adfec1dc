"""``export``: a summary's numbers leave the workbook for DHIS2 (contract §11)."""

from __future__ import annotations

from pathlib import Path

import click

from .app import app


@app.command("export", short_help="Xuất số liệu sang DHIS2 (export for DHIS2).")
@click.argument("summary", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dhis2", "out", type=click.Path(dir_okay=False, path_type=Path),
              help="Tệp CSV sẽ ghi: bộ giá trị dữ liệu (data value set) để nhập vào DHIS2.")
@click.option("--adx", "adx", type=click.Path(dir_okay=False, path_type=Path),
              help="Tệp ADX (.xml) sẽ ghi: cùng số liệu theo chuẩn ADX, nhóm theo đơn vị và kỳ.")
@click.option(
    "--dataset", "data_set", help="Mã bộ dữ liệu (data set) DHIS2 mà ADX ghi cho mỗi nhóm."
)
@click.option("--mapping", "mapping", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="MAP.csv (kind,code,dhis2): mã DHIS2 của chỉ tiêu (indicator) và đơn vị (unit). "
                   "Mặc định: gửi mã của xladdin (nhập với idScheme=CODE).")
@click.option("--period", "round_period", metavar="KỲ",
              help="Bảng tổng hợp theo đợt: kỳ DHIS2 của số liệu (tháng YYYY-MM hoặc quý "
                   "YYYY-Qn diễn ra đợt, hoặc YYYY nếu là số của cả năm).")
def export_command(summary: Path, out: Path | None, adx: Path | None, data_set: str | None,
                   mapping: Path | None, round_period: str | None) -> None:
    """Xuất kết quả của bảng tổng hợp SUMMARY thành tệp CSV để nhập vào DHIS2.

    Write the summary's results as a DHIS2 data value set (CSV import layout, or ADX with
    --adx and --dataset): one value
    per unit, indicator and period (202403, 2024Q1; a campaign round: the period given by
    --period, since DHIS2 has no rounds and replaces a value sent twice). Rates and
    combined rows are left to DHIS2, which computes them from their parts.
    """
    from ..leaving import export_dhis2

    done = export_dhis2(summary, out, mapping, adx=adx, data_set=data_set,
                        round_period=round_period)
    periods = sorted({v.period for v in done.values})
    units = {v.unit_code for v in done.values}
    click.echo(
        f"Đã ghi {' và '.join(str(p) for p in (out, adx) if p)}: {len(done.values)} giá trị của "
        f"{len(units)} đơn vị, kỳ "
        f"{', '.join(periods) or '–'}."
    )
    if done.left_out:
        click.echo(
            f"Ghi chú: không xuất {', '.join(done.left_out)} (tỷ lệ hoặc dòng tổng: DHIS2 tự tính "
            "từ các thành phần).",
            err=True,
        )
    if round_period and round_period.strip().isdigit() and len(round_period.strip()) == 4:
        click.echo(f"Ghi chú: DHIS2 sẽ coi các số này là số của cả năm {round_period.strip()}; "
                   "lần nhập sau vào cùng kỳ sẽ thay chúng.", err=True)
    elements, units_scheme = done.id_schemes
    click.echo(f"Nhập vào DHIS2 (Nhập/Xuất dữ liệu → Nhập dữ liệu, định dạng CSV hoặc ADX) với "
               f"dataElementIdScheme={elements}, orgUnitIdScheme={units_scheme}.")
