"""Levels (contract §10) month by month, and a catalogue an officer got wrong: each
month's forms go up from one inbox of the year; a broken catalogue is refused naming
its row."""

from __future__ import annotations

import json

import pytest

from levels_steps import TYPED, district_plan, inputs, ok, sample, typed, xladdin


@pytest.mark.parametrize(
    ("csv_text", "words"),
    [
        ("code,name,unit,kind\nA,a,người,level\n", ["dòng 2", "level"]),
        (
            "code,name,unit,kind,numerator,denominator\nR,r,%,rate,A,\nA,a,người,count,,\n",
            ["dòng 2", "mẫu số"],
        ),
        (
            "code,name,unit,kind,parts\nT,t,người,count,U\nU,u,người,count,T\n",
            ["dòng 2", "vòng lặp", "T → U → T"],
        ),
        (
            "code,name,unit,kind\nA,a,người,count\nB,b,người,count\nA,a2,người,count\n",
            ["dòng 4", "dòng 2", "trùng"],
        ),
        (
            "code,name,unit,kind,numerator,denominator\nR,r,%,rate,NOPE,CPR_MAUSO\n",
            ["dòng 2", "NOPE"],
        ),
    ],
)
def test_a_broken_catalogue_is_refused_naming_the_row(tmp_path, csv_text, words):
    (tmp_path / "cat.csv").write_text(csv_text, encoding="utf-8")
    code, text = xladdin("new-plan", "--unit-code", "462", "--unit-name", "X", "--year", 2024,
                         "--catalogue", tmp_path / "cat.csv", "--out", tmp_path / "p.xlsx")
    assert code == 1, text
    for word in words:
        assert word in text, (word, text)
    assert "Traceback" not in text and not (tmp_path / "p.xlsx").exists()


def test_each_month_goes_up_from_one_inbox_of_the_year(tmp_path):
    """Monthly reporting: the district sends March and April forms; the commune plans from
    March's, consolidates both months of its neighbourhoods in one inbox, and each report-up
    carries that month's numbers (a count summed, a stock the month's level); the district's
    consolidation of both months equals the neighbourhoods' sums exactly."""
    inputs(tmp_path)
    d, c = tmp_path / "district", tmp_path / "commune"
    district_plan(tmp_path, 0)
    months = ("2024-03", "2024-04")
    for month in months:
        xladdin(
            "forms",
            d / "plan.xlsx",
            "--out",
            d / month,
            "--period",
            month,
            "--due-date",
            f"{month}-28",
        )
    march = next((d / "2024-03").glob("19360_*.xlsx"))
    ok(
        "new-plan",
        "--from-form",
        march,
        "--children",
        tmp_path / "kp.csv",
        "--out",
        c / "plan.xlsx",
    )
    sent: dict[str, dict[str, dict[str, int]]] = {}
    for m, month in enumerate(months):
        xladdin("forms", c / "plan.xlsx", "--out", c / month, "--period", month)
        for i, form in enumerate(sorted((c / month).glob("*.xlsx"))):
            values = sample(10 * m + i)
            sent.setdefault(month, {})[form.name.split("_")[0]] = values
            typed(form, c / "inbox" / month / form.name, values)
    ok("consolidate", c / "inbox", "--plan", c / "plan.xlsx", "--out", c / "summary.xlsx")
    others = {}
    for m, month in enumerate(months):
        form = next((d / month).glob("19360_*.xlsx"))
        ok(
            "report-up",
            c / "summary.xlsx",
            "--form",
            form,
            "--out",
            d / "inbox" / month / form.name,
        )
        for j, code in enumerate(("19351", "19354")):
            other = next((d / month).glob(f"{code}_*.xlsx"))
            others.setdefault(month, {})[code] = sample(50 + 10 * m + j)
            typed(other, d / "inbox" / month / other.name, others[month][code])
    code, text = xladdin("consolidate", d / "inbox", "--plan", d / "plan.xlsx",
                         "--out", d / "summary.xlsx", "--json", d / "summary.json")
    assert code == 0, text
    report = json.loads((d / "summary.json").read_text(encoding="utf-8"))
    for month in months:
        totals = report["periods"][month]["totals"]
        for indicator in TYPED:
            expected = (sum(v[indicator] for v in sent[month].values())
                        + sum(v[indicator] for v in others[month].values()))
            assert totals[indicator]["result"] == expected, (month, indicator)
    # the year to date: counts summed over the months, stocks the latest month's level
    april = list(sent["2024-04"].values()) + list(others["2024-04"].values())
    both = april + list(sent["2024-03"].values()) + list(others["2024-03"].values())
    assert report["totals"]["BPTT_DCTC"]["result"] == sum(v["BPTT_DCTC"] for v in both)
    assert report["totals"]["CPR_TUSO"]["result"] == sum(v["CPR_TUSO"] for v in april)
    # a form of a month the commune has not consolidated is refused, naming the month
    (d / "may").mkdir()
    xladdin("forms", d / "plan.xlsx", "--out", d / "may", "--period", "2024-05")
    may = next((d / "may").glob("19360_*.xlsx"))
    code, text = xladdin(
        "report-up", c / "summary.xlsx", "--form", may, "--out", tmp_path / "may.xlsx"
    )
    assert code == 1 and "Tháng 5/2024" in text and not (tmp_path / "may.xlsx").exists()
