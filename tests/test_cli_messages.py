"""What an officer reads when a command goes wrong or half right: Vietnamese, exact, and
never exit 0 over something left undone."""

from __future__ import annotations

import contextlib
import errno
import io
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from xladdin.cli import main
from xladdin.demo import run_demo
from xladdin.os_messages import os_reason

ENGLISH = (
    "[OPTIONS]",
    "COMMAND",
    "Error",
    "Usage",
    "Missing",
    "does not exist",
    "Invalid value",
    "No such",
    "Try ",
    "Got unexpected",
    "requires an argument",
    "directory",
    "denied",
)


def cli(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    run_demo(out)
    return out


@pytest.mark.parametrize("args", [
    ["forms"],
    ["forms", "/no/such/plan.xlsx", "--out", "x"],
    ["splt"],
    ["split", "5", "--weights", "1,2", "--method", "x"],
    ["new-plan", "--unit-code", "31", "--unit-name", "X", "--year", "1990", "--out", "p.xlsx"],
    ["new-plan", "--unit-code", "31", "--unit-name", "X", "--year", "2024", "--out", "p.xlsx",
     "--due-date", "30/6/2024"],
    ["forms", "plan.xlsx", "--out"],
])
def test_usage_errors_are_vietnamese_only(args):
    result = subprocess.run(
        [sys.executable, "-m", "xladdin", *args], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 2
    assert "Lỗi: " in result.stderr
    assert not [word for word in ENGLISH if word in result.stderr], result.stderr


def test_help_is_vietnamese():
    code, out, _ = cli("forms", "--help")
    assert code == 0
    assert "Cách dùng:" in out and "Tùy chọn:" in out and "Hiện hướng dẫn này" in out
    assert "Usage" not in out and "Show this message" not in out


def test_the_systems_reasons_are_vietnamese():
    assert os_reason(PermissionError(errno.EACCES, "Permission denied")).startswith(
        "không có quyền"
    )
    assert (
        os_reason(FileNotFoundError(errno.ENOENT, "No such file")) == "không có tệp hay thư mục này"
    )
    assert "Permission" not in os_reason(OSError(999, "Some English"))


@pytest.mark.parametrize("name", ["", "   "])
def test_an_empty_unit_name_is_refused(tmp_path, name):
    code, _, err = cli("new-plan", "--unit-code", "31", "--unit-name", name, "--year", "2023",
                       "--out", tmp_path / "p.xlsx")
    assert code == 2 and "Tên đơn vị" in err
    assert not (tmp_path / "p.xlsx").exists()


def test_an_output_named_for_another_kind_of_file_is_refused(tmp_path, demo):
    code, _, err = cli(
        "new-plan",
        "--unit-code",
        "31",
        "--unit-name",
        "Hải Phòng",
        "--year",
        "2023",
        "--out",
        tmp_path / "s.csv",
    )
    assert code == 2 and ".xlsx" in err and "s.csv" in err
    assert not (tmp_path / "s.csv").exists()
    hp = demo / "hai-phong-2023"
    code, _, err = cli(
        "consolidate", hp / "forms", "--plan", hp / "plan.xlsx", "--out", tmp_path / "s.csv"
    )
    assert code == 2 and not (tmp_path / "s.csv").exists()
    code, _, err = cli(
        "consolidate",
        hp / "forms",
        "--plan",
        hp / "plan.xlsx",
        "--out",
        tmp_path / "s.xlsx",
        "--json",
        tmp_path / "s.xlsx.txt",
    )
    assert code == 2 and ".json" in err and not (tmp_path / "s.xlsx").exists()


def test_notes_are_not_warnings(tmp_path):
    targets = tmp_path / "targets.csv"
    targets.write_text(
        "code,annual_plan,done,round_target\nCPR,65%,,65%\nKHAM_PK,300,0,90\n", encoding="utf-8"
    )
    code, _, err = cli(
        "new-plan",
        "--unit-code",
        "31",
        "--unit-name",
        "Hải Phòng",
        "--year",
        "2023",
        "--targets",
        targets,
        "--out",
        tmp_path / "p.xlsx",
    )
    assert code == 0
    assert "Ghi chú: CPR là tỷ lệ" in err
    assert "Cảnh báo" not in err


def test_forms_of_a_plan_with_blank_targets_exit_1_and_say_where(tmp_path):
    plan = tmp_path / "blank.xlsx"
    assert (
        cli(
            "new-plan",
            "--unit-code",
            "31",
            "--unit-name",
            "Hải Phòng",
            "--year",
            "2023",
            "--out",
            plan,
        )[0]
        == 0
    )
    code, out, err = cli("forms", plan, "--out", tmp_path / "forms")
    assert code == 1
    assert "None" not in out + err
    assert "Chỉ tiêu đợt" in err and "Lỗi" in err


def test_forms_of_the_published_phuong_2_table_name_its_mismatch(tmp_path, demo):
    code, out, err = cli("forms", demo / "phuong-2-quang-tri-2024" / "plan.xlsx", "--out", tmp_path)
    assert code == 1  # written as published, but the officer is told it does not add up
    assert len(list(tmp_path.glob("*.xlsx"))) == 5
    assert "Kế hoạch!G6" in err and "KHAM_PK" in err


def signature_block(path: Path) -> str:
    sheet = openpyxl.load_workbook(path)["Báo cáo"]
    return " ".join(
        str(c.value) for row in sheet.iter_rows(min_row=sheet.max_row - 8) for c in row if c.value
    )


def test_a_neighbourhood_form_asks_for_no_seal(demo):
    neighbourhood = signature_block(
        next((demo / "phuong-2-quang-tri-2024" / "forms").glob("*.xlsx"))
    )
    district = signature_block(next((demo / "hai-phong-2023" / "forms").glob("*.xlsx")))
    assert "đóng dấu" not in neighbourhood and "Trưởng khu phố" in neighbourhood
    assert "đóng dấu" in district and "Thủ trưởng đơn vị" in district


def test_validate_on_a_summary_says_what_it_is(demo):
    code, out, _ = cli("validate", demo / "hai-phong-2023" / "summary.xlsx")
    assert code == 0
    assert "(bảng tổng hợp)" in out and "TongHop" in out


def test_validate_names_a_summary_total_typed_over(demo, tmp_path):
    book = openpyxl.load_workbook(demo / "hai-phong-2023" / "summary.xlsx")
    book["Tổng hợp"]["E6"] = 99999  # BPTT_DCTC's Kết quả, typed over its formula
    book.save(tmp_path / "edited.xlsx")
    code, out, _ = cli("validate", tmp_path / "edited.xlsx")
    assert code == 1
    assert "Tổng hợp!E6" in out and "BPTT_DCTC" in out
