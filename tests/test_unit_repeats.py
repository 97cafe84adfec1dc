"""One unit listed twice under two spellings (red team): codes differing only by case
(``kp1``, ``KP1``: their forms' file names are one file on Windows and macOS, the second
overwrites the first) and names equal after Unicode NFC («Khu Á» typed with a combining
accent).  Refused with both line numbers by new-plan (CHILDREN.csv), and an error naming
both rows of a plan's «Đơn vị» (the one check: engine.units.Repeats)."""

from __future__ import annotations

import contextlib
import io
import json
import unicodedata
from pathlib import Path

import openpyxl
from xladdin.cli import main

NFC = unicodedata.normalize("NFC", "Khu Á")
NFD = unicodedata.normalize("NFD", "Khu Á")


def cli(*args) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    text = out.getvalue() + err.getvalue()
    assert "Traceback" not in text
    return code, text


def new_plan(tmp_path: Path, children: str) -> tuple[int, str, Path]:
    csv = tmp_path / "children.csv"
    csv.write_text(children, encoding="utf-8")
    targets = tmp_path / "targets.csv"
    targets.write_text("code,annual_plan,done,round_target\nBPTT_DCTC,1000,0,100\n",
                       encoding="utf-8")
    out = tmp_path / "plan.xlsx"
    code, text = cli("new-plan", "--unit-code", "X1", "--unit-name", "Xã Thử", "--year", "2024",
                     "--parent-code", "P1", "--children", csv, "--targets", targets, "--out", out)
    return code, text, out


def test_codes_differing_only_by_case_are_refused_with_both_lines(tmp_path):
    code, text, out = new_plan(tmp_path, "code,name,weight\nkp1,Khu A,1\nKP2,Khu B,1\n"
                                         "KP1,Khu A.,1\n")
    assert code != 0 and not out.exists()
    assert "«kp1» (dòng 2)" in text and "«KP1» (dòng 4)" in text
    assert "chữ hoa" in text and "tên tệp" in text


def test_names_equal_after_nfc_are_refused_with_both_lines(tmp_path):
    assert NFC != NFD
    code, text, out = new_plan(tmp_path, f"code,name,weight\nK1,{NFC},1\nK2,{NFD},1\n")
    assert code != 0 and not out.exists()
    assert "dòng 2" in text and "dòng 3" in text and "NFC" in text


def test_a_plan_whose_units_sheet_repeats_a_unit_under_another_spelling_is_an_error(tmp_path):
    code, _, plan = new_plan(tmp_path, "code,name,weight\nK1,Khu A,1\nK2,Khu B,1\nK3,Khu C,1\n")
    assert code == 0
    book = openpyxl.load_workbook(plan)
    units = book["Đơn vị"]
    codes = {units.cell(r, 1).value: r for r in range(1, 12) if units.cell(r, 1).value}
    units.cell(codes["K2"], 1).value = "k1"  # the officer retyped a code in lower case
    units.cell(codes["K1"], 2).value = NFC  # and the same name typed two ways
    units.cell(codes["K3"], 2).value = NFD
    book.save(plan)
    code, text = cli("validate", plan, "--json")
    issues = [i for i in json.loads(text)["issues"] if i["rule"] == "duplicate-unit"]
    assert code == 1 and len(issues) == 2, issues
    by_cell = {i["cell"]: i["message"] for i in issues}
    assert set(by_cell) == {f"A{codes['K2']}", f"A{codes['K3']}"}
    assert all(i["sheet"] == "Đơn vị" and i["severity"] == "error" for i in issues)
    assert f"dòng {codes['K1']}" in by_cell[f"A{codes['K2']}"]
    assert "chữ hoa" in by_cell[f"A{codes['K2']}"]
    assert f"dòng {codes['K1']} và dòng {codes['K3']}" in by_cell[f"A{codes['K3']}"]
    assert "«Khu Á»" in by_cell[f"A{codes['K3']}"]
    # and forms are not made from it: no two file names that are one on Windows
    code, text = cli("forms", plan, "--out", tmp_path / "forms")
    assert code != 0
    assert not list((tmp_path / "forms").glob("*.xlsx"))


def test_the_administrative_lists_own_children_never_clash(tmp_path):
    """Short names are the plan's column titles: where two siblings' short names would be
    one (Thị xã and Huyện Kỳ Anh), those keep their full names, so new-plan from the
    bundled list is never refused for a clash the officer did not type (red team)."""
    from xladdin import admin_units
    from xladdin.engine.units import Repeats

    names = [u.name for u in admin_units.sub_units("42", 2024)]
    assert "Thị xã Kỳ Anh" in names and "Huyện Kỳ Anh" in names and "Hà Tĩnh" in names
    lists = [*admin_units._pre_reform_dates(), admin_units.REFORM_DATE]  # every bundled list
    for day in lists:
        tree = admin_units.unit_list(day.year, day).tree
        for parent in tree:
            if tree.children(parent.code):
                repeats = Repeats()
                kids = admin_units.sub_units(parent.code, day.year, day)
                assert not [r for n, k in enumerate(kids) if (r := repeats.see(n, k.code, k.name))]
    # even the full names are one in the list of 4/1/2025: the code follows
    names = [u.name for u in admin_units.sub_units("380", 2025)]
    assert "Xã Đông Khê (16387)" in names and "Xã Đông Khê (16408)" in names
    out = tmp_path / "p42.xlsx"
    code, text = cli("new-plan", "--unit-code", "42", "--unit-name", "Tỉnh Hà Tĩnh",
                     "--year", "2024", "--out", out)
    assert code == 0 and out.exists(), text
