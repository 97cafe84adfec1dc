"""``xladdin demo``: the whole cycle on the bundled seed examples."""

from __future__ import annotations

from pathlib import Path

import click

from ..demo import run_demo
from .app import app


@app.command("demo", short_help="Chạy thử trọn chu trình (run the demo).")
@click.option("--out", "out", default="demo-output", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="Thư mục ghi kết quả.")
def demo_command(out: Path) -> None:
    """Chạy trọn chu trình trên các ví dụ có sẵn (Hải Phòng 2023, Phường 2 Quảng Trị 2024).

    Run the whole cycle on the bundled examples and print where each file is.
    """
    for step in run_demo(out):
        click.echo(step.what + ":")
        shown = (
            step.paths
            if len(step.paths) <= 3
            else step.paths[:2] + [f"… ({len(step.paths) - 2} tệp nữa)"]
        )
        for path in shown:
            click.echo(f"    {path}")
