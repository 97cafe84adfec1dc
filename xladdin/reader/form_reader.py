"""Reading a report form back, the way officers really fill them (contract §7).

The unit is identified by ``_meta`` (never by the file name); the table by its name
``BaoCao`` or else by its headers.  Every oddity becomes an :class:`Issue` naming the
file, sheet and cell: a number typed as text is read with a warning, a blank result is
0 with a warning, text or a negative or fractional count is an error, rows the officer
inserted are ignored with a warning unless they carry an indicator code, a formula
without a cached value is never read as 0.
"""

from __future__ import annotations

import re

from .. import contract as c
from ..engine.catalogue import Catalogue
from ..engine.model import ERROR, FORM, WARNING, Form, FormReading, FormRow, Issue
from ..grid.base import WorkbookGrid, a1
from ..templates import definition
from .locate import (
    clean,
    coded_rows,
    column_index,
    locate_table,
    meta_from_keys,
    normalize,
    read_meta,
    report_sheets,
)
from .meta_check import meta_issues
from .period_claims import period_claims
from .result_cells import ResultCells, resolve_totals, shown_int

_UNIT_IN_TEXT = re.compile(r"\(mã\s+([^)]+)\)", re.IGNORECASE)


def read_form(
    grid: WorkbookGrid, catalogue: Catalogue, units: dict[str, str] | None = None,
    *, returned: bool = False,
) -> FormReading:
    """``units`` (name or code → code) lets a sheet without ``_meta`` be identified by its
    name, as when forms were pasted into one workbook, one sheet per unit.  ``returned``:
    the form came back as a unit's report (consolidate), so one with no result typed at
    all is an error; a blank form read as a template (report-up, --from-form) is not."""
    return _FormReader(grid, catalogue, units or {}, returned).read()


class _FormReader(ResultCells):
    def __init__(self, grid: WorkbookGrid, catalogue: Catalogue, units: dict[str, str],
                 returned: bool):
        self.grid, self.catalogue, self.units, self.returned = grid, catalogue, units, returned
        self.spec = definition(c.FORM)
        self.issues: list[Issue] = []
        self.sheet_name: str | None = None
        self.typed_totals: dict[str, tuple[int | None, str]] = {}  # code → (typed, cell)
        self.meta: dict[str, str] | None = None
        self.results_read = 0  # count rows whose Kết quả cell was read
        self.blank: list[Issue] = []  # their blank-result warnings
        self.target_cells: dict[str, str] = {}  # code → A1 of its Chỉ tiêu đợt

    def issue(self, severity: str, rule: str, message: str, cell: str | None = None,
              sheet: str | None = None) -> None:
        self.issues.append(
            Issue(severity, self.grid.source, sheet or self.sheet_name, cell, rule, message)
        )

    def headers(self) -> dict[str, str]:
        return {c["key"]: c["header"] for c in self.spec["columns"]}

    def read(self) -> FormReading:
        meta = self.meta = read_meta(self.grid)
        h = self.headers()
        located = locate_table(
            self.grid,
            self.spec["table"]["name"],
            [h["code"], h["name"], h["result"]],
            self.spec["sheet"]["name"],
        )
        if meta is None and located is None:
            self.issue(
                ERROR,
                "not-a-form",
                f"Tệp không phải biểu mẫu báo cáo: không có bảng «{c.FORM_TABLE}» và không có "
                f"trang {c.META_SHEET}.",
                sheet=None,
            )
            return self._done(None, {})
        template = (meta or {}).get(c.KEY_TEMPLATE)
        if template != FORM and meta is not None and located is not None and located.by_name:
            self._tampered_template(template)  # the form's own table: read on, never counted
        elif template and template != FORM:
            self.issue(ERROR, "not-a-form",
                       f"Tệp là một {_TEMPLATE_NAMES.get(template, template)}, "
                       "không phải biểu mẫu báo cáo.", sheet=None)
            return self._done(None, {})
        if located is None:
            self.issue(
                ERROR,
                "table-missing",
                "Không tìm thấy bảng báo cáo (cột Mã, Chỉ tiêu, Kết quả).",
                sheet=None,
            )
            return self._done(None, {})
        table = located.table
        self.sheet_name = table.sheet
        self._note_moves(located)
        unit_code = (meta or {}).get(c.KEY_UNIT_CODE) or self._unit_from_text(table.sheet)
        if not unit_code:
            self.issue(
                ERROR,
                "unknown-unit",
                "Không xác định được đơn vị báo cáo (thiếu trang _meta và "
                "dòng «Đơn vị báo cáo … (mã …)»).",
            )
            return self._done(None, {})
        for found in meta_issues(meta, FORM, self.grid.source):
            self.issues.append(found)
        if meta is not None and not self._check_title(table.sheet, meta):
            return self._done(None, {})  # whose numbers are these? Nobody's, until resent
        if meta is not None:
            self.issues.extend(period_claims(self.grid, table.sheet, meta))
        self._one_report_sheet(table.sheet, [h["code"], h["name"], h["result"]])
        if self._headers_lost(table):
            return self._done(None, {})
        rows, cells = self._rows(table)
        form_meta = meta_from_keys(meta or {}, FORM, unit_code)
        form = Form(
            meta=form_meta, parent_name=(meta or {}).get(c.KEY_PARENT_NAME, ""), rows=tuple(rows)
        )
        self._note_partial(form_meta)
        return self._done(form, cells)

    def _headers_lost(self, table) -> bool:
        """A table found by its name whose «Mã», «Chỉ tiêu đợt» or «Kết quả» header was
        retyped: which cells hold the codes, the targets and the results is unknown, so
        nothing is read (an error on the header row, never a crash; a lost «Chỉ tiêu đợt»
        was refused later as targets «để trống», sending the commune after the wrong
        problem)."""
        h = self.headers()
        lost = [h[key] for key in ("code", "round_target", "result")
                if column_index(table, h[key]) is None]
        if lost:
            self.issue(
                ERROR,
                "column-missing",
                f"Bảng {table.name} thiếu cột «{'», «'.join(lost)}»: tiêu đề cột đã bị đổi hoặc "
                "xóa; hãy đặt lại đúng tiêu đề cột hoặc dùng biểu mẫu gốc rồi gửi lại.",
                a1(table.header_row, table.first_col),
            )
        return bool(lost)

    def _tampered_template(self, template: str | None) -> None:
        """A workbook with the form's own table ``BaoCao`` is a unit's form whatever its
        ``_meta`` says: a template that is garbled (``#BLOCKED!``), says plan or summary, or
        is missing is an error on the ``_meta`` cell, so the unit is listed as having sent
        a form with errors (not «Chưa gửi», not a file set aside)."""
        meta = self.meta
        said = f"ghi template = «{template}»" if template else "không có dòng template"
        self.issue(
            ERROR, "template-mismatch",
            f"Trang _meta {said} (phải là {FORM}) nhưng tệp có bảng «{c.FORM_TABLE}» của biểu mẫu "
            "báo cáo: trang _meta đã bị sửa tay hoặc hỏng. Biểu mẫu chưa được cộng; hãy đề nghị "
            "đơn vị gửi lại biểu mẫu gốc cấp trên đã gửi.",
            getattr(meta, "cells", {}).get(c.KEY_TEMPLATE), getattr(meta, "sheet", None),
        )

    def _one_report_sheet(self, used: str, required: list[str]) -> None:
        """A copied report sheet («Báo cáo (2)», Excel's Move or Copy) may hold the real
        numbers while the original stays blank: never guess which one, refuse the form."""
        others = [s for s in report_sheets(self.grid, required) if s != used]
        if others:
            named = " và ".join(f"«{s}»" for s in [used, *others])
            self.issue(
                ERROR, "report-sheet-twice",
                f"Biểu mẫu có {len(others) + 1} trang báo cáo: {named}; không biết trang nào "
                "là số liệu thật. Hãy xóa trang thừa rồi gửi lại.",
            )

    def _note_partial(self, meta) -> None:
        """A form sent up while some of the unit's own sub-units were not counted
        (``report-up --allow-partial``): its numbers are short of theirs; say so."""
        left_out = clean(meta.extra.get(c.KEY_PARTIAL_MISSING))
        if left_out:
            self.issue(
                WARNING, c.PARTIAL_RULE,
                f"{c.PARTIAL_WORD}: {meta.unit_name or meta.unit_code} gửi báo cáo khi chưa cộng "
                f"số liệu của đơn vị cấp dưới: {left_out}. Số của đơn vị này (và các tổng có nó) "
                "còn thiếu phần của các đơn vị đó; hãy đề nghị gửi lại khi đủ.",
            )

    def _done(self, form: Form | None, cells: dict[str, str]) -> FormReading:
        meta = self.meta
        return FormReading(self.grid.source, form, cells, self.sheet_name, tuple(self.issues),
                           getattr(meta, "sheet", None), dict(getattr(meta, "cells", {})),
                           dict(self.target_cells))

    def _note_moves(self, located) -> None:
        table, expected_sheet = located.table, self.spec["sheet"]["name"]
        if not located.by_name:
            self.issue(
                WARNING,
                "table-missing",
                f"Không còn bảng «{self.spec['table']['name']}» (có thể do lưu bằng phần mềm khác "
                "hoặc chép trang); đã tìm theo tiêu đề cột.",
                cell=a1(table.header_row, table.first_col),
            )
        if clean(table.sheet) != clean(expected_sheet):
            self.issue(
                WARNING,
                "sheet-renamed",
                f"Trang báo cáo đã bị đổi tên thành «{table.sheet}»; vẫn đọc được.",
                cell=None,
            )
        expected_row = self.spec["sheet"]["header_row"] - 1
        if (table.header_row, table.first_col) != (expected_row, 0):
            self.issue(WARNING, "table-moved",
                       f"Bảng báo cáo đã bị dời sang {a1(table.header_row, table.first_col)} "
                       f"(mẫu gốc ở {a1(expected_row, 0)}); vẫn đọc được.",
                       cell=a1(table.header_row, table.first_col))

    def _check_title(self, sheet_name: str, meta: dict[str, str]) -> bool:
        """The unit of ``_meta`` and the unit of the form's title line must be one: a form
        copied from a neighbour with only one of them changed is refused (False), and
        counted for neither unit."""
        sheet = self.grid.sheet(sheet_name)
        for row in range(min(sheet.n_rows, 10)):
            for col, value in enumerate(sheet.row_values(row)[:10]):
                match = _UNIT_IN_TEXT.search(clean(value))
                if not match:
                    continue
                code = match.group(1).strip()
                name = clean(clean(value)[:match.start()].split(":", 1)[-1])
                said, said_name = meta.get(c.KEY_UNIT_CODE, ""), meta.get(c.KEY_UNIT_NAME, "")
                if code != said or (name and said_name and normalize(name) != normalize(said_name)):
                    self.issue(
                        ERROR,
                        "identity-mismatch",
                        f"Biểu mẫu tự mâu thuẫn: trang _meta ghi đơn vị {said_name} (mã {said}), "
                        f"dòng tiêu đề ghi đơn vị {name} (mã {code}). Có thể tệp được chép từ "
                        "biểu mẫu của đơn vị khác: hãy dùng đúng biểu mẫu cấp trên gửi cho đơn "
                        "vị mình.",
                        a1(row, col),
                    )
                    return False
                return True
        return True

    def _unit_from_text(self, sheet_name: str) -> str | None:
        sheet = self.grid.sheet(sheet_name)
        for row in range(min(sheet.n_rows, 10)):
            for value in sheet.row_values(row):
                match = _UNIT_IN_TEXT.search(clean(value))
                if match:
                    self.issue(
                        WARNING,
                        "unit-from-title",
                        f"Thiếu trang _meta; đã lấy mã đơn vị {match.group(1).strip()} từ dòng "
                        "tiêu đề.",
                        cell=None,
                    )
                    return match.group(1).strip()
        by_name = self.units.get(normalize(sheet_name))
        if by_name:
            self.issue(
                WARNING,
                "meta-missing",
                f"Không có trang _meta; đã nhận đơn vị {by_name} theo tên trang.",
            )
        return by_name

    def _rows(self, table) -> tuple[list[FormRow], dict[str, str]]:
        sheet = self.grid.sheet(table.sheet)
        h = self.headers()
        col = {key: column_index(table, header) for key, header in h.items()}
        rows: list[FormRow] = []
        cells: dict[str, str] = {}
        entries = []
        code_col = col["code"]
        assert code_col is not None  # the table was located by this very header
        for row, code in coded_rows(sheet, table, code_col, self.issue):
            indicator = self.catalogue.find(code)
            if indicator is None:
                self.issue(
                    WARNING,
                    "unknown-indicator",
                    f"Mã chỉ tiêu «{code}» không có trong danh mục: dòng {row + 1} đã bị bỏ qua.",
                    cell=a1(row, code_col),
                )
                continue
            cells[code] = a1(row, col["result"]) if col["result"] is not None else ""
            if col["round_target"] is not None:
                self.target_cells[code] = a1(row, col["round_target"])
            entries.append((row, code, indicator))
        present = {code for _, code, _ in entries}
        for row, code, indicator in entries:
            rows.append(self._row(sheet, row, col, code, indicator, present))
        self._below(sheet, table, col["code"])
        self._refuse_if_empty()
        resolved = resolve_totals(rows)
        for found in resolved:  # a number typed over a total's formula: the parts count
            typed, where = self.typed_totals.get(found.code, (None, ""))
            if typed is not None and found.result is not None and typed != found.result:
                self.issue(
                    WARNING,
                    "total-overwritten",
                    f"{found.code}: ô tổng ghi {typed} (công thức đã bị gõ đè), nhưng các dòng "
                    f"thành phần cộng lại {found.result}: tổng hợp dùng {found.result}. Hãy kiểm "
                    "tra lại các dòng thành phần.",
                    where,
                )
        return resolved, cells

    def _row(self, sheet, row, col, code, indicator, present) -> FormRow:
        name = clean(sheet.value(row, col["name"])) if col["name"] is not None else indicator.name
        unit = clean(sheet.value(row, col["unit"])) if col["unit"] is not None else indicator.unit
        note = clean(sheet.value(row, col["note"])) if col["note"] is not None else ""
        target = self.target(sheet, row, col, indicator)
        if indicator.is_rate:
            target_rate = target if not isinstance(target, int) else None
            return FormRow(
                code,
                name or indicator.name,
                unit,
                None,
                None,
                note,
                kind="rate",
                parts=(indicator.numerator, indicator.denominator),
                target_rate=target_rate,
            )
        parts = (
            indicator.parts
            if indicator.parts and all(p in present for p in indicator.parts)
            else ()
        )
        if parts:  # a total row: computed from its parts in _resolve_totals
            shown = sheet.value(row, col["result"])
            if sheet.formula(row, col["result"]) is None and shown_int(shown) is not None:
                self.typed_totals[code] = (shown_int(shown), a1(row, col["result"]))
            return FormRow(code, name, unit, target, shown_int(shown), note, parts=parts)
        result = self.result(sheet, row, col["result"], code, stock=indicator.is_stock)
        self.results_read += 1
        return FormRow(code, name or indicator.name, unit, target, result, note)

    def _refuse_if_empty(self) -> None:
        """A blank cell is 0 with a warning (contract §7); a form with no result typed at
        all is not a report of zeros but one not made yet: an error, so the unit is chased."""
        if not self.returned or not self.results_read or len(self.blank) < self.results_read:
            return
        self.issues = [i for i in self.issues if not any(i is b for b in self.blank)]
        self.issue(
            ERROR, "form-empty",
            f"Biểu mẫu chưa nhập kết quả nào (cả {self.results_read} ô Kết quả đều trống): "
            "chưa được cộng. Hãy nhập số liệu (số 0 nếu không có) rồi gửi lại.",
            self.blank[0].cell,
        )

    def _below(self, sheet, table, code_col: int | None) -> None:
        """An indicator code typed just under the table is not read: said, never quiet."""
        if code_col is None:
            return
        for row in range(table.last_row + 1, min(sheet.n_rows, table.last_row + 21)):
            code = clean(sheet.value(row, code_col))
            if code and self.catalogue.find(code) is not None:
                self.issue(
                    WARNING,
                    "row-below-table",
                    f"Dòng {row + 1} có mã chỉ tiêu {code} nằm ngoài (dưới) bảng báo cáo: không "
                    "được đọc. Nếu là số liệu, hãy nhập vào đúng dòng trong bảng rồi gửi lại.",
                    a1(row, code_col),
                )

_TEMPLATE_NAMES = {c.PLAN: "bảng kế hoạch", c.SUMMARY: "bảng tổng hợp"}
