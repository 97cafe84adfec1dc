"""One number parser for every number xladdin reads, the same rules everywhere (cells,
CSV, the command line), and the inputs that used to give wrong totals with exit 0:
duplicate codes, control characters, more children than Excel has columns, a form
whose code names another unit, a stale cached value in a typed formula."""

from __future__ import annotations

import contextlib
import io
import json
from fractions import Fraction
from pathlib import Path

import pytest
from xladdin.cli import main
from xladdin.engine.input_formula import evaluate
from xladdin.engine.numbers import parse_number
from xladdin.engine.values import MAX_COUNT
from xladdin.errors import InputError, UnitError
from xladdin.inputs import read_children, read_targets

import hostile


def cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize(("raw", "value"), [
    (12, 12), (12.0, 12), ("12", 12), ("1.200", 1200), ("12.500", 12500), ("1 200", 1200),
    ("12,5", Fraction(25, 2)), ("12.5", Fraction(25, 2)), ("1.200,5", Fraction(2401, 2)),
    ("1e3", 1000), ("1,5E+2", 150), (0.1, Fraction(1, 10)), (MAX_COUNT, MAX_COUNT),
])
def test_numbers_read_the_same_everywhere(raw, value):
    assert parse_number(raw).value == value


@pytest.mark.parametrize(("raw", "rule"), [
    ("1e400", "too-large"), ("1e-400", "not-a-number"), ("inf", "not-a-number"),
    ("NaN", "not-a-number"), (float("nan"), "not-a-number"), (float("inf"), "not-a-number"),
    pytest.param("9" * 4300, "too-large", id="4300-digits"),
    pytest.param(10**4300, "too-large", id="huge-int"), (MAX_COUNT + 1, "too-large"),
    (1e300, "too-large"), ("1,200", "ambiguous-number"), ("2023abc", "not-a-number"),
    (True, "not-a-number"), ("#SPILL!", "excel-error"),
])
def test_numbers_out_of_range_or_garbled_are_errors(raw, rule):
    parsed = parse_number(raw)
    assert parsed.value is None and parsed.problem.rule == rule and parsed.problem.message


def test_the_command_line_reads_thousands_like_a_cell_and_says_so():
    code, out, err = cli("split", "100", "--weights", "12.500,12.5", "--json")
    assert code == 0
    assert json.loads(out)["shares"] == [100, 0]  # 12500 and 12.5
    assert "12500" in err and "hàng nghìn" in err
    for weights in ("1e400,1", "1,inf", "9" * 4300 + ",1"):
        code, out, err = cli("split", "10", "--weights", weights)
        assert code == 1 and "Traceback" not in err and err.strip()


def write_csv(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_children_csv_reads_weights_with_the_one_parser_and_refuses_duplicates(tmp_path):
    units = read_children(
        write_csv(tmp_path, "c.csv", 'code,name,weight\nA,An,1.200\nB,Bình,"12,5"\n')
    )
    assert [u.weight for u in units] == [1200, Fraction(25, 2)]
    with pytest.raises(InputError, match="dòng 2 và dòng 4"):
        read_children(write_csv(tmp_path, "d.csv", "code,name,weight\nA,An,1\nB,Bình,2\nA,Ân,3\n"))
    with pytest.raises(InputError, match="«An» \\(dòng 2\\) và «an» \\(dòng 3\\)"):
        read_children(write_csv(tmp_path, "e.csv", "code,name,weight\nA,An,1\nB,an,2\n"))
    with pytest.raises(InputError, match="too|quá lớn|1e400|mũ"):
        read_children(write_csv(tmp_path, "f.csv", "code,name,weight\nA,An,1e400\n"))
    with pytest.raises(InputError, match="điều khiển"):
        read_children(write_csv(tmp_path, "g.csv", "code,name,weight\nA,An\x0bX,1\n"))


def test_targets_csv_refuses_an_indicator_given_twice(tmp_path):
    from xladdin.bundled import catalogue

    path = write_csv(tmp_path, "t.csv", "code,annual_plan,done,round_target\n"
                     "BPTT_DCTC,100,0,10\nBPTT_CAY,5,0,1\nBPTT_DCTC,200,0,20\n")
    with pytest.raises(InputError, match="dòng 2 và dòng 4"):
        read_targets(path, catalogue(), [])


def test_a_unit_name_with_control_characters_never_reaches_the_xml():
    from xladdin.engine.units import Unit

    with pytest.raises(UnitError, match="U\\+000B"):
        Unit("A", "Xã\x0bMột")


def test_more_children_than_excel_has_columns_is_refused(tmp_path):
    from xladdin.engine.model import Meta, Plan, PlanRow
    from xladdin.engine.units import Unit
    from xladdin.writer.plan import write_plan

    children = tuple(Unit(f"K{n}", f"KP {n}", "T", weight=1) for n in range(16_400))
    plan = Plan(Meta("plan", "T", "Thử", year=2026, round=1, created_at="x"), children,
                (PlanRow("BPTT_DCTC", "DCTC", "người", 100, 0, 10),))
    with pytest.raises(InputError, match="số cột Excel"):
        write_plan(plan, tmp_path / "p.xlsx")
    assert not (tmp_path / "p.xlsx").exists()


def test_a_plan_listing_a_unit_twice_is_an_error_with_both_rows(tmp_path):
    from xladdin.engine.model import Meta, Plan, PlanRow
    from xladdin.engine.units import Unit
    from xladdin.writer.plan import write_plan

    children = (Unit("A", "An", "T", weight=1), Unit("B", "Bình", "T", weight=1))
    plan = Plan(Meta("plan", "T", "Thử", year=2026, round=1, created_at="x"), children,
                (PlanRow("BPTT_DCTC", "DCTC", "người", 100, 0, 10),))
    path = write_plan(plan, tmp_path / "p.xlsx")
    data = path.read_bytes()
    parts = hostile.parts_of(data)
    shared = parts["xl/sharedStrings.xml"].decode("utf-8")
    parts["xl/sharedStrings.xml"] = shared.replace("<t>B</t>", "<t>A</t>", 1).encode("utf-8")
    path.write_bytes(hostile.zipped(parts))
    code, out, err = cli("validate", str(path), "--json")
    issues = [i for i in json.loads(out)["issues"] if i["rule"] == "duplicate-unit"]
    assert code == 1 and issues and "dòng" in issues[0]["message"]


def test_a_form_whose_code_names_another_unit_is_refused_naming_both(tmp_path):
    plan_path, plan = hostile.make_plan(tmp_path, 3)
    forms = hostile.write_filled_forms(plan, tmp_path / "made")
    box = tmp_path / "inbox"
    data = forms["U02"].read_bytes()
    # a copy of U02's form, code and title changed to U03, the name left as U02's
    data = hostile.with_meta(data, 3, "U03")
    parts = hostile.parts_of(data)
    shared = parts["xl/sharedStrings.xml"].decode("utf-8").replace("(mã U02)", "(mã U03)")
    parts["xl/sharedStrings.xml"] = shared.encode("utf-8")
    hostile.write(box / "U03.xlsx", hostile.zipped(parts))
    hostile.write(box / "U01.xlsx", forms["U01"].read_bytes())
    code, out, err = cli("consolidate", str(box), "--plan", str(plan_path), "--out",
                         str(tmp_path / "s.xlsx"), "--json", str(tmp_path / "r.json"))
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    mismatch = [i for i in report["issues"] if i["rule"] == "unit-mismatch"]
    assert code == 1 and mismatch
    assert "Xã Thử 02" in mismatch[0]["message"] and "Xã Thử 03" in mismatch[0]["message"]
    assert report["counted"] == ["U01"]


@pytest.mark.parametrize(("formula", "value"), [
    ("12+30", 42), ("SUM(A1:A3)", 6), ("A1*(A2+A3)", 5), ("-A1+10/2", 4), ("SUM(A1,A2,7)", 10),
    ("VLOOKUP(1,B:C,2)", None), ("A1&A2", None), ("'Other'!A1", None),
])
def test_simple_typed_formulas_are_computed_exactly(formula, value):
    cells = {(0, 0): 1, (1, 0): 2, (2, 0): 3}
    assert evaluate(formula, lambda r, c: cells.get((r, c))) == value


def test_a_typed_formula_whose_cached_value_lies_is_an_error(tmp_path):
    _, plan = hostile.make_plan(tmp_path, 1)
    data = hostile.write_filled_forms(plan, tmp_path / "f")["U01"].read_bytes()
    cell = hostile.result_cell(data, 0)
    lying = hostile.with_sheet_xml(data, cell, '<c r="E9"><f>20+30</f><v>999</v></c>')
    honest = hostile.with_sheet_xml(data, cell, '<c r="E9"><f>20+30</f><v>50</v></c>')
    opaque = hostile.with_sheet_xml(data, cell, '<c r="E9"><f>VLOOKUP(1,X:Y,2)</f><v>50</v></c>')
    rules = {}
    for name, content in (("lying", lying), ("honest", honest), ("opaque", opaque)):
        path = hostile.write(tmp_path / f"{name}.xlsx", content)
        code, out, _ = cli("validate", str(path), "--json")
        rules[name] = (code, {i["rule"] for i in json.loads(out)["issues"]})
    assert rules["lying"] == (1, {"stale-formula-value"})
    assert rules["honest"] == (0, set())
    assert rules["opaque"] == (0, {"formula-in-input"})


@pytest.mark.parametrize("typed", ["1.000%", "2.500%"])
def test_a_percentage_with_a_thousands_dot_is_refused_not_read_as_thousands(tmp_path, typed):
    from xladdin.bundled import catalogue

    path = write_csv(
        tmp_path, "t.csv", f"code,annual_plan,done,round_target\nBPTT_DCTC,1000,0,{typed}\n"
    )
    with pytest.raises(InputError, match="không rõ"):
        read_targets(path, catalogue(), [])
    assert parse_number("0.125").value == Fraction(1, 8)  # a leading 0 is never a thousands group


@pytest.mark.parametrize("formula", ["1/0", "1E+300*1E+300", "*".join(["123456789012"] * 2000)])
def test_a_typed_formula_that_gives_an_excel_error_is_an_error_whatever_its_cache(
    tmp_path, formula
):
    _, plan = hostile.make_plan(tmp_path, 1)
    data = hostile.write_filled_forms(plan, tmp_path / "f")["U01"].read_bytes()
    cell = hostile.result_cell(data, 0)
    path = hostile.write(tmp_path / "f.xlsx", hostile.with_sheet_xml(
        data, cell, f'<c r="E9"><f>{formula}</f><v>161</v></c>'))
    code, out, _ = cli("validate", str(path), "--json")
    assert (code, {i["rule"] for i in json.loads(out)["issues"]}) == (1, {"stale-formula-value"})


def test_one_form_with_100000_junk_rows_inside_its_table_cannot_flood_the_report(tmp_path):
    _, plan = hostile.make_plan(tmp_path, 1)
    data = hostile.write_filled_forms(plan, tmp_path / "f")["U01"].read_bytes()
    rows = "".join(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>JUNK{r}</t></is></c></row>'
                   for r in range(20, 20_020))
    data = hostile.with_sheet_xml(data, "</sheetData>", rows + "</sheetData>")
    parts = hostile.parts_of(data)
    table = parts["xl/tables/table1.xml"].decode("utf-8")
    ref = table.split('ref="', 1)[1].split('"', 1)[0]
    parts["xl/tables/table1.xml"] = table.replace(ref, ref.split(":")[0] + ":G20019").encode(
        "utf-8"
    )
    path = hostile.write(tmp_path / "junk.xlsx", hostile.zipped(parts))
    code, out, _ = cli("validate", str(path), "--json")
    issues = json.loads(out)["issues"]
    assert code == 0 and len(issues) <= 25
    assert any("chỗ khác cùng loại" in i["message"] for i in issues)


def test_a_number_typed_over_the_total_row_is_named(tmp_path):
    _, plan = hostile.make_plan(tmp_path, 1)
    data = hostile.write_filled_forms(plan, tmp_path / "f")["U01"].read_bytes()
    cell = hostile.result_cell(data, 4)  # BPTT_LAMSANG, the total of the four rows
    path = hostile.write(tmp_path / "f.xlsx", hostile.with_sheet_xml(
        data, cell, '<c r="E13"><v>9999</v></c>'))
    code, out, _ = cli("validate", str(path), "--json")
    issues = [i for i in json.loads(out)["issues"] if i["rule"] == "total-overwritten"]
    assert issues and issues[0]["cell"] == "E13" and "9999" in issues[0]["message"]


def test_an_indicator_code_typed_under_the_table_is_named(tmp_path):
    _, plan = hostile.make_plan(tmp_path, 1)
    data = hostile.write_filled_forms(plan, tmp_path / "f")["U01"].read_bytes()
    below = ('<row r="16"><c r="A16" t="inlineStr"><is><t>BPTT_DCTC</t></is></c>'
             '<c r="E16"><v>500</v></c></row>')
    text = hostile.parts_of(data)[hostile.SHEET].decode("utf-8")
    start = text.index('<row r="16"') if '<row r="16"' in text else None
    if start is not None:  # the form's own row 16 (signature block): put ours in column A only
        end = text.index("</row>", start) + 6
        data = hostile.with_sheet_xml(data, text[start:end], below)
    else:
        data = hostile.with_sheet_xml(data, '<row r="17"', below + '<row r="17"')
    path = hostile.write(tmp_path / "f.xlsx", data)
    code, out, _ = cli("validate", str(path), "--json")
    issues = [i for i in json.loads(out)["issues"] if i["rule"] == "row-below-table"]
    assert issues and issues[0]["cell"] == "A16"


def test_an_indicator_the_plan_does_not_have_is_named_not_silently_dropped(tmp_path):
    from dataclasses import replace

    from xladdin.writer.plan import write_plan

    _, plan = hostile.make_plan(tmp_path, 2)
    forms = hostile.write_filled_forms(plan, tmp_path / "inbox")
    smaller = replace(plan, rows=tuple(r for r in plan.rows if r.code in ("BPTT_DCTC", "BPTT_CAY")))
    plan_path = write_plan(smaller, tmp_path / "smaller.xlsx")
    code, out, err = cli("consolidate", str(tmp_path / "inbox"), "--plan", str(plan_path), "--out",
                         str(tmp_path / "s.xlsx"), "--json", str(tmp_path / "r.json"))
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    extra = {
        (i["file"], i["message"].split()[6])
        for i in report["issues"]
        if i["rule"] == "row-not-in-plan"
    }
    assert {code for _, code in extra} >= {"BPTT_TIEM", "BPTT_TRIETSAN"}
    assert len({f for f, _ in extra}) == len(forms)


@pytest.mark.parametrize("header", ["Chỉ tiêu đợt", "Đã thực hiện"])
def test_a_renamed_plan_header_is_a_named_error_not_a_crash(tmp_path, header):
    from xladdin.engine.model import Meta, Plan, PlanRow
    from xladdin.engine.units import Unit
    from xladdin.writer.plan import write_plan

    plan = Plan(
        Meta("plan", "T", "Thử", year=2026, round=1, created_at="x"),
        (Unit("A", "An", "T", weight=1),),
        (PlanRow("BPTT_DCTC", "DCTC", "người", 100, 0, 10),),
    )
    path = write_plan(plan, tmp_path / "p.xlsx")
    parts = hostile.parts_of(path.read_bytes())
    for name in [n for n in parts if n.startswith("xl/tables/") or n == "xl/sharedStrings.xml"]:
        parts[name] = parts[name].decode("utf-8").replace(f'"{header}"', '"CT dot"').replace(
            f">{header}<", ">CT dot<").encode("utf-8")
    path.write_bytes(hostile.zipped(parts))
    code, out, _ = cli("validate", str(path), "--json")
    rules = {i["rule"] for i in json.loads(out)["issues"]}
    assert code == 1 and "column-missing" in rules and "unexpected" not in rules
