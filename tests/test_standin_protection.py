"""The stand-in models sheet protection as Excel does (tests/standin/PROTECTION.md):
a script may write the unlocked input cells of a protected sheet, never its locked ones."""

from __future__ import annotations

import openpyxl
import pytest
from xladdin.cli.app import main

from standin import ActionError, apply_actions


def _set(sheet: int, row: int, col: int, value) -> dict:
    return {"func": "setValues", "args": [None], "values": [[value]], "sheet_position": sheet,
            "start_row": row, "start_column": col, "row_count": 1, "column_count": 1}


@pytest.fixture(scope="module")
def plan(tmp_path_factory):
    out = tmp_path_factory.mktemp("protection") / "demo"
    assert main(["demo", "--out", str(out)]) == 0
    return out / "hai-phong-2023" / "plan.xlsx"


def test_a_script_writes_an_input_cell_of_a_protected_sheet(plan, tmp_path):
    sheet = openpyxl.load_workbook(plan)["Kế hoạch"]
    assert sheet.protection.sheet and sheet["D6"].protection.locked is False  # Kế hoạch năm
    applied = apply_actions(plan, [_set(0, 5, 3, 120)], tmp_path / "typed.xlsx")
    assert openpyxl.load_workbook(applied.path)["Kế hoạch"]["D6"].value == 120


def test_a_locked_cell_of_a_protected_sheet_is_refused_as_excel_does(plan, tmp_path):
    assert openpyxl.load_workbook(plan)["Kế hoạch"]["F6"].protection.locked  # Còn lại
    with pytest.raises(ActionError, match="protected sheet"):
        apply_actions(plan, [_set(0, 5, 5, 0)], tmp_path / "refused.xlsx")
    assert not (tmp_path / "refused.xlsx").exists()  # nothing half-written
    clear = {**_set(0, 5, 5, None), "func": "rangeClearContents"}
    with pytest.raises(ActionError, match="protected sheet"):
        apply_actions(plan, [clear], tmp_path / "cleared.xlsx")
    applied = apply_actions(plan, [_set(0, 5, 5, 0)], tmp_path / "ok.xlsx", unprotect_first=True)
    assert openpyxl.load_workbook(applied.path)["Kế hoạch"]["F6"].value == 0
