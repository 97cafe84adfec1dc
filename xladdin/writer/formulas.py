"""Native Excel formulas, as text.

Only functions that Excel 2010 and LibreOffice both compute (no LET, LAMBDA or dynamic
arrays): IF, INT, SUM, COUNT, ROUNDUP (the split's own are in :mod:`.live_split`).  Each builder
mirrors one function of the engine, and tests recalculate the workbooks in LibreOffice
to prove they agree.
"""

from __future__ import annotations

from fractions import Fraction


def remaining(plan: str, done: str) -> str:
    """Còn lại, raw (the number format shows a negative as «0 (vượt n)»)."""
    return f'=IF({plan}="","",{plan}-{done})'


def round_share(plan: str, share: Fraction, done: str | None = None) -> str:
    """Chỉ tiêu đợt = ⌈plan × share⌉ in integer arithmetic: plan×50/100, never plan×0.5.

    With ``done`` (engine.plan.round_target): MAX(0, ⌈plan × share⌉ − done).
    """
    if (share * 100).denominator == 1:
        numerator, denominator = int(share * 100), 100
    else:
        numerator, denominator = share.numerator, share.denominator
    rounded = f"ROUNDUP({plan}*{numerator}/{denominator},0)"
    if done is not None:
        rounded = f"MAX(0,{rounded}-{done})"
    return f'=IF({plan}="","",{rounded})'


def total_of(cells: list[str]) -> str:
    """A total row's cell: the sum of its parts, blank when every part is blank."""
    joined = ",".join(cells)
    return f'=IF(COUNT({joined})=0,"",SUM({joined}))'


def split_check(
    target: str, first_child: str, last_child: str, status: str | None, words: dict[str, str],
    tag: str = "",
) -> str:
    """The plan's check column: «Khớp», «Thừa n», «Thiếu n» (same words as CHECK_SPLIT),
    followed by ``tag`` (« · D'Hondt» for shares a method wrote as numbers).  ``status``:
    a live split's message cell (why it shows no shares: «Chưa có trọng số»…), shown
    instead when not blank."""
    children = f"SUM({first_child}:{last_child})"
    verdict = (
        f'IF({children}={target},"{words["ok"]}",'
        f'IF({children}>{target},"{words["too_much"]}"&({children}-{target}),'
        f'"{words["too_little"]}"&({target}-{children})))'
    )
    if status:
        verdict = f'IF({status}<>"",{status},{verdict})'
    if tag:
        verdict = f'{verdict}&"{tag.replace(chr(34), chr(34) * 2)}"'
    return f'=IF({target}="","",{verdict})'


def pct_done(result: str, target: str) -> str:
    """% đạt = result / target; blank without a target or a result (engine.plan.pct_done)."""
    return f'=IF(OR({target}="",{target}=0,{result}=""),"",{result}/{target})'


def rate(numerator: str, denominator: str) -> str:
    return f'=IF(OR({denominator}="",{denominator}=0,{numerator}=""),"",{numerator}/{denominator})'


def rate_reached(result: str, target: str, reached: str, not_reached: str) -> str:
    return f'=IF(OR({result}="",{target}=""),"",IF({result}>={target},"{reached}","{not_reached}"))'


def same_as(cell: str) -> str:
    return f'=IF({cell}="","",{cell})'
