"""``lite``, ``serve`` and ``excel install`` / ``excel buttons``: xladdin inside Excel.

The work is in :mod:`xladdin.excel`; this module only parses options and prints results.
"""

from __future__ import annotations

from pathlib import Path

import click

from .app import app


@app.command("lite", short_help="Gắn mã Python vào bảng tính cho xlwings Lite.")
@click.argument("workbook", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path),
              help="Tệp sẽ ghi (mặc định: TÊN-lite.xlsx cạnh tệp gốc).")
@click.option("--in-place", is_flag=True, help="Ghi thẳng vào tệp gốc thay vì tạo tệp mới.")
@click.option("--check", is_flag=True,
              help="Chỉ kiểm tra WORKBOOK còn mang mã xladdin cho xlwings Lite không "
                   "(sau khi lưu lại bằng chương trình khác); không ghi gì.")
def lite_command(workbook: Path, out: Path | None, in_place: bool, check: bool) -> int:
    """Gắn các hàm và nút bấm của xladdin vào WORKBOOK cho xlwings Lite.

    Người nhận chỉ cần cài tiện ích miễn phí xlwings Lite trong Excel (Trang đầu › Bổ trợ ›
    tìm «xlwings»), không cần cài Python. Tệp gốc không bị sửa, trừ khi dùng --in-place.
    Lưu lại bằng LibreOffice hay openpyxl có thể làm mất mã: kiểm tra bằng --check.

    Embed xladdin's functions and scripts into WORKBOOK for xlwings Lite (main.py and
    requirements.txt inside the workbook). The input is left untouched unless --in-place.
    --check only reports whether WORKBOOK still carries that code (exit 1 if not).
    """
    from ..excel import available_scripts, lite

    if in_place and out:
        raise click.UsageError("dùng --out hoặc --in-place, không dùng cả hai.")
    if check:
        if in_place or out:
            raise click.UsageError("--check chỉ đọc tệp: không dùng cùng --out hay --in-place.")
        found = lite.check(workbook)
        if found.ok:
            click.echo(f"{workbook.name}: còn đủ mã xladdin {found.version} cho xlwings Lite.")
            return 0
        click.echo(f"{workbook.name}: KHÔNG còn dùng được với xlwings Lite ("
                   + "; ".join(found.problems) + "). Tệp có thể đã được lưu lại bằng LibreOffice "
                   "hoặc một chương trình khác: chạy lại «xladdin lite» trên tệp này.", err=True)
        return 1
    path = lite.embed(workbook, out, in_place=in_place)
    scripts = available_scripts()
    click.echo(f"Đã ghi {path}: 5 hàm"
               + (f" và {len(scripts)} nút bấm" if scripts else " (chưa có nút bấm)")
               + " cho xlwings Lite.")
    return 0


@app.command("serve", short_help="Chạy máy chủ xlwings cho Excel trên web.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Địa chỉ lắng nghe. Mặc định chỉ máy này. Địa chỉ khác (0.0.0.0…) mở cho cả "
                   "mạng: cần --cert/--key (hoặc --insecure sau reverse proxy https), và "
                   "--public-url với 0.0.0.0.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535),
              help="Cổng.")
@click.option("--cert", "certfile", type=click.Path(dir_okay=False),
              help="Tệp chứng chỉ HTTPS (Excel chỉ nạp tiện ích qua https).")
@click.option("--key", "keyfile", type=click.Path(dir_okay=False), help="Khóa của chứng chỉ HTTPS.")
@click.option("--public-url", help="Địa chỉ Excel dùng để gọi máy chủ, ví dụ "
              "https://xladdin.huyen.gov.vn (mặc định: http(s)://localhost:CỔNG); các đường dẫn "
              "trong manifest.xml lấy từ đây.")
@click.option("--allowed-host", "allowed_hosts", multiple=True,
              help="Thêm một tên máy chủ được chấp nhận (có thể lặp lại).")
@click.option("--token", is_flag=True,
              help="Thêm mã bí mật ngẫu nhiên vào mọi đường dẫn (mỗi lần chạy một mã mới).")
@click.option(
    "--insecure",
    is_flag=True,
    help="Cho phép --host ngoài máy này mà không có --cert (chỉ khi có reverse proxy https).",
)
@click.option("--functions-module", default="udfs", hidden=True)
@click.option("--scripts-module", default="xladdin.scripts", hidden=True)
def serve_command(host: str, port: int, certfile: str | None, keyfile: str | None,
                  public_url: str | None, allowed_hosts: tuple[str, ...], token: bool,
                  insecure: bool, functions_module: str, scripts_module: str) -> int:
    """Chạy máy chủ xlwings Server của xladdin cho Excel trên web và Microsoft 365.

    Tải tệp cài tiện ích tại ĐỊA_CHỈ/manifest.xml rồi tải lên trong Excel (Trang đầu ›
    Bổ trợ › Tải lên bổ trợ của tôi). Bấm Ctrl+C để dừng. Cần cài thêm:
    pip install "xladdin[serve]". xlwings Server dùng giấy phép PolyForm Noncommercial
    (cơ quan nhà nước, y tế công cộng được dùng miễn phí). Cách chạy an toàn cho cả
    huyện: docs/security.md.

    Run a self-hosted xlwings Server (custom functions and task-pane buttons) for Excel
    on the web; bound to 127.0.0.1 unless --host says otherwise (then --cert or
    --insecure is required).
    """
    from ..excel import launch

    line = launch.command(host, port, certfile=certfile, keyfile=keyfile,
                          functions_module=functions_module, scripts_module=scripts_module,
                          public_url=public_url, allowed_hosts=allowed_hosts, token=token,
                          insecure=insecure)
    return launch.run(line)


@app.group("excel", short_help="Cài tiện ích cho Excel trên máy tính Windows.")
def excel_group() -> None:
    """Excel trên máy tính Windows: cài tiện ích xlwings và thêm nút bấm vào bảng tính.

    Windows desktop Excel: the classic xlwings add-in and workbook buttons.
    """


@excel_group.command("install", short_help="Cài tiện ích xlwings cho người dùng này.")
def install_command() -> None:
    """Cài tiện ích xlwings, các hàm (udfs) và các nút bấm cho người dùng hiện tại.

    Không cần quyền quản trị: tiện ích được chép vào thư mục XLSTART của riêng người dùng,
    cấu hình ghi vào %USERPROFILE%\\.xlwings\\xlwings.conf. Chỉ dùng trên Windows.

    Install the xlwings add-in and settings for the current Windows user (no admin rights).
    """
    from ..excel import desktop

    done = desktop.install()
    for backup in done.backups:
        click.echo(f"Đã sao lưu bản cũ: {backup}")
    click.echo(f"Đã cài tiện ích xlwings: {done.addin}")
    click.echo(f"Đã ghi cấu hình: {done.config} (UDF MODULES = {';'.join(done.udf_modules)})")
    click.echo("Các bước tiếp theo:")
    for number, step in enumerate(done.next_steps, start=1):
        click.echo(f"  {number}. {step}")


@excel_group.command("buttons", short_help="Tạo bản .xlsm có nút bấm.")
@click.argument("workbook", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path),
              help="Tệp .xlsm sẽ ghi (mặc định: cùng tên, đuôi .xlsm).")
def buttons_command(workbook: Path, out: Path | None) -> None:
    """Tạo bản .xlsm của WORKBOOK có các nút Phân bổ, Kiểm tra, Tổng hợp, Đợt mới, Tạo biểu mẫu
    ở trang «Hướng dẫn» (dùng với tiện ích xlwings trên Windows, sau khi bấm Import Functions).

    Write an .xlsm copy of WORKBOOK with one form button per script; the macros come from
    xlwings' Import Functions. The input is never modified.
    """
    from ..excel import desktop

    path = desktop.add_buttons(workbook, out)
    click.echo(f"Đã ghi {path}.")
