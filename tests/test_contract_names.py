"""Every contract name is typed once, in xladdin/contract.py (issue 16, item 1).

A sheet, table or header name, a ``_meta`` key, a template name or a severity typed as a
literal anywhere else in ``xladdin/`` (and in ``bench/``, ``tools/``, ``workbooks/``) can
drift from what other tools and officers rely on: this test names the file and line.
Vietnamese names and table names are looked for everywhere (except in docstrings and
inside message text); the English words that are also ordinary words (``plan``, ``year``,
``error``…) only where code uses them as the contract's word: compared, used as a key or
an index, listed in a set or dict, or passed to a function (``definition("plan")``,
``Issue("error", …)``); a name that is no English word (``_meta``) everywhere.  No
template TOML retypes a name either.

``udfs/`` is scanned too: the Excel functions name their arguments in messages with the
contract's headers (``_count(plan, contract.ANNUAL_PLAN)``).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from xladdin import contract, templates

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "xladdin"
SCANNED = [PACKAGE, ROOT / "bench", ROOT / "tools", ROOT / "workbooks", ROOT / "udfs"]

# Strings that are the contract's words but mean something else where they stand
# (module path under xladdin/, literal).
ALLOWED = {
    # The seed examples' own settings (workbooks/examples/*/example.toml), not _meta.
    ("demo.py", "unit_code"), ("demo.py", "unit_name"), ("demo.py", "year"),
    ("demo.py", "round"), ("demo.py", "parent_code"), ("demo.py", "due_date"),
    # Column of the bundled administrative list (workbooks/units/*.csv).
    ("admin_units.py", "parent_code"),
    # Keys of the JSON reports (contract §5), which happen to share _meta's words.
    ("jobs/validation.py", "template"), ("engine/summary.py", "unit_code"),
    ("engine/summary.py", "year"), ("engine/summary.py", "round"),
    ("engine/summary.py", "due_date"),
    # The names of click's command-line arguments (SUMMARY, PLAN in --help).
    ("cli/export.py", "summary"), ("cli/levels.py", "summary"), ("cli/rounds.py", "plan"),
    ("cli/workbooks.py", "plan"),
    # uvicorn's log level.
    ("excel/server.py", "warning"),
    # The naive readers consolidate is measured against: an analyst's script that knows
    # nothing of xladdin (and must not import it: its memory is measured alone).
    ("bench/readers.py", "Báo cáo"), ("bench/readers.py", "Mã"), ("bench/readers.py", "Kết quả"),
    # A label of the profile's timings, not the template.
    ("bench/profile_consolidate.py", "plan"),
    # The administrative list's own CSV column.
    ("workbooks/units/build_pre2025_units.py", "parent_code"),
    # The Excel functions' parameter names (xlwings' @arg("plan"): the argument, named in
    # Excel's function wizard) and PCT_DONE's «Chỉ tiêu», its target argument, not the
    # indicator-name header.
    ("udfs/planning.py", "plan"), ("udfs/planning.py", "Chỉ tiêu"),
}


def _names() -> dict[str, str]:
    found: dict[str, str] = {}
    for attr, value in vars(contract).items():
        if not attr.isupper():
            continue
        values = value.values() if isinstance(value, dict) else [value]
        for item in values:
            if isinstance(item, str) and item.strip():
                found.setdefault(item, attr)
    return found


NAMES = _names()
WORD = re.compile(r"[a-z]+(?:_[a-z]+)*")  # an English word or words: plan, due_date


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            found.add(id(body[0].value))
    return found


def _word_contexts(tree: ast.AST) -> set[int]:
    """Constants used as a contract word: compared, indexed, .get(), set/dict members."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            found.update(id(n) for n in [node.left, *node.comparators])
        elif isinstance(node, ast.Subscript):
            found.add(id(node.slice))
        elif isinstance(node, ast.Call):
            found.update(id(n) for n in node.args)
            found.update(id(k.value) for k in node.keywords)
        elif isinstance(node, (ast.Set, ast.Tuple, ast.List)):
            found.update(id(n) for n in node.elts)
        elif isinstance(node, ast.Dict):
            found.update(id(n) for n in node.keys if n is not None)
    return found


def literals(path: Path) -> list[tuple[int, str, str]]:
    """(line, literal, contract name) for each contract literal in one module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _docstrings(tree)
    for node in ast.walk(tree):  # message text may mention a name: it is not the name
        if isinstance(node, ast.JoinedStr):
            skip.update(id(n) for n in ast.walk(node))
    words = _word_contexts(tree)
    where = (path.relative_to(PACKAGE).as_posix() if path.is_relative_to(PACKAGE)
             else path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.name)
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            continue
        if node.value not in NAMES or id(node) in skip:
            continue
        if WORD.fullmatch(node.value) and id(node) not in words:
            continue
        if (where, node.value) in ALLOWED:
            continue
        found.append((node.lineno, node.col_offset, node.value, NAMES[node.value]))
    return [(line, value, name) for line, _, value, name in sorted(found)]


def test_no_contract_literal_outside_the_contract_module() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{line}: {value!r} is xladdin.contract.{name}"
        for root in SCANNED
        for path in sorted(root.rglob("*.py"))
        if path != PACKAGE / "contract.py"
        for line, value, name in literals(path)
    ]
    assert not offenders, "contract names retyped:\n" + "\n".join(offenders)


def test_the_scan_finds_a_retyped_name(tmp_path: Path) -> None:
    module = tmp_path / "retyped.py"
    module.write_text(
        'SHEET = "Kế hoạch"\n'
        'def f(meta):\n    return meta["template"] == "plan"\n'
        'def g():\n    """Reads «Kế hoạch»."""\n    return f"trang Kế hoạch {1}"\n'
        'def h(path):\n    return Issue("error", path), definition("form")\n'
        'META = "_meta"\nKEY = "due_date"\n',
        encoding="utf-8",
    )
    assert [(line, value) for line, value, _ in literals(module)] == [
        (1, "Kế hoạch"), (3, "template"), (3, "plan"), (8, "error"), (8, "form"), (9, "_meta"),
    ]


@pytest.mark.parametrize("template", contract.TEMPLATES)
def test_templates_take_their_names_from_the_contract(template: str) -> None:
    spec = templates.definition(template)
    assert spec["table"]["name"] in contract.TABLES
    columns = {contract.PLAN: contract.PLAN_COLUMNS, contract.FORM: contract.FORM_COLUMNS,
               contract.SUMMARY: contract.SUMMARY_COLUMNS}[template]
    assert templates.headers(template) == list(columns.values())


@pytest.mark.parametrize("toml", sorted((ROOT / "workbooks" / "templates").glob("*.toml")),
                         ids=lambda path: path.name)
def test_no_template_toml_retypes_a_contract_name(toml: Path) -> None:
    """Every TOML of workbooks/templates: a name as a whole TOML string (a sheet, table or
    header), not a mention inside a sentence."""
    text = toml.read_text(encoding="utf-8")
    retyped = [name for name in NAMES if not WORD.fullmatch(name) and f'"{name}"' in text]
    assert not retyped, f"{toml.name} retypes contract names: {retyped}"

