"""A proportion whose numerator exceeds its denominator on a form (red team, LOW-MEDIUM):
CPR_TUSO 303 > CPR_MAUSO 278 (109 %, rows swapped by the officer) was counted silently and
the province's CPR held it.  The catalogue says which rates are proportions (column
``proportion``; the bundled CPR): there it is an error naming both cells and the form is
left out; a rate not marked so is not judged this way."""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pytest
from xladdin.bundled import catalogue
from xladdin.engine.catalogue import Catalogue
from xladdin.errors import CatalogueError

from levels_steps import typed, xladdin

CHILDREN = "code,name,weight\nA1,Xã A,1\nA2,Xã B,1\n"
TARGETS = ("code,annual_plan,done,round_target\nBPTT_DCTC,100,0,50\nCPR,65%,,65%\n"
           "TL_SL_UTCTC,30%,,30%\n")


@pytest.fixture(scope="module")
def blank_forms(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("rate")
    (root / "ch.csv").write_text(CHILDREN, encoding="utf-8")
    (root / "tg.csv").write_text(TARGETS, encoding="utf-8")
    code, text = xladdin("new-plan", "--unit-code", "X9", "--unit-name", "Huyện Thử", "--year",
                         "2024", "--parent-code", "P9", "--children", root / "ch.csv",
                         "--targets", root / "tg.csv", "--indicators",
                         "BPTT_DCTC,CPR,TL_SL_UTCTC", "--out", root / "plan.xlsx")
    assert code == 0, text
    code, text = xladdin("forms", root / "plan.xlsx", "--out", root / "blank")
    assert code == 0, text
    return root


def _consolidate(root: Path, a1: dict[str, int]) -> tuple[int, str, dict, Path]:
    """Xã A's form typed with ``a1``, Xã B's with sensible numbers; consolidated."""
    inbox = root / f"inbox-{len(list(root.glob('inbox-*')))}"
    typed(root / "blank" / "A1_xa-a.xlsx", inbox / "A1_xa-a.xlsx", a1)
    typed(root / "blank" / "A2_xa-b.xlsx", inbox / "A2_xa-b.xlsx",
          {"BPTT_DCTC": 20, "CPR_TUSO": 150, "CPR_MAUSO": 200, "SL_UTCTC": 5, "PN_30_54": 50})
    code, text = xladdin("consolidate", inbox, "--plan", root / "plan.xlsx", "--out",
                         inbox.with_suffix(".xlsx"), "--json", inbox.with_suffix(".json"))
    report = json.loads(inbox.with_suffix(".json").read_text(encoding="utf-8"))
    return code, text, report, inbox.with_suffix(".xlsx")


def test_a_cpr_numerator_above_its_denominator_is_an_error_naming_both_cells(blank_forms):
    swapped = {"BPTT_DCTC": 30, "CPR_TUSO": 303, "CPR_MAUSO": 278, "SL_UTCTC": 4,
               "PN_30_54": 60}
    code, text, report, summary = _consolidate(blank_forms, swapped)
    assert code == 1, text
    found = [i for i in report["issues"] if i["rule"] == "rate-impossible"]
    assert len(found) == 1, report["issues"]
    issue = found[0]
    assert issue["severity"] == "error"
    assert issue["file"].endswith("A1_xa-a.xlsx") and issue["sheet"] == "Báo cáo"
    message = issue["message"]
    assert "CPR_TUSO" in message and "CPR_MAUSO" in message and "303" in message
    assert "278" in message and "không được cộng" in message
    tuso, mauso = re.findall(r"ô (E\d+)", message)  # both cells named
    assert issue["cell"] == tuso and int(mauso[1:]) == int(tuso[1:]) + 1  # Kết quả, next row
    assert "A1" in report["received"] and "A1" not in report["by_unit"]  # left out, named
    assert report["totals"]["CPR"]["result"] == pytest.approx(150 / 200)  # Xã B's alone
    assert "được cộng: 1" in text and "2 lỗi" in text  # the officer's console
    book = openpyxl.load_workbook(summary)
    shown = [[str(v) for v in row if v is not None] for row in book["Kiểm tra"].iter_rows(
        values_only=True)]
    line = next(row for row in shown if any("rate-impossible" in v or "tử số CPR_TUSO" in v
                                            for v in row))
    assert any(v.endswith("A1_xa-a.xlsx") for v in line) and tuso in line, line


def test_a_cpr_within_its_denominator_and_an_unmarked_rate_are_counted(blank_forms):
    """Equal numbers (every woman uses a method) pass; TL_SL_UTCTC is not marked a
    proportion in the catalogue (women screened this period, a count, over those who need
    it), so 70 screened of 60 is not judged here."""
    code, text, report, _ = _consolidate(
        blank_forms, {"BPTT_DCTC": 30, "CPR_TUSO": 278, "CPR_MAUSO": 278, "SL_UTCTC": 70,
                      "PN_30_54": 60})
    assert code == 0, text
    assert not [i for i in report["issues"] if i["severity"] == "error"], report["issues"]
    assert report["by_unit"]["A1"]["CPR_TUSO"] == 278


def test_the_catalogue_says_which_rates_are_proportions():
    bundled = catalogue()
    assert [i.code for i in bundled if i.proportion] == ["CPR"]
    rows = [{"code": "N", "name": "n", "kind": "stock"},
            {"code": "D", "name": "d", "kind": "stock"},
            {"code": "R", "name": "r", "kind": "rate", "numerator": "N", "denominator": "D",
             "proportion": "yes"}]
    assert Catalogue.from_rows(rows).get("R").proportion
    assert Catalogue.from_rows(rows).rows(["R"])[0]["proportion"] == "yes"  # carried as is
    with pytest.raises(CatalogueError, match="proportion"):
        Catalogue.from_rows([*rows[:2], {**rows[2], "proportion": "maybe"}])
    with pytest.raises(CatalogueError, match="không phải tỷ lệ"):
        Catalogue.from_rows([{**rows[0], "proportion": "yes"}, *rows[1:]])


def test_validate_names_the_impossible_cpr_before_the_form_is_sent(blank_forms, tmp_path):
    """The commune's «Kiểm tra» (validate on the form alone) says it before sending."""
    form = typed(blank_forms / "blank" / "A1_xa-a.xlsx", tmp_path / "A1_xa-a.xlsx",
                 {"BPTT_DCTC": 30, "CPR_TUSO": 303, "CPR_MAUSO": 278})
    code, text = xladdin("validate", form)
    assert code == 1, text
    assert re.search(r"Báo cáo!E\d+ +CPR: tử số CPR_TUSO \(303, ô E\d+\) lớn hơn mẫu số "
                     r"CPR_MAUSO \(278, ô E\d+\)", text), text
    fine = typed(blank_forms / "blank" / "A1_xa-a.xlsx", tmp_path / "fine.xlsx",
                 {"BPTT_DCTC": 30, "CPR_TUSO": 200, "CPR_MAUSO": 278})
    assert xladdin("validate", fine)[0] == 0
