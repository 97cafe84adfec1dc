"""«Kế hoạch» of the plan workbook: Table KeHoach, a row per indicator, a column per child
(native split formulas, cached with the engine's values), and the hidden ``_phanbo`` it
feeds (:mod:`.live_split`)."""

from __future__ import annotations

from fractions import Fraction

from .. import contract as c
from ..engine.model import Plan, PlanRow
from ..engine.plan_values import RowValues, child_weights
from ..engine.remainder import live_remainders
from ..templates import period_title
from . import formulas, live_split, parts, plan_cells
from .cells import put
from .remainder_sheet import RemainderCells, left_cells
from .styles import Formats


class PlanSheet:
    def __init__(self, sheet, formats: Formats, plan: Plan, spec: dict,
                 values: dict[str, RowValues], cache: bool):
        self.sheet, self.f, self.plan, self.spec, self.values, self.cache = (
            sheet, formats, plan, spec, values, cache)
        fixed = spec["columns"]
        self.col = {c["key"]: i for i, c in enumerate(fixed)}
        self.children = list(range(len(fixed), len(fixed) + len(plan.children)))
        self.check_col = len(fixed) + len(plan.children)
        self.head = spec["sheet"]["header_row"] - 1
        self.has_weights = sum(child_weights(plan)) > 0
        # §9: rows split by each child's remainder follow its Còn lại cell live
        self.by_remainder = live_remainders(plan, {k: v.round_target for k, v in values.items()})

    def write(self, password: str | None) -> str:
        sheet, f, spec, meta = self.sheet, self.f, self.spec, self.plan.meta
        parent_name = meta.extra.get(c.KEY_PARENT_NAME)
        parent = (f" · Cấp trên: {parent_name}" if parent_name
                  else f" · Cấp trên: mã {meta.parent_code}" if meta.parent_code else "")
        title = spec["sheet"]["title"].format(period_title=period_title(meta))
        parts.line(sheet, f, 0, title, self.check_col, "title", 26)
        parts.line(
            sheet,
            f,
            1,
            spec["sheet"]["subtitle"].format(
                unit_name=meta.unit_name, unit_code=meta.unit_code, parent_part=parent
            ),
            self.check_col,
            "subtitle",
            20,
        )
        parts.line(
            sheet,
            f,
            2,
            spec["sheet"]["note"].format(units_sheet=spec["units_sheet"]["name"]),
            self.check_col,
            "note",
            44,
        )

        headers = [c["header"] for c in spec["columns"]] + [c.name for c in self.plan.children]
        headers.append(spec["check_column"]["header"])
        rows = self.plan.rows or (PlanRow(code="", name="", unit=""),)
        last = self.head + len(rows)
        parts.add_table(sheet, f, spec["table"]["name"], self.head, last, headers)
        for i, column in enumerate(spec["columns"]):
            sheet.set_column(i, i, column["width"])
        child_spec = spec["child_columns"]
        for col, child in zip(self.children, self.plan.children):
            width = max(child_spec["min_width"], min(child_spec["width"], len(child.name) + 2))
            sheet.set_column(col, col, width)
        sheet.set_column(self.check_col, self.check_col, spec["check_column"]["width"])
        # room for a child's name wrapped over up to three lines
        lines = max(
            [1]
            + [
                -(-len(c.name) // child_spec["width"]) + 1
                for c in self.plan.children
                if " " in c.name
            ]
        )
        sheet.set_row(self.head, max(32, 15 * min(lines, 3)))

        self.row_of = {r.code: self.head + 1 + i for i, r in enumerate(rows)}
        for r in rows:
            self._row(r)
            sheet.set_row(
                self.row_of[r.code],
                parts.row_height(r.name, spec["columns"][self.col["name"]]["width"]),
            )

        validation = spec["validation"]
        for r in rows:
            row = self.row_of[r.code]
            if r.is_rate:
                parts.percent_validation(
                    sheet,
                    row,
                    self.col["annual_plan"],
                    row,
                    self.col["round_target"],
                    prompt=validation["rate_prompt"],
                    error=validation["rate_error"],
                )
            elif not self.plan.parts_present(r):
                spans = [
                    (self.col["annual_plan"], self.col["done"]),
                    (self.col["round_target"],) * 2,
                ]
                if (r.shares is not None and not r.split_method and self.children
                        and r.code not in self.by_remainder):
                    spans.append((self.children[0], self.children[-1]))
                for first_col, last_col in spans:
                    parts.whole_number_validation(
                        sheet,
                        row,
                        first_col,
                        row,
                        last_col,
                        title=validation["count_title"],
                        prompt=validation["count_prompt"],
                        error_title=validation["count_error_title"],
                        error=validation["count_error"],
                    )
        words = plan_cells.check_words()
        check_first = parts.cell(self.head + 1, self.check_col)
        ok = words["ok"]  # «Khớp», or «Khớp · D'Hondt» when a method wrote the shares
        parts.highlight(sheet, f, self.head + 1, self.check_col, last,
                        f'=AND({check_first}<>"",LEFT({check_first},{len(ok)})<>"{ok}",'
                        f'{check_first}<>"{words["rate"]}")')
        for offset, note in enumerate(self.plan.notes):
            sheet.write_string(last + 2 + offset, 0, note, f["small_left"])
        sheet.freeze_panes(self.head + 1, 2)
        parts.protect(sheet, password)
        parts.print_a4(
            sheet,
            landscape=spec["sheet"]["orientation"] == "landscape",
            title_row=self.head,
            last_col=self.check_col,
            last_row=last + (len(self.plan.notes) + 1 if self.plan.notes else 0),
        )
        return title

    # one row of KeHoach: which cells are inputs, which are formulas
    def ref(self, key: str, row: int, absolute_col: bool = False) -> str:
        a1 = parts.cell(row, self.col[key])
        return f"${a1}" if absolute_col else a1

    def _row(self, r: PlanRow) -> None:
        sheet, f, row = self.sheet, self.f, self.row_of[r.code]
        sheet.write_string(row, self.col["code"], r.code, f["text"])
        sheet.write_string(row, self.col["name"], r.name, f["text"])
        sheet.write_string(row, self.col["unit"], r.unit, f["text_center"])
        if not r.code:
            return
        if r.is_rate:
            self._rate_row(r, row)
        elif self.plan.parts_present(r):
            self._total_row(r, row)
        else:
            self._count_row(r, row)

    def layout(self, row: int) -> plan_cells.RowLayout:
        return plan_cells.RowLayout(
            row,
            {k: self.col[k] for k in ("annual_plan", "done", "remaining", "round_target")},
            tuple(self.children),
            self.check_col,
            self.head,
            live_split.SplitLayout(len(self.row_of), frozenset(
                self.row_of[code] - self.head - 1 for code in self.by_remainder)),
        )

    def live_split_sheet(self, workbook, units_name: str) -> None:
        """The hidden ``_phanbo``: a slot for every count row (a live split, or shares typed
        by hand that «Phân bổ» may turn into one)."""
        if not self.children:
            return
        quoted_units = "'" + units_name.replace("'", "''") + "'"
        quoted_plan = "'" + self.sheet.name.replace("'", "''") + "'"
        first = self.spec["units_sheet"]["header_row"]  # 0-based row of the first unit
        weights = child_weights(self.plan)
        target_col = "$" + parts.column(self.col["round_target"])
        children = [live_split.Child(
            c.code, f"{quoted_units}!$C${first + 1 + j}", f"{quoted_units}!$B${first + 1 + j}",
            f"{quoted_plan}!{parts.column(col)}${self.head + 1}", weights[j])
            for j, (c, col) in enumerate(zip(self.plan.children, self.children))]
        lefts = left_cells(self.plan)
        slots = [
            live_split.Slot(
                self.row_of[r.code] - self.head - 1,
                r.code,
                f"{quoted_plan}!{target_col}${self.row_of[r.code] + 1}",
                self.values[r.code].round_target,
                *self._remainder_weights(r.code, lefts, [child.weight_ref for child in children]),
            )
            for r in self.plan.rows
            if r.code and not r.is_rate and not self.plan.parts_present(r)
        ]
        live_split.write_split_sheet(
            workbook, self.f, self.layout(self.head + 1).split, children, slots, self.cache
        )

    def _remainder_weights(self, code: str, cells: dict[str, RemainderCells], weights: list[str]
                           ) -> tuple[tuple[str, ...] | None, tuple[Fraction, ...] | None]:
        """A row split by remainder: each child's Còn lại cell, never below 0; the unit's
        weight when no child has anything left (§9, as engine.remainder)."""
        if code not in self.by_remainder:
            return None, None
        mine = cells[code]
        return (tuple(f"IF({mine.nobody_left}=1,{w},MAX(0,{left}))"
                      for left, w in zip(mine.lefts, weights)), self.by_remainder[code])

    def _count_row(self, r: PlanRow, row: int) -> None:
        cells = plan_cells.count_row(
            r, self.values[r.code], self.layout(row), has_weights=self.has_weights,
            live=r.code in self.by_remainder,
        )
        for cell in [*cells.fields.values(), *cells.children, cells.check]:
            put(self.sheet, self.f, row, cell, self.cache)

    def _total_row(self, r: PlanRow, row: int) -> None:
        sheet, f, v = self.sheet, self.f, self.values[r.code]
        part_rows = [self.row_of[p] for p in r.parts]
        for key, value in (
            ("annual_plan", v.annual_plan),
            ("done", v.done),
            ("round_target", v.round_target),
        ):
            col = self.col[key]
            refs = [parts.cell(p, col) for p in part_rows]
            sheet.write_formula(
                row, col, formulas.total_of(refs), f["count_total"], parts.cached(value, self.cache)
            )
        sheet.write_formula(row, self.col["remaining"],
                            formulas.remaining(self.ref("annual_plan", row), self.ref("done", row)),
                            f["remaining"], parts.cached(v.remaining, self.cache))
        for i, col in enumerate(self.children):
            refs = [parts.cell(p, col) for p in part_rows]
            sheet.write_formula(
                row,
                col,
                formulas.total_of(refs),
                f["count_total"],
                parts.cached(v.shares[i], self.cache),
            )
        self._check(r, row, v)

    def _rate_row(self, r: PlanRow, row: int) -> None:
        sheet, f, v = self.sheet, self.f, self.values[r.code]
        parts.put_value(sheet, row, self.col["annual_plan"], r.annual_plan, f["percent_input"])
        parts.put_value(sheet, row, self.col["done"], r.done, f["percent"])
        sheet.write_blank(row, self.col["remaining"], None, f["percent"])
        parts.put_value(sheet, row, self.col["round_target"], v.round_target, f["percent_input"])
        target = self.ref("round_target", row, absolute_col=True)
        for i, col in enumerate(self.children):
            sheet.write_formula(
                row,
                col,
                formulas.same_as(target),
                f["percent"],
                parts.cached(v.shares[i], self.cache),
            )
        sheet.write_string(row, self.check_col, self.spec["check_column"]["rate"], f["text_center"])

    def _check(self, r: PlanRow, row: int, v: RowValues) -> None:
        put(
            self.sheet,
            self.f,
            row,
            plan_cells.check_cell(r, v, self.layout(row), live=False, has_weights=self.has_weights),
            self.cache,
        )
