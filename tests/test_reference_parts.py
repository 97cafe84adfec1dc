"""The demo's workbooks compared XML part by part with stored references, as XlsxWriter
tests itself (issue 16, item 6).

Any change to what a workbook holds (a cell, a formula, a cached value, a style, a
validation, protection, print setup, a defined name) shows here as the first element
that differs.  May differ, and are masked (tests/xml_parts.py): docProps created and
modified dates, ISO timestamps such as ``_meta`` ``created_at``, the folder the demo
wrote into.  When a change is meant, regenerate the references and commit them with it:

    XLADDIN_UPDATE_REFERENCES=1 .venv/bin/python -m pytest -q tests/test_reference_parts.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from xladdin.cli.app import main

from xml_parts import differences, extract

REFERENCES = Path(__file__).parent / "fixtures" / "reference_parts"
WORKBOOKS = [
    "hai-phong-2023/plan.xlsx",
    "hai-phong-2023/forms/303_hong-bang.xlsx",
    "hai-phong-2023/summary.xlsx",
    "hai-phong-2023/plan-dot-2.xlsx",
    "phuong-2-quang-tri-2024/plan.xlsx",
    # the reporting year (contract §8): a month's form, the year's plan and its summary
    "binh-minh-2024/plan.xlsx",
    "binh-minh-2024/hop-thu/2024-03/02658-TDP1_to-dan-pho-1_2024-03.xlsx",
    "binh-minh-2024/summary.xlsx",
]


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "out"
    assert main(["demo", "--out", str(out)]) == 0
    return out


@pytest.mark.parametrize("name", WORKBOOKS)
def test_demo_workbook_parts_equal_the_references(demo: Path, name: str) -> None:
    reference = REFERENCES / name.replace(".xlsx", "")
    mask = {str(demo): "OUT_DIR"}  # the demo's folder, named in the summary's sources
    if os.environ.get("XLADDIN_UPDATE_REFERENCES"):
        extract(demo / name, reference, mask)
    found = differences(reference, demo / name, mask)
    assert not found, "\n".join(found)
