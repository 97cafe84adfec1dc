"""Book-level actions: alerts, the calculation mode, and the ones that change nothing here."""

from __future__ import annotations

from .core import ActionError, _arg, handler


# -- book level ---------------------------------------------------------------------------------
@handler("alert")
def _alert(ctx, action):
    keys = ("prompt", "title", "buttons", "mode", "callback")
    ctx.applied.alerts.append({key: _arg(action, i, "") for i, key in enumerate(keys)})


@handler("setCalculation")
def _set_calculation(ctx, action):
    mode = {"Automatic": "auto", "Manual": "manual", "AutomaticExceptTables": "autoNoTable"}.get(
        _arg(action, 0)
    )
    if mode is None:
        raise ActionError(f"setCalculation: unknown mode {_arg(action, 0)!r}")
    ctx.wb.calculation.calcMode = mode


@handler("calculate", "setScreenUpdating", "save")
def _no_op(ctx, action):
    ctx.applied.ignored.append(action["func"])
