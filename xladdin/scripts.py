"""The one-click buttons (contract §6): xlwings scripts, each taking the book open in Excel.

Each is one line over its body in :mod:`xladdin.book`, run through
:func:`xladdin.book.session.run`: the body reads the whole book, computes with the
engine, writes, and the officer reads a Vietnamese message (an alert), never a
traceback.  The same functions serve every runtime: xlwings Server and xlwings Lite
pass ``book``; the classic desktop add-in calls the zero-argument entries of
:mod:`xladdin.excel.desktop_entry`.

In Excel on the web and xlwings Lite, Python cannot lift sheet protection: unprotect
«Kế hoạch» (no password by default) before «Phân bổ» or «Đợt mới».
"""

from __future__ import annotations

import xlwings as xw
from xlwings import script

from .book import check, consolidate, forms, split
from .book import new_round as rounds
from .book import report_up as up
from .book.session import run
from .contract import BUTTON_LABELS


@script
def split_targets(book: xw.Book):
    """Phân bổ: chia lại Chỉ tiêu đợt cho các đơn vị cấp dưới theo phương pháp đã chọn
    ở trang «Đơn vị»."""
    run(split.split_targets, book, BUTTON_LABELS["split_targets"])


@script
def check_book(book: xw.Book):
    """Kiểm tra: kiểm tra bảng tính, ghi các lỗi vào trang «Kiểm tra» (có liên kết tới từng ô)."""
    run(check.check_book, book, BUTTON_LABELS["check_book"])


@script
def consolidate_sheets(book: xw.Book):
    """Tổng hợp: cộng các trang báo cáo của đơn vị cấp dưới có trong bảng kế hoạch, ghi vào
    trang «Tổng hợp»."""
    run(consolidate.consolidate_sheets, book, BUTTON_LABELS["consolidate_sheets"])


@script
def new_round(book: xw.Book):
    """Đợt mới: chuyển kết quả ở trang «Tổng hợp» vào Đã thực hiện, Chỉ tiêu đợt = phần còn lại."""
    run(rounds.new_round, book, BUTTON_LABELS["new_round"])


@script
def make_forms(book: xw.Book):
    """Tạo biểu mẫu: một biểu mẫu báo cáo cho mỗi đơn vị cấp dưới (tệp trên máy tính, hoặc
    trang trong bảng tính)."""
    run(forms.make_forms, book, BUTTON_LABELS["make_forms"])


@script
def report_up(book: xw.Book):
    """Báo cáo lên cấp trên: điền kết quả ở trang «Tổng hợp» vào biểu mẫu của cấp trên (tệp
    hoặc trang «Báo cáo lên»)."""
    run(up.report_up, book, BUTTON_LABELS["report_up"])
