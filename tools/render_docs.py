"""Render the demo's plan and form to PNG for docs/ (what the README shows).

Run: .venv/bin/python tools/render_docs.py   (needs LibreOffice and pdftoppm)
The top of the first page is kept, where the table is.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the LibreOffice helper the tests use

from libreoffice import convert  # noqa: E402

from xladdin.demo import run_demo  # noqa: E402

SHOTS = [  # (workbook in the demo, PNG in docs/, crop height in pixels at 110 dpi)
    ("phuong-2-quang-tri-2024/plan.xlsx", "plan-phuong-2.png", 520),
    ("hai-phong-2023/plan.xlsx", "plan-hai-phong.png", 560),
    ("hai-phong-2023/forms/303_hong-bang.xlsx", "form-hong-bang.png", 640),
]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        demo = Path(tmp) / "demo"
        run_demo(demo)
        for source, target, height in SHOTS:
            [pdf] = convert([demo / source], Path(tmp) / target.removesuffix(".png"), "pdf")
            subprocess.run(["pdftoppm", "-png", "-r", "110", "-f", "1", "-l", "1", "-singlefile",
                            "-x", "0", "-y", "40", "-W", "1400", "-H", str(height), str(pdf),
                            str(ROOT / "docs" / target.removesuffix(".png"))], check=True)
            print(f"docs/{target}")


if __name__ == "__main__":
    main()
