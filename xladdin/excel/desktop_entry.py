"""Zero-argument entries of the one-click scripts, for the classic desktop add-in.

The classic xlwings add-in (Windows) imports an ``@script`` as a VBA ``Sub`` and does not
pass ``book``; a button or ``RunPython`` calls one of these, which takes the workbook
that called (``xw.Book.caller()``) and runs the very same script of
:mod:`xladdin.scripts`.  Add this module to the add-in's UDF modules (not
``xladdin.scripts``, whose Subs would ask for a ``book`` argument).  The names are the
scripts' own (contract §6: "the names stay"), so a button's macro is ``split_targets``
in every runtime.

It is also the one UDF module the desktop add-in imports (``UDF MODULES``): the Excel
functions are re-exported here, under a name no stray file can take, in their desktop
form (:mod:`udfs.desktop`: the reason of a ``#VALUE!`` goes into the cell's note).
The add-in starts Python with ``python -c``, which puts the current folder first on
``sys.path``; it is taken off before anything else is imported, so a ``udfs.py`` lying in
that folder is never imported.
"""

from __future__ import annotations

import os
import sys

sys.path[:] = [p for p in sys.path if p not in ("", ".", os.getcwd())]

import xlwings as xw  # noqa: E402 - after sys.path is cleaned
from udfs.desktop import (  # noqa: E402
    CHECK_SPLIT,
    PCT_DONE,
    REMAINING,
    ROUND_TARGET,
    SPLIT_TARGET,
)
from xlwings import script  # noqa: E402

from .. import scripts  # noqa: E402
from ..errors import ExcelAutomationError  # noqa: E402

NOT_FROM_EXCEL = (
    "Không tìm thấy bảng tính đã gọi lệnh: hãy bấm nút trong bảng tính của xladdin "
    "(Excel trên Windows, tiện ích xlwings), không chạy lệnh này từ nơi khác."
)

__all__ = ["CHECK_SPLIT", "PCT_DONE", "REMAINING", "ROUND_TARGET", "SPLIT_TARGET",
           "check_book", "consolidate_sheets", "make_forms", "new_round", "report_up",
           "split_targets"]


def _caller(function) -> None:
    try:
        book = xw.Book.caller()
    except Exception as error:  # noqa: BLE001 - xlwings raises whatever COM raised
        # Never a silent return: the officer pressed a button and must hear why nothing
        # happened (the classic add-in shows this message in a box).
        raise ExcelAutomationError(NOT_FROM_EXCEL) from error
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
