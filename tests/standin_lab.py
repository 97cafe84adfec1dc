"""The Excel stand-in's lab for tests/test_scripts_standin.py: the demo's plans and forms
run through the one-click buttons in stages, each stage recalculated by LibreOffice in one
batch, and what the officer then sees (cell values, formulas, «Kiểm tra» rows)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
from xladdin import contract as c

from libreoffice import recalculate
from standin import cell_values, run_script

SCRIPTS = "xladdin.scripts"
PLAN = "Kế hoạch"


class Lab:
    """Runs scripts into ``root/runs`` and recalculates files in batches."""

    def __init__(self, root: Path):
        self.root, self.batches = root, 0
        self.runs: dict[str, object] = {}
        self.shown: dict[str, Path] = {}  # name → recalculated copy

    def run(self, name: str, script: str, source: Path, **options):
        self.runs[name] = run_script(
            SCRIPTS, script, source, self.root / "runs" / f"{name}.xlsx", **options
        )
        return self.runs[name]

    def recalculate(self, named: dict[str, Path]) -> None:
        self.batches += 1
        copies = recalculate(list(named.values()), self.root / f"libreoffice-{self.batches}")
        self.shown.update(zip(named, copies))

    def alert(self, name: str) -> str:
        alerts = self.runs[name].alerts
        assert len(alerts) == 1, alerts
        return alerts[0]["prompt"]


def edited(source: Path, target: Path, change) -> Path:
    book = openpyxl.load_workbook(source)
    change(book)
    book.save(target)
    return target


def typed_over(book: Path, out: Path, cell: str, value: int, sheet: str = c.SUMMARY_SHEET
               ) -> Path:
    """A copy of ``book`` whose ``sheet``!``cell`` is typed over with ``value``: edited in
    the XML, so every other cell keeps the value Excel shows (no recalculation needed)."""
    index = openpyxl.load_workbook(book, read_only=True).sheetnames.index(sheet)
    with zipfile.ZipFile(book) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == f"xl/worksheets/sheet{index + 1}.xml":
                text, count = re.subn(rf'<c r="{cell}"( s="\d+")?[^>]*>.*?</c>',
                                      rf'<c r="{cell}"\g<1> t="n"><v>{value}</v></c>',
                                      data.decode())
                assert count == 1, cell
                data = text.encode()
            target.writestr(item, data)
    return out


def build_lab(root: Path) -> Lab:
    """The demo's workbooks through every button, in three stages, each stage's files
    recalculated in one LibreOffice batch."""
    from xladdin.demo import run_demo

    run_demo(root / "demo")
    hp = root / "demo" / "hai-phong-2023" / "plan.xlsx"
    p2 = root / "demo" / "phuong-2-quang-tri-2024" / "plan.xlsx"
    form = root / "demo" / "hai-phong-2023" / "forms" / "303_hong-bang.xlsx"
    lab = Lab(root)
    lab.hp, lab.p2 = hp, p2
    inputs = root / "inputs"
    inputs.mkdir()

    def units(book, **cells):
        for ref, value in cells.items():
            book["Đơn vị"][ref] = value

    # stage 0: workbooks as officers edit them
    lab.recalculate(
        {
            "hp_dhondt": edited(
                hp, inputs / "hp_dhondt.xlsx", lambda b: units(b, G4="D'Hondt (Jefferson)", G5=1)
            ),
            "hp_minimum": edited(hp, inputs / "hp_minimum.xlsx", lambda b: units(b, G5=5)),
            "hp_no_weights": edited(
                hp,
                inputs / "hp_no_weights.xlsx",
                lambda b: units(b, **{f"C{r}": 0 for r in range(5, 20)}),
            ),
            "hp_text": edited(
                hp, inputs / "hp_text.xlsx", lambda b: b[PLAN].__setitem__("G8", "bốn mươi")
            ),
            "p2_cleared": edited(
                p2,
                inputs / "p2_cleared.xlsx",
                lambda b: [b[PLAN].__setitem__(f"{c}6", None) for c in "HIJKL"],
            ),
            "form_text": edited(
                form,
                inputs / "form_text.xlsx",
                lambda b: b["Báo cáo"].__setitem__("E9", "mười hai"),
            ),
        }
    )
    other = openpyxl.Workbook()
    other.active.append(["Danh sách", "Số"])
    other.save(inputs / "other.xlsx")

    # stage 1: every button on those
    lab.run("split_live", "split_targets", hp, active_sheet="Hướng dẫn", selection="Z99")
    for name in ("hp_dhondt", "hp_minimum", "hp_no_weights", "hp_text", "p2_cleared"):
        lab.run(f"split_{name}", "split_targets", lab.shown[name])
    lab.run("split_published", "split_targets", p2)
    lab.run("split_form", "split_targets", form)
    lab.run("check_published", "check_book", p2)
    lab.run("check_clean", "check_book", hp)
    lab.run("check_form_text", "check_book", lab.shown["form_text"])
    lab.run("check_other", "check_book", inputs / "other.xlsx")
    lab.run("check_summary", "check_book", root / "demo" / "hai-phong-2023" / "summary.xlsx")
    lab.run("forms_p2", "make_forms", p2)
    lab.run("consolidate_nothing", "consolidate_sheets", hp)
    lab.run("round_without_summary", "new_round", hp)
    lab.recalculate({name: lab.runs[name].out_path for name in (
        "split_live", "split_hp_dhondt", "split_hp_minimum", "split_p2_cleared", "check_published",
        "check_clean", "check_form_text", "forms_p2", "split_hp_text")})

    # stage 2: back to the formulas; the units fill their sheets
    lab.typed = {1: (5, 1, 2), 2: (6, 2, 10), 3: ("mười", 0, 0), 4: (3, 3, 5), 5: (12, 10, 11)}

    def fill(book):
        for n, (kham, daihan, nganhan) in lab.typed.items():
            sheet = book[f"KP{n}"]
            sheet["E9"], sheet["E11"], sheet["E12"] = kham, daihan, nganhan  # E10 left blank
            sheet["E14"], sheet["E15"] = 1, 2

    lab.recalculate({
        "hp_back": edited(lab.shown["split_hp_dhondt"], inputs / "hp_back.xlsx",
                          lambda b: units(b, G4="Phần dư lớn nhất (Hamilton)", G5=0)),
        "p2_filled": edited(lab.shown["forms_p2"], inputs / "p2_filled.xlsx", fill),
    })
    lab.run("split_back", "split_targets", lab.shown["hp_back"])
    lab.run("consolidate", "consolidate_sheets", lab.shown["p2_filled"])
    lab.recalculate(
        {
            "split_back": lab.runs["split_back"].out_path,
            "consolidate": lab.runs["consolidate"].out_path,
        }
    )

    # stage 3: the next round, and a second click
    lab.run("new_round", "new_round", lab.shown["consolidate"])
    lab.run("report_up", "report_up", lab.shown["consolidate"])
    lab.recalculate(
        {"new_round": lab.runs["new_round"].out_path, "report_up": lab.runs["report_up"].out_path}
    )
    lab.run("new_round_twice", "new_round", lab.shown["new_round"])
    typed = typed_over(lab.shown["consolidate"], inputs / "typed_over.xlsx", "E6", 999)
    lab.run("new_round_typed_over", "new_round", typed)
    lab.run("report_up_typed_over", "report_up", typed)
    corrected = typed_over(lab.shown["consolidate"], inputs / "corrected.xlsx", "E9", 7, "KP1")
    lab.run("new_round_corrected", "new_round", corrected)  # KP1's form fixed after the click
    return lab


def values(path: Path, ref: str, sheet: str = PLAN):
    return cell_values(path, ref, sheet=sheet)


def row_values(path: Path, ref: str, sheet: str = PLAN) -> list:
    return values(path, ref, sheet)[0]


def formulas(path: Path, ref: str, sheet: str = PLAN) -> list:
    return [cell.value for cell in openpyxl.load_workbook(path)[sheet][ref][0]]


def check_rows(path: Path) -> list[list]:
    sheet = openpyxl.load_workbook(path, data_only=True)["Kiểm tra"]
    return [[c.value for c in row] for row in sheet.iter_rows(min_row=6, max_col=5)]
