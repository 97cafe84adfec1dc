"""The public API is exported in one place and changes only on purpose."""

import xladdin
import xladdin.errors

EXPECTED = {
    "METHODS",
    "Catalogue",
    "CatalogueError",
    "ExcelError",
    "Indicator",
    "InputError",
    "OutputError",
    "RatePart",
    "SplitError",
    "Unit",
    "UnitError",
    "UnitTree",
    "UsageError",
    "WorkbookError",
    "XladdinError",
    "__version__",
    "aggregate_rate",
    "apportion",
    "catalogue",
    "check_split",
    "pct_done",
    "read_report",
    "remaining",
    "round_target",
}


def test_public_api_is_exactly_the_expected_names():
    assert set(xladdin.__all__) == EXPECTED
    for name in xladdin.__all__:
        assert hasattr(xladdin, name), name


def test_every_exception_derives_from_the_one_base():
    errors = [
        obj for obj in vars(xladdin.errors).values()
        if isinstance(obj, type) and issubclass(obj, Exception)
    ]
    assert all(issubclass(error, xladdin.XladdinError) for error in errors)
    assert xladdin.UsageError.exit_code == 2
    assert xladdin.SplitError.exit_code == 1


def test_engine_does_not_import_io_or_excel_libraries():
    import ast
    from pathlib import Path

    engine = Path(xladdin.__file__).parent / "engine"
    for path in engine.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = (
                    [a.name for a in node.names]
                    if isinstance(node, ast.Import)
                    else [node.module or ""]
                )
                for name in names:
                    assert name.split(".")[0] not in {
                        "openpyxl",
                        "python_calamine",
                        "xlwings",
                        "click",
                    }, path
