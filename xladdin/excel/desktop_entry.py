"""Zero-argument entries of the one-click scripts, for the classic desktop add-in.

The classic xlwings add-in (Windows) imports an ``@script`` as a VBA ``Sub`` and does not
pass ``book``; a button or ``RunPython`` calls one of these, which takes the workbook
that called (``xw.Book.caller()``) and runs the very same script of
:mod:`xladdin.scripts`.  Add this module to the add-in's UDF modules (not
``xladdin.scripts``, whose Subs would ask for a ``book`` argument).  The names are the
scripts' own (contract §6: "the names stay"), so a button's macro is ``split_targets``
in every runtime.
"""

from __future__ import annotations

import xlwings as xw
from xlwings import script

from .. import scripts


def _caller(function) -> None:
    try:
        book = xw.Book.caller()
    except Exception:  # not started from Excel: nothing to work on, nothing to crash
        return
    function(book)


@script
def split_targets():
    """Phân bổ."""
    _caller(scripts.split_targets)


@script
def check_book():
    """Kiểm tra."""
    _caller(scripts.check_book)


@script
def consolidate_sheets():
    """Tổng hợp."""
    _caller(scripts.consolidate_sheets)


@script
def new_round():
    """Đợt mới."""
    _caller(scripts.new_round)


@script
def make_forms():
    """Tạo biểu mẫu."""
    _caller(scripts.make_forms)


@script
def report_up():
    """Báo cáo lên cấp trên."""
    _caller(scripts.report_up)
