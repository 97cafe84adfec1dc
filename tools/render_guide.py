"""Render the pictures of docs/guide-vi.md: a commune's year, from the district's form to
the report it sends up, made by the real commands on a small example.

Run: .venv/bin/python tools/render_guide.py   (needs LibreOffice and pdftoppm)
Phường 2 (thị xã Quảng Trị, 2024) receives the district's form, plans for its four
neighbourhoods, collects their forms, consolidates and reports up.  The top of the first
page of each workbook is kept, where the table is.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the LibreOffice helper the tests use

from xladdin.cli import main as xladdin  # noqa: E402
from xladdin.contract import FORM_SHEET  # noqa: E402

from libreoffice import convert  # noqa: E402

OUT = ROOT / "docs" / "guide"
TARGETS = """code,annual_plan,done,round_target
BPTT_DCTC,400,40,200
BPTT_CAY,120,0,60
BPTT_TRIETSAN,10,0,4
BPTT_DAIHAN,,,
KHAM_PK,600,0,300
CPR,70%,,70%
"""
COMMUNES = "code,name,weight\n19351,Phường 1,30\n19354,Phường An Đôn,20\n19360,Phường 2,50\n"
NEIGHBOURHOODS = (
    "code,name,weight\n19360-KP1,KP1,10\n19360-KP2,KP2,12\n19360-KP3,KP3,8\n19360-KP4,KP4,15\n"
)
RESULTS = {  # what each neighbourhood types into Kết quả
    "19360-KP1": {
        "BPTT_DCTC": 21,
        "BPTT_CAY": 6,
        "BPTT_TRIETSAN": 0,
        "KHAM_PK": 70,
        "CPR_TUSO": 310,
        "CPR_MAUSO": 430,
    },
    "19360-KP2": {
        "BPTT_DCTC": 27,
        "BPTT_CAY": 8,
        "BPTT_TRIETSAN": 1,
        "KHAM_PK": 81,
        "CPR_TUSO": 402,
        "CPR_MAUSO": 560,
    },
    "19360-KP3": {
        "BPTT_DCTC": 15,
        "BPTT_CAY": 5,
        "BPTT_TRIETSAN": 0,
        "KHAM_PK": 49,
        "CPR_TUSO": 250,
        "CPR_MAUSO": 371,
    },
    "19360-KP4": {
        "BPTT_DCTC": 36,
        "BPTT_CAY": 12,
        "BPTT_TRIETSAN": 1,
        "KHAM_PK": 104,
        "CPR_TUSO": 466,
        "CPR_MAUSO": 640,
    },
}


def run(*args) -> None:
    code = xladdin([str(a) for a in args])
    if code != 0:
        raise SystemExit(f"xladdin {' '.join(map(str, args))} exited {code}")


def typed(form: Path, out: Path, values: dict[str, int]) -> None:
    book = openpyxl.load_workbook(form)
    sheet = book[FORM_SHEET]
    for row in range(1, sheet.max_row + 1):
        if sheet.cell(row, 1).value in values:
            sheet.cell(row, 5).value = values[sheet.cell(row, 1).value]
    out.parent.mkdir(parents=True, exist_ok=True)
    book.save(out)


def year(tmp: Path) -> dict[str, Path]:
    """The commune's year, by the commands of the guide; the workbooks to show."""
    for name, text in (
        ("targets.csv", TARGETS),
        ("communes.csv", COMMUNES),
        ("kp.csv", NEIGHBOURHOODS),
    ):
        (tmp / name).write_text(text, encoding="utf-8")
    district, commune = tmp / "huyen", tmp / "phuong-2"
    run(
        "new-plan",
        "--unit-code",
        "462",
        "--unit-name",
        "Thị xã Quảng Trị",
        "--year",
        2024,
        "--children",
        tmp / "communes.csv",
        "--targets",
        tmp / "targets.csv",
        "--due-date",
        "2024-06-30",
        "--out",
        district / "ke-hoach.xlsx",
    )
    run("forms", district / "ke-hoach.xlsx", "--out", district / "bieu-mau")
    received = commune / "nhan-tu-cap-tren" / "19360_phuong-2.xlsx"
    received.parent.mkdir(parents=True)
    received.write_bytes((district / "bieu-mau" / "19360_phuong-2.xlsx").read_bytes())
    run(
        "new-plan",
        "--from-form",
        received,
        "--children",
        tmp / "kp.csv",
        "--due-date",
        "2024-06-25",
        "--out",
        commune / "ke-hoach.xlsx",
    )
    run("forms", commune / "ke-hoach.xlsx", "--out", commune / "bieu-mau")
    for form in sorted((commune / "bieu-mau").glob("*.xlsx")):
        typed(form, commune / "nhan-ve" / form.name, RESULTS[form.name.split("_")[0]])
    run("consolidate", commune / "nhan-ve", "--plan", commune / "ke-hoach.xlsx", "--out",
        commune / "tong-hop.xlsx")
    run("report-up", commune / "tong-hop.xlsx", "--form", received, "--out",
        commune / "gui-cap-tren" / "19360_phuong-2.xlsx")
    return {
        "1-bieu-mau-nhan": received,
        "2-ke-hoach": commune / "ke-hoach.xlsx",
        "3-bieu-mau-kp1": commune / "nhan-ve" / "19360-KP1_kp1.xlsx",
        "4-tong-hop": commune / "tong-hop.xlsx",
        "5-bao-cao-len": commune / "gui-cap-tren" / "19360_phuong-2.xlsx",
    }


HEIGHTS = {"1-bieu-mau-nhan": 600, "2-ke-hoach": 470, "3-bieu-mau-kp1": 600, "4-tong-hop": 520,
           "5-bao-cao-len": 600}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for name, book in year(Path(tmp)).items():
            [pdf] = convert([book], Path(tmp) / "pdf" / name, "pdf")
            subprocess.run(["pdftoppm", "-png", "-r", "90", "-f", "1", "-l", "1", "-singlefile",
                            "-x", "0", "-y", "30", "-W", "1100", "-H", str(HEIGHTS[name]), str(pdf),
                            str(OUT / name)], check=True)
            print(f"docs/guide/{name}.png")


if __name__ == "__main__":
    main()
