"""Copying ranges: copy, paste special, autofill by copying."""

from __future__ import annotations

from copy import copy

from openpyxl.cell.cell import MergedCell
from openpyxl.formula.translate import Translator

from .core import UnsupportedAction, _arg, bounds, handler


# -- copying ------------------------------------------------------------------------------------
def _copy_block(
    ctx, src_ws, src_box, dst_ws, dst_box, what: str, skip_blanks=False, transpose=False
):
    s_top, s_left, s_bottom, s_right = ctx.used_box(src_ws, src_box)
    rows, columns = s_bottom - s_top + 1, s_right - s_left + 1
    snapshot = [
        [
            (cell.value, copy(cell._style), cell.coordinate)
            for cell in (src_ws.cell(row=s_top + r, column=s_left + c) for c in range(columns))
        ]
        for r in range(rows)
    ]
    if transpose:
        snapshot = [list(col) for col in zip(*snapshot)]
        rows, columns = columns, rows
    d_top, d_left, d_bottom, d_right = dst_box
    d_rows, d_columns = d_bottom - d_top + 1, d_right - d_left + 1
    tiles_down = d_rows // rows if d_rows % rows == 0 and d_rows > rows else 1
    tiles_right = d_columns // columns if d_columns % columns == 0 and d_columns > columns else 1
    for tile_r in range(tiles_down):
        for tile_c in range(tiles_right):
            for r, row in enumerate(snapshot):
                for c, (value, style, origin) in enumerate(row):
                    target = dst_ws.cell(
                        row=d_top + tile_r * rows + r, column=d_left + tile_c * columns + c
                    )
                    if isinstance(target, MergedCell):
                        continue
                    if skip_blanks and value is None:
                        continue
                    if what in ("all", "formulas", "values"):
                        if isinstance(value, str) and value.startswith("=") and what != "values":
                            value = Translator(value, origin).translate_formula(target.coordinate)
                        elif what == "values" and isinstance(value, str) and value.startswith("="):
                            raise UnsupportedAction(
                                "copyFromRange with copy_type='values' of formulas "
                                "(needs the computed values)"
                            )
                        target.value = value
                    if what in ("all", "formats"):
                        target._style = copy(style)


@handler("copyRange")
def _copy_range(ctx, action):
    src_ws, src_box = ctx.sheet(action), ctx.box(action)
    dst_ws = ctx.sheet(action, position=int(_arg(action, 0)))
    dst_box = bounds(str(_arg(action, 1)))
    _copy_block(ctx, src_ws, src_box, dst_ws, dst_box, "all")


@handler("copyFromRange")
def _copy_from_range(ctx, action):
    dst_ws, dst_box = ctx.sheet(action), ctx.box(action)
    src_ws = ctx.sheet(action, position=int(_arg(action, 0)))
    src_box = bounds(str(_arg(action, 1)))
    what = str(_arg(action, 2) or "all").lower()
    if what not in ("all", "formats", "formulas", "values"):
        raise UnsupportedAction(f"copyFromRange with copy_type={what!r}")
    _copy_block(
        ctx, src_ws, src_box, dst_ws, dst_box, what, bool(_arg(action, 3)), bool(_arg(action, 4))
    )


@handler("rangeAutofill")
def _range_autofill(ctx, action):
    ws, src_box = ctx.sheet(action), ctx.box(action)
    dst_box = bounds(str(_arg(action, 0)))
    kind = _arg(action, 1)
    source_values = [cell.value for cell in ctx.cells(ws, src_box)]
    numbers = [v for v in source_values if isinstance(v, (int, float)) and not isinstance(v, bool)]
    if kind == "FillCopy" or (kind == "FillDefault" and not numbers):
        _copy_block(ctx, ws, src_box, ws, dst_box, "all")
    elif kind == "FillFormats":
        _copy_block(ctx, ws, src_box, ws, dst_box, "formats")
    else:
        raise UnsupportedAction(f"rangeAutofill with {kind} (series fills)")
