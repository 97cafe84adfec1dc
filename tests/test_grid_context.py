"""A workbook grid is a context manager: the file is released whatever happens."""

from __future__ import annotations

import pytest


def test_a_grid_is_closed_by_with_even_when_reading_fails(tmp_path):
    from xladdin.cli.app import main
    from xladdin.grid.calamine_grid import open_workbook

    assert main(["demo", "--out", str(tmp_path / "demo")]) == 0
    closed = []
    with pytest.raises(KeyError), open_workbook(tmp_path / "demo/hai-phong-2023/plan.xlsx") as g:
        g.close = lambda: closed.append(True)  # type: ignore[method-assign]
        raise KeyError("a reader's bug")
    assert closed == [True]
