"""The XlsxWriter speed-ups (xladdin/writer/xlsx_speedups.py) change the time, never a byte.

The demo's workbooks (plans, forms, summaries, written one after another in one process,
so every cache is hit and missed) are written with the speed-ups and with XlsxWriter as it
comes (``add_format``, its Workbook, Worksheet and ``ZipFile``): each part must be the same
bytes, and the zip around them too.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import xlsxwriter
from xladdin.cli.app import main
from xladdin.writer import styles
from xladdin.writer.xlsx_speedups import write_package
from xlsxwriter.worksheet import Worksheet

TIMESTAMP = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)?")


def demo(out: Path) -> dict[str, dict[str, bytes]]:
    """Every workbook of the demo: relative path → part name → bytes (write times and the
    output folder masked)."""
    assert main(["demo", "--out", str(out)]) == 0
    found = {}
    for path in sorted(out.rglob("*.xlsx")):
        with zipfile.ZipFile(path) as archive:
            found[str(path.relative_to(out))] = {
                name: TIMESTAMP.sub(b"<time>", archive.read(name)).replace(
                    str(out).encode(), b"OUT")
                for name in archive.namelist()}
    return found


def test_the_workbooks_are_the_bytes_xlsxwriter_writes(tmp_path, monkeypatch):
    fast = demo(tmp_path / "fast")
    monkeypatch.setattr(styles, "workbook_class", lambda: xlsxwriter.Workbook)
    monkeypatch.setattr(styles, "worksheet_class", lambda: Worksheet)
    monkeypatch.setattr(styles, "shared_format",
                        lambda workbook, name, properties: workbook.add_format(properties))
    plain = demo(tmp_path / "plain")
    assert len(fast) > 10 and fast.keys() == plain.keys()
    for workbook, parts in plain.items():
        assert list(fast[workbook]) == list(parts), workbook  # the same parts, in order
        for name, data in parts.items():
            assert fast[workbook][name] == data, (workbook, name)


def zipped_by_zipfile(parts: list[tuple[str, bytes]]) -> bytes:
    """What XlsxWriter's Workbook._store_workbook writes (in_memory)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts:
            info = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
            info.compress_type = archive.compression
            archive.writestr(info, data)
    return out.getvalue()


def test_the_zip_is_the_bytes_zipfile_writes_whether_a_part_is_reused_or_not():
    path = Path(__file__).parent / "fixtures" / "reference_parts"
    parts = [(f"part{i}.xml", p.read_bytes()) for i, p in enumerate(sorted(path.rglob("*.xml")))]
    assert len(parts) > 5
    for attempt in (parts, parts, [(name, data + b" ") for name, data in parts[:3]] + parts[3:]):
        out = io.BytesIO()
        write_package(out, attempt)  # the second time every part is reused, the third some
        assert out.getvalue() == zipped_by_zipfile(attempt)
