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
from ..errors import ExcelAutomationError

NOT_FROM_EXCEL = (
    "Không tìm thấy bảng tính đã gọi lệnh: hãy bấm nút trong bảng tính của xladdin "
    "(Excel trên Windows, tiện ích xlwings), không chạy lệnh này từ nơi khác."
)


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
