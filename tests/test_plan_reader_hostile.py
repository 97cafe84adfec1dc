"""A plan an officer has edited by hand is judged, never a crash (red-team findings).

Renaming one header of KeHoach or DonVi in their own plan, or a report form whose
``_meta`` template was changed to ``plan``, once ended every command in «Lỗi không mong
đợi … (TypeError)» and a crash log.  Each must be an error naming the file, the sheet
and the cell, and ``validate``, ``forms`` and ``consolidate`` must say the same.
"""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest
from xladdin.cli import main
from xladdin.engine.forms import plan_forms
from xladdin.writer.form import write_form

import hostile

CRASH = "không mong đợi"  # the words of an unexpected error (and its crash log)


def cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def renamed(plan: Path, table_part: str, header: str, to: str = "CT dot") -> Path:
    """The plan with one column of a table retitled, as Excel saves it: the table part's
    column name and the header cell's shared string."""
    parts = hostile.parts_of(plan.read_bytes())
    table = parts[table_part].decode("utf-8")
    assert f'name="{header}"' in table
    parts[table_part] = table.replace(f'name="{header}"', f'name="{to}"', 1).encode("utf-8")
    strings = parts["xl/sharedStrings.xml"].decode("utf-8")
    assert f">{header}<" in strings
    parts["xl/sharedStrings.xml"] = strings.replace(f">{header}<", f">{to}<", 1).encode("utf-8")
    out = plan.with_name("renamed.xlsx")
    return hostile.write(out, hostile.zipped(parts))


def issues(path: Path) -> tuple[int, list[dict]]:
    code, out, err = cli("validate", str(path), "--json")
    assert CRASH not in out + err
    return code, json.loads(out)["issues"]


@pytest.fixture
def plan(tmp_path):
    return hostile.make_plan(tmp_path, 3)


# KeHoach's fixed columns, A…G: the reader needs all but Còn lại
@pytest.mark.parametrize(("header", "cell"), [
    ("Mã", "A5"), ("Chỉ tiêu", "B5"), ("ĐVT", "C5"), ("Kế hoạch năm", "D5"),
    ("Đã thực hiện", "E5"), ("Chỉ tiêu đợt", "G5"),
])
def test_a_renamed_plan_header_is_an_error_naming_its_cell(plan, header, cell):
    path = renamed(plan[0], "xl/tables/table1.xml", header)
    code, found = issues(path)
    assert code == 1
    [missing] = [i for i in found if i["rule"] == "column-missing"]
    assert (missing["sheet"], missing["cell"]) == ("Kế hoạch", cell)
    assert f"thiếu cột «{header}»" in missing["message"] and "«CT dot»" in missing["message"]
    assert "unexpected" not in {i["rule"] for i in found}


@pytest.mark.parametrize("header", ["Mã đơn vị", "Trọng số"])
def test_a_renamed_units_header_is_an_error_not_a_crash(plan, header):
    code, found = issues(renamed(plan[0], "xl/tables/table2.xml", header))
    assert code == 1
    [missing] = [i for i in found if i["rule"] == "column-missing"]
    assert missing["sheet"] == "Đơn vị" and f"«{header}»" in missing["message"]


def test_forms_and_consolidate_refuse_a_renamed_plan_by_name(plan, tmp_path):
    path = renamed(plan[0], "xl/tables/table1.xml", "Chỉ tiêu đợt")
    (tmp_path / "inbox").mkdir()
    for args in (("forms", str(path), "--out", str(tmp_path / "forms")),
                 ("consolidate", str(tmp_path / "inbox"), "--plan", str(path),
                  "--out", str(tmp_path / "summary.xlsx"))):
        code, out, err = cli(*args)
        assert code == 1 and CRASH not in out + err
        assert "thiếu cột «Chỉ tiêu đợt»" in err
        assert f"{path.name}, trang Kế hoạch, ô G5)" in err
    assert not (tmp_path / "forms").exists() and not (tmp_path / "summary.xlsx").exists()


def test_a_form_whose_meta_says_plan_is_a_named_error(plan, tmp_path):
    form = next(iter(plan_forms(plan[1], due_date="2026-05-15")))
    data = write_form(form, tmp_path / "form.xlsx").read_bytes()
    forged = hostile.write(tmp_path / "forged.xlsx",
                           hostile.edit_part(data, "xl/sharedStrings.xml", "<t>form</t>",
                                             "<t>plan</t>"))
    code, found = issues(forged)
    assert code == 1
    assert [(i["rule"], i["sheet"], i["cell"]) for i in found if i["severity"] == "error"] == [
        ("template-mismatch", "_meta", "B1")]
