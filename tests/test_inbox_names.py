"""Real forms under names that look like something else (red team): a filled form saved as
``~$…`` (Excel's lock-file prefix), as ``.~xladdin-…`` (our temp prefix), or with a space
after ``.xlsx`` (as some mail programs save).  Each is read and counted, with a warning
naming the file; only a real lock file (a few bytes, not a workbook) and our own leftover
temp files (not a form, or a blank one) are passed over in silence."""

from __future__ import annotations

from pathlib import Path

from xladdin.engine.forms import plan_forms
from xladdin.writer.form import write_form

import hostile


def consolidate(tmp_path: Path, plan_path: Path) -> tuple[int, dict]:
    code, report, _ = hostile.consolidate_cli(tmp_path, plan_path)
    return code, report


def test_real_forms_under_hiding_names_are_read_and_named(tmp_path):
    plan_path, plan = hostile.make_plan(tmp_path, 4)
    made = hostile.write_filled_forms(plan, tmp_path / "made")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    hidden = {"U01": "~$U01_xa-thu-01.xlsx", "U02": ".~xladdin-U02.xlsx",
              "U03": "U03_xa-thu-03.xlsx "}
    for code, name in hidden.items():
        (inbox / name).write_bytes(made[code].read_bytes())
    (inbox / "U04.xlsx").write_bytes(made["U04"].read_bytes())
    # what really is a lock file or our leftover: passed over without a word
    (inbox / "~$U04.xlsx").write_bytes(b"\x0bNguyen Van A" + b" " * 152)  # 165 bytes
    (inbox / ".~lock.U04.xlsx#").write_text("Nguyen Van A,may-1,/home/a,26.11.2026 10:00,\n")
    write_form(next(iter(plan_forms(plan, due_date="2026-05-15"))), inbox / ".~xladdin-k1.xlsx")
    (inbox / ".~xladdin-k2.xlsx").write_bytes(b"PK\x03\x04 cut short")

    code, report = consolidate(tmp_path, plan_path)
    assert code == 0, [i for i in report["issues"] if i["severity"] == "error"]
    assert sorted(report["counted"]) == ["U01", "U02", "U03", "U04"]
    assert report["by_unit"]["U01"]["BPTT_DCTC"] == 11
    assert report["by_unit"]["U03"]["BPTT_DCTC"] == 31
    named = {Path(i["file"]).name: i for i in report["issues"] if i["rule"] == "file-name"}
    assert set(named) == set(hidden.values())
    assert all(i["severity"] == "warning" and "đổi tên" in i["message"] for i in named.values())
    assert "~$" in named[hidden["U01"]]["message"]
    assert "khoảng trắng" in named[hidden["U03"]]["message"]
    quiet = {"~$U04.xlsx", ".~lock.U04.xlsx#", ".~xladdin-k1.xlsx", ".~xladdin-k2.xlsx"}
    assert not [i for i in report["issues"] if Path(str(i["file"])).name in quiet]
    assert not report["duplicates"]


def test_a_units_file_that_cannot_be_read_lists_the_unit_as_sent_with_errors(tmp_path):
    """A corrupt form or one in another format, named after its unit (contract §4), is
    that unit's: received with errors, never «Chưa gửi» (red team: the officer would
    phone a unit that did send).  A file set aside with a warning names nobody."""
    plan_path, plan = hostile.make_plan(tmp_path, 4)
    made = hostile.write_filled_forms(plan, tmp_path / "made")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    data = made["U01"].read_bytes()
    (inbox / "U01_xa-thu-01.xlsx").write_bytes(data[: len(data) // 2])  # cut short
    (inbox / "U02_xa-thu-02.xlsb").write_bytes(b"binary workbook")  # another format
    (inbox / "U03.xlsx").write_bytes(made["U03"].read_bytes())
    (inbox / "U04_ghi-chu.txt").write_text("ghi chú", encoding="utf-8")  # not a report
    code, report = consolidate(tmp_path, plan_path)
    assert code == 1
    assert sorted(report["received"]) == ["U01", "U02", "U03"]
    assert report["missing"] == ["U04"] and report["counted"] == ["U03"]
    named = {Path(i["file"]).name for i in report["issues"] if i["severity"] == "error"}
    assert {"U01_xa-thu-01.xlsx", "U02_xa-thu-02.xlsb"} <= named
    assert report["totals"]["BPTT_DCTC"]["result"] == 31
    # lateness as for every file: its time against the plan's due date (2026-05-15)
    assert {"U01", "U02", "U03"} <= set(report["late"])


def test_an_unreadable_months_form_counts_as_sent_in_the_month_its_name_says(tmp_path):
    plan_path, plan = hostile.make_plan(tmp_path, 2)
    inbox = tmp_path / "inbox"
    hostile.write_month_forms(plan, inbox)
    broken = inbox / "U01_2026-02.xlsx"
    broken.write_bytes(broken.read_bytes()[:2000])
    code, report = consolidate(tmp_path, plan_path)
    assert code == 1
    february = report["periods"]["2026-02"]
    assert "U01" in february["received"] and "U01" not in february["missing"]
    assert february["counted"] == ["U02"]
    assert report["periods"]["2026-01"]["counted"] == ["U01", "U02"]
