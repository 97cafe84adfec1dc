"""Reading a plan workbook back into a :class:`Plan`, with the cell of every number.

Formula cells are read as what they are: a live split formula stays a formula in the
model (``shares=None``), a round-target formula keeps its share.  The numbers the
officer sees are taken from the cached values, or computed by the engine when a file
was saved without them; never read as 0.

A grid that cannot tell formulas (a book in Excel on the web: Excel sends values only)
is read from the values the officer sees: a row whose shares are exactly the
largest-remainder split of its Chỉ tiêu đợt by the weights is the live split (that is
what the formula shows), any other row holds shares typed by hand.  The check column
says which shares «Phân bổ» wrote with another method («Khớp · D'Hondt»), and the
settings block of «Đơn vị» which method and minimum the officer chose.
"""

from __future__ import annotations

from fractions import Fraction

from .. import contract as c
from ..engine.apportion import LARGEST_REMAINDER
from ..engine.catalogue import Catalogue, Indicator
from ..engine.cells import read_count
from ..engine.model import ERROR, PLAN, WARNING, Issue, Plan, PlanReading, PlanRow
from ..engine.next_round import split_remainders
from ..engine.units import Unit
from ..engine.values import ExcelError, exact
from ..formula_shapes import is_live_split, parse_round_share
from ..grid.base import SheetGrid, TableLocation, WorkbookGrid, a1
from ..templates import definition
from .locate import (
    MetaKeys,
    clean,
    coded_rows,
    column_index,
    locate_table,
    meta_from_keys,
    normalize,
    read_meta,
)
from .meta_check import meta_issues
from .plan_observed import FIELDS, observed_values
from .plan_split import method_in_check, read_split_settings, shows_live_split
from .plan_units import read_children
from .remainder_reader import with_child_done


def read_plan(grid: WorkbookGrid, catalogue: Catalogue) -> PlanReading:
    return _PlanReader(grid, catalogue).read()


class _PlanReader:
    def __init__(self, grid: WorkbookGrid, catalogue: Catalogue):
        self.grid, self.catalogue = grid, catalogue
        self.spec = definition(c.PLAN)
        self.issues: list[Issue] = []
        self.sheet: str | None = None
        self.units_sheet: str | None = None
        self.cells: dict[tuple[str, str], str] = {}
        self.header_row: int | None = None

    def issue(self, severity: str, rule: str, message: str, cell: str | None = None,
              sheet: str | None = None) -> None:
        self.issues.append(
            Issue(severity, self.grid.source, sheet or self.sheet, cell, rule, message)
        )

    def read(self) -> PlanReading:
        meta = read_meta(self.grid)
        spec = self.spec
        headers = {c["key"]: c["header"] for c in spec["columns"]}
        units = spec["units_sheet"]
        plan_table = locate_table(self.grid, spec["table"]["name"],
                                  [headers["code"], headers["round_target"]], spec["sheet"]["name"])
        if meta is not None and meta.get(c.KEY_TEMPLATE) and meta[c.KEY_TEMPLATE] != PLAN:
            self.issue(
                ERROR,
                "not-a-plan",
                f"Tệp không phải bảng kế hoạch (template = {meta['template']}).",
            )
            return self._done(None, {})
        if plan_table is not None and not plan_table.by_name and self.grid.table(c.FORM_TABLE):
            # a report form whose _meta was changed to say plan: said, never read as a plan
            self.issue(
                ERROR,
                "template-mismatch",
                f"Trang _meta ghi đây là bảng kế hoạch (template = {PLAN}) nhưng tệp không có bảng "
                f"«{c.PLAN_TABLE}» mà có bảng «{c.FORM_TABLE}» của biểu mẫu báo cáo: trang _meta "
                "đã bị sửa tay hoặc hỏng; hãy dùng tệp gốc.",
                meta.cells.get(c.KEY_TEMPLATE) if isinstance(meta, MetaKeys) else None,
                meta.sheet if isinstance(meta, MetaKeys) else None,
            )
            return self._done(None, {})
        if plan_table is None:
            self.issue(
                ERROR,
                "not-a-plan",
                f"Không tìm thấy bảng kế hoạch «{c.PLAN_TABLE}» (cột {c.CODE}, {c.ROUND_TARGET}).",
            )
            return self._done(None, {})
        unit_table = locate_table(
            self.grid, units["table"], [units["code_header"], units["weight_header"]], units["name"]
        )
        self.sheet = plan_table.table.sheet
        self.header_row = plan_table.table.header_row
        self.issues.extend(meta_issues(meta, PLAN, self.grid.source))
        if not plan_table.by_name:
            self.issue(
                WARNING,
                "table-missing",
                f"Không còn bảng «{c.PLAN_TABLE}»; đã tìm theo tiêu đề cột.",
                a1(plan_table.table.header_row, plan_table.table.first_col),
            )
        children = self._children(
            unit_table.table if unit_table else None, (meta or {}).get(c.KEY_UNIT_CODE)
        )
        rows = self._rows(plan_table.table, children)
        method, minimum = self._settings()
        plan = Plan(
            meta=meta_from_keys(meta or {}, PLAN),
            children=tuple(children),
            rows=tuple(rows),
            split_method=method,
            split_minimum=minimum,
        )
        plan, problems = with_child_done(self.grid, plan)  # §9: each child's own results
        self.issues.extend(problems)
        plan = split_remainders(plan, live_only=True)  # the live split by Còn lại
        observed = observed_values(self.grid.sheet(self.sheet), plan, self.cells)
        return self._done(plan, observed)

    def _done(self, plan, observed) -> PlanReading:
        return PlanReading(
            self.grid.source,
            plan,
            observed,
            self.cells,
            self.sheet,
            self.units_sheet,
            tuple(self.issues),
            self.header_row,
        )

    # «Đơn vị»
    def _children(self, table: TableLocation | None, parent_code: str | None) -> list[Unit]:
        if table is None:
            self.issue(
                ERROR, "units-missing",
                f"Không tìm thấy bảng đơn vị «{c.UNITS_TABLE}» ({c.UNIT_CODE}, {c.WEIGHT}).",
            )
            return []
        self.units_sheet = table.sheet
        return read_children(self.grid, table, parent_code, self.issue)

    def _settings(self) -> tuple[str, int]:
        """The method and minimum chosen on «Đơn vị» (defaults when the block is absent)."""
        if self.units_sheet is None:
            return LARGEST_REMAINDER, 0
        sheet = self.units_sheet
        return read_split_settings(
            self.grid.sheet(sheet),
            lambda severity, rule, message, cell: self.issue(severity, rule, message, cell, sheet))

    # «Kế hoạch»
    def _rows(self, table: TableLocation, children: list[Unit]) -> list[PlanRow]:
        sheet = self.grid.sheet(table.sheet)
        spec = self.spec
        found = {c["key"]: column_index(table, c["header"]) for c in spec["columns"]}
        if self._lost_columns(table, found, children):
            return []
        col = {key: index for key, index in found.items() if index is not None}
        names = {normalize(c.name): c for c in children}
        child_cols: dict[str, int] = {}
        fixed = {normalize(c["header"]) for c in spec["columns"]}
        for offset, title in enumerate(table.headers):
            key = normalize(title)
            if key in names:
                child_cols[names[key].code] = table.first_col + offset
            elif key not in fixed and key != normalize(spec["check_column"]["header"]):
                continue  # a column of the officer's own (notes…): not a unit, kept out of the sums
        for child in children:
            if child.code not in child_cols:
                self.issue(
                    ERROR,
                    "units-mismatch",
                    f"Đơn vị «{child.name}» có trong bảng Đơn vị nhưng không có cột trong bảng kế "
                    "hoạch.",
                    a1(table.header_row, table.first_col),
                )
        self.child_cols = child_cols
        self.check_col = column_index(table, spec["check_column"]["header"])
        entries = coded_rows(sheet, table, col["code"], self.issue)
        present_codes = {code for _, code in entries}
        rows = []
        for row, code in entries:
            indicator = self.catalogue.find(code)
            is_total = bool(
                indicator and indicator.parts and all(p in present_codes for p in indicator.parts)
            )
            rows.append(self._row(sheet, row, code, col, children, indicator, is_total))
        return rows

    def _lost_columns(self, table: TableLocation, found: dict[str, int | None],
                      children: list[Unit]) -> bool:
        """A header the reader needs renamed or deleted: an error naming the header cell
        (where the template puts that column, when that cell holds a title we do not
        know), never a crash further down."""
        spec = self.spec
        lost = [(i, c["header"]) for i, c in enumerate(spec["columns"])
                if found[c["key"]] is None and c["key"] in ("code", "name", "unit", *FIELDS)]
        if not lost:
            return False
        known = {normalize(c["header"]) for c in spec["columns"]} | {
            normalize(spec["check_column"]["header"])} | {normalize(u.name) for u in children}
        offset, _ = lost[0]
        title = table.headers[offset] if offset < len(table.headers) else None
        strange = title is not None and normalize(title) not in known
        cell = a1(table.header_row, table.first_col + (offset if strange else 0))
        now = f" (ô {cell} có tiêu đề «{clean(title)}»)" if strange and clean(title) else ""
        self.issue(
            ERROR,
            "column-missing",
            f"Bảng {spec['table']['name']} thiếu cột «{'», «'.join(h for _, h in lost)}»{now}: "
            "tiêu đề cột đã bị đổi hoặc xóa; hãy đặt lại đúng tiêu đề cột.",
            cell,
        )
        return True

    def _row(self, sheet: SheetGrid, row: int, code: str, col: dict[str, int],
             children: list[Unit], indicator: Indicator | None, is_total: bool) -> PlanRow:
        name = clean(sheet.value(row, col["name"])) or (indicator.name if indicator else code)
        unit = clean(sheet.value(row, col["unit"])) or (indicator.unit if indicator else "")
        kind = indicator.kind if indicator else "count"
        for field in FIELDS:
            self.cells[(code, field)] = a1(row, col[field])
        if col.get("remaining") is not None:
            self.cells[(code, "remaining")] = a1(row, col["remaining"])
        for child in children:
            if child.code in self.child_cols:
                self.cells[(code, child.code)] = a1(row, self.child_cols[child.code])
        if self.check_col is not None:
            self.cells[(code, "check")] = a1(row, self.check_col)
        if indicator is None:
            self.issue(
                WARNING,
                "unknown-indicator",
                f"Mã chỉ tiêu «{code}» không có trong danh mục.",
                a1(row, col["code"]),
            )
        if kind == "rate":
            return PlanRow(
                code,
                name,
                unit,
                annual_plan=self._rate(sheet, row, col["annual_plan"], code),
                done=self._rate(sheet, row, col["done"], code),
                round_target=self._rate(sheet, row, col["round_target"], code),
                kind="rate",
            )
        if is_total and indicator is not None:
            return PlanRow(code, name, unit, parts=indicator.parts, kind=kind)
        annual = self._count(sheet, row, col["annual_plan"], code)
        done = self._count(sheet, row, col["done"], code)
        round_share = cumulative = None
        target = None
        formula = sheet.formula(row, col["round_target"])
        parsed = parse_round_share(formula) if formula else None
        if parsed:
            round_share, cumulative = parsed
        else:
            target = self._count(sheet, row, col["round_target"], code)
        method = self._method_tag(sheet, row)
        shares = self._shares(
            sheet,
            row,
            code,
            children,
            read_count(sheet.value(row, col["round_target"])).value,
            by_method=method is not None,
        )
        method = method if shares is not None else None
        return PlanRow(
            code,
            name,
            unit,
            annual,
            done,
            target,
            round_share,
            bool(cumulative),
            shares,
            split_method=method,
            kind=kind,
        )

    def _shares(self, sheet, row, code, children, target_shown, by_method: bool) -> tuple | None:
        cols = [self.child_cols.get(c.code) for c in children]
        formulas = [sheet.formula(row, c) if c is not None else None for c in cols]
        if cols and all(is_live_split(f) for f in formulas):
            return None  # the live split
        if (
            cols
            and not by_method
            and not sheet.knows_formulas
            and shows_live_split(
                [sheet.value(row, c) if c is not None else None for c in cols],
                target_shown,
                children,
            )
        ):
            return None  # what the live split formulas show, in a book whose formulas we cannot see
        shares = []
        for child, column in zip(children, cols):
            shares.append(
                None if column is None else self._count(sheet, row, column, code, who=child.name)
            )
        return tuple(shares)

    def _method_tag(self, sheet, row) -> str | None:
        return (
            method_in_check(sheet.value(row, self.check_col))
            if self.check_col is not None
            else None
        )

    def _count(
        self, sheet, row: int, col: int | None, code: str, who: str | None = None
    ) -> int | None:
        if col is None:
            return None
        raw = sheet.value(row, col)
        reading = read_count(raw)
        label = f"{code}" + (f" ({who})" if who else "")
        if reading.problem is not None:
            self.issue(
                reading.problem.severity,
                reading.problem.rule,
                f"{label}: {reading.problem.message}",
                a1(row, col),
            )
        elif reading.value is None and sheet.formula(row, col) is not None:
            self.issue(ERROR, "formula-without-value",
                       f"{label}: ô có công thức nhưng chưa có giá trị đã tính.", a1(row, col))
        return reading.value

    def _rate(self, sheet, row, col, code) -> Fraction | None:
        raw = sheet.value(row, col) if col is not None else None
        if raw is None or isinstance(raw, ExcelError) or isinstance(raw, str) and not raw.strip():
            return None
        try:
            value = exact(raw)
        except TypeError:
            self.issue(
                ERROR, "not-a-number", f"{code}: tỷ lệ '{raw}' không phải là số.", a1(row, col)
            )
            return None
        if not 0 <= value <= 1:
            self.issue(
                ERROR, "rate-out-of-range", f"{code}: tỷ lệ phải từ 0% đến 100%.", a1(row, col)
            )
        return value
