"""«Đơn vị» of the plan workbook: Table DonVi (the children and their weights) and the
settings block saying how «Phân bổ» splits (plan.toml [units_sheet], [settings])."""

from __future__ import annotations

from ..engine.apportion import METHOD_NAMES, METHODS
from ..engine.model import Plan
from ..engine.plan_values import child_weights
from . import parts
from .styles import Formats


class UnitsSheet:
    def __init__(self, sheet, formats: Formats, plan: Plan, spec: dict, cache: bool):
        self.sheet, self.formats, self.plan, self.spec, self.cache = (
            sheet,
            formats,
            plan,
            spec,
            cache,
        )

    def write(self, password: str | None) -> tuple[str, str]:
        sheet, f, units = self.sheet, self.formats, self.spec["units_sheet"]
        head = units["header_row"] - 1
        first = head + 1
        last = head + max(len(self.plan.children), 1)
        parts.line(sheet, f, 0, units["title"], 3, "title", height=24)
        parts.line(
            sheet, f, 1, units["note"].format(plan_sheet=self.spec["sheet"]["name"]), 3, "note", 42
        )
        headers = [
            units["code_header"],
            units["name_header"],
            units["weight_header"],
            units["share_header"],
        ]
        parts.add_table(sheet, f, units["table"], head, last, headers)
        for col, key in enumerate(("code_width", "name_width", "weight_width", "share_width")):
            sheet.set_column(col, col, units[key])
        sheet.set_row(head, 30)
        weights = child_weights(self.plan)
        total = sum(weights)
        weights_range = f"$C${first + 1}:$C${last + 1}"
        for offset, child in enumerate(self.plan.children):
            row = first + offset
            sheet.write_string(row, 0, child.code, f["text"])
            sheet.write_string(row, 1, child.name, f["text"])
            whole = child.weight in ("", None) or weights[offset].denominator == 1
            parts.put_value(sheet, row, 2, None if child.weight == "" else child.weight,
                            f["count_input" if whole else "weight_input"])
            share = weights[offset] / total if total else None
            sheet.write_formula(
                row, 3, f'=IF(SUM({weights_range})=0,"",C{row + 1}/SUM({weights_range}))',
                f["percent"], parts.cached(share, self.cache),
            )
        sheet.data_validation(
            first,
            2,
            last,
            2,
            {
                "validate": "decimal",
                "criteria": ">=",
                "value": 0,
                "ignore_blank": True,
                "input_title": units["weight_header"][:32],
                "input_message": units["weight_prompt"][:255],
                "error_title": self.spec["validation"]["count_error_title"][:32],
                "error_message": units["weight_error"][:255],
                "error_type": "stop",
            },
        )
        self._settings()
        sheet.freeze_panes(first, 0)
        parts.protect(sheet, password)
        parts.print_a4(sheet, landscape=False, title_row=head, last_col=3, last_row=last)
        quoted = "'" + sheet.name.replace("'", "''") + "'"
        return f"{quoted}!$C${first + 1}:$C${last + 1}", f"{quoted}!$B${first + 1}:$B${last + 1}"


    def _settings(self) -> None:
        """How «Phân bổ» splits: a method from a list and a minimum (plan.toml [settings])."""
        sheet, f, spec = self.sheet, self.formats, self.spec["settings"]
        row, col = spec["first_row"] - 1, spec["label_col"] - 1
        sheet.set_column(col, col, spec["label_width"])
        sheet.set_column(col + 1, col + 1, spec["value_width"])
        sheet.write_string(row, col, spec["method_label"], f["header"])
        sheet.write_string(row, col + 1, METHOD_NAMES[self.plan.split_method], f["text_input"])
        sheet.data_validation(row, col + 1, row, col + 1, {
            "validate": "list", "source": [METHOD_NAMES[m] for m in METHODS],
            "input_title": spec["method_label"][:32], "input_message": spec["method_prompt"][:255]})
        sheet.write_string(row + 1, col, spec["minimum_label"], f["header"])
        sheet.write_number(row + 1, col + 1, self.plan.split_minimum, f["count_input"])
        validation = self.spec["validation"]
        parts.whole_number_validation(
            sheet,
            row + 1,
            col + 1,
            row + 1,
            col + 1,
            title=spec["minimum_label"],
            prompt=spec["minimum_prompt"],
            error_title=validation["count_error_title"],
            error=validation["count_error"],
        )
