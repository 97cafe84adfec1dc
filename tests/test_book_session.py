"""What a one-click script writes into a cell (xladdin.book.session): a blank stays blank,
text that Excel would turn into something else stays text."""

from __future__ import annotations

import pytest
from xladdin.book.session import Formula, _cell


@pytest.mark.parametrize("blank", ["", None])
def test_a_blank_is_written_as_an_empty_cell_not_an_apostrophe(blank):
    assert _cell(blank) == ""  # "'" would be a text cell: COUNTA, ISBLANK and the used range change


@pytest.mark.parametrize(("text", "written"), [
    ("=1+1", "'=1+1"), ("-5", "'-5"), ("12", "'12"), ("1.200", "'1.200"), ("50%", "'50%"),
    ("01/02/2024", "'01/02/2024"), ("true", "'true"), ("Phường 2", "Phường 2"), ("Khớp", "Khớp"),
])
def test_text_excel_would_convert_is_kept_as_text(text, written):
    assert _cell(text) == written


def test_formulas_and_numbers_are_written_as_such():
    assert _cell(Formula("=SUM(A1:A3)")) == "=SUM(A1:A3)"
    assert _cell(12) == 12 and _cell(2.5) == 2.5
