"""Consolidating an inbox as officers really fill it (contract §5 and §7).

The inbox is built the way forms come back: typed over with another program (openpyxl
here, which keeps no cached values), renamed, duplicated, half-copied, mixed with PDFs.
The totals are checked against sums the test computes from what it typed, and no input
byte may change.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import unicodedata
from pathlib import Path

import openpyxl
import pytest
from xladdin.cli import main
from xladdin.engine.model import Meta, Plan, PlanRow
from xladdin.engine.units import Unit
from xladdin.jobs import make_forms
from xladdin.writer.plan import write_plan

pytestmark = pytest.mark.libreoffice  # the inbox holds a form re-saved by LibreOffice

FIRST = 9  # Excel row of the first indicator in a form
UNITS = [f"U{n}" for n in range(1, 14)]


def cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def make_plan(folder: Path) -> Path:
    children = tuple(Unit(code, f"Xã {code}", "T", weight=10 + i) for i, code in enumerate(UNITS))
    meta = Meta("plan", "T", "Huyện Thử", year=2026, round=1, created_at="x", due_date="2026-05-15")
    rows = (
        PlanRow("BPTT_DCTC", "DCTC", "người", 2000, 0, 400),
        PlanRow("BPTT_CAY", "Cấy", "người", 700, 100, 130),
        PlanRow("BPTT_TRIETSAN", "Triệt sản", "người", 20, 0, 13),
        PlanRow("BPTT_TIEM", "Tiêm", "người", 300, 0, 52),
        PlanRow(
            "BPTT_LAMSANG",
            "Lâm sàng",
            "người",
            parts=("BPTT_DCTC", "BPTT_CAY", "BPTT_TRIETSAN", "BPTT_TIEM"),
        ),
    )
    return write_plan(Plan(meta, children, rows), folder / "plan.xlsx")


def typed(path: Path, values: dict[str, object], out: Path | None = None, edit=None) -> Path:
    """Type values into Kết quả (E) by indicator code, the way an officer does."""
    book = openpyxl.load_workbook(path)
    sheet = book["Báo cáo"]
    for row in range(FIRST, FIRST + 10):
        code = sheet.cell(row, 1).value
        if code in values:
            sheet.cell(row, 5).value = values[code]
    if edit:
        edit(book)
    target = out or path
    book.save(target)
    return target


def digest(folder: Path) -> dict[str, tuple[str, float]]:
    return {str(p): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime)
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def inbox(tmp_path_factory):
    root = tmp_path_factory.mktemp("consolidate")
    plan = make_plan(root)
    blank_dir = root / "blank"
    make_forms(plan, blank_dir)
    blank = {p.name.split("_")[0]: p for p in blank_dir.glob("*.xlsx")}
    box = root / "inbox"
    (box / "nested" / "deeper").mkdir(parents=True)
    counted: dict[str, dict[str, int]] = {}

    def send(unit, values, name=None, folder=box, edit=None, counts=True):
        path = typed(blank[unit], values, folder / (name or blank[unit].name), edit)
        if counts:
            counted[unit] = {k: v for k, v in values.items()}
        return path

    send("U1", {"BPTT_DCTC": 30, "BPTT_CAY": 10, "BPTT_TRIETSAN": 1, "BPTT_TIEM": 4})
    send(
        "U2",
        {"BPTT_DCTC": "12", "BPTT_CAY": " 7 ", "BPTT_TRIETSAN": "0", "BPTT_TIEM": "1.200"},
        counts=False,
    )
    counted["U2"] = {"BPTT_DCTC": 12, "BPTT_CAY": 7, "BPTT_TRIETSAN": 0, "BPTT_TIEM": 1200}
    send(
        "U3", {"BPTT_DCTC": 25, "BPTT_CAY": None, "BPTT_TRIETSAN": 2, "BPTT_TIEM": 5}, counts=False
    )
    counted["U3"] = {"BPTT_DCTC": 25, "BPTT_CAY": 0, "BPTT_TRIETSAN": 2, "BPTT_TIEM": 5}
    send(
        "U4",
        {"BPTT_DCTC": "mười hai", "BPTT_CAY": 3, "BPTT_TRIETSAN": 0, "BPTT_TIEM": 1},
        counts=False,
    )
    send("U5", {"BPTT_DCTC": -3, "BPTT_CAY": 3, "BPTT_TRIETSAN": 0, "BPTT_TIEM": 1}, counts=False)
    send("U6", {"BPTT_DCTC": 2.5, "BPTT_CAY": 3, "BPTT_TRIETSAN": 0, "BPTT_TIEM": 1}, counts=False)

    def rename_and_insert(book):
        sheet = book["Báo cáo"]
        sheet.title = "Sheet1"
        table = sheet.tables["BaoCao"]
        sheet.insert_rows(FIRST + 1, 2)  # the officer adds two rows inside the table
        sheet.cell(FIRST + 1, 2).value = "Ghi thêm: tổ chức 2 buổi tư vấn"
        sheet.cell(FIRST + 2, 1).value = "SL_UTV"
        sheet.cell(FIRST + 2, 2).value = "Sàng lọc ung thư vú"
        sheet.cell(FIRST + 2, 5).value = 9
        start, end = table.ref.split(":")
        table.ref = f"{start}:G{int(end[1:]) + 2}"

    send(
        "U7",
        {"BPTT_DCTC": 20, "BPTT_CAY": 6, "BPTT_TRIETSAN": 0, "BPTT_TIEM": 3},
        edit=rename_and_insert,
    )
    counted["U7"]["SL_UTV"] = 9
    send(
        "U8", {"BPTT_DCTC": "=3+4", "BPTT_CAY": 1, "BPTT_TRIETSAN": 0, "BPTT_TIEM": 1}, counts=False
    )

    old = send("U9", {"BPTT_DCTC": 1, "BPTT_CAY": 1, "BPTT_TRIETSAN": 1, "BPTT_TIEM": 1},
               name="U9_ban-cu.xlsx", folder=box / "nested", counts=False)
    os.utime(old, (1_778_000_000, 1_778_000_000))  # older (May 2026)
    send(
        "U9",
        {"BPTT_DCTC": 40, "BPTT_CAY": 11, "BPTT_TRIETSAN": 0, "BPTT_TIEM": 6},
        name="U9_sua-lai.xlsx",
    )
    # U10 sends nothing.
    nfd_name = unicodedata.normalize("NFD", "U11_Xã Hồng Phong.xlsm")
    send("U11", {"BPTT_DCTC": 15, "BPTT_CAY": 5, "BPTT_TRIETSAN": 1, "BPTT_TIEM": 2}, name=nfd_name,
         folder=box / "nested" / "deeper")

    def move_table(book):
        sheet = book["Báo cáo"]
        sheet.move_range("A8:G20", rows=3, translate=True)
        table = sheet.tables["BaoCao"]
        start, end = table.ref.split(":")
        table.ref = f"A{int(start[1:]) + 3}:G{int(end[1:]) + 3}"

    send(
        "U12", {"BPTT_DCTC": 22, "BPTT_CAY": 8, "BPTT_TRIETSAN": 0, "BPTT_TIEM": 2}, edit=move_table
    )
    # U13: filled, then opened and saved by LibreOffice (shared strings, its own styles)
    from libreoffice import recalculate

    filled = typed(
        blank["U13"],
        {"BPTT_DCTC": 18, "BPTT_CAY": 9, "BPTT_TRIETSAN": 1, "BPTT_TIEM": 0},
        root / "U13_filled.xlsx",
    )
    [resaved] = recalculate([filled], root / "lo")
    shutil.copy(resaved, box / "U13_libreoffice.xlsx")
    counted["U13"] = {"BPTT_DCTC": 18, "BPTT_CAY": 9, "BPTT_TRIETSAN": 1, "BPTT_TIEM": 0}

    (box / "ghi-chu.txt").write_text("Báo cáo gửi kèm", encoding="utf-8")
    (box / "scan.pdf").write_bytes(b"%PDF-1.4 not a workbook")
    (box / "cu.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    whole = blank["U1"].read_bytes()
    (box / "U1_chua-tai-xong.xlsx").write_bytes(whole[: len(whole) // 2])
    (box / "mat-khau.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(2048))
    with open(box / "qua-lon.xlsx", "wb") as huge:
        huge.truncate(60 * 1024 * 1024)  # sparse: 60 MB on paper, nothing on disk
    (box / "~$U1_xa-u1.xlsx").write_bytes(b"lock")
    before = digest(box)
    plan_before = digest(root / "blank") | {str(plan): digest(root)[str(plan)]}

    out = root / "out"
    code, stdout, stderr = cli(
        "consolidate",
        str(box),
        "--plan",
        str(plan),
        "--out",
        str(out / "summary.xlsx"),
        "--json",
        str(out / "report.json"),
    )
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    return {
        "root": root,
        "box": box,
        "plan": plan,
        "code": code,
        "stdout": stdout,
        "stderr": stderr,
        "report": report,
        "counted": counted,
        "before": before,
        "plan_before": plan_before,
        "out": out,
    }


def issues_of(report, file_part: str) -> list[dict]:
    return [
        i
        for i in report["issues"]
        if i["file"] and file_part in unicodedata.normalize("NFC", i["file"])
    ]


def test_no_input_byte_or_date_changed(inbox):
    assert digest(inbox["box"]) == inbox["before"]
    assert all(
        digest(inbox["root"] / "blank")[k] == v
        for k, v in inbox["plan_before"].items()
        if "blank" in k
    )


def test_exit_code_says_some_forms_need_fixing_and_no_traceback(inbox):
    assert inbox["code"] == 1
    assert "Traceback" not in inbox["stdout"] + inbox["stderr"]
    assert "12/13" in inbox["stdout"]


def test_expected_received_missing(inbox):
    report = inbox["report"]
    assert report["expected"] == UNITS
    assert report["missing"] == ["U10"]
    assert report["received"] == [u for u in UNITS if u != "U10"]
    assert set(report["counted"]) == set(inbox["counted"])


def test_totals_and_units_equal_what_was_typed(inbox):
    report, counted = inbox["report"], inbox["counted"]
    for code in ("BPTT_DCTC", "BPTT_CAY", "BPTT_TRIETSAN", "BPTT_TIEM"):
        assert report["totals"][code]["result"] == sum(v[code] for v in counted.values()), code
    parts = ("BPTT_DCTC", "BPTT_CAY", "BPTT_TRIETSAN", "BPTT_TIEM")
    assert report["totals"]["BPTT_LAMSANG"]["result"] == sum(
        v[p] for v in counted.values() for p in parts
    )
    for unit, values in counted.items():
        for code, value in values.items():
            assert report["by_unit"][unit][code] == value, (unit, code)
    for unit in ("U4", "U5", "U6", "U8"):  # errors: left out whole, never half-counted
        assert unit not in report["by_unit"]


def test_the_newest_duplicate_is_used_and_the_other_named(inbox):
    [duplicate] = inbox["report"]["duplicates"]
    assert duplicate["unit_code"] == "U9"
    assert duplicate["used"].endswith("U9_sua-lai.xlsx")
    assert any(f.endswith("U9_ban-cu.xlsx") for f in duplicate["files"])
    assert inbox["report"]["by_unit"]["U9"]["BPTT_DCTC"] == 40
    # The officer sees what the newer file changed, cell by cell, in the file set aside:
    # a correction and a reused file of another period look different.
    [issue] = [i for i in inbox["report"]["issues"] if i["rule"] == "duplicate"]
    assert issue["file"].endswith("U9_ban-cu.xlsx") and issue["cell"] == "E9"
    assert "BPTT_DCTC (ô E9) 1 → 40" in issue["message"]


@pytest.mark.parametrize(
    ("file_part", "severity", "rule", "cell"),
    [
        ("U2_", "warning", "number-as-text", "E9"),
        ("U2_", "warning", "number-as-text", "E12"),
        ("U3_", "warning", "blank-result", "E10"),
        ("U4_", "error", "not-a-number", "E9"),
        ("U5_", "error", "negative", "E9"),
        ("U6_", "error", "fractional", "E9"),
        ("U7_", "warning", "sheet-renamed", None),
        ("U7_", "warning", "extra-row", "A10"),
        ("U8_", "error", "formula-without-value", "E9"),
        ("U12_", "warning", "table-moved", "A11"),
        ("ghi-chu.txt", "warning", "not-a-workbook", None),
        ("scan.pdf", "warning", "not-a-workbook", None),
        ("cu.xls", "error", "other-format", None),
        ("U1_chua-tai-xong.xlsx", "error", "corrupt", None),
        ("mat-khau.xlsx", "error", "encrypted", None),
        ("qua-lon.xlsx", "error", "oversized", None),
    ],
)
def test_each_case_is_named_with_file_sheet_cell_and_rule(inbox, file_part, severity, rule, cell):
    found = [
        i for i in issues_of(inbox["report"], file_part) if i["rule"] == rule and i["cell"] == cell
    ]
    assert found, (
        f"no {rule} issue at {cell} for {file_part}: {issues_of(inbox['report'], file_part)}"
    )
    issue = found[0]
    assert issue["severity"] == severity
    assert issue["message"] and issue["message"][0].isupper()
    if cell:
        assert issue["sheet"] in ("Báo cáo", "Sheet1")


def test_every_file_is_counted_or_named_and_lock_files_are_skipped(inbox):
    report = inbox["report"]
    named = {unicodedata.normalize("NFC", i["file"]) for i in report["issues"] if i["file"]}
    used = {unicodedata.normalize("NFC", f) for f in report["sources"].values()}
    for path in inbox["box"].rglob("*"):
        if path.is_file() and not path.name.startswith("~$"):
            name = unicodedata.normalize("NFC", str(path))
            assert name in named or name in used, name
    assert not any("~$" in (i["file"] or "") for i in report["issues"])


def test_nfd_named_xlsm_in_a_nested_folder_is_read_by_its_meta(inbox):
    source = unicodedata.normalize("NFC", inbox["report"]["sources"]["U11"])
    assert source.endswith("deeper/U11_Xã Hồng Phong.xlsm")


def test_an_officer_row_with_an_indicator_code_is_kept(inbox):
    assert inbox["report"]["by_unit"]["U7"]["SL_UTV"] == 9


def test_summary_workbook_is_written_with_its_tables_and_meta(inbox):
    book = openpyxl.load_workbook(inbox["out"] / "summary.xlsx")
    meta = {r[0].value: r[1].value for r in book["_meta"].iter_rows()}
    assert meta["template"] == "summary" and meta["unit_code"] == "T"
    tables = {name for sheet in book.worksheets for name in sheet.tables}
    assert {"TongHop", "TienDo", "ChiTieuDonVi", "NguonSoLieu", "KiemTra"} <= tables
    assert book["Tiến độ"]._charts, "the progress chart"
    sources = book["Nguồn số liệu"]
    statuses = {
        sources.cell(r, 1).value: sources.cell(r, 3).value for r in range(5, 5 + len(UNITS))
    }
    assert statuses["U10"] == "Chưa gửi" and statuses["U4"] == "Có lỗi – chưa cộng"
    late = set(inbox["report"]["late"]) & set(inbox["report"]["counted"])
    assert late and all(statuses[u] == "Nộp muộn" for u in late)  # a late form is not «Đã nhận»
    assert all(statuses[u] == "Đã nhận" for u in set(inbox["report"]["counted"]) - late)
