"""Levels (contract §10) and the open catalogue (§8): district → three communes → one
commune's four neighbourhoods → back up to the district, all by commands, nothing retyped.

The officers' typing is the only thing done by hand (openpyxl writes into Kết quả, as
another program would); every other step is an ``xladdin`` command.  The district's
totals must equal the neighbourhoods' and the other communes' sums exactly, for the
bundled indicators and for a count and a rate the district added with ``--catalogue``.
"""

from __future__ import annotations

import json
from fractions import Fraction

import openpyxl
import pytest

from levels_steps import FIRST_ROW, TYPED, district_plan, inputs, ok, sample, sha, typed, xladdin


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    root = tmp_path_factory.mktemp("levels")
    inputs(root)
    d, c = root / "district", root / "commune"
    district_plan(root, 1, "--due-date", "2024-06-30")
    made_forms = ok("forms", d / "plan.xlsx", "--out", d / "forms")
    assert "CPR_TUSO" not in made_forms  # a rate's parts have no target: nothing to warn about
    received = d / "forms" / "19360_phuong-2.xlsx"
    before = sha(received)
    made = ok(
        "new-plan", "--from-form", received, "--children", root / "kp.csv", "--out", c / "plan.xlsx"
    )
    ok("forms", c / "plan.xlsx", "--out", c / "forms")
    kp = {}
    for i, form in enumerate(sorted((c / "forms").glob("*.xlsx"))):
        kp[form.name.split("_")[0]] = sample(i)
        typed(form, c / "inbox" / form.name, kp[form.name.split("_")[0]])
    ok("consolidate", c / "inbox", "--plan", c / "plan.xlsx", "--out", c / "summary.xlsx",
       "--json", c / "summary.json")
    report = ok(
        "report-up", c / "summary.xlsx", "--form", received, "--out", d / "inbox" / received.name
    )
    others = {"19351": sample(11), "19354": sample(12)}
    for code, values in others.items():
        form = next((d / "forms").glob(f"{code}_*.xlsx"))
        typed(form, d / "inbox" / form.name, values)
    code, text = xladdin("consolidate", d / "inbox", "--plan", d / "plan.xlsx",
                         "--out", d / "summary.xlsx", "--json", d / "summary.json")
    return {"root": root, "received": received, "before": before, "made": made, "report": report,
            "kp": kp, "others": others, "district_exit": code, "district_text": text,
            "district": json.loads((d / "summary.json").read_text(encoding="utf-8")),
            "commune": json.loads((c / "summary.json").read_text(encoding="utf-8"))}


def test_the_commune_plan_comes_from_the_district_form(chain):
    from xladdin.jobs import read_form_file, read_plan_file

    plan = read_plan_file(chain["root"] / "commune" / "plan.xlsx").plan
    form = read_form_file(chain["received"]).form
    assert (plan.meta.unit_code, plan.meta.unit_name, plan.meta.parent_code) == (
        "19360",
        "Phường 2",
        "462",
    )
    assert (plan.meta.year, plan.meta.round, plan.meta.due_date) == (2024, 1, "2024-06-30")
    for row in form.rows:
        if not row.is_rate and not row.parts and row.round_target is not None:
            assert plan.row(row.code).round_target == row.round_target, row.code
    assert plan.row("CPR").round_target == Fraction(7, 10)
    assert (
        plan.row("TV_DIDONG").round_target == form.row("TV_DIDONG").round_target == 225
    )  # 450 × 50/100
    assert [c.code for c in plan.children] == ["19360-KP1", "19360-KP2", "19360-KP3", "19360-KP4"]


def test_the_district_totals_are_the_exact_sums_of_neighbourhoods_and_communes(chain):
    assert chain["district_exit"] == 0, chain["district_text"]
    district, commune = chain["district"], chain["commune"]
    assert district["received"] == ["19351", "19354", "19360"] and not district["missing"]
    assert [i for i in district["issues"] if i["severity"] == "error"] == []
    for code in TYPED:
        neighbourhoods = sum(v[code] for v in chain["kp"].values())
        assert commune["totals"][code]["result"] == neighbourhoods, code
        assert district["by_unit"]["19360"][code] == neighbourhoods, code
        expected = neighbourhoods + sum(v[code] for v in chain["others"].values())
        assert district["totals"][code]["result"] == expected, code
    parts = ("BPTT_DCTC", "BPTT_CAY", "BPTT_TRIETSAN")
    everyone = list(chain["kp"].values()) + list(chain["others"].values())
    assert district["totals"]["BPTT_DAIHAN"]["result"] == sum(v[p] for v in everyone for p in parts)
    # rates from their parts, never averaged: the custom one and CPR
    for rate, num, den in (
        ("TL_NCT_KHAM", "NCT_KHAM", "NCT_TONG"),
        ("CPR", "CPR_TUSO", "CPR_MAUSO"),
    ):
        total = district["totals"][rate]
        assert (total["numerator"], total["denominator"]) == (sum(v[num] for v in everyone),
                                                             sum(v[den] for v in everyone))
        assert Fraction(total["result"]).limit_denominator(10**6) == Fraction(total["numerator"],
                                                                              total["denominator"])


def test_report_up_leaves_the_received_form_byte_identical(chain):
    assert sha(chain["received"]) == chain["before"]
    assert "Đã ghi" in chain["report"]


def test_a_custom_catalogue_travels_inside_the_workbooks(chain, tmp_path):
    """Without the CSV: the plan's forms, the commune's plan and the summaries know the codes."""
    from xladdin.reader.carried import CATALOGUE_SHEET

    root = chain["root"]
    for path in (
        root / "district" / "plan.xlsx",
        chain["received"],
        root / "commune" / "plan.xlsx",
        root / "commune" / "summary.xlsx",
        root / "district" / "inbox" / "19360_phuong-2.xlsx",
    ):
        book = openpyxl.load_workbook(path)
        assert CATALOGUE_SHEET in book.sheetnames, path
        assert book[CATALOGUE_SHEET].sheet_state == "veryHidden"
    ok(
        "next-round",
        root / "district" / "plan.xlsx",
        "--summary",
        root / "district" / "summary.xlsx",
        "--out",
        tmp_path / "round2.xlsx",
    )
    ok("validate", tmp_path / "round2.xlsx")
    from xladdin.jobs import read_plan_file

    plan = read_plan_file(tmp_path / "round2.xlsx").plan
    done = chain["district"]["totals"]["TV_DIDONG"]["result"]
    assert plan.row("TV_DIDONG").done == done


def test_report_up_names_what_the_parent_asks_for_and_the_summary_lacks(chain, tmp_path):
    root = chain["root"]
    # the commune's summary has every indicator; a form asking for one more is refused
    book = openpyxl.load_workbook(chain["received"])
    sheet = book["Báo cáo"]
    row = next(
        r for r in range(FIRST_ROW, sheet.max_row + 1) if sheet.cell(r, 1).value == "KHAM_PK"
    )
    sheet.cell(row, 1).value = "DIEUTRI_PK"
    asking = tmp_path / "asking.xlsx"
    book.save(asking)
    code, text = xladdin("report-up", root / "commune" / "summary.xlsx", "--form", asking,
                         "--out", tmp_path / "filled.xlsx")
    assert code == 1 and "DIEUTRI_PK" in text
    assert not (tmp_path / "filled.xlsx").exists()
    # ... and what the summary has that the parent does not ask for is a note
    book = openpyxl.load_workbook(chain["received"])
    sheet = book["Báo cáo"]
    row = next(
        r for r in range(FIRST_ROW, sheet.max_row + 1) if sheet.cell(r, 1).value == "KHAM_PK"
    )
    sheet.delete_rows(row)
    fewer = tmp_path / "fewer.xlsx"
    book.save(fewer)
    code, text = xladdin("report-up", root / "commune" / "summary.xlsx", "--form", fewer,
                         "--out", tmp_path / "filled.xlsx")
    assert code == 0, text
    assert "Ghi chú" in text and "KHAM_PK" in text


def test_report_up_refuses_another_units_form(chain, tmp_path):
    root = chain["root"]
    other = next((root / "district" / "forms").glob("19351_*.xlsx"))
    code, text = xladdin("report-up", root / "commune" / "summary.xlsx", "--form", other,
                         "--out", tmp_path / "filled.xlsx")
    assert code == 1 and "19351" in text and not (tmp_path / "filled.xlsx").exists()


def test_a_commune_without_children_gets_told_to_list_its_neighbourhoods(chain, tmp_path):
    code, text = xladdin("new-plan", "--from-form", chain["received"], "--out", tmp_path / "p.xlsx")
    assert code == 1 and "CHILDREN.csv" in text


@pytest.fixture(scope="module")
def partial(chain, tmp_path_factory):
    """Phường 2 consolidated without KP4's form (it never came): a summary known partial."""
    import shutil

    root, tmp = chain["root"], tmp_path_factory.mktemp("partial")
    inbox = tmp / "inbox"
    inbox.mkdir()
    for form in (root / "commune" / "inbox").glob("*.xlsx"):
        if not form.name.startswith("19360-KP4"):
            shutil.copy(form, inbox / form.name)
    ok("consolidate", inbox, "--plan", root / "commune" / "plan.xlsx", "--out",
       tmp / "partial.xlsx")
    return tmp


def test_report_up_refuses_a_summary_with_a_neighbourhood_missing(chain, partial):
    out = partial / "refused.xlsx"
    code, text = xladdin(
        "report-up", partial / "partial.xlsx", "--form", chain["received"], "--out", out
    )
    assert code == 1, text
    assert "CHƯA ĐỦ" in text and "19360-KP4 (KP4)" in text and "--allow-partial" in text
    assert "KP1" not in text.replace("19360-KP4", "")  # only the unit not counted is named
    assert not out.exists()


def test_a_partial_report_up_is_marked_and_the_parent_refuses_it_unless_allowed(chain, partial):
    """--allow-partial writes the form with «CHƯA ĐỦ» in Ghi chú and in _meta; the district's
    consolidate then leaves the commune out with an error naming KP4 (exit 1: its totals
    would be short, rule 1), or, with --allow-partial there too, counts it with a warning
    (JSON, console, «Kiểm tra» sheet)."""
    import shutil

    from xladdin import contract as c
    from xladdin.jobs import read_form_file

    root = chain["root"]
    received = chain["received"]
    up = partial / "parent-inbox" / received.name
    text = ok("report-up", partial / "partial.xlsx", "--form", received, "--out", up,
              "--allow-partial")
    assert "CHƯA ĐỦ" in text and "KP4" in text
    form = read_form_file(up).form
    three = [v for code, v in chain["kp"].items() if code != "19360-KP4"]
    assert form.row("BPTT_DCTC").result == sum(v["BPTT_DCTC"] for v in three)
    assert "KP4" in form.row("BPTT_DCTC").note
    assert form.meta.extra[c.KEY_PARTIAL_MISSING] == "19360-KP4 (KP4)"

    d = root / "district"
    for other in (d / "inbox").glob("*.xlsx"):
        if other.name != received.name:
            shutil.copy(other, up.parent / other.name)
    args = ("consolidate", up.parent, "--plan", d / "plan.xlsx",
            "--out", partial / "district.xlsx", "--json", partial / "district.json")
    code, console = xladdin(*args)
    assert code == 1, console
    report = json.loads((partial / "district.json").read_text(encoding="utf-8"))
    refused = [i for i in report["issues"] if i["rule"] == "partial-report"]
    assert len(refused) == 1 and refused[0]["severity"] == "error"
    assert "KP4" in refused[0]["message"] and "Phường 2" in refused[0]["message"]
    assert "--allow-partial" in refused[0]["message"]
    assert refused[0]["file"].endswith(received.name) and refused[0]["cell"]
    unit = form.meta.unit_code
    assert unit in report["received"] and unit not in report["counted"]
    assert unit not in report["by_unit"]
    assert "CHƯA ĐỦ" in console and "KP4" in console

    code, console = xladdin(*args, "--allow-partial")
    assert code == 0, console
    report = json.loads((partial / "district.json").read_text(encoding="utf-8"))
    assert report["by_unit"][unit]["BPTT_DCTC"] == sum(v["BPTT_DCTC"] for v in three)
    issues = report["issues"]
    warned = [i for i in issues if i["rule"] == "partial-report"]
    assert len(warned) == 1 and warned[0]["severity"] == "warning"
    assert "KP4" in warned[0]["message"] and "Phường 2" in warned[0]["message"]
    assert warned[0]["file"].endswith(received.name)
    assert "CHƯA ĐỦ" in console and "KP4" in console
    sheet = openpyxl.load_workbook(partial / "district.xlsx")["Kiểm tra"]
    assert any("KP4" in str(cell.value or "") for row in sheet.iter_rows() for cell in row)


def test_a_complete_report_up_over_a_partial_one_clears_the_mark(chain, partial):
    """Re-filling the partial form itself once every unit is counted leaves no mark."""
    from xladdin import contract as c
    from xladdin.jobs import read_form_file

    again = partial / "again.xlsx"
    ok("report-up", chain["root"] / "commune" / "summary.xlsx", "--form",
       partial / "parent-inbox" / chain["received"].name, "--out", again)
    form = read_form_file(again).form
    assert c.KEY_PARTIAL_MISSING not in form.meta.extra
    assert "CHƯA ĐỦ" not in form.row("BPTT_DCTC").note
