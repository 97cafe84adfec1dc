"""Render the demo's plan and form to PNG for docs/ (what the README and docs/excel.md show).

Run: .venv/bin/python tools/render_docs.py   (needs LibreOffice and pdftoppm)
The top of the first page is kept, where the table is.  For docs/excel.md the «Hướng dẫn»
sheet of the .xlsm written by `xladdin excel buttons` is rendered too: its buttons are not
printed in the real file, so a copy made for the picture prints them.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the LibreOffice helper the tests use

from xladdin.demo import run_demo  # noqa: E402
from xladdin.excel.desktop import add_buttons  # noqa: E402

from libreoffice import convert  # noqa: E402

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
        render_buttons(demo / "phuong-2-quang-tri-2024" / "plan.xlsx", Path(tmp))


def render_buttons(plan: Path, tmp: Path) -> None:
    """docs/excel-buttons.png: the «Hướng dẫn» sheet of the .xlsm, buttons shown."""
    import re
    import zipfile

    xlsm = add_buttons(plan, tmp / "plan-buttons.xlsm")
    shown = tmp / "buttons" / "plan.xlsm"
    shown.parent.mkdir()
    with zipfile.ZipFile(xlsm) as source, zipfile.ZipFile(shown, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name.endswith(".vml"):  # print the buttons, for the picture only
                data = data.replace(b"<x:PrintObject>False</x:PrintObject>", b"")
            if name.startswith("xl/worksheets/sheet"):  # LibreOffice ignores fit-to-page
                data = data.replace(b'<printOptions horizontalCentered="1"/>', b"").replace(
                    b'<pageSetUpPr fitToPage="1"/>', b"").replace(b'fitToHeight="0"', b'scale="70"')
            if name == "xl/workbook.xml":  # and let the printed area reach them
                guide = re.escape("'Hướng dẫn'!$A$1:$A$".encode())
                data = re.sub(b"(" + guide + rb")\d+", rb"\g<1>22", data)
            target.writestr(name, data)
    [pdf] = convert([shown], tmp / "buttons-pdf", "pdf")
    pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    last = re.search(r"Pages:\s+(\d+)", pages).group(1)
    subprocess.run(["pdftoppm", "-png", "-r", "110", "-f", last, "-l", last, "-singlefile",
                    "-x", "0", "-y", "40", "-W", "910", "-H", "560", str(pdf),
                    str(ROOT / "docs" / "excel-buttons")], check=True)
    print("docs/excel-buttons.png")


if __name__ == "__main__":
    main()
