"""The steps of the levels chain (contract §10) shared by tests/test_levels*.py: the
district's CSV inputs, running ``xladdin`` as an officer does, and typing results into a
form as another program would (openpyxl writes Kết quả)."""

from __future__ import annotations

import contextlib
import hashlib
import io
from pathlib import Path

import openpyxl
from xladdin.cli import main

FIRST_ROW = 9  # first data row of «Báo cáo» (header on row 8)

CATALOGUE = """code,name,unit,kind,numerator,denominator,parts,group,note
TV_DIDONG,Số lượt tư vấn lưu động của chiến dịch tỉnh,lượt,count,,,,Riêng,Chỉ tiêu riêng của tỉnh
NCT_KHAM,Số người cao tuổi được khám sức khỏe định kỳ,người,stock,,,,Riêng,
NCT_TONG,Số người cao tuổi,người,stock,,,,Riêng,
TL_NCT_KHAM,Tỷ lệ người cao tuổi được khám sức khỏe,%,rate,NCT_KHAM,NCT_TONG,,Riêng,
"""
TARGETS = """code,annual_plan,done,round_target
BPTT_DCTC,400,40,200
BPTT_CAY,120,0,60
BPTT_TRIETSAN,10,0,4
BPTT_DAIHAN,,,
KHAM_PK,600,0,300
CPR,70%,,70%
TV_DIDONG,900,0,450
TL_NCT_KHAM,60%,,60%
"""
COMMUNES = "code,name,weight\n19351,Phường 1,30\n19354,Phường An Đôn,20\n19360,Phường 2,50\n"
NEIGHBOURHOODS = ("code,name,weight\n19360-KP1,KP1,10\n19360-KP2,KP2,12\n19360-KP3,KP3,8\n"
                  "19360-KP4,KP4,15\n")
TYPED = ("BPTT_DCTC", "BPTT_CAY", "BPTT_TRIETSAN", "KHAM_PK", "CPR_TUSO", "CPR_MAUSO", "TV_DIDONG",
         "NCT_KHAM", "NCT_TONG")


def xladdin(*args) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue() + err.getvalue()


def ok(*args) -> str:
    code, text = xladdin(*args)
    assert code == 0, text
    return text


def typed(form: Path, out: Path, values: dict[str, int]) -> Path:
    """An officer types results into Kết quả (column E), by indicator code."""
    book = openpyxl.load_workbook(form)
    sheet = book["Báo cáo"]
    for row in range(FIRST_ROW, sheet.max_row + 1):
        if sheet.cell(row, 1).value in values:
            sheet.cell(row, 5).value = values[sheet.cell(row, 1).value]
    out.parent.mkdir(parents=True, exist_ok=True)
    book.save(out)
    return out


def sample(seed: int) -> dict[str, int]:
    values = {code: 3 + (seed * 7 + i * 13) % 41 for i, code in enumerate(TYPED)}
    if values["CPR_TUSO"] > values["CPR_MAUSO"]:  # CPR is a proportion: never above its whole
        values["CPR_TUSO"], values["CPR_MAUSO"] = values["CPR_MAUSO"], values["CPR_TUSO"]
    return values


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def inputs(root: Path) -> None:
    """The district's CSV files: its catalogue, targets, communes; Phường 2's neighbourhoods."""
    for name, text in (
        ("catalogue.csv", CATALOGUE),
        ("targets.csv", TARGETS),
        ("communes.csv", COMMUNES),
        ("kp.csv", NEIGHBOURHOODS),
    ):
        (root / name).write_text(text, encoding="utf-8")


def district_plan(root: Path, round_number: int, *extra) -> Path:
    """`xladdin new-plan` of the district (Thị xã Quảng Trị, 2024) from the CSV files of
    :func:`inputs` in ``root``: ``root/district/plan.xlsx``."""
    out = root / "district" / "plan.xlsx"
    ok("new-plan", "--unit-code", "462", "--unit-name", "Thị xã Quảng Trị", "--year", 2024,
       "--round", round_number, "--children", root / "communes.csv",
       "--targets", root / "targets.csv", "--catalogue", root / "catalogue.csv", *extra,
       "--out", out)
    return out
