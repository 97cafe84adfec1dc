"""What an officer typed into a form's count cells: Kết quả and Chỉ tiêu đợt (contract §7).

A number typed as text is read with a warning, a blank result is 0 with a warning (a
blank stock level is "not reported"), text or a negative or fractional count is an
error, a formula without a cached value is never read as 0, and a typed formula whose
cached value lies is an error.  A total row's result is the sum of its parts.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

from ..engine.cells import read_count
from ..engine.input_formula import evaluate
from ..engine.model import ERROR, WARNING, FormRow, Issue
from ..engine.numbers import show
from ..engine.values import ExcelError, exact
from ..grid.base import a1


class ResultCells(ABC):
    """The count cells of one form, read for the form reader (its ``issue``, its
    ``issues`` and the blank-result warnings it keeps in ``blank``)."""

    blank: list[Issue]
    issues: list[Issue]

    @abstractmethod
    def issue(self, severity: str, rule: str, message: str, cell: str | None = None,
              sheet: str | None = None) -> None: ...

    def target(self, sheet, row, col, indicator):
        if col["round_target"] is None:
            return None
        raw = sheet.value(row, col["round_target"])
        if indicator.is_rate:
            return (
                exact(raw) if isinstance(raw, float | int) and not isinstance(raw, bool) else None
            )
        reading = read_count(raw)
        return reading.value

    def result(self, sheet, row: int, col: int | None, code: str, *,
               stock: bool = False) -> int | None:
        if col is None:
            self.issue(ERROR, "column-missing", "Không có cột «Kết quả».")
            return None
        where = a1(row, col)
        raw = sheet.value(row, col)
        reading = read_count(raw)
        if reading.problem is not None:
            self.issue(
                reading.problem.severity,
                reading.problem.rule,
                f"{code}: {reading.problem.message}",
                where,
            )
            return reading.value
        if reading.value is None:
            if sheet.formula(row, col) is not None:
                self.issue(
                    ERROR,
                    "formula-without-value",
                    f"{code}: ô có công thức nhưng chưa có giá trị đã tính (tệp được lưu bằng "
                    "phần mềm "
                    "không tính công thức). Hãy mở bằng Excel hoặc LibreOffice, lưu lại rồi gửi.",
                    where,
                )
                return None
            if stock:  # a level left blank is not a level of 0: it was not reported
                self.issue(
                    WARNING, "blank-result",
                    f"{code}: ô Kết quả để trống: chỉ tiêu thời điểm được coi là chưa báo cáo kỳ "
                    "này (không tính là 0); lũy kế năm dùng số của kỳ gần nhất có báo cáo.",
                    where,
                )
                self.blank.append(self.issues[-1])
                return None
            self.issue(
                WARNING, "blank-result", f"{code}: ô Kết quả để trống, được tính là 0.", where
            )
            self.blank.append(self.issues[-1])
            return 0
        formula = sheet.formula(row, col)
        if formula is not None:
            return self.typed_formula(sheet, formula, reading.value, code, where)
        return reading.value

    def typed_formula(self, sheet, formula: str, cached: int, code: str, where: str) -> int | None:
        """A formula typed into Kết quả: the officer expects the number Excel shows, which
        is what the formula computes.  A simple one is computed here; a cached value that
        disagrees (the file was changed by a program that does not calculate) is an error.
        Any other formula cannot be checked here: its cached value, with a warning."""
        computed = evaluate(formula, sheet.value)
        if computed is None:
            self.issue(
                WARNING,
                "formula-in-input",
                f"{code}: ô Kết quả có công thức (={formula[:60]}); đã dùng giá trị Excel đã "
                f"tính ({cached}). Nên nhập số thay vì công thức.",
                where,
            )
            return cached
        if isinstance(computed, ExcelError):
            self.issue(
                ERROR,
                "stale-formula-value",
                f"{code}: công thức ={formula[:60]} cho lỗi {computed.code} trong Excel, nhưng "
                f"giá trị lưu trong tệp là {cached}. Hãy sửa ô này (nhập số) rồi gửi lại.",
                where,
            )
            return None
        if computed != cached:
            self.issue(
                ERROR,
                "stale-formula-value",
                f"{code}: công thức ={formula[:60]} tính ra {show(computed)}, nhưng giá trị lưu "
                f"trong tệp là {cached} (tệp đã bị sửa bằng chương trình không tính lại công "
                "thức). Hãy mở tệp bằng Excel, kiểm tra, lưu lại rồi gửi lại.",
                where,
            )
            return None
        return cached


def shown_int(value) -> int | None:
    if isinstance(value, ExcelError) or value is None:
        return None
    reading = read_count(value)
    return reading.value


def resolve_totals(rows: list[FormRow]) -> list[FormRow]:
    """A total row's result is the sum of its parts' results, whatever the cell shows."""
    by_code = {r.code: r for r in rows}

    def total(code: str, seen: frozenset = frozenset()) -> int | None:
        row = by_code[code]
        if not row.parts or code in seen:
            return row.result
        values = [total(p, seen | {code}) for p in row.parts]
        present = [v for v in values if v is not None]
        return sum(present) if present else None

    resolved = []
    for row in rows:
        if row.parts and not row.is_rate:
            resolved.append(FormRow(row.code, row.name, row.unit, row.round_target, total(row.code),
                                    row.note, row.kind, row.parts, row.target_rate))
        else:
            resolved.append(row)
    return resolved
