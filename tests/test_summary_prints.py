"""The summary prints on A4 as an officer needs it (issue 14): the chart inside the
printed area with its legend and a 100 % line, indicator names (not codes) in headers,
rows tall enough for their names, late units said to be late, and no empty page."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from xladdin import contract as c
from xladdin.demo import run_demo
from xladdin.writer.parts import row_height

from libreoffice import convert

CODE = re.compile(r"\b[A-Z]{2,}_[A-Z0-9_]+\b")


@pytest.fixture(scope="module")
def summary(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    run_demo(out)
    return out / "hai-phong-2023" / "summary.xlsx"


def part(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read(name).decode("utf-8")


def print_area(book: openpyxl.Workbook, sheet: str) -> tuple[int, int]:
    """(last column, last row), 0-based, of a sheet's print area."""
    area = (
        book[sheet].print_area[0]
        if isinstance(book[sheet].print_area, list)
        else book[sheet].print_area
    )
    last = area.split(":")[-1].replace("$", "")
    col, row = openpyxl.utils.cell.coordinate_from_string(last)
    return openpyxl.utils.column_index_from_string(col) - 1, row - 1


def test_the_chart_prints_inside_the_area_with_a_legend_and_a_100_percent_line(summary):
    book = openpyxl.load_workbook(summary)
    last_col, last_row = print_area(book, c.PROGRESS_SHEET)
    drawing = part(summary, "xl/drawings/drawing1.xml")
    to = re.search(
        r"<xdr:to><xdr:col>(\d+)</xdr:col><xdr:colOff>(\d+)</xdr:colOff><xdr:row>(\d+)</xdr:row>",
        drawing,
    )
    col, offset, row = (int(g) for g in to.groups())
    assert col <= last_col or (col == last_col + 1 and offset == 0)
    assert row <= last_row
    chart = part(summary, "xl/charts/chart1.xml")
    assert "<c:legend>" in chart
    line = chart[chart.index("<c:lineChart>"):chart.index("</c:lineChart>")]
    assert "Mốc 100%" in line
    # the line's values are 100 % for every unit
    ref = re.search(
        r"<c:val><c:numRef><c:f>'?[^!]+'?!\$([A-Z]+)\$(\d+):\$[A-Z]+\$(\d+)</c:f>", line
    )
    sheet = book[c.PROGRESS_SHEET]
    values = [sheet[f"{ref[1]}{r}"].value for r in range(int(ref[2]), int(ref[3]) + 1)]
    assert values and all(v == 1 for v in values)
    assert openpyxl.utils.column_index_from_string(ref[1]) - 1 > last_col  # not printed itself


def test_headers_name_indicators_and_rows_fit_their_names(summary):
    book = openpyxl.load_workbook(summary)
    progress = book[c.PROGRESS_SHEET]
    headers = [cell.value for cell in progress[3] if cell.value]
    assert any(h.startswith("% đạt: ") for h in headers)
    assert not [h for h in headers if CODE.search(h)], headers
    for name in (c.SUMMARY_SHEET, c.TARGETS_SHEET):
        sheet = book[name]
        name_width = sheet.column_dimensions["B"].width
        code_width = sheet.column_dimensions["A"].width
        for row in range(6, sheet.max_row + 1):
            code, text = sheet.cell(row, 1).value, sheet.cell(row, 2).value
            if not code:
                continue
            assert code_width >= len(code), (name, code)  # never wrapped mid-code
            assert sheet.row_dimensions[row].height >= row_height(text, name_width), (name, row)
        units = [
            cell.value for cell in sheet[5][6 if name == c.SUMMARY_SHEET else 3 :] if cell.value
        ]
        unit_width = sheet.column_dimensions["J"].width
        assert sheet.row_dimensions[5].height >= max(
            row_height(u, unit_width * 0.85) for u in units
        )


def test_late_units_read_late(summary):
    book = openpyxl.load_workbook(summary)
    for name, first in ((c.PROGRESS_SHEET, 4), (c.SOURCES_SHEET, 5)):
        sheet = book[name]
        statuses = [sheet.cell(r, 3).value for r in range(first, first + 15)]
        assert statuses.count("Nộp muộn") == 2, (name, statuses)  # the demo's two late units


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext reads the pages")
def test_no_empty_page_and_the_progress_page_shows_its_chart(summary, tmp_path):
    book = openpyxl.load_workbook(summary)
    assert book[c.ISSUES_SHEET].sheet_state == "hidden"  # no issue in the demo: not printed
    [pdf] = convert([summary], tmp_path, to="pdf")
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")
    pages = [p for p in pages if p.strip()]
    assert not [p for p in pages if len(p.split()) < 12], "a page with (almost) nothing on it"
    progress = next(p for p in pages if "TỶ LỆ ĐẠT" in p)
    assert "Mốc 100%" in progress and "Bạch Long Vĩ" in progress  # the legend, the last unit
