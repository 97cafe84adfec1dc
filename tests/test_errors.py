"""The exception tree: each failure gets the class (and so the exit code and the words)
that says what happened (issue 16, item 4)."""

from __future__ import annotations

import pytest
from xladdin import errors
from xladdin.book.session import DISP_E_EXCEPTION, BookSession, unprotect_failure


class _ComError(Exception):
    """pywintypes.com_error's shape: (hresult, text, excepinfo, argerr)."""


class _Sheet:
    def __init__(self, failure: BaseException):
        self.failure = failure
        self.ProtectContents = True

    def Unprotect(self) -> None:  # noqa: N802 (Excel's name)
        raise self.failure


def _session(failure: BaseException) -> BookSession:
    session = object.__new__(BookSession)
    session.desktop = True
    sheet = _Sheet(failure)
    session.book = type("Book", (), {"sheets": {"Kế hoạch": type("S", (), {"api": sheet})()}})()
    return session


def test_a_password_is_named_only_when_excel_refused_the_unprotect():
    refused = _ComError(DISP_E_EXCEPTION, "Exception occurred.", (0, "Microsoft Excel",
                        "The password you supplied is not correct.", None, 0, -2146827284), None)
    with pytest.raises(errors.ProtectedSheetError, match="mật khẩu"), \
            _session(refused).unprotected("Kế hoạch"):
        pass


def test_excel_busy_is_not_reported_as_a_password():
    busy = _ComError(-2147418111, "Call was rejected by callee.", None, None)
    with pytest.raises(errors.ExcelAutomationError) as caught, \
            _session(busy).unprotected("Kế hoạch"):
        pass
    assert "mật khẩu" not in str(caught.value) and "Esc" in str(caught.value)
    assert errors.exit_code(caught.value) == 1
    other = unprotect_failure("Đơn vị", RuntimeError("AppleScript timed out"))
    assert isinstance(other, errors.ExcelAutomationError) and "mật khẩu" not in str(other)


def test_the_desktop_entry_says_why_when_not_called_from_excel(monkeypatch):
    import xlwings as xw
    from xladdin.excel import desktop_entry

    def no_caller():
        raise RuntimeError("not called from Excel")

    monkeypatch.setattr(xw.Book, "caller", staticmethod(no_caller))
    with pytest.raises(errors.ExcelAutomationError, match="bấm nút"):
        desktop_entry.check_book()


def test_exit_codes_are_said_once_by_the_tree():
    assert errors.exit_code(errors.UsageError("x")) == 2
    assert errors.exit_code(errors.ProtectedSheetError("x")) == 1
    assert errors.exit_code(errors.SetupError("x")) == 1
    assert errors.exit_code(ValueError("a bug")) == 1
    tree = errors.__doc__ or ""
    for cls in (errors.InputError, errors.SplitError, errors.CatalogueError, errors.UnitError,
                errors.WorkbookError, errors.ProtectedSheetError, errors.OutputError,
                errors.SetupError, errors.ExcelAutomationError, errors.UsageError):
        assert cls.__name__ in tree  # the tree drawn at the top lists every class


def test_excel_modules_never_raise_the_base_class():
    import ast
    from pathlib import Path

    import xladdin

    root = Path(xladdin.__file__).parent
    for path in [*root.joinpath("excel").rglob("*.py"), root / "engine" / "plan.py"]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
                name = getattr(node.exc.func, "id", "")
                assert name not in {"XladdinError", "ValueError", "Exception"}, (
                    f"{path.name}:{node.lineno} raises {name}")
