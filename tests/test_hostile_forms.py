"""Forms officers send back in shapes that look like reports but are not the unit's report:
a copied report sheet filled instead of the original, a form with nothing typed in.
Each is an error on the file, the form is left out whole (tests/hostile.py makes them)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.table import Table
from xladdin import contract as c
from xladdin.engine.forms import plan_forms
from xladdin.writer.form import write_form

import hostile


def consolidate(tmp_path: Path, plan_path: Path) -> tuple[int, dict]:
    code, report, _ = hostile.consolidate_cli(tmp_path, plan_path)
    return code, report


def issues_of(report: dict, name: str) -> list[dict]:
    return [i for i in report["issues"] if Path(str(i.get("file") or "")).name == name]


def test_a_filled_copy_of_the_report_sheet_is_an_error_naming_both_sheets(tmp_path):
    plan_path, plan = hostile.make_plan(tmp_path, 2)
    forms = hostile.write_filled_forms(plan, tmp_path / "inbox")
    book = openpyxl.load_workbook(forms["U01"])
    original = book["Báo cáo"]
    ref = original.tables["BaoCao"].ref
    copy = book.copy_worksheet(original)
    copy.title = "Báo cáo (2)"
    copy.add_table(Table(displayName="BaoCao2", ref=ref))
    for row in original.iter_rows(min_row=9, max_row=12, min_col=5, max_col=5):
        row[0].value = None  # the officer typed into the copy; the original stays blank
    book.save(forms["U01"])
    code, report = consolidate(tmp_path, plan_path)
    assert code == 1
    errors = [i for i in issues_of(report, "U01.xlsx") if i["severity"] == "error"]
    assert any(i["rule"] == "report-sheet-twice" and "Báo cáo (2)" in i["message"]
               and "«Báo cáo»" in i["message"] for i in errors), errors
    assert "U01" not in report["by_unit"]
    assert "U01" in report["received"] and "U01" not in report["counted"]
    assert report["by_unit"]["U02"]["BPTT_DCTC"] == 21


def test_a_form_sent_back_blank_is_not_counted_as_zeros(tmp_path):
    plan_path, plan = hostile.make_plan(tmp_path, 3)
    forms = hostile.write_filled_forms(plan, tmp_path / "inbox")
    blank = next(iter(plan_forms(plan, due_date="2026-05-15")))
    write_form(blank, forms["U01"])  # nothing typed in at all
    book = openpyxl.load_workbook(forms["U02"])
    book["Báo cáo"]["E10"] = None  # one blank cell: still 0 with a warning (contract §7)
    book.save(forms["U02"])
    code, report = consolidate(tmp_path, plan_path)
    assert code == 1
    assert any(i["rule"] == "form-empty" and i["severity"] == "error"
               for i in issues_of(report, "U01.xlsx"))
    assert "U01" not in report["by_unit"]
    assert "U01" in report["received"] and "U01" not in report["counted"]
    u02 = issues_of(report, "U02.xlsx")
    assert {i["rule"] for i in u02} == {"blank-result"}, u02
    assert report["by_unit"]["U02"]["BPTT_CAY"] == 0
    assert report["by_unit"]["U02"]["BPTT_DCTC"] == 21


def test_a_form_whose_meta_template_is_garbled_or_says_plan_is_an_error_on_the_unit(tmp_path):
    """A workbook holding the form's own table BaoCao is a unit's form whatever its _meta
    says: a template cell holding #BLOCKED!, «plan», or no template row at all is an error
    on _meta's cell, the unit received with errors (never «Chưa gửi» with exit 0)."""
    plan_path, plan = hostile.make_plan(tmp_path, 4)
    forms = hostile.write_filled_forms(plan, tmp_path / "inbox")

    def cell(data: bytes, ref: str) -> str:
        meta = hostile.parts_of(data)[hostile.META].decode("utf-8")
        start = meta.index(f'<c r="{ref}"')
        return meta[start:meta.index("</c>", start) + 4]

    changes = {
        "U01": ("B1", '<c r="B1" t="e"><v>#BLOCKED!</v></c>'),
        "U02": ("B1", '<c r="B1" t="inlineStr"><is><t>plan</t></is></c>'),
        "U03": ("A1", '<c r="A1" t="inlineStr"><is><t>templat</t></is></c>'),
    }
    for unit, (ref, new) in changes.items():
        data = forms[unit].read_bytes()
        hostile.write(forms[unit], hostile.edit_part(data, hostile.META, cell(data, ref), new))
    code, report = consolidate(tmp_path, plan_path)
    assert code == 1
    for unit in changes:
        found = [i for i in issues_of(report, f"{unit}.xlsx") if i["rule"] == "template-mismatch"]
        assert len(found) == 1 and found[0]["severity"] == "error", report["issues"]
        assert found[0]["sheet"] == "_meta" and "BaoCao" in found[0]["message"]
        assert unit in report["received"] and unit not in report["counted"]
    assert {i["cell"] for i in report["issues"] if i["rule"] == "template-mismatch"} == {"B1",
                                                                                         None}
    assert report["counted"] == ["U04"] and not report["missing"]


@pytest.mark.parametrize("header", [c.CODE, c.ROUND_TARGET, c.RESULT])
def test_a_form_whose_code_or_result_header_was_retyped_is_an_error_on_the_header_row(
        tmp_path, header):
    """The table is still «BaoCao» but its «Mã», «Chỉ tiêu đợt» or «Kết quả» header (cell
    and table column) was renamed: which cells are the codes, targets or results is unknown.
    Was an AssertionError or a TypeError shown as «Lỗi không mong đợi» with a crash log (a
    lost «Chỉ tiêu đợt»: 8 errors saying the targets were blank); now one error naming the
    header row, the form left out, the other units counted."""
    plan_path, plan = hostile.make_plan(tmp_path, 2)
    forms = hostile.write_filled_forms(plan, tmp_path / "inbox")
    data = forms["U01"].read_bytes()
    data = hostile.edit_part(data, "xl/sharedStrings.xml", f"<t>{header}</t>", "<t>Sửa</t>")
    data = hostile.edit_part(data, "xl/tables/table1.xml", f'name="{header}"', 'name="Sửa"')
    forms["U01"].write_bytes(data)
    code, report = consolidate(tmp_path, plan_path)
    assert code == 1
    [issue] = issues_of(report, "U01.xlsx")
    assert issue["rule"] == "column-missing" and issue["cell"] == "A8", issue
    assert f"thiếu cột «{header}»" in issue["message"], issue
    assert "U01" not in report["by_unit"] and report["by_unit"]["U02"]["BPTT_DCTC"] == 21
