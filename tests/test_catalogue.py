"""The bundled indicator catalogue covers every indicator of the seeds."""

import pytest
from xladdin import catalogue
from xladdin.engine.catalogue import Catalogue
from xladdin.errors import CatalogueError


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("BPTT_DCTC", "dụng cụ tử cung"),
        ("BPTT_CAY", "thuốc cấy"),
        ("BPTT_TIEM", "thuốc tiêm"),
        ("BPTT_VIENUONG", "viên uống"),
        ("BPTT_BCS", "bao cao su"),
        ("BPTT_TRIETSAN", "triệt sản"),
        ("BPTT_DAIHAN", "dài hạn"),
        ("BPTT_NGANHAN", "ngắn hạn"),
        ("KHAM_PK", "Khám phụ khoa"),
        ("DIEUTRI_PK", "Điều trị phụ khoa"),
        ("TUVAN_TNHN", "tiền hôn nhân"),
        ("TUVAN_SLTS", "sàng lọc trước sinh, sơ sinh"),
        ("SL_TRUOCSINH", "sàng lọc trước sinh"),
        ("SL_SOSINH", "sàng lọc sơ sinh"),
        ("SL_UTCTC", "ung thư cổ tử cung"),
        ("SL_UTV", "ung thư vú"),
        ("TTXH_BCS", "tiếp thị xã hội"),
        ("CPR", "BPTT hiện đại"),
    ],
)
def test_seed_indicator_is_in_the_catalogue(code, words):
    assert words.lower() in catalogue().get(code).name.lower()


def test_rates_have_a_numerator_and_a_denominator_that_are_counts():
    rates = [i for i in catalogue() if i.is_rate]
    assert {r.code for r in rates} >= {"CPR"}
    for rate in rates:
        assert rate.unit == "%"
        assert not catalogue().get(rate.numerator).is_rate
        assert not catalogue().get(rate.denominator).is_rate


def test_totals_are_made_of_their_parts():
    assert catalogue().get("BPTT_TONG").parts == ("BPTT_DAIHAN", "BPTT_NGANHAN")


def test_broken_catalogue_is_refused_with_the_code():
    with pytest.raises(CatalogueError, match="X1"):
        Catalogue.from_rows([{"code": "X1", "name": "x", "kind": "rate", "numerator": "N"}])
    with pytest.raises(CatalogueError, match="không có trong danh mục"):
        catalogue().get("NOPE")


def test_population_levels_are_stocks_and_events_are_counts():
    """CPR's parts and the screening denominators are levels at a period's end (contract §8):
    a year's value is the latest, never the sum of twelve months."""
    cat = catalogue()
    assert set(cat.stocks()) == {"CPR_TUSO", "CPR_MAUSO", "PN_30_54", "PN_TREN_40"}
    assert cat.get("CPR_TUSO").is_stock and not cat.get("CPR_TUSO").is_count
    assert cat.get("BPTT_DCTC").is_count and cat.kind("BPTT_DCTC") == "count"
    assert cat.get("BPTT_TONG").is_combined and not cat.get("CPR").is_combined
    assert cat.get("TL_SL_UTCTC").denominator == "PN_30_54"


def test_a_combined_row_mixing_kinds_or_an_unknown_kind_is_refused():
    with pytest.raises(CatalogueError, match="cùng loại"):
        Catalogue.from_rows([{"code": "A", "kind": "count"}, {"code": "B", "kind": "stock"},
                             {"code": "T", "kind": "count", "parts": "A+B"}])
    with pytest.raises(CatalogueError, match="count/stock/rate"):
        Catalogue.from_rows([{"code": "A", "kind": "level"}])
