"""«Tổng hợp» is laid out once (writer/summary_layout.py) and written twice: by XlsxWriter
into the summary file and by the «Tổng hợp» button into the open book (issue 16).  What an
officer reads in one is what the other shows; the year's summary says what it means."""

from __future__ import annotations

from dataclasses import replace

import openpyxl
from xladdin import contract as c
from xladdin.book.consolidate import summary_rows
from xladdin.bundled import catalogue
from xladdin.engine.model import ERROR, Issue
from xladdin.engine.year import consolidate_year
from xladdin.writer.parts import row_height
from xladdin.writer.summary import write_summary
from xladdin.writer.summary_layout import summary_layout

from test_reporting_year import bundled_plan, in_memory, typed


def months_summary(months, skip=frozenset(), issues=()):
    """Bình Minh's months, each form read back with the ``issues`` naming its file."""
    plan = bundled_plan()
    found = [replace(sent, reading=replace(sent.reading, issues=tuple(
                 i for i in issues if i.file == sent.path)))
             for sent in in_memory(plan, typed(7, months=months, skip=skip), months)]
    return consolidate_year(plan, found, catalogue())


def test_the_year_heads_its_targets_annual_plan_and_counts_the_latest_month(tmp_path):
    """Tổ dân phố 6 sent January, not February: «Đã nhận 6/6» would say February is in."""
    summary = months_summary((1, 2), skip={(5, 2)})
    path = write_summary(summary, tmp_path / "s.xlsx")
    sheet = openpyxl.load_workbook(path)[c.SUMMARY_SHEET]
    assert sheet["D5"].value == c.ANNUAL_PLAN  # the numbers are the units' shares of the year
    assert "Tháng 2/2024: đã nhận 5/6 báo cáo" in sheet["A2"].value
    assert "6/6 đơn vị đã gửi ít nhất một kỳ" in sheet["A2"].value
    targets = openpyxl.load_workbook(path)[c.TARGETS_SHEET]
    assert targets["A1"].value == "PHẦN KẾ HOẠCH NĂM CỦA TỪNG ĐƠN VỊ"
    sources = openpyxl.load_workbook(path)[c.SOURCES_SHEET]
    assert sources["A2"].value.startswith("Tháng 2/2024: hạn gửi: 06/03/2024 · đã nhận 5/6 ·")
    statuses = {sources.cell(r, 2).value: sources.cell(r, 3).value for r in range(5, 11)}
    assert statuses["Tổ dân phố 6"] == "Chưa gửi"  # its February form, as the line says


def test_long_issue_messages_get_rows_tall_enough_to_print(tmp_path):
    long = ("Ô E12: số «1.200» được đọc là 1200 (dấu chấm là dấu phân cách hàng nghìn); "
            "nếu đơn vị muốn ghi 1,2 thì đây là lỗi: hãy hỏi lại đơn vị trước khi gửi lên. ") * 3
    issue = Issue(ERROR, "0-1.xlsx", "Báo cáo", "E12", "number-format", long)
    summary = months_summary((1,), issues=(issue,))
    sheet = openpyxl.load_workbook(write_summary(summary, tmp_path / "s.xlsx"))[c.ISSUES_SHEET]
    row = next(r for r in range(4, sheet.max_row + 1) if sheet.cell(r, 6).value == long)
    width = sheet.column_dimensions["F"].width
    assert sheet.row_dimensions[row].height >= row_height(long, width) > 60
    assert sheet.cell(row, 6).alignment.wrap_text



def test_a_huge_message_gets_excels_tallest_row_quickly(tmp_path):
    """A warning naming thousands of units (e.g. thousands of identical forms): the row is
    Excel's tallest (409 points), found without wrapping half a megabyte of text."""
    huge = "Xã số 1 (10000, tệp /hop-thu/10000.xlsx), " * 12_000
    issue = Issue(ERROR, "0-1.xlsx", None, None, "same-results", huge)
    summary = months_summary((1,), issues=(issue,))
    sheet = openpyxl.load_workbook(write_summary(summary, tmp_path / "s.xlsx"))[c.ISSUES_SHEET]
    row = next(r for r in range(4, sheet.max_row + 1) if sheet.cell(r, 5).value == "same-results")
    assert 408 <= sheet.row_dimensions[row].height <= 409  # whole pixels


def test_the_button_and_the_file_show_the_same_table(tmp_path):
    """Every cell of TongHop (constants and formulas) is the same in both renderings; the
    button has no «Chỉ tiêu đơn vị» sheet, so its targets are the numbers the file's
    formulas hold."""
    summary = months_summary((1,), skip={(3, 1)})
    book = openpyxl.load_workbook(write_summary(summary, tmp_path / "s.xlsx"))
    sheet = book[c.SUMMARY_SHEET]
    layout = summary_layout(summary)
    block = summary_rows(summary, layout)
    assert block[layout.head] == [sheet.cell(5, col + 1).value for col in range(len(block[4]))]
    cached = openpyxl.load_workbook(tmp_path / "s.xlsx", data_only=True)[c.SUMMARY_SHEET]
    for line in layout.rows:
        shown = block[line.row]
        for col, value in enumerate(shown):
            in_file = sheet.cell(line.row + 1, col + 1).value
            if col == 3 and isinstance(in_file, str) and in_file.startswith("="):
                assert value == cached.cell(line.row + 1, col + 1).value or (
                    value is None and cached.cell(line.row + 1, col + 1).value in ("", None))
            elif isinstance(value, float):
                assert in_file == value
            else:
                assert in_file == value, (line.row, col)
    assert block[1][0] == sheet["A2"].value and block[0][0] == sheet["A1"].value
