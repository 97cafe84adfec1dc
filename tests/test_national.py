"""The nation above the provinces, and administrative lists true on a date
(§10, issue 11 item 6)."""

import datetime as dt

import openpyxl
import pytest
from xladdin import admin_units
from xladdin.cli import main


def national_plan(year, out, *options):
    """`new-plan` of the whole country (unit VN) for ``year``, written to ``out``."""
    return main(["new-plan", "--unit-code", "VN", "--unit-name", "Toàn quốc", "--year",
                 str(year), *map(str, options), "--out", str(out)])


def test_a_national_plan_for_2016_has_the_63_provinces_and_for_2026_the_34(tmp_path):
    for year, count in ((2016, 63), (2024, 63), (2026, 34)):
        out = tmp_path / f"vn-{year}.xlsx"
        assert national_plan(year, out) == 0
        units = openpyxl.load_workbook(out)["Đơn vị"]
        codes = [units.cell(r, 1).value for r in range(1, units.max_row + 1)]
        provinces = [c for c in codes if isinstance(c, str) and len(c) == 2 and c.isdigit()]
        assert len(provinces) == count, (year, provinces)
    assert {u.name for u in admin_units.sub_units("VN", 2016)} >= {
        "Hà Giang",
        "Hà Nội",
        "Thừa Thiên Huế",
        "Cà Mau",
    }
    assert "Hà Giang" not in {u.name for u in admin_units.sub_units("VN", 2026)}


def test_the_reform_list_applies_from_1_july_2025():
    assert len(admin_units.sub_units("VN", 2025)) == 63
    assert len(admin_units.sub_units("VN", 2025, dt.date(2025, 6, 30))) == 63
    assert len(admin_units.sub_units("VN", 2025, dt.date(2025, 7, 1))) == 34


def test_a_2024_plan_for_hue_shows_its_2024_districts_and_says_which_list():
    districts_2024 = [u.name for u in admin_units.sub_units("46", 2024)]
    assert (
        "Huế" in districts_2024 and "Phú Xuân" not in districts_2024
    )  # the city of Huế was split in 2025
    assert {"Phú Xuân", "Thuận Hóa"} <= {u.name for u in admin_units.sub_units("46", 2025)}
    listed = admin_units.unit_list(2024)
    assert listed.true_on == dt.date(2023, 5, 7)
    assert "07/05/2023" in listed.describe(dt.date(2024, 1, 1))


def test_the_plan_says_which_list_its_children_come_from(tmp_path):
    out = tmp_path / "hue.xlsx"
    assert main(["new-plan", "--unit-code", "46", "--unit-name", "Thừa Thiên Huế", "--year", "2024",
                 "--out", str(out)]) == 0
    book = openpyxl.load_workbook(out)
    meta = {book["_meta"].cell(r, 1).value: book["_meta"].cell(r, 2).value
            for r in range(1, book["_meta"].max_row + 1)}
    assert meta["units_as_of"] == "2023-05-07"
    text = " ".join(str(c.value) for row in book["Kế hoạch"].iter_rows() for c in row if c.value)
    assert "07/05/2023" in text


def test_the_six_regions_cover_the_provinces_of_both_lists():
    for year, sizes in ((2016, [14, 11, 14, 5, 6, 13]), (2026, [9, 6, 8, 3, 3, 5])):
        regions = admin_units.regions(year)
        assert set(regions) == {u.code for u in admin_units.sub_units("VN", year)}
        counts = [sum(r.code == str(n) for r in regions.values()) for n in range(1, 7)]
        assert counts == sizes, year
    assert admin_units.regions(2016)["64"].name == "Tây Nguyên"  # Gia Lai
    assert admin_units.regions(2016)["31"].name == "Đồng bằng sông Hồng"


@pytest.mark.libreoffice
def test_a_national_consolidation_by_region_gives_exact_regional_subtotals(tmp_path):
    """63 provinces of 2016, one missing: the «Theo vùng» sheet's formulas (recalculated by
    LibreOffice) and the JSON report's regions equal sums done here by region."""
    import json
    import random
    from dataclasses import replace
    from fractions import Fraction

    from xladdin import jobs
    from xladdin.bundled import catalogue
    from xladdin.engine.forms import form_filename, plan_forms
    from xladdin.writer.form import write_form

    from libreoffice import recalculate

    provinces = admin_units.sub_units("VN", 2016)
    lines = ["code,name,weight"] + [
        f"{u.code},{u.name},{10 + i % 7}" for i, u in enumerate(provinces)
    ]
    (tmp_path / "children.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "targets.csv").write_text(
        "code,annual_plan,done,round_target\nBPTT_DCTC,630000,0,315000\nCPR,70%,,70%\n",
        encoding="utf-8",
    )
    plan_path = tmp_path / "plan.xlsx"
    assert national_plan(2016, plan_path, "--children", tmp_path / "children.csv",
                         "--targets", tmp_path / "targets.csv") == 0
    plan, _ = jobs.usable_plan(plan_path)
    rng = random.Random(2016)
    sent: dict[str, dict[str, int]] = {}
    for form in plan_forms(plan, due_date=None, catalogue=catalogue()):
        if form.meta.unit_code == "10":  # Lào Cai has not sent its form
            continue
        rows = tuple(r if r.is_rate else replace(r, result=rng.randint(0, 999)) for r in form.rows)
        women = sorted(r.result for r in rows if r.code in ("CPR_TUSO", "CPR_MAUSO"))
        rows = tuple(  # CPR is a proportion: its numerator never above its denominator
            replace(r, result=women[r.code == "CPR_MAUSO"])
            if r.code in ("CPR_TUSO", "CPR_MAUSO") else r for r in rows)
        sent[form.meta.unit_code] = {r.code: r.result for r in rows if not r.is_rate}
        write_form(replace(form, rows=rows),
                   tmp_path / "inbox" / form_filename(form.meta.unit_code, form.meta.unit_name))
    summary_path = tmp_path / "summary.xlsx"
    assert (
        main(
            [
                "consolidate",
                str(tmp_path / "inbox"),
                "--plan",
                str(plan_path),
                "--out",
                str(summary_path),
                "--json",
                str(tmp_path / "r.json"),
                "--by-region",
            ]
        )
        == 0
    )
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["regions"]
    appendix = {  # seed 002's appendix: the provinces of each region, by GSO code
        "Trung du và miền núi phía Bắc": "02 04 06 08 10 11 12 14 15 17 19 20 24 25",
        "Đồng bằng sông Hồng": "01 22 26 27 30 31 33 34 35 36 37",
        "Bắc Trung Bộ và duyên hải miền Trung": "38 40 42 44 45 46 48 49 51 52 54 56 58 60",
        "Tây Nguyên": "62 64 66 67 68",
        "Đông Nam Bộ": "70 72 74 75 77 79",
        "Đồng bằng sông Cửu Long": "80 82 83 84 86 87 89 91 92 93 94 95 96",
    }
    assert list(report) == list(appendix)
    for region, codes in appendix.items():
        members = [c for c in codes.split() if c in sent]
        assert sorted(report[region]["units"]) == sorted(codes.split())
        assert report[region]["totals"]["BPTT_DCTC"] == sum(sent[c]["BPTT_DCTC"] for c in members)
        num, den = (sum(sent[c][k] for c in members) for k in ("CPR_TUSO", "CPR_MAUSO"))
        assert Fraction(report[region]["totals"]["CPR"]).limit_denominator(10**7) == Fraction(
            num, den
        )
    # openpyxl keeps the formulas and drops every cached value: LibreOffice computes them all
    book = openpyxl.load_workbook(summary_path)
    book.save(tmp_path / "no-cache.xlsx")
    shown = recalculate([tmp_path / "no-cache.xlsx"], tmp_path / "lo")[0]
    sheet = openpyxl.load_workbook(shown, data_only=True)["Theo vùng"]
    col = {sheet.cell(5, c).value: c for c in range(4, sheet.max_column + 1)}
    row = {sheet.cell(r, 2).value: r for r in range(6, sheet.max_row + 1)}
    for region in appendix:
        totals = report[region]["totals"]
        for code in ("BPTT_DCTC", "CPR_TUSO", "CPR_MAUSO"):
            assert sheet.cell(row[region], col[code]).value == totals[code], (region, code)
        assert abs(sheet.cell(row[region], col["CPR"]).value - totals["CPR"]) < 1e-12
    assert sheet.cell(row["TOÀN QUỐC"], col["BPTT_DCTC"]).value == sum(
        v["BPTT_DCTC"] for v in sent.values()
    )
    assert sheet.cell(row["Lào Cai"], col["BPTT_DCTC"]).value is None
    assert sheet.cell(row["Lào Cai"], 3).value == "Chưa gửi"
