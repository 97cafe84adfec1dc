"""The nation above the provinces, and administrative lists true on a date
(§10, issue 11 item 6)."""

import datetime as dt

import openpyxl
from xladdin import admin_units
from xladdin.cli import main


def test_a_national_plan_for_2016_has_the_63_provinces_and_for_2026_the_34(tmp_path):
    for year, count in ((2016, 63), (2024, 63), (2026, 34)):
        out = tmp_path / f"vn-{year}.xlsx"
        assert (
            main(
                [
                    "new-plan",
                    "--unit-code",
                    "VN",
                    "--unit-name",
                    "Toàn quốc",
                    "--year",
                    str(year),
                    "--out",
                    str(out),
                ]
            )
            == 0
        )
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
