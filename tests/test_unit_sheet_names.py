"""«Tạo biểu mẫu» in Excel on the web / xlwings Lite: every unit gets a sheet of its own
(red team LOW-MEDIUM): two names equal in their first 31 characters, or a unit named like
a sheet of the plan or of a button, get the unit's code after the name."""

from __future__ import annotations

from dataclasses import replace

from xladdin import contract as c
from xladdin.book.forms import make_forms
from xladdin.book.session import BookSession
from xladdin.writer.plan import write_plan

from test_summary_many_units import many_plan
from xlwings_book import remote_book

LONG = "Thị trấn Nông trường Mộc Châu M"  # 31 characters, then «ới» / «ột»


def test_every_unit_gets_a_sheet_of_its_own(tmp_path):
    plan = many_plan(4)
    names = (f"{LONG}ới", f"{LONG}ột", c.SUMMARY_SHEET, "Xã số 4")
    plan = replace(plan, children=tuple(replace(u, name=n) for u, n in zip(plan.children, names)))
    book = remote_book(write_plan(plan, tmp_path / "plan.xlsx"))
    outcome = make_forms(BookSession(book, "Tạo biểu mẫu"))
    added = [a["args"][1] for a in book.json()["actions"] if a["func"] == "addSheet"]
    codes = [u.code for u in plan.children]
    assert added == [f"{LONG[:23].rstrip()} ({codes[0]})", f"{LONG[:23].rstrip()} ({codes[1]})",
                     f"{c.SUMMARY_SHEET} ({codes[2]})", "Xã số 4"]
    assert all(len(name) <= 31 for name in added)
    assert "Đã thêm 4 trang" in outcome.message and "Giữ nguyên" not in outcome.message
