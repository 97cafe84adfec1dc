"""Units of any depth, and GSO codes from the administrative lists."""

import pytest
from xladdin.admin_units import lookup, short_name, sub_units
from xladdin.engine.units import Unit, UnitTree, neighbourhood_code
from xladdin.errors import UnitError

HAI_PHONG_2023 = [
    "Hồng Bàng", "Ngô Quyền", "Lê Chân", "Hải An", "Kiến An", "Đồ Sơn", "Dương Kinh",
    "Thuỷ Nguyên", "An Dương", "An Lão", "Kiến Thuỵ", "Tiên Lãng", "Vĩnh Bảo", "Cát Hải",
    "Bạch Long Vĩ",
]


def test_hai_phong_has_its_15_districts_of_2023():
    districts = sub_units("31", 2023)
    assert [d.name for d in districts] == HAI_PHONG_2023
    assert districts[0].code == "303"
    assert all(d.parent_code == "31" for d in districts)


def test_after_the_2025_reform_a_province_has_communes_directly():
    units = sub_units(31, 2026)
    assert len(units) > 100  # Hải Phòng's communes and wards, no districts
    assert all(len(u.code) == 5 for u in units)


def test_phuong_2_of_quang_tri_town_resolves_before_the_reform():
    unit = lookup("19360", 2024)
    assert unit.name == "Phường 2"
    assert lookup(unit.parent_code, 2024).name == "Thị xã Quảng Trị"


def test_unknown_code_says_what_to_do():
    with pytest.raises(UnitError, match="CHILDREN.csv"):
        lookup("99999", 2024)


def test_tree_of_any_depth_from_nation_to_neighbourhood():
    tree = UnitTree.of(
        [
            Unit("VN", "Việt Nam"),
            Unit("45", "Quảng Trị", "VN"),
            Unit("462", "Thị xã Quảng Trị", "45"),
            Unit("19360", "Phường 2", "462"),
            *(Unit(neighbourhood_code("19360", n), f"KP{n}", "19360") for n in range(1, 6)),
        ]
    )
    assert [u.name for u in tree.children("19360")] == ["KP1", "KP2", "KP3", "KP4", "KP5"]
    assert tree.depth("19360-KP3") == 4
    assert [u.code for u in tree.path("19360-KP3")] == ["VN", "45", "462", "19360", "19360-KP3"]
    assert len(list(tree.descendants("45"))) == 7


def test_cycles_and_duplicates_are_refused():
    with pytest.raises(UnitError, match="vòng lặp"):
        UnitTree.of([Unit("A", "A", "B"), Unit("B", "B", "A")])
    with pytest.raises(UnitError, match="trùng"):
        UnitTree.of([Unit("A", "A"), Unit("A", "A again")])


def test_short_names_are_what_plans_use_as_column_headers():
    assert short_name("Quận Hồng Bàng") == "Hồng Bàng"
    assert short_name("Thành phố Thuỷ Nguyên") == "Thuỷ Nguyên"
    assert short_name("Phường 2") == "Phường 2"
