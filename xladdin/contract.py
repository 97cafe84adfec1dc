"""Every name of the workbook contract, named once.

The contract is /work/shared/spec/workbook-contract.md (in the repository:
``docs/contract-notes.md`` lists our extensions).  Other tools, the acceptance checks and
officers' habits rely on these exact strings, so no module retypes them: import them
from here, and add a new name here first.  ``tests/test_contract_names.py`` fails when a
contract literal appears anywhere else in ``xladdin/``.  The TOML templates in
``workbooks/templates/`` keep the layout (widths, titles, prompts) and get their sheet,
table and header names from here (:func:`xladdin.templates.definition`).

Sections cited are those of the contract (§n) or of docs/contract-notes.md (notes).
"""

from __future__ import annotations

from typing import Final

# --- §2 Every workbook: the very hidden ``_meta`` sheet and the help sheet -------------------
META_SHEET: Final = "_meta"
GUIDE_SHEET: Final = "Hướng dẫn"  # notes: «Hướng dẫn» in every workbook

# ``template`` values (§2), and the ``template_version`` every writer writes and the newest
# a reader accepts (one number for the three templates: a writer and a reader can never
# disagree about it).
PLAN: Final = "plan"
FORM: Final = "form"
SUMMARY: Final = "summary"
TEMPLATES: Final = (PLAN, FORM, SUMMARY)
TEMPLATE_VERSION: Final = 1

# ``_meta`` keys (§2, §8; notes: ``parent_name``, a plan's ``due_date``), in written order.
KEY_TEMPLATE: Final = "template"
KEY_TEMPLATE_VERSION: Final = "template_version"
KEY_UNIT_CODE: Final = "unit_code"
KEY_UNIT_NAME: Final = "unit_name"
KEY_PARENT_CODE: Final = "parent_code"
KEY_YEAR: Final = "year"
KEY_ROUND: Final = "round"
KEY_CREATED_AT: Final = "created_at"
KEY_DUE_DATE: Final = "due_date"
KEY_PERIOD: Final = "period"
KEY_PARENT_NAME: Final = "parent_name"
META_KEYS: Final = (
    KEY_TEMPLATE, KEY_TEMPLATE_VERSION, KEY_UNIT_CODE, KEY_UNIT_NAME, KEY_PARENT_CODE,
    KEY_YEAR, KEY_ROUND, KEY_CREATED_AT, KEY_DUE_DATE,
)

# --- §5 Issues: severities, and the one Vietnamese word for each --------------------------
ERROR: Final = "error"
WARNING: Final = "warning"
SEVERITIES: Final = (ERROR, WARNING)
SEVERITY_WORDS: Final[dict[str, str]] = {ERROR: "Lỗi", WARNING: "Cảnh báo"}

# --- §3 Plan workbook -------------------------------------------------------------------
PLAN_SHEET: Final = "Kế hoạch"
PLAN_TABLE: Final = "KeHoach"
CODE: Final = "Mã"
NAME: Final = "Chỉ tiêu"
UNIT: Final = "ĐVT"
ANNUAL_PLAN: Final = "Kế hoạch năm"
DONE: Final = "Đã thực hiện"
REMAINING: Final = "Còn lại"
ROUND_TARGET: Final = "Chỉ tiêu đợt"
# Column key (used by the TOML layout) → header, in the contract's order; children follow.
PLAN_COLUMNS: Final[dict[str, str]] = {
    "code": CODE, "name": NAME, "unit": UNIT, "annual_plan": ANNUAL_PLAN, "done": DONE,
    "remaining": REMAINING, "round_target": ROUND_TARGET,
}
CHECK_HEADER: Final = "Kiểm tra phân bổ"  # notes: the check column after the children
# The check column's words, also CHECK_SPLIT's (notes: «Khớp», «Thừa n», «Thiếu n»).
CHECK_OK: Final = "Khớp"
CHECK_TOO_MUCH: Final = "Thừa "
CHECK_TOO_LITTLE: Final = "Thiếu "

UNITS_SHEET: Final = "Đơn vị"
UNITS_TABLE: Final = "DonVi"
UNIT_CODE: Final = "Mã đơn vị"
UNIT_NAME: Final = "Tên đơn vị"
WEIGHT: Final = "Trọng số"
WEIGHT_SHARE: Final = "Tỷ trọng"  # notes: DonVi's fourth column
UNITS_COLUMNS: Final = (UNIT_CODE, UNIT_NAME, WEIGHT, WEIGHT_SHARE)
WEIGHTS_NAME: Final = "TrongSo"  # notes: defined names (for SPLIT_TARGET(…, TrongSo))
UNIT_NAMES_NAME: Final = "TenDonVi"
# notes: the hidden sheet of the live split's helper cells (children in rows), and the most
# decimals a weight may have (populations in thousands: 12,5).
LIVE_SPLIT_SHEET: Final = "_phanbo"
MAX_WEIGHT_DECIMALS: Final = 3
# notes: the settings block read by «Phân bổ», found by its labels.
METHOD_LABEL: Final = "Phương pháp phân bổ"
MINIMUM_LABEL: Final = "Mức tối thiểu"

SPLIT_SHEET: Final = "Giải thích phân bổ"  # notes: how one indicator was split (issue 14)

# --- §4 Report form ---------------------------------------------------------------------
FORM_SHEET: Final = "Báo cáo"
FORM_TABLE: Final = "BaoCao"
RESULT: Final = "Kết quả"
PCT: Final = "% đạt"
NOTE: Final = "Ghi chú"
FORM_COLUMNS: Final[dict[str, str]] = {
    "code": CODE, "name": NAME, "unit": UNIT, "round_target": ROUND_TARGET, "result": RESULT,
    "pct": PCT, "note": NOTE,
}
RATE_REACHED: Final = "Đạt"  # notes: % đạt of a rate row
RATE_NOT_REACHED: Final = "Chưa đạt"

# --- §5 consolidate: the summary workbook and its sheets ---------------------------------
SUMMARY_SHEET: Final = "Tổng hợp"
SUMMARY_TABLE: Final = "TongHop"
SUMMARY_COLUMNS: Final[dict[str, str]] = {
    "code": CODE, "name": NAME, "unit": UNIT, "target": ROUND_TARGET, "result": RESULT,
    "pct": PCT,
}
PROGRESS_SHEET: Final = "Tiến độ"
PROGRESS_TABLE: Final = "TienDo"
TARGETS_SHEET: Final = "Chỉ tiêu đơn vị"
TARGETS_TABLE: Final = "ChiTieuDonVi"
SOURCES_SHEET: Final = "Nguồn số liệu"
SOURCES_TABLE: Final = "NguonSoLieu"
ISSUES_SHEET: Final = "Kiểm tra"  # also the «Kiểm tra» button's sheet in a plan (notes)
ISSUES_TABLE: Final = "KiemTra"
# «Kiểm tra»'s columns (the button's sheet has no «Tệp»: it is the open book).
SEVERITY_HEADER: Final = "Mức độ"
FILE_HEADER: Final = "Tệp"
SHEET_HEADER: Final = "Trang"
CELL_HEADER: Final = "Ô"
RULE_HEADER: Final = "Quy tắc"
MESSAGE_HEADER: Final = "Nội dung"
ISSUES_COLUMNS: Final = (
    SEVERITY_HEADER, FILE_HEADER, SHEET_HEADER, CELL_HEADER, RULE_HEADER, MESSAGE_HEADER,
)
# What a summary says of each unit (notes: «Nguồn số liệu», «Tiến độ», «Theo kỳ», the
# «Tổng hợp» button): the column and its words (formulas of «Theo kỳ» compare with them).
STATUS_HEADER: Final = "Tình trạng"
RECEIVED_WORD: Final = "Đã nhận"
MISSING_WORD: Final = "Chưa gửi"
REJECTED_WORD: Final = "Có lỗi – chưa cộng"
LATE_RECEIVED_WORD: Final = "Nộp muộn"  # counted, but sent after its due date
# When each form came (notes: «Nguồn số liệu» and «Theo kỳ»).
DUE_HEADER: Final = "Hạn gửi"
RECEIVED_ON: Final = "Ngày nhận"
ARRIVED_FROM_HEADER: Final = "Nhận theo"
ON_TIME: Final = "Đúng hạn"  # the column, and its word for a form sent in time
LATE: Final = "Muộn"
SOURCE_FILE: Final = "Tệp nguồn"
FILE_TIME: Final = "Thời gian sửa tệp"  # the column, and how «Nhận theo» names the file time
ERRORS_HEADER: Final = "Số lỗi"
WARNINGS_HEADER: Final = "Số cảnh báo"

# --- §6 One-click buttons: the script in ``xladdin.scripts`` → its caption ------------------
BUTTON_LABELS: Final[dict[str, str]] = {
    "split_targets": "Phân bổ",
    "check_book": ISSUES_SHEET,  # «Kiểm tra» writes the sheet «Kiểm tra»
    "consolidate_sheets": SUMMARY_SHEET,  # «Tổng hợp» writes the sheet «Tổng hợp»
    "new_round": "Đợt mới",
    "make_forms": "Tạo biểu mẫu",
    "report_up": "Báo cáo lên cấp trên",
}
# notes: where no folder can be written (Excel on the web, Lite), «Báo cáo lên cấp trên»
# fills the parent's form in a sheet of the plan's workbook.
REPORT_UP_SHEET: Final = "Báo cáo lên"

# §8 the reporting year in the summary: each period side by side and the year to date
CUMULATIVE_SHEET: Final = "Lũy kế"
CUMULATIVE_TABLE: Final = "LuyKe"
PERIOD_SHEET: Final = "Theo kỳ"  # one row per unit and period: where the year's numbers come from
PERIOD_TABLE: Final = "TheoKy"
PERIOD_ORDER: Final = "Thứ tự kỳ"
PERIOD_LABEL: Final = "Kỳ"  # «Tháng 3/2024»
PERIOD_CODE: Final = "Mã kỳ"  # the contract string: 2024-03, 2024-Q1, round-2
LATEST: Final = "Mới nhất"  # 1 on a unit's latest counted period (stocks come from it)
CUMULATIVE: Final = "Lũy kế"
PCT_ANNUAL: Final = "% kế hoạch năm"
# a form's _meta key (§8): what its Chỉ tiêu đợt is: "round_target" or "annual_share"
# (engine.forms.ROUND_TARGET / ANNUAL_SHARE); catalogue kinds are engine.catalogue's COUNT…
KEY_TARGET_BASIS: Final = "target_basis"

# §9 each unit's own remainder: a sheet of the plan
REMAINDER_SHEET: Final = "Còn lại đơn vị"
REMAINDER_TABLE: Final = "ConLaiDonVi"
ANNUAL_SHARE: Final = "Phần kế hoạch năm"

# Every table name: a workbook holding one of them is ours.
TABLES: Final = (
    PLAN_TABLE, UNITS_TABLE, FORM_TABLE, SUMMARY_TABLE, PROGRESS_TABLE, TARGETS_TABLE,
    SOURCES_TABLE, ISSUES_TABLE, CUMULATIVE_TABLE, PERIOD_TABLE, REMAINDER_TABLE,
)

# --- §8 open catalogue and §10 levels ------------------------------------------------------
# A very hidden sheet with the columns of indicators.csv: the indicators a workbook's
# catalogue adds to the bundled one (``new-plan --catalogue``), carried by its forms,
# summary and next-round plan.
CATALOGUE_SHEET: Final = "_catalogue"
KEY_UNITS_AS_OF: Final = "units_as_of"  # plan: date of the admin list its children came from
KEY_FORM_CREATED_AT: Final = "form_created_at"  # plan made --from-form: the form's created_at
KEY_FORM_DUE_DATE: Final = "form_due_date"  # ... and its due_date (the parent's deadline)
# A form filled by ``report-up --allow-partial`` (or the button) while some sub-units were not
# counted: «CODE (name); CODE (name)»; the parent's consolidate warns (rule PARTIAL_RULE).
KEY_PARTIAL_MISSING: Final = "partial_missing"
PARTIAL_RULE: Final = "partial-report"
PARTIAL_WORD: Final = "CHƯA ĐỦ"  # heads the note, the Ghi chú and the warning
NATION_CODE: Final = "VN"  # the nation above the provinces («Toàn quốc»)
# A national summary's subtotals by the six socio-economic regions (``consolidate --by-region``).
REGIONS_SHEET: Final = "Theo vùng"

# --- §11 Leaving the workbook -------------------------------------------------------------
# ``xladdin.read_report(PATH)``: the tidy DataFrame's columns, in order.
REPORT_COLUMNS: Final = (
    KEY_UNIT_CODE,
    KEY_UNIT_NAME,
    "indicator_code",
    KEY_PERIOD,
    "target",
    "result",
)
# ``export --dhis2``: DHIS2's CSV data value set layout, in order; MAP.csv's columns.
DHIS2_COLUMNS: Final = (
    "dataelement", KEY_PERIOD, "orgunit", "categoryoptioncombo", "attributeoptioncombo", "value",
    "storedby", "lastupdated", "comment", "followup",
)
DHIS2_MAP_COLUMNS: Final = ("kind", "code", "dhis2")

# Every sheet the plan and its buttons put in a plan's workbook: never a unit's report sheet
# («Tạo biểu mẫu» gives a unit so named its code; «Tổng hợp» reads none of them as a form).
BOOK_SHEETS: Final = (
    PLAN_SHEET, UNITS_SHEET, META_SHEET, GUIDE_SHEET, SPLIT_SHEET, LIVE_SPLIT_SHEET,
    REMAINDER_SHEET, CATALOGUE_SHEET, SUMMARY_SHEET, ISSUES_SHEET, PERIOD_SHEET, TARGETS_SHEET,
    REPORT_UP_SHEET,
)
