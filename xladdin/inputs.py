"""CHILDREN.csv and TARGETS.csv (contract §5, new-plan), read with messages that name
the file, the line and the column.  Excel's "CSV UTF-8" and Vietnamese-locale CSVs
(';' as separator) are both accepted."""

from __future__ import annotations

import csv
import io
from fractions import Fraction
from pathlib import Path

from . import contract as c
from .engine.catalogue import Catalogue
from .engine.cells import read_count
from .engine.dhis2 import Dhis2Mapping
from .engine.numbers import parse_number, parse_percent
from .engine.plan_builder import TargetLine
from .engine.text import control_characters
from .engine.units import Repeats, Unit
from .errors import InputError
from .grid.package import read_file_once

MAX_CSV_BYTES = 20 * 1024 * 1024  # a list of 10,000 communes is ~1 MB


def _rows(path: Path) -> list[dict[str, str]]:
    # read once from one descriptor: a FIFO or a device named .csv is refused, never waited on
    raw = read_file_once(path, limit=MAX_CSV_BYTES).data
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(
            f"{path}: tệp không phải UTF-8. Trong Excel hãy lưu bằng «CSV UTF-8»."
        ) from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    if not reader.fieldnames:
        raise InputError(f"{path}: tệp trống.")
    reader.fieldnames = [name.strip() for name in reader.fieldnames]
    return [{k: (v or "").strip() for k, v in row.items() if k is not None} for row in reader]


def read_children(path: Path) -> list[Unit]:
    """CHILDREN.csv: ``code,name,weight``.  A code or a name given twice is refused with
    both line numbers (a unit would be dropped or counted twice), also codes differing only
    by case (their forms' file names collide on Windows and macOS) and names equal after
    NFC; a name with control characters is refused (it would break the workbook's XML)."""
    rows = _rows(path)
    missing = {"code", "name", "weight"} - set(rows[0] if rows else {})
    if rows and missing:
        raise InputError(f"{path}: thiếu cột {', '.join(sorted(missing))} (cần: code,name,weight).")
    units = []
    repeats = Repeats()  # one unit listed twice: the one check (engine.units)
    problems: list[str] = []
    for line, row in enumerate(rows, start=2):
        if not any(row.values()):
            continue
        if not row["code"] or not row["name"]:
            raise InputError(f"{path}, dòng {line}: thiếu mã hoặc tên đơn vị.")
        for column in ("code", "name"):
            bad = control_characters(row[column])
            if bad:
                raise InputError(f"{path}, dòng {line}, cột {column}: có ký tự điều khiển "
                                 f"({', '.join(bad)}); hãy gõ lại tên.")
        twice = repeats.see(line, row["code"], row["name"])
        if twice:
            problems.append(twice)
        weight: int | Fraction | None = None
        if row["weight"]:
            parsed = parse_number(row["weight"])
            if parsed.error:
                raise InputError(f"{path}, dòng {line}, cột weight: {parsed.error.message}")
            weight = parsed.value
            if weight is not None and weight < 0:
                raise InputError(f"{path}, dòng {line}, cột weight: trọng số không được âm.")
            if weight is not None and weight.denominator == 1:
                weight = weight.numerator
        units.append(Unit(row["code"], row["name"], None, weight=weight))
    if problems:
        raise InputError(
            f"{path}: trùng lặp, mỗi đơn vị chỉ được kê một lần: "
            + "; ".join(problems[:10])
            + (f" (và {len(problems) - 10} chỗ khác)" if len(problems) > 10 else "")
            + "."
        )
    if not units:
        raise InputError(f"{path}: chưa có đơn vị nào.")
    return units


def read_targets(path: Path, catalogue: Catalogue, children: list[Unit]) -> list[TargetLine]:
    """TARGETS.csv: ``code,annual_plan,done,round_target`` (+ ``name``, + one column per
    child code or name holding a share fixed by hand).  ``round_target`` may be a
    percentage of the annual plan: ``50%``."""
    rows = _rows(path)
    if rows and "code" not in rows[0]:
        raise InputError(f"{path}: thiếu cột code (cần: code,annual_plan,done,round_target).")
    by_key = {c.code: c for c in children} | {c.name: c for c in children}
    lines = []
    seen: dict[str, int] = {}
    for line, row in enumerate(rows, start=2):
        code = row.get("code", "")
        if not code:
            continue
        if code in seen:
            raise InputError(
                f"{path}: chỉ tiêu {code} có ở dòng {seen[code]} và dòng {line}; mỗi chỉ "
                "tiêu chỉ được kê một lần (dòng sau sẽ ghi đè dòng trước)."
            )
        seen[code] = line
        indicator = catalogue.find(code)
        if indicator is None:
            raise InputError(f"{path}, dòng {line}: mã chỉ tiêu '{code}' không có trong danh mục.")
        number = _rate if indicator.is_rate else _count
        share = None
        target_text = row.get("round_target", "")
        if target_text.endswith("%") and not indicator.is_rate:
            share = _percent(target_text, path, line)
            target = None
        else:
            target = number(target_text, path, line, "round_target")
        shares = {}
        for key, value in row.items():
            if key in by_key and value != "":
                shares[by_key[key].code] = _count(value, path, line, key)
        lines.append(TargetLine(
            code=code, line=line, name=row.get("name") or None,
            annual_plan=number(row.get("annual_plan", ""), path, line, "annual_plan"),
            done=number(row.get("done", ""), path, line, "done"),
            round_target=target, round_share=share, shares=shares,
        ))
    return lines


def _count(text: str, path: Path, line: int, column: str) -> int | None:
    reading = read_count(text)
    if reading.error:
        raise InputError(f"{path}, dòng {line}, cột {column}: {reading.error.message}")
    return reading.value


def _rate(text: str, path: Path, line: int, column: str) -> Fraction | None:
    if not text:
        return None
    parsed = parse_percent(text) if text.endswith("%") else parse_number(text)
    if parsed.value is None:
        why = parsed.problem.message if parsed.problem else ""
        raise InputError(
            f"{path}, dòng {line}, cột {column}: '{text}' không phải tỷ lệ. {why}".strip()
        )
    value = parsed.value / 100 if not text.endswith("%") and parsed.value > 1 else parsed.value
    if not 0 <= value <= 1:
        raise InputError(f"{path}, dòng {line}, cột {column}: tỷ lệ phải từ 0% đến 100%.")
    return value


def _percent(text: str, path: Path, line: int) -> Fraction:
    parsed = parse_percent(text)
    if parsed.value is None:
        why = parsed.problem.message if parsed.problem else ""
        raise InputError(
            f"{path}, dòng {line}, cột round_target: '{text}' không phải phần trăm. {why}".strip())
    if parsed.value < 0:
        raise InputError(f"{path}, dòng {line}, cột round_target: phần trăm không được âm.")
    return parsed.value


def read_catalogue(path: Path) -> Catalogue:
    """A catalogue CSV (the columns of ``workbooks/catalogue/indicators.csv``): its rows
    add indicators to the bundled catalogue or replace those with the same code.  Every
    problem (unknown kind, a rate without its parts, a cycle of combined rows, a code
    given twice) is named with its line."""
    from .bundled import catalogue as bundled_catalogue
    from .engine.catalogue import CSV_COLUMNS

    rows = _rows(path)
    if rows and "code" not in rows[0]:
        raise InputError(f"{path}: thiếu cột code (cần các cột: {','.join(CSV_COLUMNS)}).")
    return Catalogue.from_rows(rows, base=bundled_catalogue(), source=f"Danh mục {path}")


_MAPPING_KINDS = {
    "indicator": "indicator", "dataelement": "indicator", "data_element": "indicator",
    "chi_tieu": "indicator", "chỉ tiêu": "indicator",
    "unit": "unit", "orgunit": "unit", "org_unit": "unit", "organisationunit": "unit",
    "don_vi": "unit", "đơn vị": "unit",
}


def read_mapping(path: Path) -> Dhis2Mapping:
    """MAP.csv ``kind,code,dhis2`` (contract §11): our indicator and unit codes → DHIS2's
    identifiers.  ``kind`` is ``indicator`` (data element) or ``unit`` (organisation unit)."""
    rows = _rows(path)
    missing = set(c.DHIS2_MAP_COLUMNS) - set(rows[0] if rows else {})
    if rows and missing:
        raise InputError(f"{path}: thiếu cột {', '.join(sorted(missing))} (cần: kind,code,dhis2).")
    found: dict[str, dict[str, str]] = {"indicator": {}, "unit": {}}
    for line, row in enumerate(rows, start=2):
        if not any(row.values()):
            continue
        kind = _MAPPING_KINDS.get(row["kind"].casefold())
        if kind is None:
            raise InputError(f"{path}, dòng {line}, cột kind: «{row['kind']}» không hợp lệ "
                             "(indicator cho chỉ tiêu, unit cho đơn vị).")
        if not row["code"] or not row["dhis2"]:
            raise InputError(f"{path}, dòng {line}: thiếu code hoặc dhis2.")
        before = found[kind].get(row["code"])
        if before is not None and before != row["dhis2"]:
            raise InputError(f"{path}, dòng {line}: mã {row['code']} đã được ánh xạ tới {before}, "
                             f"không thể ánh xạ thêm tới {row['dhis2']}.")
        found[kind][row["code"]] = row["dhis2"]
    return Dhis2Mapping(indicators=found["indicator"], units=found["unit"])
