"""A whole hostile inbox consolidated at once (issue 10): every class of broken or
malicious file beside good forms.  Consolidation finishes, names every bad file, counts
every good form exactly (totals computed here, independently), leaves every input byte
identical and stays under 500 MB of memory (measured in a subprocess).

The corpus is made by code (tests/hostile.py), never committed as binaries.
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

import hostile
from hostile import CODES, results_of

N_UNITS = 32
GOOD = [f"U{n:02d}" for n in range(1, 21)]  # counted, whatever else their file carries
PEAK_BYTES = 500 * 1024 * 1024


def digest(folder: Path) -> dict[bytes, str]:
    found = {}
    for root, _dirs, names in os.walk(os.fsencode(folder)):
        for name in names:
            path = os.path.join(root, name)
            if os.path.isfile(path) and not os.path.islink(path):
                with open(path, "rb") as handle:
                    found[path] = hashlib.sha256(handle.read()).hexdigest()
    return found


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    plan_path, plan = hostile.make_plan(root, N_UNITS)
    made = hostile.write_filled_forms(plan, root / "made")
    box = root / "inbox"
    (box / "nested").mkdir(parents=True)
    data = {code: path.read_bytes() for code, path in made.items()}
    bad: dict[str, str] = {}  # file name → the class it stands for

    def put(name: str, content: bytes, what: str | None = None) -> Path:
        if what:
            bad[name] = what
        return hostile.write(box / name, content)

    # good forms, some carrying harmless oddities (they must still be counted exactly)
    for code in GOOD:
        content = data[code]
        if code == "U02":
            content = hostile.with_far_cell(content)
        elif code == "U03":
            content = hostile.junk_rows(content, 100_000)
        elif code == "U04":
            content = _note(content, '=HYPERLINK("http://x.invalid","bấm")', "+cmd|' /C calc'!A0")
        elif code == "U05":
            content = _note(content, "rất dài " * 3000, "=1+1")
        if code == "U07":
            with open(os.path.join(os.fsencode(box), b"U07-\xff\xfe.xlsx"), "wb") as handle:
                handle.write(content)
            continue
        put(f"nested/{code}.xlsx" if code == "U06" else f"{code}.xlsx", content)

    # one bad file per class, each standing for a unit that is then not counted
    u = {code: data[code] for code in data}
    put("U21.xlsx", hostile.with_error_value(u["U21"], "#SPILL!"), "error value")
    put(
        "U22.xlsx", hostile.with_sheet_xml(u["U22"], "</sheetData>", "</sheetDta>"), "malformed XML"
    )
    put("U23.xlsx", hostile.with_meta(u["U23"], 6, "2023abc"), "garbled year")
    put("U24.xlsx", hostile.with_meta(u["U24"], 2, "99"), "template version")
    put("U25.xlsx", hostile.with_meta(u["U25"], 6, "2025"), "other year")
    put("U26.xlsx", hostile.with_meta(u["U26"], 7, "3"), "other round")
    put("U27-copy.xlsx", hostile.with_meta(u["U27"], 3, "U01"), "other unit (copied)")
    put(
        "U28.xlsx",
        hostile.with_error_value(u["U28"], "#BLOCKED!", part=hostile.META),
        "error in _meta",
    )
    put(
        "U29.xlsx",
        hostile.with_sheet_xml(
            u["U29"],
            "<sheetData>",
            '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&x;</t></is></c></row>',
        ),
        "undefined entity",
    )
    put("U30.xlsx", hostile.with_meta(u["U30"], 5, ""), "blank parent")
    huge = '<c r="E9" t="inlineStr"><is><t>' + "9" * 4300 + "</t></is></c>"
    put("U31.xlsx", hostile.with_sheet_xml(u["U31"], hostile.result_cell(u["U31"], 0), huge),
        "4,300-digit number")
    put("U32.xlsx", hostile.with_sheet_xml(u["U32"], hostile.result_cell(u["U32"], 0),
                                           '<c r="E9"><v>1e400</v></c>'), "number out of range")
    put("bomb.xlsx", hostile.entity_bomb(u["U21"]), "entity bomb")
    put("xxe.xlsx", hostile.xxe(u["U21"]), "XXE")
    put("zipbomb.xlsx", hostile.zip_bomb(), "zip bomb")
    put("encrypted.xlsx", hostile.ole_file(), "OLE/encrypted")
    put("old.xls", hostile.ole_file(), ".xls")
    put("random.xlsx", hostile.random_bytes(7, 20_000), "random bytes")
    put("empty.xlsx", b"", "empty")
    put("truncated.xlsx", u["U22"][: len(u["U22"]) // 3], "truncated")
    put("no-table.xlsx", _without_table(u["U23"]), "missing table")
    put("far-row.xlsx", hostile.with_sheet_xml(u["U24"], "</sheetData>", '<row r="5"><c r="A9'
                                               + "9" * 4300 + '"><v>1</v></c></row></sheetData>'),
        "4,300-digit cell reference")
    put(".~xladdin-left-by-a-killed-run.xlsx", b"half written")  # passed over in silence
    put("~$U01.xlsx", b"lock")  # Excel's lock file: passed over in silence
    fifo = hostile.make_fifo(box / "pipe.xlsx")
    if fifo is not None:
        bad["pipe.xlsx"] = "FIFO"
    (box / "dangling.xlsx").symlink_to(box / "gone.xlsx")
    bad["dangling.xlsx"] = "dangling symlink"
    (box / "loop.xlsx").symlink_to(box / "loop.xlsx")
    bad["loop.xlsx"] = "symlink loop"
    if os.path.exists("/dev/null"):
        (box / "device.xlsx").symlink_to("/dev/null")
        bad["device.xlsx"] = "device"
    (box / "linked-folder").symlink_to(root / "made", target_is_directory=True)
    bad["linked-folder"] = "symlinked folder (not followed, but named)"
    return root, plan_path, box, bad


def _note(data: bytes, first: str, second: str) -> bytes:
    """Ghi chú of the first two indicators (column G) typed as text."""
    from xml.sax.saxutils import escape

    for row, text in ((9, first), (10, second)):
        sheet = hostile.parts_of(data)[hostile.SHEET].decode("utf-8")
        start = sheet.index(f'<c r="G{row}"')
        end = sheet.index(">", start) + 1
        cell = sheet[start:end]
        if cell.endswith("/>"):
            replaced = cell[:-2].replace(f'<c r="G{row}"', f'<c r="G{row}" t="inlineStr"', 1) + \
                f"><is><t>{escape(text)}</t></is></c>"
        else:
            raise AssertionError(cell)
        data = hostile.edit_part(data, hostile.SHEET, cell, replaced)
    return data


def _without_table(data: bytes) -> bytes:
    """No Table, and the headers renamed: a sheet with no table of ours."""
    parts = hostile.parts_of(data)
    for name in [n for n in parts if n.startswith("xl/tables/") or n.endswith("sheet1.xml.rels")]:
        del parts[name]
    shared = parts["xl/sharedStrings.xml"].decode("utf-8")
    parts["xl/sharedStrings.xml"] = shared.replace("<t>Kết quả</t>", "<t>Số liệu</t>").encode(
        "utf-8"
    )
    return hostile.zipped(parts)


MEASURE = """
import resource, subprocess, sys
done = subprocess.run(sys.argv[1:], capture_output=True, text=True, timeout=300)
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
print(done.returncode, peak)
sys.stdout.write(done.stdout[-2000:] + done.stderr[-2000:])
"""


def test_a_hostile_inbox_is_consolidated_every_bad_file_named_every_good_form_counted(corpus):
    root, plan_path, box, bad = corpus
    before = digest(root)
    out, report_path = root / "summary.xlsx", root / "report.json"
    command = [
        sys.executable,
        "-c",
        MEASURE,
        sys.executable,
        "-m",
        "xladdin",
        "consolidate",
        str(box),
        "--plan",
        str(plan_path),
        "--out",
        str(out),
        "--json",
        str(report_path),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    status, peak = (int(x) for x in done.stdout.split("\n", 1)[0].split())
    output = done.stdout + done.stderr
    assert "Traceback" not in output
    assert status == 1, output  # bad files: the officer must act
    assert peak < PEAK_BYTES, f"peak memory {peak / 2**20:.0f} MB"
    report = json.loads(report_path.read_text(encoding="utf-8"))

    # every good form counted exactly, the totals computed here
    assert sorted(report["counted"]) == GOOD
    index = {
        code: n for n, code in enumerate([f"U{n:02d}" for n in range(1, N_UNITS + 1)], start=1)
    }
    for code in CODES:
        assert report["totals"][code]["result"] == sum(results_of(index[u])[code] for u in GOOD), (
            code
        )
    assert report["totals"]["BPTT_LAMSANG"]["result"] == sum(
        sum(results_of(index[u]).values()) for u in GOOD)
    for unit in GOOD:
        assert report["by_unit"][unit] == {**results_of(index[unit]),
                                           "BPTT_LAMSANG": sum(results_of(index[unit]).values())}

    # every bad file named in an issue; nothing passed over but lock and temp files
    named = {Path(i["file"]).name for i in report["issues"] if i["file"]}
    assert set(bad) <= named, set(bad) - named
    assert ".~xladdin-left-by-a-killed-run.xlsx" not in named and "~$U01.xlsx" not in named
    rules = {(Path(i["file"]).name, i["rule"]) for i in report["issues"] if i["file"]}
    assert ("U02.xlsx", "far-cells") in rules
    assert ("U27-copy.xlsx", "identity-mismatch") in rules
    assert ("U23.xlsx", "meta-garbled") in rules and ("U24.xlsx", "template-version") in rules
    assert ("U31.xlsx", "too-large") in rules and ("U32.xlsx", "not-a-number") in rules
    assert any(name.startswith("U07-") and rule == "file-name" for name, rule in rules)
    assert all(i["message"] for i in report["issues"])

    # no input byte changed; the summary holds the officer's notes as text, not formulas
    after = digest(root)
    assert {p: h for p, h in after.items() if p in before} == before
    from xladdin.grid.calamine_grid import open_workbook

    summary = open_workbook(out)
    try:
        formulas = [
            f for name in summary.sheet_names for f in summary._scans[name].formulas.values()
        ]
    finally:
        summary.close()
    assert not [f for f in formulas if "HYPERLINK" in f.upper() or "cmd" in f]


def test_the_run_goes_on_after_a_file_that_takes_too_long(tmp_path):
    """A judge that never ends is given up (timeout) and named; the caller goes on."""
    from xladdin.errors import WorkbookError
    from xladdin.reader.guard import judge_file

    _, plan = hostile.make_plan(tmp_path, 1)
    form = hostile.write_filled_forms(plan, tmp_path / "f")["U01"]

    def forever(_grid):
        while True:
            pass

    with pytest.raises(WorkbookError) as caught:
        judge_file(form, forever, seconds=0.5)
    assert caught.value.rule == "timeout" and "quá" in caught.value.message
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss > 0
