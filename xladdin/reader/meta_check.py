"""Is the ``_meta`` of a workbook believable?  Garbled values are errors, never defaults.

A year of ``2023abc`` once became 0 and turned the round check off; a blank parent or
a template version from the future passed.  Every key a reader relies on is checked
here, and each problem names the ``_meta`` cell that holds it.
"""

from __future__ import annotations

import re

from .. import contract as c
from ..engine.model import ERROR, FORM, SUMMARY, Issue
from ..engine.periods import ROUND, due_date, parse_period
from ..errors import UsageError

_INTEGER = re.compile(r"^[0-9]{1,9}$")
YEARS = range(1900, 2201)
ROUNDS = range(0, 100)


def meta_integer(text: str | None) -> int | None:
    """A ``_meta`` whole number as written by xladdin (``2023``), else None."""
    text = (text or "").strip()
    if text.endswith(".0"):  # a number cell re-saved by another program
        text = text[:-2]
    return int(text) if _INTEGER.match(text) else None


def meta_problems(keys: dict[str, str], template: str) -> list[tuple[str, str, str | None]]:
    """(rule, message, key) for every key of ``_meta`` that cannot be trusted."""
    problems: list[tuple[str, str, str | None]] = []

    def garbled(key: str, what: str) -> None:
        problems.append(
            (
                "meta-garbled",
                f"Trang _meta: {key} = «{str(keys.get(key, ''))[:40]}» không phải {what}. "
                "Tệp đã bị sửa tay hoặc hỏng: hãy dùng tệp gốc do cấp trên gửi.",
                key,
            )
        )

    for key in getattr(keys, "repeated", ()):
        problems.append(
            ("meta-garbled", f"Trang _meta có khóa «{key}» hai lần với hai giá trị khác nhau.", key)
        )
    version = keys.get(c.KEY_TEMPLATE_VERSION)
    if version not in (None, ""):
        number = meta_integer(version)
        newest = c.TEMPLATE_VERSION
        if number is None or number < 1:
            garbled(c.KEY_TEMPLATE_VERSION, "một phiên bản mẫu")
        elif number > newest:
            problems.append(
                (
                    "template-version",
                    f"Tệp theo mẫu phiên bản {number}, mới hơn bản xladdin này đọc được "
                    f"(phiên bản {newest}): hãy cập nhật xladdin.",
                    c.KEY_TEMPLATE_VERSION,
                )
            )
    for key, allowed, what in (
        (c.KEY_YEAR, YEARS, "một năm"),
        (c.KEY_ROUND, ROUNDS, "số đợt (0–99)"),
    ):
        number = meta_integer(keys.get(key))
        if number is None or number not in allowed:
            if key == c.KEY_ROUND and template == SUMMARY and not keys.get(key):
                continue
            garbled(key, what)
    if not (keys.get(c.KEY_UNIT_CODE) or "").strip():
        garbled(c.KEY_UNIT_CODE, "một mã đơn vị")
    if template == FORM and not (keys.get(c.KEY_PARENT_CODE) or "").strip():
        garbled(c.KEY_PARENT_CODE, "mã đơn vị cấp trên (biểu mẫu nào cũng có cấp trên)")
    problems.extend(_period_problems(keys))
    due = (keys.get(c.KEY_DUE_DATE) or "").strip()
    if due and due_date(due) is None:
        garbled(c.KEY_DUE_DATE, "một ngày (YYYY-MM-DD)")
    return problems


def _period_problems(keys: dict[str, str]) -> list[tuple[str, str, str | None]]:
    """A period (contract §8) that is no period, or that disagrees with the round or the
    year beside it: whose numbers these are is unknown, so the form is not counted."""
    text = (keys.get(c.KEY_PERIOD) or "").strip()
    if not text:
        return []
    said = f"Trang _meta: {c.KEY_PERIOD} = «{text[:40]}»"
    fix = "Tệp đã bị sửa tay hoặc hỏng: hãy dùng tệp gốc do cấp trên gửi."
    try:
        period = parse_period(text)
    except UsageError:
        return [("meta-garbled", f"{said} không phải một kỳ báo cáo (YYYY-MM, YYYY-Qn hoặc "
                 f"round-N). {fix}", c.KEY_PERIOD)]
    round_number, year = meta_integer(keys.get(c.KEY_ROUND)), meta_integer(keys.get(c.KEY_YEAR))
    if period.kind == ROUND and round_number is not None and period.number != round_number:
        return [("meta-garbled", f"{said} nhưng {c.KEY_ROUND} = {round_number}: kỳ và đợt "
                 f"không khớp nhau. {fix}", c.KEY_PERIOD)]
    if period.year is not None and year is not None and period.year != year:
        return [("wrong-period", f"{said} ({period.label()}) không thuộc năm {year} của biểu "
                 f"mẫu. {fix}", c.KEY_PERIOD)]
    return []


def meta_issues(keys: dict[str, str] | None, template: str, source: str) -> list[Issue]:
    """The problems of a workbook's ``_meta`` (none without one) as errors on its cells."""
    if keys is None:
        return []
    sheet = getattr(keys, "sheet", c.META_SHEET)
    cells = getattr(keys, "cells", {})
    return [Issue(ERROR, source, sheet, cells.get(key) if key else None, rule, message)
            for rule, message, key in meta_problems(keys, template)]
