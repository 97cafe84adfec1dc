"""What the contract (§2–§5) fixes about the workbooks we write, checked on the demo.

openpyxl reads the generated files here as another program would: tables, the _meta
sheet, protection, validation, print setup.
"""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import openpyxl
import pytest
from xladdin.cli import main
from xladdin.demo import run_demo

PLAN_HEADERS = ["Mã", "Chỉ tiêu", "ĐVT", "Kế hoạch năm", "Đã thực hiện", "Còn lại", "Chỉ tiêu đợt"]
FORM_HEADERS = ["Mã", "Chỉ tiêu", "ĐVT", "Chỉ tiêu đợt", "Kết quả", "% đạt", "Ghi chú"]
HAI_PHONG_DISTRICTS = [
    "Hồng Bàng", "Ngô Quyền", "Lê Chân", "Hải An", "Kiến An", "Đồ Sơn", "Dương Kinh", "Thủy Nguyên",
    "An Dương", "An Lão", "Kiến Thụy", "Tiên Lãng", "Vĩnh Bảo", "Cát Hải", "Bạch Long Vĩ",
]


def cli(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(list(args))
    return code, out.getvalue()


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    run_demo(out)
    return out


def table(sheet, name):
    return sheet.tables[name]


def table_headers(sheet, name) -> list[str]:
    ref = table(sheet, name).ref
    return [c.value for c in sheet[ref][0]]


def assert_fits_one_page_wide(sheet) -> None:
    # fitToWidth is left out when it is the schema's default, 1 (ECMA-376 §18.3.1.63)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.page_setup.fitToWidth in (None, 1)
    assert sheet.page_setup.fitToHeight == 0


def meta_of(book) -> dict:
    sheet = book["_meta"]
    return {row[0].value: row[1].value for row in sheet.iter_rows() if row[0].value}


def test_demo_writes_every_file_the_contract_lists(demo):
    hp = demo / "hai-phong-2023"
    assert (hp / "plan.xlsx").is_file()
    assert len(list((hp / "forms").glob("*.xlsx"))) == 15
    p2 = demo / "phuong-2-quang-tri-2024"
    assert (p2 / "plan.xlsx").is_file()
    assert sorted(f.name for f in (p2 / "forms").glob("*.xlsx")) == [
        f"19360-KP{i}_kp{i}.xlsx" for i in range(1, 6)]


def test_plan_has_the_contract_tables_meta_and_children(demo):
    book = openpyxl.load_workbook(demo / "hai-phong-2023" / "plan.xlsx")
    plan = book["Kế hoạch"]
    headers = table_headers(plan, "KeHoach")
    assert headers[:7] == PLAN_HEADERS
    assert headers[7:22] == HAI_PHONG_DISTRICTS
    assert headers[22] not in HAI_PHONG_DISTRICTS  # the check column is not a unit
    units = book["Đơn vị"]
    assert table_headers(units, "DonVi")[:3] == ["Mã đơn vị", "Tên đơn vị", "Trọng số"]
    names = [row[1].value for row in units["A5:B19"]]
    assert names == HAI_PHONG_DISTRICTS  # child columns are exactly the DonVi units
    meta = meta_of(book)
    assert book["_meta"].sheet_state == "veryHidden"
    assert meta["template"] == "plan"
    assert meta["unit_code"] == "31" and meta["year"] == 2023 and meta["round"] == 1
    for key in ("template_version", "unit_name", "parent_code", "created_at"):
        assert key in meta
    assert "T" in meta["created_at"]  # ISO 8601


def test_plan_inputs_are_unlocked_validated_and_the_rest_protected(demo):
    book = openpyxl.load_workbook(demo / "hai-phong-2023" / "plan.xlsx")
    sheet = book["Kế hoạch"]
    assert sheet.protection.sheet and not sheet.protection.password
    assert sheet["D6"].protection.locked is False  # Kế hoạch năm: input
    assert (
        sheet["G6"].protection.locked is False
    )  # Chỉ tiêu đợt: input (a 50 % formula, overridable)
    assert sheet["H6"].protection.locked is True  # a child's share: formula
    assert sheet["F6"].protection.locked is True  # Còn lại: formula
    assert sheet["G6"].value.startswith("=IF(D6") and "*50/100" in sheet["G6"].value
    validations = {str(dv.sqref): dv for dv in sheet.data_validations.dataValidation}
    dv = next(dv for ref, dv in validations.items() if "D6" in ref)
    assert (dv.type, dv.operator, dv.formula1) == ("whole", "greaterThanOrEqual", "0")
    assert "số nguyên" in dv.error


def test_plan_prints_on_a4_fit_to_width_with_frozen_headers(demo):
    book = openpyxl.load_workbook(demo / "hai-phong-2023" / "plan.xlsx")
    sheet = book["Kế hoạch"]
    assert sheet.page_setup.paperSize == 9  # A4
    assert sheet.page_setup.orientation == "landscape"
    assert_fits_one_page_wide(sheet)
    assert sheet.print_title_rows == "$5:$5"
    assert sheet.freeze_panes == "C6"


def test_phuong_2_plan_is_the_published_table(demo):
    sheet = openpyxl.load_workbook(demo / "phuong-2-quang-tri-2024" / "plan.xlsx")["Kế hoạch"]
    published = {
        "KHAM_PK": (120, 120, 25, [4, 5, 6, 3, 12]),
        "DIEUTRI_PK": (50, 50, 10, [1, 2, 2, 1, 4]),
        "BPTT_DAIHAN": (46, 25, 21, [0, 2, 6, 3, 10]),
        "BPTT_NGANHAN": (221, 184, 40, [4, 10, 10, 5, 11]),
        "TUVAN_TNHN": (15, 9, 10, [1, 2, 3, 1, 3]),
        "TUVAN_SLTS": (25, 22, 10, [1, 2, 2, 1, 4]),
    }
    rows = {r[0].value: r for r in sheet.iter_rows(min_row=6, max_row=12)}
    assert [c.value for c in sheet[5][7:12]] == ["KP1", "KP2", "KP3", "KP4", "KP5"]
    for code, (annual, done, target, shares) in published.items():
        row = rows[code]
        assert (row[3].value, row[4].value, row[6].value) == (annual, done, target)
        assert [c.value for c in row[7:12]] == shares  # typed values, not formulas
    total = rows["BPTT_TONG"]
    assert total[1].value == "Tổng cộng"
    assert total[3].value.startswith("=")  # the sum of its parts: 267 in Excel


def test_validate_phuong_2_reports_exactly_the_gynaecology_row(demo):
    code, out = cli("validate", str(demo / "phuong-2-quang-tri-2024" / "plan.xlsx"), "--json")
    report = json.loads(out)
    assert code == 1
    assert report["template"] == "plan"
    errors = [i for i in report["issues"] if i["severity"] == "error"]
    assert len(errors) == 1
    assert errors[0]["cell"] == "G6" and errors[0]["sheet"] == "Kế hoạch"
    assert "KHAM_PK" in errors[0]["message"] and "30" in errors[0]["message"]
    warnings = {i["cell"] for i in report["issues"] if i["severity"] == "warning"}
    assert {"G7", "G11", "G12"} <= warnings  # round targets above what remains


def test_validate_hai_phong_plan_is_clean_and_exits_0(demo):
    code, out = cli("validate", str(demo / "hai-phong-2023" / "plan.xlsx"))
    assert code == 0
    assert "0 lỗi" in out


def test_form_contract(demo):
    path = demo / "hai-phong-2023" / "forms" / "303_hong-bang.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book["Báo cáo"]
    assert table_headers(sheet, "BaoCao") == FORM_HEADERS
    meta = meta_of(book)
    assert meta["template"] == "form" and meta["unit_code"] == "303" and meta["parent_code"] == "31"
    assert meta["due_date"] == "2023-05-15"
    assert book["_meta"].sheet_state == "veryHidden"
    first = 9
    assert isinstance(sheet[f"D{first}"].value, int | float)  # Chỉ tiêu đợt is a constant
    assert sheet[f"D{first}"].protection.locked is True
    assert sheet[f"E{first}"].protection.locked is False  # Kết quả
    assert sheet[f"G{first}"].protection.locked is False  # Ghi chú
    assert str(sheet[f"F{first}"].value).startswith("=")  # % đạt
    assert sheet.protection.sheet
    assert sheet.page_setup.paperSize == 9
    assert_fits_one_page_wide(sheet)
    assert sheet.print_title_rows == "$8:$8"
    texts = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
    for words in (
        "Người lập biểu",
        "Thủ trưởng đơn vị",
        "Hồng Bàng",
        "15/05/2023",
        "ĐỢT 1 NĂM 2023",
    ):
        assert words in texts
    dv = next(dv for dv in sheet.data_validations.dataValidation if f"E{first}" in str(dv.sqref))
    assert (dv.type, dv.operator, dv.formula1) == ("whole", "greaterThanOrEqual", "0")
    assert dv.showErrorMessage and dv.showInputMessage and "Kết quả" in dv.promptTitle


def test_forms_carry_each_child_share_and_add_up_to_the_plan(demo):
    from xladdin.engine.plan_values import resolve_plan
    from xladdin.jobs import read_form_file, read_plan_file

    plan = read_plan_file(demo / "hai-phong-2023" / "plan.xlsx").plan
    values = resolve_plan(plan)
    totals: dict[str, int] = {}
    for path in sorted((demo / "hai-phong-2023" / "forms").glob("*.xlsx")):
        form = read_form_file(path).form
        for row in form.rows:
            totals[row.code] = totals.get(row.code, 0) + (row.round_target or 0)
    for code, value in values.items():
        assert totals[code] == value.round_target, code


def test_form_password_option_protects_with_a_password(tmp_path, demo):
    code, _ = cli("forms", str(demo / "hai-phong-2023" / "plan.xlsx"), "--out", str(tmp_path),
                  "--password", "bimat")
    assert code == 0
    sheet = openpyxl.load_workbook(next(tmp_path.glob("*.xlsx")))["Báo cáo"]
    assert sheet.protection.password  # stored as Excel's hash


def test_new_plan_for_a_province_from_the_administrative_list(tmp_path):
    out = tmp_path / "hp.xlsx"
    code, text = cli(
        "new-plan",
        "--unit-code",
        "31",
        "--unit-name",
        "Thành phố Hải Phòng",
        "--year",
        "2023",
        "--out",
        str(out),
    )
    assert code == 0, text
    sheet = openpyxl.load_workbook(out)["Kế hoạch"]
    assert table_headers(sheet, "KeHoach")[7:22] == [
        "Hồng Bàng",
        "Ngô Quyền",
        "Lê Chân",
        "Hải An",
        "Kiến An",
        "Đồ Sơn",
        "Dương Kinh",
        "Thuỷ Nguyên",
        "An Dương",
        "An Lão",
        "Kiến Thuỵ",
        "Tiên Lãng",
        "Vĩnh Bảo",
        "Cát Hải",
        "Bạch Long Vĩ",
    ]


def test_new_plan_with_children_and_targets_files(tmp_path):
    children = tmp_path / "children.csv"
    children.write_text("code,name,weight\n19360-KP1,KP1,10\n19360-KP2,KP2,30\n", encoding="utf-8")
    targets = tmp_path / "targets.csv"
    targets.write_text("code,annual_plan,done,round_target\nKHAM_PK,120,20,50%\nBPTT_DAIHAN,46,25,21\n",
                       encoding="utf-8")
    out = tmp_path / "p.xlsx"
    code, _ = cli(
        "new-plan",
        "--unit-code",
        "19360",
        "--unit-name",
        "Phường 2",
        "--year",
        "2025",
        "--children",
        str(children),
        "--targets",
        str(targets),
        "--round",
        "3",
        "--out",
        str(out),
    )
    assert code == 0
    from xladdin.jobs import read_plan_file

    reading = read_plan_file(out)
    assert [r.code for r in reading.plan.rows] == ["KHAM_PK", "BPTT_DAIHAN"]
    assert reading.observed["KHAM_PK"]["round_target"] == 60  # ⌈120 × 50 %⌉
    assert reading.observed["BPTT_DAIHAN"]["19360-KP2"] == 16  # 21 × 30/40 = 15.75 → 16
    assert reading.plan.meta.round == 3


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("code,annual_plan\nNOPE,3\n", "NOPE"),
        ("code,annual_plan\nKHAM_PK,-3\n", "dòng 2, cột annual_plan"),
        ("code,annual_plan\nKHAM_PK,mười\n", "không phải là số"),
    ],
)
def test_new_plan_refuses_bad_targets_naming_the_line(tmp_path, content, words, capsys):
    targets = tmp_path / "t.csv"
    targets.write_text(content, encoding="utf-8")
    code = main(["new-plan", "--unit-code", "31", "--unit-name", "HP", "--year", "2023",
                 "--targets", str(targets), "--out", str(tmp_path / "x.xlsx")])
    assert code == 1
    assert words in capsys.readouterr().err
    assert not (tmp_path / "x.xlsx").exists()
