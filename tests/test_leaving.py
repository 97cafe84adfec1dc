"""Leaving the workbook (contract §11): `export --dhis2` and `read_report`, checked
against the consolidation's own JSON report (the totals an officer reads)."""

from __future__ import annotations

import contextlib
import csv
import io
import json
from collections import defaultdict
from pathlib import Path

import openpyxl
import pytest
import xladdin
from xladdin import contract as c
from xladdin import jobs
from xladdin.bundled import catalogue
from xladdin.cli import main
from xladdin.demo import run_demo
from xladdin.engine.dhis2 import COLUMNS

import test_reporting_year as year  # noqa: I001  (the monthly Bình Minh helpers)


def cli(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        assert handle.read(1) != "\ufeff"  # no BOM: DHIS2 reads the header row as is
        handle.seek(0)
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    run_demo(out)
    return out / "hai-phong-2023"


@pytest.fixture(scope="module")
def months(tmp_path_factory) -> Path:
    """Bình Minh, January to March: 6 neighbourhoods, one never sent February."""
    folder = tmp_path_factory.mktemp("months")
    example = year.binh_minh()
    path, plan, _ = jobs.new_plan(
        unit_code=example["unit_code"], unit_name=example["unit_name"], year=example["year"],
        out=folder / "plan.xlsx", children_csv=example["children_csv"],
        targets_csv=example["targets_csv"], round_number=example["round"],
        parent_code=example["parent_code"])
    plan = jobs.usable_plan(path)[0]
    numbers = year.typed(7, months=range(1, 4), skip={(1, 2)})
    year.fill(plan, numbers, folder / "inbox", months=range(1, 4))
    code, _, err = cli(
        "consolidate",
        folder / "inbox",
        "--plan",
        path,
        "--out",
        folder / "summary.xlsx",
        "--json",
        folder / "summary.json",
    )
    assert code == 0, err
    return folder


def exported(report: dict) -> set[str]:
    """What DHIS2 gets: every indicator but rates and rows that add up other rows."""
    rows = {i.code: i for i in catalogue()}
    present = set(report["totals"])
    return {code for code in present if not rows[code].is_rate
            and not (rows[code].parts and all(p in present for p in rows[code].parts))}


def test_a_rounds_summary_needs_the_dhis2_period_the_officer_gives(demo, tmp_path):
    # DHIS2 has no rounds and replaces a value imported twice: a round's results sent as
    # the year would become the year's total, then be overwritten by the next round.
    code, _, err = cli("export", demo / "summary.xlsx", "--dhis2", tmp_path / "dv.csv")
    assert code == 2 and "--period" in err and "Đợt 1 năm 2023" in err
    assert not (tmp_path / "dv.csv").exists()
    for wrong in ("2024-05", "round-1", "2023-13", "abc"):
        code, _, err = cli("export", demo / "summary.xlsx", "--dhis2", tmp_path / "dv.csv",
                           "--period", wrong)
        assert code == 2 and f"--period «{wrong}»" in err, wrong
    code, _, err = cli("export", demo / "summary.xlsx", "--dhis2", tmp_path / "dv.csv",
                       "--period", "2023")
    assert code == 0 and "cả năm 2023" in err
    assert {r["period"] for r in read_csv(tmp_path / "dv.csv")} == {"2023"}
    code, _, err = cli("export", demo / "summary.xlsx", "--dhis2", tmp_path / "q.csv",
                       "--period", "2023Q2")
    assert code == 0 and {r["period"] for r in read_csv(tmp_path / "q.csv")} == {"2023Q2"}


def test_export_round_trips_a_rounds_totals(demo, tmp_path):
    code, out, err = cli("export", demo / "summary.xlsx", "--dhis2", tmp_path / "dv.csv",
                         "--period", "2023-05")
    assert code == 0, err
    assert (
        "orgUnitIdScheme=CODE" in out and "BPTT_LAMSANG" in err
    )  # the combined row is left to DHIS2
    report = json.loads((demo / "summary.json").read_text(encoding="utf-8"))
    rows = read_csv(tmp_path / "dv.csv")
    assert list(rows[0]) == list(COLUMNS)
    sums: dict[str, int] = defaultdict(int)
    for row in rows:
        assert row["period"] == "202305" and row["orgunit"] in report["counted"]
        sums[row["dataelement"]] += int(row["value"])
    assert set(sums) == exported(report)
    for indicator, total in sums.items():
        assert total == report["totals"][indicator]["result"], indicator
    by_unit = {(r["orgunit"], r["dataelement"]): int(r["value"]) for r in rows}
    assert len(by_unit) == len(rows)  # one value per unit, indicator and period
    for unit, results in report["by_unit"].items():
        for indicator in exported(report):
            assert by_unit[(unit, indicator)] == results[indicator]


def test_export_gives_each_month_its_dhis2_period_and_round_trips(months, tmp_path):
    code, _, err = cli("export", months / "summary.xlsx", "--dhis2", tmp_path / "dv.csv",
                       "--period", "2024-05")
    assert code == 2 and "chỉ dùng cho bảng tổng hợp theo đợt" in err  # months have theirs
    assert cli("export", months / "summary.xlsx", "--dhis2", tmp_path / "dv.csv")[0] == 0
    report = json.loads((months / "summary.json").read_text(encoding="utf-8"))
    rows = read_csv(tmp_path / "dv.csv")
    assert sorted({r["period"] for r in rows}) == ["202401", "202402", "202403"]
    assert not [r for r in rows if r["period"] == "202402" and r["orgunit"].endswith("TDP2")]
    for period, dhis2 in (("2024-01", "202401"), ("2024-02", "202402"), ("2024-03", "202403")):
        totals = report["periods"][period]["totals"]
        for indicator in exported(report):
            sent = sum(
                int(r["value"])
                for r in rows
                if r["period"] == dhis2 and r["dataelement"] == indicator
            )
            assert sent == totals[indicator]["result"], (period, indicator)
    # the year to date: counts add up over the months
    for indicator in exported(report):
        if catalogue().get(indicator).is_count:
            sent = sum(int(r["value"]) for r in rows if r["dataelement"] == indicator)
            assert sent == report["totals"][indicator]["result"], indicator


def test_a_mapping_sends_dhis2_identifiers_and_names_what_it_lacks(demo, tmp_path):
    report = json.loads((demo / "summary.json").read_text(encoding="utf-8"))
    indicators = sorted(exported(report))
    mapping = tmp_path / "map.csv"
    lines = ["kind,code,dhis2"] + [
        f"indicator,{code},DE{n:08d}abc" for n, code in enumerate(indicators)
    ]
    mapping.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")
    code, _, err = cli(
        "export", demo / "summary.xlsx", "--dhis2", tmp_path / "dv.csv", "--mapping", mapping,
        "--period", "2023-05",
    )
    assert code == 1 and indicators[-1] in err and not (tmp_path / "dv.csv").exists()
    units = [f"unit,{unit},OU{unit}xyz" for unit in report["counted"]]
    mapping.write_text("\n".join(lines + units) + "\n", encoding="utf-8")
    code, out, err = cli(
        "export", demo / "summary.xlsx", "--dhis2", tmp_path / "dv.csv", "--mapping", mapping,
        "--period", "2023-05",
    )
    assert code == 0, err
    assert "dataElementIdScheme=UID, orgUnitIdScheme=UID" in out
    rows = read_csv(tmp_path / "dv.csv")
    assert {r["dataelement"] for r in rows} == {line.split(",")[2] for line in lines[1:]}
    assert {r["orgunit"] for r in rows} == {f"OU{unit}xyz" for unit in report["counted"]}
    mapping.write_text("kind,code,dhis2\nthing,X,Y\n", encoding="utf-8")
    code, _, err = cli(
        "export", demo / "summary.xlsx", "--dhis2", tmp_path / "dv.csv", "--mapping", mapping,
        "--period", "2023-05",
    )
    assert code == 1 and "dòng 2" in err and "kind" in err


def test_export_refuses_what_it_cannot_do(demo, tmp_path):
    assert cli("export", demo / "summary.xlsx", "--dhis2", tmp_path / "dv.xlsx")[0] == 2
    form = next((demo / "forms").glob("*.xlsx"))
    code, _, err = cli("export", form, "--dhis2", tmp_path / "dv.csv")
    assert code == 1 and "tổng hợp" in err


def test_a_number_typed_over_in_the_summary_is_an_error_naming_its_cell(demo, tmp_path):
    book = openpyxl.load_workbook(demo / "summary.xlsx")
    sheet = book[c.PERIOD_SHEET]
    sheet["L5"] = "nhiều"  # BPTT_DCTC of the first unit
    book.save(tmp_path / "edited.xlsx")
    code, _, err = cli("export", tmp_path / "edited.xlsx", "--dhis2", tmp_path / "dv.csv")
    assert code == 1 and "L5" in err and c.PERIOD_SHEET in err
    with pytest.raises(xladdin.WorkbookError, match="L5"):
        xladdin.read_report(tmp_path / "edited.xlsx")


def test_read_report_is_a_tidy_frame_of_a_summary(months):
    frame = xladdin.read_report(months / "summary.xlsx")
    assert list(frame.columns) == [
        "unit_code",
        "unit_name",
        "indicator_code",
        "period",
        "target",
        "result",
    ]
    report = json.loads((months / "summary.json").read_text(encoding="utf-8"))
    assert sorted(frame["period"].unique()) == ["2024-01", "2024-02", "2024-03"]
    assert not frame.duplicated(["unit_code", "indicator_code", "period"]).any()
    for period in ("2024-01", "2024-02", "2024-03"):
        this = frame[frame["period"] == period]
        for indicator, total in report["periods"][period]["totals"].items():
            if not catalogue().get(indicator).is_rate:
                assert this[this["indicator_code"] == indicator]["result"].sum() == total["result"]
    cpr = frame[(frame["indicator_code"] == "CPR") & (frame["period"] == "2024-03")]
    assert cpr["result"].between(0, 1).all() and len(cpr) == 6


def test_read_report_of_a_form(demo):
    path = next((demo / "forms").glob("303_*.xlsx"))
    frame = xladdin.read_report(path)
    form = jobs.read_form_file(path).form
    assert list(frame["indicator_code"]) == [r.code for r in form.rows]
    assert set(frame["unit_code"]) == {"303"} and set(frame["period"]) == {"round-1"}
    assert list(frame["result"]) == [float(r.result) for r in form.rows]
    assert list(frame["target"]) == [float(r.round_target) for r in form.rows]


def test_read_report_refuses_a_file_that_is_not_ours(tmp_path):
    (tmp_path / "x.xlsx").write_bytes(b"not a workbook")
    with pytest.raises(xladdin.WorkbookError):
        xladdin.read_report(tmp_path / "x.xlsx")


def test_adx_carries_the_same_values_grouped_by_unit_and_period(months, tmp_path):
    import xml.etree.ElementTree as ET

    code, _, err = cli("export", months / "summary.xlsx", "--dhis2", tmp_path / "dv.csv",
                       "--adx", tmp_path / "dv.xml", "--dataset", "DS_DANSO")
    assert code == 0, err
    rows = read_csv(tmp_path / "dv.csv")
    iso = {"202401": "2024-01-01/P1M", "202402": "2024-02-01/P1M", "202403": "2024-03-01/P1M"}
    expected = {(r["orgunit"], iso[r["period"]], r["dataelement"]): r["value"] for r in rows}
    namespace = {"adx": "urn:ihe:qrph:adx:2015"}
    root = ET.parse(tmp_path / "dv.xml").getroot()
    found = {}
    for group in root.findall("adx:group", namespace):
        assert group.get("dataSet") == "DS_DANSO"
        for value in group.findall("adx:dataValue", namespace):
            found[(group.get("orgUnit"), group.get("period"), value.get("dataElement"))] = (
                value.get("value")
            )
    assert found == expected
    code, _, err = cli("export", months / "summary.xlsx", "--adx", tmp_path / "other.xml")
    assert code == 2 and "--dataset" in err and not (tmp_path / "other.xml").exists()
