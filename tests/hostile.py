"""A hostile inbox, made by code (never committed binaries): one file per class of broken
or malicious input officers' e-mail and USB sticks bring, beside good forms whose
results the test knows.  Used by tests/test_hostile_inbox.py and test_hostile_files.py.

Every bad file is made from a good form by changing its bytes the way the class does
(a part rewritten, the zip cut short, an entity bomb in a sheet…), so each case tests
exactly one thing.
"""

from __future__ import annotations

import io
import os
import random
import zipfile
from dataclasses import replace
from pathlib import Path

from xladdin.engine.forms import plan_forms
from xladdin.engine.model import Meta, Plan, PlanRow
from xladdin.engine.units import Unit
from xladdin.writer.form import write_form
from xladdin.writer.plan import write_plan

SHEET = "xl/worksheets/sheet1.xml"  # «Báo cáo» of a form written by xladdin
META = "xl/worksheets/sheet3.xml"  # _meta
CODES = ("BPTT_DCTC", "BPTT_CAY", "BPTT_TRIETSAN", "BPTT_TIEM")


def make_plan(folder: Path, n_units: int, code: str = "T") -> tuple[Path, Plan]:
    children = tuple(
        Unit(f"U{n:02d}", f"Xã Thử {n:02d}", code, weight=10 + n) for n in range(1, n_units + 1)
    )
    meta = Meta("plan", code, "Huyện Thử", parent_code="P", year=2026, round=1, created_at="x",
                due_date="2026-05-15")
    rows = (PlanRow("BPTT_DCTC", "DCTC", "người", 2000, 0, 400),
            PlanRow("BPTT_CAY", "Cấy", "người", 700, 100, 130),
            PlanRow("BPTT_TRIETSAN", "Triệt sản", "người", 20, 0, 13),
            PlanRow("BPTT_TIEM", "Tiêm", "người", 300, 0, 52),
            PlanRow("BPTT_LAMSANG", "Lâm sàng", "người",
                    parts=("BPTT_DCTC", "BPTT_CAY", "BPTT_TRIETSAN", "BPTT_TIEM")))
    plan = Plan(meta, children, rows)
    return write_plan(plan, folder / "plan.xlsx"), plan


def results_of(unit_index: int) -> dict[str, int]:
    """What unit number ``unit_index`` reports: distinct, known to the test."""
    return {code: unit_index * 10 + offset for offset, code in enumerate(CODES, start=1)}


def write_filled_forms(plan: Plan, folder: Path) -> dict[str, Path]:
    """Every unit's form, filled with :func:`results_of`; unit code → path."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for index, form in enumerate(plan_forms(plan, due_date="2026-05-15"), start=1):
        values = results_of(index)
        rows = tuple(
            replace(r, result=values[r.code]) if r.code in values else r for r in form.rows
        )
        code = form.meta.unit_code
        paths[code] = write_form(replace(form, rows=rows), folder / f"{code}.xlsx")
    return paths


# -- how each class changes a good form's bytes -------------------------------------------

def parts_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def zipped(parts: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def edit_part(data: bytes, part: str, old: str, new: str) -> bytes:
    parts = parts_of(data)
    text = parts[part].decode("utf-8")
    assert old in text, (part, old)
    parts[part] = text.replace(old, new, 1).encode("utf-8")
    return zipped(parts)


def result_cell(data: bytes, code_index: int) -> str:
    """The <c> element of Kết quả of the ``code_index``-th indicator (row 9 onward)."""
    text = parts_of(data)[SHEET].decode("utf-8")
    ref = f'<c r="E{9 + code_index}"'
    start = text.index(ref)
    end = text.index("</c>", start) + 4
    return text[start:end]


def with_error_value(data: bytes, code: str, part: str = SHEET) -> bytes:
    """Kết quả of the first indicator (or _meta's year) holding Excel error ``code``."""
    if part == META:
        text = parts_of(data)[META].decode("utf-8")
        start = text.index('<c r="B6"')
        end = text.index("</c>", start) + 4
        return edit_part(data, META, text[start:end], f'<c r="B6" t="e"><v>{code}</v></c>')
    return edit_part(data, SHEET, result_cell(data, 0), f'<c r="E9" t="e"><v>{code}</v></c>')


def with_sheet_xml(data: bytes, before: str, after: str) -> bytes:
    return edit_part(data, SHEET, before, after)


def with_far_cell(data: bytes, ref: str = "XFD1048576") -> bytes:
    row = "".join(ch for ch in ref if ch.isdigit())
    return edit_part(
        data, SHEET, "</sheetData>", f'<row r="{row}"><c r="{ref}"><v>7</v></c></row></sheetData>'
    )


def with_meta(data: bytes, key_row: int, value: str) -> bytes:
    """_meta's value in row ``key_row`` (1-based) replaced by an inline string."""
    text = parts_of(data)[META].decode("utf-8")
    start = text.index(f'<c r="B{key_row}"')
    end = text.index("</c>", start) + 4
    return edit_part(
        data, META, text[start:end], f'<c r="B{key_row}" t="inlineStr"><is><t>{value}</t></is></c>'
    )


def entity_bomb(data: bytes) -> bytes:
    lol = "".join(f"<!ENTITY l{n} \"{f'&l{n - 1};' * 10 if n else 'lol'}\">" for n in range(10))
    parts = parts_of(data)
    body = parts[SHEET].decode("utf-8").split("?>", 1)[1]
    parts[SHEET] = (f'<?xml version="1.0"?><!DOCTYPE worksheet [{lol}]>'
                    + body.replace('<c r="B9" ', '<c r="B9" t="inlineStr" ', 1)).encode("utf-8")
    return zipped(parts)


def xxe(data: bytes) -> bytes:
    parts = parts_of(data)
    body = parts[SHEET].decode("utf-8").split("?>", 1)[1]
    parts[SHEET] = ('<?xml version="1.0"?><!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                    + body).encode("utf-8")
    return zipped(parts)


def zip_bomb() -> bytes:
    """A sheet that unzips to 64 MB of zeros from 64 KB (ratio 1000: the bomb's shape;
    a real one goes on to GBs, refused the same way before a byte is unzipped)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as stream:
            block = b"\0" * (1 << 20)
            for _ in range(64):
                stream.write(block)
    return out.getvalue()


def junk_rows(data: bytes, n_rows: int) -> bytes:
    rows = "".join(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>rác {r}</t></is></c>'
                   f'<c r="C{r}"><v>{r}</v></c></row>' for r in range(30, 30 + n_rows))
    return edit_part(data, SHEET, "</sheetData>", rows + "</sheetData>")


def random_bytes(seed: int, size: int) -> bytes:
    return random.Random(seed).randbytes(size)


def ole_file() -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096)


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def make_fifo(path: Path) -> Path | None:
    if not hasattr(os, "mkfifo"):
        return None
    os.mkfifo(path)
    return path


def write_month_forms(plan: Plan, inbox: Path, periods=("2026-01", "2026-02")) -> None:
    """Every unit's form for each month of ``periods``, filled with :func:`results_of`,
    named ``<code>_<period>.xlsx``."""
    for period in periods:
        for index, form in enumerate(plan_forms(plan, due_date="2026-05-15", period=period), 1):
            values = results_of(index)
            rows = tuple(replace(r, result=values.get(r.code, r.result)) for r in form.rows)
            write_form(replace(form, rows=rows), inbox / f"{form.meta.unit_code}_{period}.xlsx")


def consolidate_cli(tmp_path: Path, plan_path: Path) -> tuple[int, dict, str]:
    """``xladdin consolidate tmp_path/inbox --plan PLAN`` as the officer runs it: exit code,
    the JSON report, the console (never a traceback)."""
    import contextlib
    import json

    from xladdin.cli import main

    out, err = io.StringIO(), io.StringIO()
    args = ["consolidate", str(tmp_path / "inbox"), "--plan", str(plan_path),
            "--out", str(tmp_path / "s.xlsx"), "--json", str(tmp_path / "s.json")]
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(args)
    assert "Traceback" not in out.getvalue() + err.getvalue()
    return code, json.loads((tmp_path / "s.json").read_text(encoding="utf-8")), out.getvalue()
