"""One received file at a time, as a hostile or careless sender makes it: every case is
an issue on that file with a Vietnamese message, never a traceback, a hang or a crash;
``validate --json`` always prints JSON (tests/hostile.py makes the files)."""

from __future__ import annotations

import contextlib
import io
import json
import os
import stat
import zipfile
from pathlib import Path

import pytest
from xladdin.cli import main
from xladdin.crash import crash_log
from xladdin.engine.values import ERROR_CODES
from xladdin.errors import UsageError
from xladdin.writer.save import atomic_write_text, refuse_clobbering

import hostile


def cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> bytes:
    root = tmp_path_factory.mktemp("good")
    _, plan = hostile.make_plan(root, 2)
    return hostile.write_filled_forms(plan, root / "forms")["U01"].read_bytes()


def validate_json(path: Path) -> tuple[int, dict]:
    code, out, err = cli("validate", str(path), "--json")
    assert "Traceback" not in out + err
    return code, json.loads(out)


def only_rules(report: dict) -> set[str]:
    return {i["rule"] for i in report["issues"]}


@pytest.mark.parametrize("code", ERROR_CODES)
def test_every_excel_error_value_is_an_error_on_its_cell(good, tmp_path, code):
    path = hostile.write(tmp_path / "f.xlsx", hostile.with_error_value(good, code))
    status, report = validate_json(path)
    assert status == 1
    issue = next(i for i in report["issues"] if i["cell"] == "E9")
    assert issue["severity"] == "error" and code in issue["message"]


@pytest.mark.parametrize("cell", ['<c r="E9" s="10"  t="e"><v>#N/A</v></c>',
                                  '<c r="E9" t="e" s="10"><v>#N/A</v></c>',
                                  '<c r="E9"\ns="10"\tt="e"><v>#N/A</v></c>'])
def test_an_error_value_however_its_attributes_are_spaced_is_an_error_on_its_cell(
        good, tmp_path, cell):
    """Attributes in another order or spacing (valid XML) never turn an error into a blank
    (a blank Kết quả is counted as 0)."""
    path = hostile.write(tmp_path / "f.xlsx",
                         hostile.with_sheet_xml(good, hostile.result_cell(good, 0), cell))
    status, report = validate_json(path)
    assert status == 1
    issue = next(i for i in report["issues"] if i["cell"] == "E9")
    assert issue["rule"] == "excel-error" and "#N/A" in issue["message"]


@pytest.mark.parametrize("code", ["#SPILL!", "#BLOCKED!", "#WHATEVER!"])
def test_an_error_value_in_meta_is_an_error_not_a_crash(good, tmp_path, code):
    path = hostile.write(
        tmp_path / "f.xlsx", hostile.with_error_value(good, code, part=hostile.META)
    )
    status, report = validate_json(path)
    assert status == 1 and report["issues"]


@pytest.mark.parametrize(
    "case, rule",
    [
        ("malformed", "corrupt"),
        ("entity", "corrupt"),
        ("bomb", "corrupt"),
        ("xxe", "corrupt"),
        ("zipbomb", "oversized"),
        ("random", "not-a-workbook"),
        ("empty", "empty"),
        ("truncated", "corrupt"),
        ("ole", "encrypted"),
        ("bad-ref", "corrupt"),
    ],
)
def test_broken_and_malicious_files_are_named_errors(good, tmp_path, case, rule):
    data = {
        "malformed": lambda: hostile.with_sheet_xml(good, "</sheetData>", "</sheetDta>"),
        "entity": lambda: hostile.with_sheet_xml(
            good,
            "<sheetData>",
            '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&x;</t></is></c></row>',
        ),
        "bomb": lambda: hostile.entity_bomb(good),
        "xxe": lambda: hostile.xxe(good),
        "zipbomb": hostile.zip_bomb,
        "random": lambda: hostile.random_bytes(1, 5000),
        "empty": lambda: b"",
        "truncated": lambda: good[: len(good) // 2],
        "ole": hostile.ole_file,
        "bad-ref": lambda: hostile.with_sheet_xml(
            good,
            "</sheetData>",
            '<row r="5"><c r="A9' + "9" * 4300 + '"><v>1</v></c></row></sheetData>',
        ),
    }[case]()
    path = hostile.write(tmp_path / f"{case}.xlsx", data)
    status, report = validate_json(path)
    assert status == 1
    assert rule in only_rules(report), report
    assert all(i["message"] and i["severity"] == "error" for i in report["issues"])


def test_a_cell_far_outside_the_table_is_left_out_with_a_warning_in_bounded_memory(good, tmp_path):
    path = hostile.write(tmp_path / "far.xlsx", hostile.with_far_cell(good))
    status, report = validate_json(path)
    far = [i for i in report["issues"] if i["rule"] == "far-cells"]
    assert far and far[0]["severity"] == "warning" and "XFD1048576" in far[0]["message"]
    assert status == 0  # the form itself is fine


def test_a_fifo_is_refused_without_hanging(tmp_path):
    fifo = hostile.make_fifo(tmp_path / "pipe.xlsx")
    if fifo is None:
        pytest.skip("no FIFOs here")
    status, report = validate_json(fifo)
    assert status == 1 and only_rules(report) == {"not-a-file"}


def test_dangling_symlinks_loops_and_missing_files_still_print_json(tmp_path):
    (tmp_path / "dangling.xlsx").symlink_to(tmp_path / "nowhere.xlsx")
    (tmp_path / "loop.xlsx").symlink_to(tmp_path / "loop.xlsx")
    for name in ("dangling.xlsx", "loop.xlsx", "missing.xlsx"):
        status, report = validate_json(tmp_path / name)
        assert status == 1 and report["issues"][0]["rule"] == "unreadable"
        assert report["issues"][0]["message"]


def test_no_output_may_be_or_resolve_to_an_input_or_another_output(tmp_path):
    form = hostile.write(tmp_path / "form.xlsx", b"x")
    (tmp_path / "link.xlsx").symlink_to(form)
    os.link(form, tmp_path / "hard.xlsx")
    for out in (
        form,
        tmp_path / "link.xlsx",
        tmp_path / "hard.xlsx",
        tmp_path / "sub" / ".." / "form.xlsx",
    ):
        with pytest.raises(UsageError):
            refuse_clobbering([form], [out])
    with pytest.raises(UsageError):
        refuse_clobbering([], [tmp_path / "a.json", tmp_path / "a.json"])
    refuse_clobbering([form], [tmp_path / "other.xlsx", tmp_path / "other.json"])
    assert form.read_bytes() == b"x"


def test_atomic_writes_honour_the_umask_and_keep_an_old_files_mode(tmp_path):
    old = os.umask(0o022)
    try:
        made = atomic_write_text(tmp_path / "new.json", "{}")
        assert stat.S_IMODE(made.stat().st_mode) == 0o644
        os.chmod(made, 0o640)
        atomic_write_text(made, "[]")
        assert stat.S_IMODE(made.stat().st_mode) == 0o640 and made.read_text() == "[]"
    finally:
        os.umask(old)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".~xladdin-")]


def test_an_over_long_output_name_is_a_clear_error_and_the_old_file_stays(tmp_path):
    code, out, err = cli("split", "10", "--weights", "1,1")
    assert code == 0
    too_long = tmp_path / ("x" * 300 + ".json")
    from xladdin.errors import OutputError

    with pytest.raises(OutputError) as caught:
        atomic_write_text(too_long, "{}")
    assert "quá dài" in caught.value.message
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".~xladdin-")]


def test_crash_logs_are_new_private_files_never_a_fixed_name(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    first, second = crash_log("one"), crash_log("two")
    assert first != second and first.read_text() == "one"
    assert stat.S_IMODE(first.stat().st_mode) == 0o600
    assert stat.S_IMODE(first.parent.stat().st_mode) == 0o700


def test_a_full_disk_is_a_clear_error_and_the_old_output_stays(tmp_path):
    import errno

    from xladdin.errors import OutputError
    from xladdin.writer.save import atomic_write

    old = atomic_write_text(tmp_path / "summary.json", "old")

    def full(tmp: Path) -> None:
        tmp.write_bytes(b"half")
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(OutputError) as caught:
        atomic_write(old, full)
    assert "đầy" in caught.value.message
    assert old.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["summary.json"]


def test_consolidate_refuses_outputs_that_are_inputs_before_reading_anything(tmp_path):
    plan_path, plan = hostile.make_plan(tmp_path, 2)
    forms = hostile.write_filled_forms(plan, tmp_path / "inbox")
    before = {p: p.read_bytes() for p in [plan_path, *forms.values()]}
    (tmp_path / "link.xlsx").symlink_to(forms["U01"])
    (tmp_path / "same.json").symlink_to(tmp_path / "s.xlsx")  # --json resolves to --out
    (tmp_path / "form.json").symlink_to(forms["U02"])  # --json resolves to a form
    for out, json_out in ((forms["U01"], None), (tmp_path / "link.xlsx", None), (plan_path, None),
                          (tmp_path / "s.xlsx", tmp_path / "same.json"),
                          (tmp_path / "s.xlsx", tmp_path / "form.json")):
        args = ["consolidate", str(tmp_path / "inbox"), "--plan", str(plan_path), "--out", str(out)]
        code, _, err = cli(*args, *(["--json", str(json_out)] if json_out else []))
        assert code == 2 and "Traceback" not in err, (out, json_out, err)
    assert {p: p.read_bytes() for p in before} == before


def test_a_file_name_that_is_not_utf8_is_shown_with_its_bytes_escaped(good, tmp_path):
    name = os.path.join(os.fsencode(tmp_path), b"bao-cao-\xff.xlsx")
    with open(name, "wb") as handle:
        handle.write(good)
    status, report = validate_json(Path(os.fsdecode(name)))
    assert status == 0 and report["file"].endswith("bao-cao-\\xff.xlsx")
    json.dumps(report, ensure_ascii=False).encode("utf-8")  # printable, writable anywhere


def test_a_table_claiming_every_row_of_the_sheet_is_read_to_its_last_cell(good, tmp_path):
    parts = hostile.parts_of(good)
    table = parts["xl/tables/table1.xml"].decode("utf-8")
    ref = table.split('ref="', 1)[1].split('"', 1)[0]
    tall = f'ref="{ref.split(":")[0]}:G1048576"'
    parts["xl/tables/table1.xml"] = table.replace(f'ref="{ref}"', tall).encode("utf-8")
    path = hostile.write(tmp_path / "tall.xlsx", hostile.zipped(parts))
    from xladdin.grid.calamine_grid import open_workbook

    grid = open_workbook(path)
    try:
        assert grid.table("BaoCao").last_row < 100
    finally:
        grid.close()
    status, report = validate_json(path)
    assert status == 0, report


@pytest.mark.parametrize("twice", ['<c r="E9"><v>5</v></c><c r="E9"><v>500</v></c>',
                                   '<c r="F9"><v>5</v></c><c r="E9"><v>500</v></c>'])
def test_a_cell_given_twice_is_a_corrupt_file_not_a_silent_choice(good, tmp_path, twice):
    path = hostile.write(tmp_path / "twice.xlsx",
                         hostile.with_sheet_xml(good, hostile.result_cell(good, 0), twice))
    status, report = validate_json(path)
    assert (
        status == 1 and only_rules(report) == {"corrupt"} and "E9" in report["issues"][0]["message"]
    )


@pytest.mark.parametrize("value", ["<v>4&#50;</v>", "<v>&#52;2</v>", "<v><![CDATA[42]]></v>",
                                   "<v>4&amp;</v>"])
def test_a_number_written_with_a_character_reference_or_cdata_is_an_error_on_its_cell(
        good, tmp_path, value):
    """Valid XML Excel never writes: LibreOffice shows 42, calamine reads 4 or a blank
    (then counted as 0); never a number read wrong, always an error naming the cell."""
    path = hostile.write(tmp_path / "ref.xlsx", hostile.with_sheet_xml(
        good, hostile.result_cell(good, 0), f'<c r="E9" s="10">{value}</c>'))
    status, report = validate_json(path)
    assert status == 1 and only_rules(report) == {"corrupt"}, report
    assert report["issues"][0]["cell"] == "E9" and "E9" in report["issues"][0]["message"]


def test_a_part_given_twice_in_the_zip_is_a_corrupt_file(good, tmp_path):
    """Two copies of the sheet, the second with other numbers: which one a program reads
    is luck (LibreOffice shows the second, Excel calls the file damaged)."""
    parts = hostile.parts_of(good)
    second = parts[hostile.SHEET].replace(b"<v>", b"<v>9")
    buffer = io.BytesIO(hostile.zipped(parts))
    with zipfile.ZipFile(buffer, "a") as archive, pytest.warns(UserWarning):
        archive.writestr(hostile.SHEET, second)
    path = hostile.write(tmp_path / "twice.xlsx", buffer.getvalue())
    status, report = validate_json(path)
    assert status == 1 and only_rules(report) == {"corrupt"}, report


def test_a_fifo_named_csv_is_refused_without_hanging(tmp_path):
    import subprocess
    import sys

    fifo = hostile.make_fifo(tmp_path / "children.csv")
    if fifo is None:
        pytest.skip("no FIFOs here")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "xladdin",
            "new-plan",
            "--unit-code",
            "T",
            "--unit-name",
            "Thử",
            "--year",
            "2024",
            "--parent-code",
            "P",
            "--children",
            str(fifo),
            "--out",
            str(tmp_path / "p.xlsx"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr and done.stderr.strip()
    assert not (tmp_path / "p.xlsx").exists()


def test_forms_never_overwrite_a_returned_filled_form(tmp_path):
    plan_path, plan = hostile.make_plan(tmp_path, 2)
    assert cli("forms", str(plan_path), "--out", str(tmp_path / "forms"))[0] == 0
    filled = hostile.write_filled_forms(plan, tmp_path / "filled")
    for blank in (tmp_path / "forms").iterdir():  # as the officers sent them back
        blank.write_bytes(filled[blank.name.split("_")[0]].read_bytes())
    before = {p: p.read_bytes() for p in (tmp_path / "forms").iterdir()}
    code, _, err = cli("forms", str(plan_path), "--out", str(tmp_path / "forms"))
    assert code == 2 and "không ghi đè" in err
    assert {p: p.read_bytes() for p in before} == before
    code, _, _ = cli("forms", str(plan_path), "--out", str(tmp_path / "new"))
    assert code == 0
    code, _, _ = cli("forms", str(plan_path), "--out", str(tmp_path / "new"))  # blank forms: remade
    assert code == 0
