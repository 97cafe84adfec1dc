"""A plain workbook read from its parts in one pass (grid/plain_book.py) reads exactly as
calamine reads it: every sheet, value (type included), formula, Table and notice, on the
demo's workbooks and on forms edited the ways officers' programs and hostile senders
edit them.  Whatever the one-pass reader cannot prove plain goes to calamine: an edit it
cannot read exactly must never be read differently."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from xladdin.demo import run_demo
from xladdin.errors import WorkbookError
from xladdin.grid.calamine_grid import open_workbook
from xladdin.grid.package import FileBytes, Package
from xladdin.grid.sheet_cells import sheet_cells
from xladdin.grid.sheet_xml import scan_cells, scan_sheet_streamed, sheet_parts, sheet_tables

import hostile


def reading(path: Path, plain: bool):
    """Everything a reader can see of a workbook, or the error opening it gives."""
    try:
        grid = open_workbook(path, plain=plain)
    except WorkbookError as error:
        return ("error", error.rule, error.message), None
    with grid:
        sheets = {}
        for name in grid.sheet_names:
            try:
                sheet = grid.sheet(name)
            except WorkbookError as error:
                sheets[name] = ("error", error.rule, error.message)
                continue
            cells = [[(type(v).__name__, v) for v in sheet.row_values(r)]
                     for r in range(sheet.n_rows)]
            formulas = {(r, c): sheet.formula(r, c) for r in range(sheet.n_rows + 2)
                        for c in range(sheet.n_cols + 2) if sheet.formula(r, c) is not None}
            sheets[name] = (sheet.hidden, sheet.n_rows, sheet.n_cols, cells, formulas)
        seen = (grid.sheet_names, grid.tables(), sheets, grid.notices)
        return seen, grid._book is None


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> list[Path]:
    out = tmp_path_factory.mktemp("demo")
    run_demo(out)
    return sorted(out.rglob("*.xlsx"))


def test_every_demo_workbook_reads_the_same_in_one_pass(demo):
    read_plain = 0
    for path in demo:
        plain, was_plain = reading(path, plain=True)
        assert plain == reading(path, plain=False)[0], path
        read_plain += bool(was_plain)
    # the forms, plans and summaries xladdin writes are plain: the fast path is taken
    assert read_plain >= len(demo) - 2, f"{read_plain} of {len(demo)} read in one pass"


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> bytes:
    root = tmp_path_factory.mktemp("good")
    _, plan = hostile.make_plan(root, 2)
    return hostile.write_filled_forms(plan, root / "forms")["U01"].read_bytes()


def _row(data: bytes, cells: str) -> bytes:
    return hostile.with_sheet_xml(data, "</sheetData>", f'<row r="30">{cells}</row></sheetData>')


def _styled(data: bytes, number_format: str, code: str | None = None) -> bytes:
    """The first indicator's Kết quả formatted with ``number_format`` (a date, a percent),
    or with a format of its own written ``code``."""
    parts = hostile.parts_of(data)
    styles = parts["xl/styles.xml"].decode("utf-8")
    if code is not None:
        number_format = "200"
        own = f'<numFmt numFmtId="200" formatCode="{code}"/>'
        styles = (styles.replace("</numFmts>", own + "</numFmts>") if "</numFmts>" in styles
                  else styles.replace("<fonts", f'<numFmts count="1">{own}</numFmts><fonts'))
    count = styles.count("<xf ", styles.index("<cellXfs"))
    styles = styles.replace("</cellXfs>", f'<xf numFmtId="{number_format}" fontId="0" fillId="0"'
                            ' borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>')
    parts["xl/styles.xml"] = styles.encode("utf-8")
    data = hostile.zipped(parts)
    cell = hostile.result_cell(data, 0)
    start = cell.index('s="') + 3
    styled = cell[:start] + str(count) + cell[cell.index('"', start):]
    return hostile.with_sheet_xml(data, cell, styled)


def _shared(data: bytes, inner: str) -> bytes:
    """J30 showing a shared string made of ``inner``."""
    parts = hostile.parts_of(data)
    strings = parts["xl/sharedStrings.xml"].decode("utf-8")
    index = strings.count("<si>")
    parts["xl/sharedStrings.xml"] = strings.replace("</sst>", f"<si>{inner}</si></sst>").encode()
    return _row(hostile.zipped(parts), f'<c r="J30" t="s"><v>{index}</v></c>')


EDITS = {
    "as written": lambda d: d,
    "empty formula string": lambda d: _row(d, '<c r="J30" t="str"><f>""</f><v></v></c>'),
    "self-closing value": lambda d: _row(d, '<c r="J30" t="str"><v/></c>'),
    "boolean": lambda d: _row(d, '<c r="J30" t="b"><v>1</v></c>'),
    "inline string": lambda d: _row(
        d, '<c r="J30" t="inlineStr"><is><t> x &amp; y </t></is></c>'),
    "inline string kept": lambda d: _row(
        d, '<c r="J30" t="inlineStr"><is><t xml:space="preserve"> x\n</t></is></c>'),
    "inline string trimmed": lambda d: _row(
        d, '<c r="J30" t="inlineStr"><is><t>&#x20;a&#10;</t></is></c>'),
    "inline string, no-break space": lambda d: _row(
        d, '<c r="J30" t="inlineStr"><is><t>a&#xA0;</t></is></c>'),
    "empty inline string": lambda d: _row(d, '<c r="J30" t="inlineStr"><is><t></t></is></c>'),
    "formula without value": lambda d: _row(d, '<c r="J30"><f>1+1</f></c>'),
    "empty number": lambda d: _row(d, '<c r="J30" t="n"><v></v></c>'),
    "escaped text": lambda d: _row(d, '<c r="J30" t="str"><v>a_x000D_b</v></c>'),
    "huge number": lambda d: _row(d, '<c r="J30"><v>1e400</v></c>'),
    "leading zeros": lambda d: _row(d, '<c r="J30"><v>007</v></c>'),
    "exponent": lambda d: _row(d, '<c r="J30"><v>1.25E-3</v></c>'),
    "ISO date": lambda d: _row(d, '<c r="J30" t="d"><v>2024-01-01</v></c>'),
    "character reference": lambda d: _row(d, '<c r="J30" t="str"><v>&#x80;&#233;&lt;</v></c>'),
    "missing shared string": lambda d: _row(d, '<c r="J30" t="s"><v>99999</v></c>'),
    "5,000-digit string index": lambda d: _row(d, f'<c r="J30" t="s"><v>{"9" * 5000}</v></c>'),
    "5,000-digit style": lambda d: _row(d, f'<c r="J30" s="{"9" * 5000}"><v>1</v></c>'),
    "cell metadata": lambda d: _row(d, '<c r="J30" cm="1"><v>3</v></c>'),
    "error type after two spaces": lambda d: hostile.with_sheet_xml(
        d, hostile.result_cell(d, 0), '<c r="E9" s="10"  t="e"><v>#N/A</v></c>'),
    "type before style": lambda d: hostile.with_sheet_xml(
        d, hostile.result_cell(d, 0), '<c r="E9" t="e" s="10"><v>#N/A</v></c>'),
    "empty error cell": lambda d: hostile.with_sheet_xml(
        d, hostile.result_cell(d, 0), '<c r="E9" s="10" t="e"/>'),
    "attributes reordered": lambda d: _row(d, '<c t="n" r="J30"><v>3</v></c>'),
    "pretty printed": lambda d: _row(d, '<c r="J30">\n  <v>3</v>\n</c>'),
    "shared formula": lambda d: _row(
        d, '<c r="J30"><f t="shared" ref="J30:K30" si="7">1+1</f><v>2</v></c>'
        '<c r="K30"><f t="shared" si="7"/><v>2</v></c>'),
    "self-closing error cell": lambda d: _row(d, '<c r="J30" t="e"/>'),
    "shared string with a reference": lambda d: _shared(d, "<t> a &amp; b&#10;</t>"),
    "shared string kept": lambda d: _shared(d, '<t xml:space="preserve"> a </t>'),
    "shared string, no-break space": lambda d: _shared(d, "<t>\u00a0a</t>"),
    "rich shared string": lambda d: _shared(d, "<r><t>a</t></r><r><rPr><b/></rPr><t>b</t></r>"),
    "error value": lambda d: hostile.with_error_value(d, "#N/A"),
    "unknown error value": lambda d: hostile.with_error_value(d, "#SPILL!"),
    "far cell": lambda d: hostile.with_far_cell(d),
    "junk rows": lambda d: hostile.junk_rows(d, 50),
    "meta as inline string": lambda d: hostile.with_meta(d, 6, "2023abc"),
    "date format": lambda d: _styled(d, "14"),
    "percent format": lambda d: _styled(d, "9"),
    "format with quoted text": lambda d: _styled(
        d, "", '#,##0;&quot;0 (vượt &quot;#,##0&quot;)&quot;;0'),
    "format with a date word": lambda d: _styled(d, "", "&quot;tháng&quot; 0"),
    "elapsed hours": lambda d: _styled(d, "", "[h]"),
    "custom date": lambda d: _styled(d, "", "dd/mm/yyyy"),
    "escaped letters": lambda d: _styled(d, "", "0 \\h_m[Red]"),
    "malformed": lambda d: hostile.with_sheet_xml(d, "</sheetData>", "</sheetDta>"),
    "entity bomb": hostile.entity_bomb,
    "xxe": hostile.xxe,
    "cell twice": lambda d: hostile.with_sheet_xml(
        d, hostile.result_cell(d, 0), hostile.result_cell(d, 0) * 2),
    "bad reference": lambda d: hostile.with_sheet_xml(
        d, hostile.result_cell(d, 0), '<c r="E' + "9" * 4300 + '"><v>1</v></c>'),
    "row past Excel's last": lambda d: _row(d, '<c r="A1048577"><v>1</v></c>'),
    "comment": lambda d: hostile.with_sheet_xml(d, "</sheetData>", "<!-- x --></sheetData>"),
    "prefixed": lambda d: hostile.with_sheet_xml(
        d, "<worksheet ", '<worksheet xmlns:x="http://schemas.openxmlformats.org/'
        'spreadsheetml/2006/main" '),
}


def scans(data: bytes, plain: bool) -> dict:
    """What the scan of every sheet finds (formulas, error cells, the block, what calamine
    must not see), from the plain cells or from the general streaming pass."""
    package = Package(FileBytes(Path("f.xlsx"), data, dt.datetime(2024, 1, 1)))
    found: dict = {}
    for name, part in sheet_parts(package).items():
        tables = sheet_tables(package, name, part)
        try:
            if plain:
                cells = sheet_cells(package.part(part))
                if cells is None:
                    return {"not plain": name}
                scan = scan_cells(package, cells, tables)
            else:
                scan = scan_sheet_streamed(package, part, tables)
        except WorkbookError as error:
            found[name] = (error.rule, error.message)
            continue
        found[name] = (scan.formulas, scan.errors, scan.last_row, scan.last_col, scan.rewrite)
    return found


@pytest.mark.parametrize("edit", list(EDITS))
def test_the_one_pass_scan_finds_what_the_streaming_scan_finds(good, edit):
    """Formulas, error values (an error cell read as a blank would be counted as 0), the
    block of cells: the same from the plain cells as from the general XML pass."""
    try:
        data = EDITS[edit](good)
        plain = scans(data, plain=True)
    except WorkbookError:
        return  # refused before any sheet is scanned (a broken zip, a part twice)
    if "not plain" not in plain:
        assert plain == scans(data, plain=False)


@pytest.mark.parametrize("edit", list(EDITS))
def test_an_edited_form_reads_the_same_in_one_pass_or_goes_to_calamine(good, tmp_path, edit):
    path = hostile.write(tmp_path / "f.xlsx", EDITS[edit](good))
    plain, was_plain = reading(path, plain=True)
    assert plain == reading(path, plain=False)[0]
    if edit == "as written":
        assert was_plain  # the fast path is taken: this test compares something
