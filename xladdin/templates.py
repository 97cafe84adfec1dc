"""Template definitions (``workbooks/templates/*.toml``): layout, titles, messages.

The TOML files keep the layout an officer reads (widths, titles, prompts); the contract's
names (sheets, tables, headers, the words read back) come from :mod:`xladdin.contract`
and are filled in here, so a name is never typed twice.  A TOML file that types one of
these names itself is refused.
"""

from __future__ import annotations

from functools import cache, lru_cache
from typing import Any

from . import contract as c
from .bundled import load_toml

# Names taken from the contract, by template and TOML section.
_NAMES: dict[str, dict[str, dict[str, str]]] = {
    c.PLAN: {
        "sheet": {"name": c.PLAN_SHEET},
        "table": {"name": c.PLAN_TABLE},
        "check_column": {"header": c.CHECK_HEADER},
        "units_sheet": {
            "name": c.UNITS_SHEET, "table": c.UNITS_TABLE, "code_header": c.UNIT_CODE,
            "name_header": c.UNIT_NAME, "weight_header": c.WEIGHT, "share_header": c.WEIGHT_SHARE,
        },
        "settings": {"method_label": c.METHOD_LABEL, "minimum_label": c.MINIMUM_LABEL},
    },
    c.FORM: {
        "sheet": {"name": c.FORM_SHEET},
        "table": {"name": c.FORM_TABLE},
        "rate": {"reached": c.RATE_REACHED, "not_reached": c.RATE_NOT_REACHED},
        "validation": {"result_title": c.RESULT},
    },
    c.SUMMARY: {
        "sheet": {"name": c.SUMMARY_SHEET},
        "table": {"name": c.SUMMARY_TABLE},
        "progress_sheet": {"name": c.PROGRESS_SHEET, "table": c.PROGRESS_TABLE},
        "targets_sheet": {"name": c.TARGETS_SHEET, "table": c.TARGETS_TABLE},
        "sources_sheet": {"name": c.SOURCES_SHEET, "table": c.SOURCES_TABLE},
        "issues_sheet": {"name": c.ISSUES_SHEET, "table": c.ISSUES_TABLE},
    },
}
_COLUMNS: dict[str, dict[str, str]] = {
    c.PLAN: c.PLAN_COLUMNS, c.FORM: c.FORM_COLUMNS, c.SUMMARY: c.SUMMARY_COLUMNS,
}


@cache
def definition(template: str) -> dict[str, Any]:
    """The definition of ``plan``, ``form`` or ``summary``: its TOML with the contract's names."""
    spec = load_toml("templates", f"{template}.toml")
    for section, names in _NAMES[template].items():
        part = spec.setdefault(section, {})
        for key, name in names.items():
            if key in part:
                raise ValueError(f"{template}.toml [{section}] {key}: named in xladdin.contract")
            part[key] = name
    headers = _COLUMNS[template]
    if [column["key"] for column in spec["columns"]] != list(headers):
        raise ValueError(f"{template}.toml: columns differ from xladdin.contract")
    for column in spec["columns"]:
        if "header" in column:
            raise ValueError(
                f"{template}.toml column {column['key']}: header is in xladdin.contract"
            )
        column["header"] = headers[column["key"]]
    return spec


@lru_cache(maxsize=1)
def guide() -> dict[str, Any]:
    """The «Hướng dẫn» sheet's text per template (``guide.toml``)."""
    spec = load_toml("templates", "guide.toml")
    spec["sheet"] = c.GUIDE_SHEET
    return spec


def headers(template: str) -> list[str]:
    return [column["header"] for column in definition(template)["columns"]]


def period_title(meta) -> str:
    """A title's period: «THÁNG 3/2024», «QUÝ I/2024», «ĐỢT 2 NĂM 2024», «CẢ NĂM 2024»."""
    from .engine.periods import period_title as title

    return title(meta)


def form_note(meta) -> str:
    """The note above a form's table: says when Chỉ tiêu đợt is the unit's annual share."""
    from .engine.forms import ANNUAL_SHARE
    from .engine.periods import period_of

    spec = definition(c.FORM)["sheet"]
    if meta.extra.get(c.KEY_TARGET_BASIS) == ANNUAL_SHARE:
        return spec["note_annual_share"].format(period_label=period_of(meta).label(meta.year))
    return spec["note"]
