"""Every formula's stored value is the one a full recalculation gives.

Our workbooks do not ask Excel to recalculate everything on opening (no
``fullCalcOnLoad``: Excel would then ask to save a workbook nobody changed).  That is
only right if every formula cell already holds its true value, in every sheet, hidden
ones included: a helper cell with a wrong stored value would feed a wrong number into
the first formula Excel recalculates after an edit.  This test recalculates the demo's
workbooks in LibreOffice and compares every formula cell with what was stored.
"""

from __future__ import annotations

import math
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook
from xladdin.demo import run_demo

from libreoffice import recalculate

pytestmark = pytest.mark.libreoffice


def formula_cells(path: Path) -> dict[str, list[tuple[int, int]]]:
    book = openpyxl.load_workbook(path)
    found = {}
    for sheet in book.worksheets:
        cells = [(cell.row - 1, cell.column - 1) for row in sheet.iter_rows() for cell in row
                 if cell.data_type == "f"]
        if cells:
            found[sheet.title] = cells
    return found


def same(stored: object, computed: object) -> bool:
    if stored in ("", None) and computed in ("", None):
        return True
    if isinstance(stored, int | float) and isinstance(computed, int | float):
        return math.isclose(stored, computed, rel_tol=1e-9, abs_tol=1e-9)
    return stored == computed


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> list[Path]:
    out = tmp_path_factory.mktemp("demo")
    run_demo(out)
    hai_phong, phuong_2 = out / "hai-phong-2023", out / "phuong-2-quang-tri-2024"
    files = [hai_phong / "plan.xlsx", hai_phong / "plan-dot-2.xlsx", hai_phong / "summary.xlsx",
             next((hai_phong / "forms").glob("*.xlsx")), phuong_2 / "plan.xlsx",
             next((phuong_2 / "forms").glob("*.xlsx")), out / "binh-minh-2024" / "plan.xlsx",
             out / "binh-minh-2024" / "summary.xlsx"]  # three months side by side
    named = []  # one folder for LibreOffice: every file its own name
    for path in files:
        target = out / "all" / f"{path.parent.name}-{path.name}"
        target.parent.mkdir(exist_ok=True)
        shutil.copy(path, target)
        named.append(target)
    return named


def test_no_workbook_asks_excel_for_a_full_recalculation(written):
    for path in written:
        with zipfile.ZipFile(path) as archive:
            workbook = archive.read("xl/workbook.xml").decode("utf-8")
        assert "fullCalcOnLoad" not in workbook, path.name
        # an older calcId than Excel's own makes Excel recalculate everything, then ask to save
        assert 'calcId="191029"' in workbook, path.name


VOLATILE = re.compile(r"\b(TODAY|NOW|RAND|RANDBETWEEN|OFFSET|INDIRECT|CELL|INFO)\(")


def test_no_formula_is_volatile(written):
    """A volatile function recalculates on every opening: Excel would ask to save."""
    for path in written:
        book = openpyxl.load_workbook(path)
        for sheet, cells in formula_cells(path).items():
            for row, col in cells:
                formula = str(book[sheet].cell(row + 1, col + 1).value)
                assert not VOLATILE.search(formula), f"{path.name} {sheet}: {formula}"


FORMULA_VALUE = re.compile(r"(<c [^>]*>)(<f[^>]*/>|<f[^>]*>[^<]*</f>)<v>[^<]*</v>")


def poisoned(path: Path, folder: Path) -> tuple[Path, int]:
    """A copy of ``path`` whose every formula stores 0 (and how many): LibreOffice keeps
    a stored value it does not recalculate, so only a real recalculation brings the
    true values back (red team: comparing the file with its own recalculated copy
    passed with recalculation switched off)."""
    folder.mkdir(exist_ok=True)
    target, count = folder / path.name, 0
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w") as copy:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                text, n = FORMULA_VALUE.subn(r"\g<1>\g<2><v>0</v>", data.decode("utf-8"))
                data, count = text.encode("utf-8"), count + n
            copy.writestr(item, data)
    return target, count


def test_every_stored_formula_value_is_what_a_recalculation_gives(written, tmp_path):
    twins = [poisoned(path, tmp_path / "poisoned") for path in written]
    assert all(count for _, count in twins)
    recalculated = recalculate([twin for twin, _ in twins], tmp_path / "recalculated")
    for original, again in zip(written, recalculated):
        stored, computed = (
            CalamineWorkbook.from_path(str(original)),
            CalamineWorkbook.from_path(str(again)),
        )
        wrong = []
        for sheet, cells in formula_cells(original).items():
            before = stored.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
            after = computed.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
            for row, col in cells:
                a = before[row][col] if row < len(before) and col < len(before[row]) else None
                b = after[row][col] if row < len(after) and col < len(after[row]) else None
                if not same(a, b):
                    wrong.append(f"{sheet}!{openpyxl.utils.get_column_letter(col + 1)}{row + 1}: "
                                 f"stored {a!r}, recalculated {b!r}")
        assert not wrong, f"{original.name}: " + "; ".join(wrong[:10])
