"""A number typed over in a summary's per-unit table (red team, MEDIUM): «validate» calls
it an error, so «export --dhis2», «next-round --summary» and «report-up» must stop on it
too — the same check (reader.summary_reader.total_issues), exit 1 naming file, sheet and
cell, and no output written.  Both shapes: a column per unit in «Tổng hợp» (≤ 60 units)
and the units as rows of «Theo kỳ» (more).

The cell is edited in the XML, keeping every cached value, as a program that does not
recalculate would leave it (Excel recalculates on saving, so its totals would agree)."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from xladdin import contract as c
from xladdin.bundled import catalogue
from xladdin.engine.consolidate import consolidate
from xladdin.engine.forms import plan_forms
from xladdin.engine.model import Meta, Plan
from xladdin.engine.units import Unit
from xladdin.writer.batch import write_forms
from xladdin.writer.plan import write_plan
from xladdin.writer.summary import write_summary

from levels_steps import xladdin
from test_summary_many_units import CODES, many_plan, submissions

EDITED = "BPTT_DCTC"


def _sheet_part(path: Path, name: str) -> str:
    """The zip part of the sheet called ``name`` (sheets are written in order)."""
    book = openpyxl.load_workbook(path, read_only=True)
    return f"xl/worksheets/sheet{book.sheetnames.index(name) + 1}.xml"


def _per_unit_cell(path: Path, sheet_name: str) -> tuple[str, int]:
    """(cell, value) of the first unit's BPTT_DCTC: its «Tổng hợp» column (a few units),
    or its row of «Theo kỳ»."""
    sheet = openpyxl.load_workbook(path)[sheet_name]
    if sheet_name == c.PERIOD_SHEET:
        header = next(r for r in range(1, 10) if sheet.cell(r, 1).value is not None
                      and any(cell.value == EDITED for cell in sheet[r]))
        col = next(cell.column for cell in sheet[header] if cell.value == EDITED)
        cell = sheet.cell(header + 1, col)
    else:
        row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == EDITED)
        header = row - 1
        while sheet.cell(header, 1).value != c.CODE:
            header -= 1
        col = next(cell.column for cell in sheet[header] if cell.value == c.PCT) + 1
        cell = sheet.cell(row, col)
    assert isinstance(cell.value, int | float) and not isinstance(cell.value, bool)
    return cell.coordinate, int(cell.value)


def typed_over(summary: Path, out: Path, sheet: str, delete_row: bool = False) -> None:
    """A copy of ``summary`` with one unit's BPTT_DCTC changed in the XML (caches kept),
    or that unit's whole row of «Theo kỳ» deleted."""
    cell, value = _per_unit_cell(summary, sheet)
    part = _sheet_part(summary, sheet)
    row = re.sub(r"[A-Z]+", "", cell)
    with zipfile.ZipFile(summary) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == part:
                if delete_row:
                    text, count = re.subn(rf'<row r="{row}"[ >].*?</row>', "", data.decode())
                else:
                    text, count = re.subn(rf'(<c r="{cell}"[^>]*><v>){value}(\.0)?(</v>)',
                                          rf"\g<1>{value + 768}\g<3>", data.decode())
                assert count == 1, cell
                data = text.encode()
            target.writestr(item, data)


def parent_form(plan: Plan, folder: Path) -> Path:
    """The blank form the parent sent this unit (same year and round)."""
    unit = Unit(plan.meta.unit_code, plan.meta.unit_name, "01")
    parent = Plan(Meta("plan", "01", "Cấp trên", year=plan.meta.year, round=plan.meta.round,
                       created_at="x"), (unit,), plan.rows)
    form = next(iter(plan_forms(parent, due_date="2026-05-20", catalogue=catalogue())))
    path = folder / "parent_form.xlsx"
    write_forms([(form, path)])
    return path


@pytest.mark.parametrize(("units", "sheet", "delete_row"), [
    (5, c.SUMMARY_SHEET, False), (5, c.PERIOD_SHEET, False), (80, c.PERIOD_SHEET, False),
    (80, c.PERIOD_SHEET, True)],
    ids=["column-per-unit", "few-units-theo-ky", "units-in-rows", "units-row-deleted"])
def test_a_unit_typed_over_stops_export_next_round_and_report_up(units, sheet, delete_row,
                                                                  tmp_path):
    """Also the red team's addendum: a unit's row deleted from «Theo kỳ» (export sent
    the other 199 units without a word)."""
    plan = many_plan(units)
    plan_path = write_plan(plan, tmp_path / "plan.xlsx")
    clean = write_summary(consolidate(plan, submissions(plan), catalogue()),
                          tmp_path / "summary.xlsx")
    form = parent_form(plan, tmp_path)
    edited = tmp_path / "edited.xlsx"
    typed_over(clean, edited, sheet, delete_row)
    commands = {
        "export": ("export", edited, "--dhis2", tmp_path / "out.csv", "--period", "2026-05"),
        "next-round": ("next-round", plan_path, "--summary", edited, "--out",
                       tmp_path / "out.xlsx", "--round-target", "50%", "--missing-as-zero"),
        "report-up": ("report-up", edited, "--form", form, "--out", tmp_path / "up.xlsx",
                      "--allow-partial"),
    }
    for name, args in commands.items():  # the clean summary goes through
        clean_args = [clean if a == edited else a for a in args]
        code, text = xladdin(*clean_args)
        assert code == 0, (name, text)
        Path(clean_args[clean_args.index("--out") + 1] if "--out" in clean_args
             else clean_args[3]).unlink()
    code, text = xladdin("validate", edited)
    assert code == 1 and "khác tổng các đơn vị" in text, text
    for name, args in commands.items():
        code, text = xladdin(*args)
        assert code == 1, (name, text)
        if delete_row:  # «Nguồn số liệu» lists the unit: its row is missing
            assert "không có dòng kỳ" in text and "20000" in text, (name, text)
            continue
        assert f"{EDITED}: Kết quả" in text and "khác tổng các đơn vị" in text, (name, text)
        assert str(edited) in text and f"trang {c.SUMMARY_SHEET}" in text, (name, text)
        assert re.search(r"ô E\d+", text), (name, text)  # the whole unit's Kết quả
        assert not [p.name for p in tmp_path.glob("out*")] + list(tmp_path.glob("up*")), name


def test_a_retyped_header_of_a_named_table_is_an_error_naming_the_header_row(tmp_path):
    """A header renamed in Excel (the cell and the table's column name: the table is still
    «TheoKy») was a ValueError, shown as «Lỗi không mong đợi … (ValueError)» with a crash
    log; now an error naming the table, the header, the sheet and the header row."""
    plan = many_plan(5)
    clean = write_summary(consolidate(plan, submissions(plan), catalogue()),
                          tmp_path / "summary.xlsx")
    edited = tmp_path / "edited.xlsx"
    with zipfile.ZipFile(clean) as source, zipfile.ZipFile(edited, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.endswith(".xml"):
                data = data.replace(c.PERIOD_CODE.encode(), b"Ma ky")
            target.writestr(item, data)
    for args in (("validate", edited),
                 ("export", edited, "--dhis2", tmp_path / "out.csv", "--period", "2026-05")):
        code, text = xladdin(*args)
        assert code == 1, (args, text)
        assert f"«{c.PERIOD_TABLE}» thiếu cột «{c.PERIOD_CODE}»" in text, (args, text)
        assert "không mong đợi" not in text and "ValueError" not in text, (args, text)
        assert c.PERIOD_SHEET in text and re.search(r"\bA\d\b", text), (args, text)
    assert not (tmp_path / "out.csv").exists()


def _edited_summary(units: int, tmp_path: Path, edit: Callable[[Path, Path], str]
                    ) -> tuple[Path, str, list[tuple[object, ...]]]:
    """A summary of ``units`` copied through ``edit(clean, edited)``: (the edited copy,
    what ``edit`` says it changed, the four commands that read a summary back, on it)."""
    plan = many_plan(units)
    plan_path = write_plan(plan, tmp_path / "plan.xlsx")
    clean = write_summary(consolidate(plan, submissions(plan), catalogue()),
                          tmp_path / "summary.xlsx")
    edited = tmp_path / "edited.xlsx"
    changed = edit(clean, edited)
    return edited, changed, [
        ("validate", edited),
        ("export", edited, "--dhis2", tmp_path / "out.csv", "--period", "2026-05"),
        ("next-round", plan_path, "--summary", edited, "--out", tmp_path / "out.xlsx",
         "--round-target", "50%", "--missing-as-zero"),
        ("report-up", edited, "--form", parent_form(plan, tmp_path), "--out",
         tmp_path / "up.xlsx", "--allow-partial"),
    ]


def _text_in(sheet_xml: bytes, cell: str, text: str) -> bytes:
    """The sheet's XML with ``cell`` holding ``text`` (an inline string), as typed."""
    edited, count = re.subn(rf'<c r="{cell}"[^>]*?(/>|>.*?</c>)',
                            f'<c r="{cell}" t="inlineStr"><is><t>{text}</t></is></c>',
                            sheet_xml.decode(), flags=re.S)
    assert count == 1, cell
    return edited.encode()


def _code_retyped(summary: Path, out: Path, new_code: str) -> str:
    """A copy of ``summary`` whose «Tổng hợp» code cell of EDITED says ``new_code``
    (an inline string, caches kept); the cell's reference."""
    sheet = openpyxl.load_workbook(summary, read_only=True)[c.SUMMARY_SHEET]
    row = next(i for i, (value,) in enumerate(sheet.iter_rows(max_col=1, values_only=True), 1)
               if value == EDITED)
    part, cell = _sheet_part(summary, c.SUMMARY_SHEET), f"A{row}"
    with zipfile.ZipFile(summary) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == part:
                data = _text_in(data, cell, new_code)
            target.writestr(item, data)
    return cell


@pytest.mark.parametrize("units", [5, 80], ids=["column-per-unit", "units-in-rows"])
@pytest.mark.parametrize(("new_code", "rule_words"), [
    (f"{EDITED} (người)", "không có trong danh mục"), ("BPTT_TRIETSAN", "có ở hai dòng")],
    ids=["unknown-code", "another-rows-code"])
def test_an_indicator_code_retyped_in_the_summary_stops_every_command(units, new_code,
                                                                      rule_words, tmp_path):
    """Red team (HIGH): «BPTT_DCTC» retyped in «Tổng hợp» column A made its row «no
    result»: validate 0 errors, next-round carried 0 done for it, export left it out —
    all exit 0.  Now an error naming the cell, and nothing written.  A code retyped as
    another row's: export sends «Theo kỳ» (untouched, and compared with «Tổng hợp» by
    code), the others read «Tổng hợp» and refuse the row they cannot tell apart."""
    edited, cell, commands = _edited_summary(
        units, tmp_path, lambda clean, edited: _code_retyped(clean, edited, new_code))
    for args in commands:
        if args[0] == "export" and rule_words == "có ở hai dòng":
            continue
        code, text = xladdin(*args)
        assert code == 1, (args[0], text)
        assert rule_words in text and cell in text and str(edited) in text, (args[0], text)
    assert not list(tmp_path.glob("out*")) + list(tmp_path.glob("up*"))


def _period_header_retyped(summary: Path, out: Path, new: str) -> str:
    """A copy of ``summary`` whose «Theo kỳ» header EDITED says ``new``, in the cell and
    in the table's column name, as Excel saves a retyped header; the cell's reference."""
    sheet = openpyxl.load_workbook(summary)[c.PERIOD_SHEET]
    cell = next(cell.coordinate for row in sheet.iter_rows(max_row=10) for cell in row
                if cell.value == EDITED)
    part = _sheet_part(summary, c.PERIOD_SHEET)
    with zipfile.ZipFile(summary) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == part:
                data = _text_in(data, cell, new)
            elif item.filename.startswith("xl/tables/") and f'"{c.PERIOD_TABLE}"'.encode() in data:
                data = data.replace(f'name="{EDITED}"'.encode(), f'name="{new}"'.encode())
            target.writestr(item, data)
    return cell


@pytest.mark.parametrize("units", [5, 80], ids=["column-per-unit", "units-in-rows"])
def test_an_indicator_header_retyped_in_theo_ky_stops_every_command(units, tmp_path):
    """Red team (HIGH): «BPTT_DCTC» retyped as the header of its «Theo kỳ» column: export
    sent 80 values under a data element DHIS2 does not know, and next-round (80 units)
    carried 0 done for it to every unit, with validate «0 lỗi» — all exit 0.  Now an
    error naming the header, and nothing written."""
    edited, cell, commands = _edited_summary(
        units, tmp_path,
        lambda clean, edited: _period_header_retyped(clean, edited, f"{EDITED} (sửa)"))
    for args in commands:
        code, text = xladdin(*args)
        assert code == 1, (args[0], text)
        assert f"«{EDITED} (sửa)»" in text and cell in text, (args[0], text)
        assert str(edited) in text and c.PERIOD_SHEET in text, (args[0], text)
    assert not list(tmp_path.glob("out*")) + list(tmp_path.glob("up*"))


def _row_deleted_as_excel_does(summary: Path, out: Path) -> str:
    """A copy of ``summary`` without the first received unit's row of «Theo kỳ», its
    «Tổng hợp» totals lowered by that unit's numbers — what Excel leaves after deleting
    the row (the totals' ranges shift, so they still agree).  The unit's code."""
    book = openpyxl.load_workbook(summary)
    period = book[c.PERIOD_SHEET]
    head = next(r for r in range(1, 20) if period.cell(r, 1).value is not None
                and any(cell.value == EDITED for cell in period[r]))
    codes = {cell.column: cell.value for cell in period[head] if cell.value in CODES}
    row = next(r for r in range(head + 1, period.max_row + 1)
               if period.cell(r, 6).value == c.RECEIVED_WORD)
    unit = period.cell(row, 4).value
    mine = {code: period.cell(row, col).value for col, code in codes.items()}
    totals = book[c.SUMMARY_SHEET]
    lowered = {f"E{r}": mine[totals.cell(r, 1).value] for r in range(1, totals.max_row + 1)
               if isinstance(mine.get(totals.cell(r, 1).value), int)}
    cached = openpyxl.load_workbook(summary, data_only=True)[c.SUMMARY_SHEET]
    parts = {_sheet_part(summary, c.PERIOD_SHEET): "period",
             _sheet_part(summary, c.SUMMARY_SHEET): "totals"}
    with zipfile.ZipFile(summary) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if parts.get(item.filename) == "period":
                text, count = re.subn(rf'<row r="{row}"[ >].*?</row>', "", data.decode())
                assert count == 1
                data = text.encode()
            elif parts.get(item.filename) == "totals":
                text = data.decode()
                for cell, value in lowered.items():
                    total = cached[cell].value
                    text, count = re.subn(rf'(<c r="{cell}"[^>]*>(?:<f>[^<]*</f>)?<v>)[^<]*(</v>)',
                                          rf"\g<1>{total - value}\g<2>", text)
                    assert count == 1, cell
                data = text.encode()
            target.writestr(item, data)
    return str(unit)


def test_a_units_row_deleted_from_theo_ky_with_the_totals_agreeing_stops_every_command(
        tmp_path):
    """Red team (HIGH): above 60 units, a unit's row of «Theo kỳ» deleted in Excel (the
    totals' ranges shift, so «Tổng hợp» still agrees): validate «0 lỗi», export sent 79
    units and next-round carried nothing for the 80th — while «Nguồn số liệu» still says
    it was counted.  Now an error naming the unit and «Theo kỳ»."""
    edited, unit, commands = _edited_summary(80, tmp_path, _row_deleted_as_excel_does)
    for args in commands:
        code, text = xladdin(*args)
        assert code == 1, (args[0], text)
        assert "không có dòng kỳ" in text and unit in text, (args[0], text)
        assert "khác tổng" not in text, (args[0], text)  # the totals agree: only the rows tell
    assert not list(tmp_path.glob("out*")) + list(tmp_path.glob("up*"))
