"""Each unit's own remainder (contract §9), on Phường 2 (seed 001): round 1 gives the
five khu phố their shares of the annual plan; they report the published round-1 results;
round 2 with a target equal to what remains gives each khu phố exactly its own remainder,
and a khu phố that did more gets less.  Stocks are never added into Đã thực hiện."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook
from xladdin import jobs
from xladdin.bundled import catalogue, examples
from xladdin.engine.apportion import largest_remainder
from xladdin.engine.forms import form_filename, plan_forms
from xladdin.engine.model import Meta, Plan, PlanRow
from xladdin.engine.next_round import RoundTarget, next_round
from xladdin.engine.remainder import annual_shares
from xladdin.engine.units import Unit
from xladdin.errors import UsageError
from xladdin.writer.form import write_form
from xladdin.writer.plan import write_plan

from libreoffice import recalculate, render_png

ANNUAL = {
    "KHAM_PK": 120,
    "DIEUTRI_PK": 50,
    "BPTT_DAIHAN": 46,
    "BPTT_NGANHAN": 221,
    "TUVAN_TNHN": 15,
    "TUVAN_SLTS": 25,
}
ROUND_1 = {
    "KHAM_PK": 120,
    "DIEUTRI_PK": 50,
    "BPTT_DAIHAN": 25,
    "BPTT_NGANHAN": 184,
    "TUVAN_TNHN": 9,
    "TUVAN_SLTS": 22,
}  # «Kết quả đợt 1» as published


def xladdin(*args):
    return subprocess.run([sys.executable, "-m", "xladdin", *args], capture_output=True, text=True,
                          timeout=300)


def fill_from_the_last(total: int, shares) -> list[int]:
    out = [0] * len(shares)
    for i in reversed(range(len(shares))):
        out[i] = min(shares[i], total)
        total -= out[i]
    return out


@pytest.fixture(scope="module")
def rounds(tmp_path_factory):
    folder = tmp_path_factory.mktemp("phuong-2")
    example = next(e for e in examples() if e["folder"] == "phuong-2-quang-tri-2024")
    targets = folder / "targets.csv"
    targets.write_text("code,annual_plan,done,round_target\n" + "".join(
        f"{code},{n},0,{n}\n" for code, n in ANNUAL.items()) + "BPTT_TONG,,,\n", encoding="utf-8")
    plan1_path, _, _ = jobs.new_plan(
        unit_code="19360",
        unit_name="Phường 2",
        year=2024,
        out=folder / "plan1.xlsx",
        children_csv=example["children_csv"],
        targets_csv=targets,
        round_number=1,
    )
    plan1, _ = jobs.usable_plan(plan1_path)
    shares = annual_shares(plan1)
    # each khu phố's round-1 result, never past its share: KP5 first did all of its share,
    # then KP4…, until the published total is reached (so some are far ahead of others)
    done = {code: fill_from_the_last(ROUND_1[code], shares[code]) for code in ANNUAL}
    for index, form in enumerate(plan_forms(plan1, due_date="2024-05-31", catalogue=catalogue())):
        rows = tuple(
            replace(r, result=done[r.code][index]) if r.code in done else r for r in form.rows
        )
        write_form(
            replace(form, rows=rows),
            folder / "forms" / form_filename(form.meta.unit_code, form.meta.unit_name),
        )
    ran = xladdin(
        "consolidate",
        str(folder / "forms"),
        "--plan",
        str(plan1_path),
        "--out",
        str(folder / "s1.xlsx"),
    )
    assert ran.returncode == 0, ran.stdout + ran.stderr
    ran = xladdin("next-round", str(plan1_path), "--summary", str(folder / "s1.xlsx"), "--out",
                  str(folder / "plan2.xlsx"), "--round-target", "100%", "--due-date", "2024-09-16")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "chia theo phần còn lại" in ran.stdout
    return folder, plan1, shares, done


def test_round_2_gives_each_khu_pho_its_own_remainder(rounds):
    folder, plan1, shares, done = rounds
    plan2, issues = jobs.usable_plan(folder / "plan2.xlsx")
    assert not [i for i in issues if i.is_error]
    assert plan2.meta.round == 2 and plan2.meta.due_date == "2024-09-16"
    for code, annual in ANNUAL.items():
        row = plan2.row(code)
        own = [shares[code][i] - done[code][i] for i in range(5)]
        assert row.done == ROUND_1[code]
        assert list(row.child_done) == done[code]
        assert list(row.shares) == own, code  # exactly its own remainder
        assert sum(own) == annual - ROUND_1[code]
    # the weights alone would give KP5 (weight 21 of 61) 7 of the 21 long-acting methods
    # left; it did all of its share in round 1, so it gets none
    by_weight = largest_remainder(21, [Fraction(w) for w in (4, 12, 16, 8, 21)])
    assert by_weight[4] == 7 and plan2.row("BPTT_DAIHAN").shares[4] == 0


def test_a_khu_pho_ahead_of_its_share_gets_less():
    children = tuple(Unit(f"K{i}", f"KP{i}", "P", weight=1) for i in range(1, 5))
    plan = Plan(Meta("plan", "P", "Phường", year=2024, round=1, created_at="x"), children,
                (PlanRow("KHAM_PK", "Khám", "lượt", 40, 0, 20),))
    # KP1 did 80 % of its share of 10, KP2 10 %: the next 10 go mostly to KP2..KP4
    after = next_round(plan, {"KHAM_PK": 14}, by_unit={"K1": {"KHAM_PK": 8}, "K2": {"KHAM_PK": 1},
                                                     "K3": {"KHAM_PK": 5}, "K4": {"KHAM_PK": 0}},
                       round_target=RoundTarget(number=13))
    shares = after.row("KHAM_PK").shares
    assert sum(shares) == 13 and shares[0] < shares[1] and shares[0] < shares[3]
    assert list(shares) == largest_remainder(13, [Fraction(x) for x in (2, 9, 5, 10)])
    # round 3: each khu phố's results add up over the rounds
    third = next_round(after, {"KHAM_PK": 13}, by_unit={u.code: {"KHAM_PK": s}
                                                      for u, s in zip(children, shares)})
    assert list(third.row("KHAM_PK").child_done) == [8 + shares[0], 1 + shares[1], 5 + shares[2],
                                                     shares[3]]
    assert sum(third.row("KHAM_PK").shares) == 40 - 27  # what remains, by what each has left


def test_a_stock_is_never_added_into_done():
    children = (Unit("K1", "KP1", "P", weight=1), Unit("K2", "KP2", "P", weight=1))
    plan = Plan(Meta("plan", "P", "Phường", year=2024, round=1, created_at="x"), children, (
        PlanRow("CPR_TUSO", "Đang dùng BPTT", "người", None, 300, None, kind="stock"),
        PlanRow("CPR_MAUSO", "Phụ nữ có chồng", "người", None, 400, None, kind="stock"),
        PlanRow("CPR", "CPR", "%", Fraction(75, 100), None, None, kind="rate"),
        PlanRow("KHAM_PK", "Khám", "lượt", 40, 10, 20)))
    after = next_round(
        plan, {"CPR_TUSO": 310, "CPR_MAUSO": 405, "CPR": Fraction(310, 405), "KHAM_PK": 7}
    )
    assert (
        after.row("CPR_TUSO").done == 310 and after.row("CPR_MAUSO").done == 405
    )  # the level, not 610
    assert after.row("CPR").done == Fraction(310, 405)
    assert after.row("KHAM_PK").done == 17


def test_round_target_is_a_number_or_a_share_of_what_remains(rounds):
    assert RoundTarget.parse("50%").of(21) == 11 and RoundTarget.parse("12").of(21) == 12
    assert RoundTarget.parse("50%").of(-3) == 0
    with pytest.raises(UsageError, match="round-target"):
        RoundTarget.parse("nửa")
    folder, *_ = rounds
    ran = xladdin(
        "next-round",
        str(folder / "plan1.xlsx"),
        "--summary",
        str(folder / "s1.xlsx"),
        "--out",
        str(folder / "half.xlsx"),
        "--round-target",
        "50%",
    )
    assert ran.returncode == 0, ran.stderr
    half, _ = jobs.usable_plan(folder / "half.xlsx")
    assert half.row("BPTT_DAIHAN").round_target == 11  # ⌈21 × 50 %⌉
    assert sum(half.row("BPTT_DAIHAN").shares) == 11
    bad = xladdin(
        "next-round",
        str(folder / "plan1.xlsx"),
        "--summary",
        str(folder / "s1.xlsx"),
        "--out",
        str(folder / "bad.xlsx"),
        "--round-target",
        "abc",
    )
    assert bad.returncode == 2 and "round-target" in bad.stderr + bad.stdout


@pytest.mark.libreoffice
def test_remainder_sheet_formulas_equal_the_engine_and_print(rounds, tmp_path):
    folder, *_ = rounds
    plan2, _ = jobs.usable_plan(folder / "plan2.xlsx")
    path = write_plan(plan2, tmp_path / "poisoned.xlsx", cache=False)
    [out] = recalculate([path], tmp_path / "out")
    book = CalamineWorkbook.from_path(str(out))
    rows = book.get_sheet_by_name("Còn lại đơn vị").to_python(skip_empty_area=False)
    assert not any(rows[3][8:])  # the hidden helper column J has no heading
    assert rows[3][:8] == ["Mã đơn vị", "Tên đơn vị", "Mã", "Chỉ tiêu", "ĐVT", "Phần kế hoạch năm",
                       "Đã thực hiện", "Còn lại"]
    shares = annual_shares(plan2)
    index = {c.code: i for i, c in enumerate(plan2.children)}
    seen = 0
    for line in rows[4:]:
        if not line[0]:
            continue
        i, code = index[line[0]], line[2]
        assert line[5] == shares[code][i]
        assert line[6] == plan2.row(code).child_done[i]
        assert line[7] == shares[code][i] - plan2.row(code).child_done[i]
        seen += 1
    assert seen == 5 * len(ANNUAL)
    main = book.get_sheet_by_name("Kế hoạch").to_python(skip_empty_area=False)
    checks = [r for r in main if r and r[0] in ANNUAL]
    assert checks and all(str(r[-1]).startswith("Khớp") for r in checks)
    pngs = render_png(folder / "plan2.xlsx", tmp_path / "png")
    assert pngs and all(Path(p).stat().st_size > 0 for p in pngs)


def _kehoach(path: Path) -> tuple[list, dict[str, list]]:
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Kế hoạch").to_python(
        skip_empty_area=False)
    header = next(r for r in rows if "Chỉ tiêu đợt" in r)
    return header, {r[0]: r for r in rows if r and r[0] in ANNUAL}


@pytest.mark.libreoffice
def test_the_split_by_remainder_is_live_and_follows_an_edit(rounds, tmp_path):
    """Poisoned caches: LibreOffice's shares are the engine's; after the officer edits
    Chỉ tiêu đợt and one khu phố's Đã thực hiện, they still add up and follow Còn lại."""
    folder, *_ = rounds
    plan2, _ = jobs.usable_plan(folder / "plan2.xlsx")
    path = write_plan(plan2, tmp_path / "poisoned.xlsx", cache=False)
    header, _ = _kehoach(path)
    names = [u.name for u in plan2.children]
    first = header.index(names[0])
    target_col = header.index("Chỉ tiêu đợt")
    book = openpyxl.load_workbook(path)
    sheet = book["Kế hoạch"]
    row_of = {sheet.cell(r, 1).value: r for r in range(1, sheet.max_row + 1)}
    for code in ANNUAL:
        assert "_phanbo" in sheet.cell(row_of[code], first + 1).value  # a formula, not a number
    # KHAM_PK: every khu phố did all of its share, nobody has anything left: the weights split
    weights = [Fraction(u.weight) for u in plan2.children]
    assert list(plan2.row("KHAM_PK").shares) == largest_remainder(0, weights)
    sheet.cell(row_of["BPTT_NGANHAN"], target_col + 1).value = 20  # was what remains (37)
    sheet.cell(row_of["KHAM_PK"], target_col + 1).value = 10  # nobody has any left: weights
    left = book["Còn lại đơn vị"]
    kp5_row = next(r for r in range(5, left.max_row + 1)
                    if left.cell(r, 1).value == plan2.children[4].code
                    and left.cell(r, 3).value == "BPTT_DAIHAN")
    left.cell(kp5_row, 7).value = 0  # KP5 did nothing after all
    book.save(tmp_path / "edited.xlsx")
    fresh, edited = recalculate([path, tmp_path / "edited.xlsx"], tmp_path / "out")
    _, shown = _kehoach(fresh)
    for code in ANNUAL:  # live rows and the numbers alike
        assert shown[code][first:first + 5] == list(plan2.row(code).shares), code
        assert str(shown[code][-1]).startswith("Khớp")
    _, after = _kehoach(edited)
    standing = {code: [max(0, s - d) for s, d in zip(annual_shares(plan2)[code],
                                                     plan2.row(code).child_done)]
                for code in ANNUAL}
    nganhan = after["BPTT_NGANHAN"][first:first + 5]
    assert nganhan == largest_remainder(20, [Fraction(x) for x in standing["BPTT_NGANHAN"]])
    assert sum(nganhan) == 20 and str(after["BPTT_NGANHAN"][-1]).startswith("Khớp")
    standing["BPTT_DAIHAN"][4] = annual_shares(plan2)["BPTT_DAIHAN"][4]  # all of it left
    daihan = after["BPTT_DAIHAN"][first:first + 5]
    assert daihan == largest_remainder(int(after["BPTT_DAIHAN"][target_col]),
                                     [Fraction(x) for x in standing["BPTT_DAIHAN"]])
    assert daihan != list(plan2.row("BPTT_DAIHAN").shares)
    assert after["KHAM_PK"][first:first + 5] == largest_remainder(10, weights)
    assert str(after["KHAM_PK"][-1]).startswith("Khớp")
    # the engine reads the edited book back to the very numbers the workbook shows
    again, issues = jobs.usable_plan(edited)
    assert not [i for i in issues if i.is_error]
    assert list(again.row("BPTT_NGANHAN").shares) == nganhan
    assert list(again.row("BPTT_DAIHAN").shares) == daihan
    assert list(again.row("KHAM_PK").shares) == largest_remainder(10, weights)


def test_targets_csv_sets_round_targets_and_round_target_the_rest(rounds):
    folder, *_ = rounds
    csv = folder / "next-targets.csv"
    csv.write_text("code,annual_plan,done,round_target\nBPTT_DAIHAN,46,,10\nTUVAN_SLTS,,,\n"
                   "BPTT_TONG,,,\n", encoding="utf-8")
    ran = xladdin("next-round", str(folder / "plan1.xlsx"), "--summary", str(folder / "s1.xlsx"),
                  "--out", str(folder / "csv.xlsx"), "--targets", str(csv),
                  "--round-target", "50%")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    plan, issues = jobs.usable_plan(folder / "csv.xlsx")
    assert not [i for i in issues if i.is_error]
    daihan = plan.row("BPTT_DAIHAN")
    assert daihan.round_target == 10 and sum(daihan.shares) == 10  # the CSV's, split by remainder
    assert plan.row("BPTT_NGANHAN").round_target == 19  # ⌈37 × 50 %⌉: not in the CSV
    assert plan.row("TUVAN_SLTS").round_target == 2  # blank in the CSV: ⌈3 × 50 %⌉
    for bad, words in (("BPTT_DAIHAN,45,,10", "annual_plan"), ("KHONG_CO,,,3", "KHONG_CO"),
                       ("BPTT_DAIHAN,,,50%", "--round-target"), ("BPTT_TONG,,,5", "thành phần"),
                       ("BPTT_DAIHAN,,7,10", "done")):
        csv.write_text("code,annual_plan,done,round_target\n" + bad + "\n", encoding="utf-8")
        ran = xladdin("next-round", str(folder / "plan1.xlsx"), "--summary",
                      str(folder / "s1.xlsx"), "--out", str(folder / "bad.xlsx"), "--targets",
                      str(csv))
        assert ran.returncode != 0 and words in ran.stderr + ran.stdout, (bad, ran.stderr)
        assert "Traceback" not in ran.stderr
    assert not (folder / "bad.xlsx").exists()
