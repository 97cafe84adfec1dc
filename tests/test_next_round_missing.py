"""next-round when the summary lacks a unit's results (red team): the officer is told by
name; the run stops unless --missing-as-zero says to count the unit as 0, and then the
new plan's «Còn lại đơn vị» names it.  The sheet's note says what an edit there does."""

from __future__ import annotations

import shutil

from python_calamine import CalamineWorkbook
from xladdin import contract as c
from xladdin import jobs

from test_own_remainder import rounds, xladdin  # noqa: F401 (the fixture)


def sheet_text(path, name) -> str:
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python()
    return " ".join(str(v) for row in rows for v in row)


def test_a_unit_that_never_reported_stops_next_round_unless_counted_as_zero(rounds):  # noqa: F811
    folder, plan1, _, _ = rounds
    inbox = folder / "inbox-kp3"
    shutil.copytree(folder / "forms", inbox)
    kp3 = plan1.children[2]
    (gone,) = [p for p in inbox.iterdir() if p.name.startswith(kp3.code + "_")]
    gone.unlink()
    ran = xladdin("consolidate", str(inbox), "--plan", str(folder / "plan1.xlsx"), "--out",
                  str(folder / "s-kp3.xlsx"))
    assert ran.returncode == 0, ran.stdout + ran.stderr
    out = folder / "p2-kp3.xlsx"
    ran = xladdin("next-round", str(folder / "plan1.xlsx"), "--summary",
                  str(folder / "s-kp3.xlsx"), "--out", str(out))
    assert ran.returncode == 1 and not out.exists()
    assert kp3.name in ran.stderr and "--missing-as-zero" in ran.stderr
    ran = xladdin("next-round", str(folder / "plan1.xlsx"), "--summary",
                  str(folder / "s-kp3.xlsx"), "--out", str(out), "--missing-as-zero")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert f"{kp3.name} ({kp3.code})" in ran.stderr and "0" in ran.stderr
    text = sheet_text(out, c.REMAINDER_SHEET)
    assert f"{kp3.name} ({kp3.code})" in text and "CHƯA BIẾT" in text
    plan2, _ = jobs.usable_plan(out)
    assert plan2.row("KHAM_PK").child_done[2] == 0


def test_the_remainder_note_says_the_split_follows_an_edit(rounds):  # noqa: F811
    folder = rounds[0]
    text = sheet_text(folder / "plan2.xlsx", c.REMAINDER_SHEET)
    assert "tự tính lại" in text and "phần giao của từng đơn vị đổi theo" in text
    assert "CHƯA BIẾT" not in text  # every khu phố reported round 1
