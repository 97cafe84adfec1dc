"""``xladdin split``: split a total by weights, as the contract §5 fixes it."""

from __future__ import annotations

import json
from fractions import Fraction

import click

from .. import contract as c
from ..engine.apportion import LARGEST_REMAINDER, METHODS, apportion
from ..engine.numbers import parse_number as read_number
from ..engine.numbers import show
from ..errors import SplitError
from .app import app


def parse_number(text: str, label: str) -> Fraction:
    """A number given on the command line, read by the one parser every number goes
    through (cells, CSV): ``12.500`` is 12500 here as in a Vietnamese cell, with a warning;
    exponents are bounded and nothing past MAX_COUNT is read (no billion-digit integers)."""
    parsed = read_number(text)
    if parsed.value is None:
        reason = parsed.problem.message if parsed.problem else "ô trống"
        raise SplitError(f"{label} '{text}' không phải là số: {reason}")
    if parsed.grouped:
        click.echo(
            f"Cảnh báo: {label} '{text.strip()}' được đọc là {show(parsed.value)} (dấu chấm phân "
            "cách hàng nghìn, như trong Excel tiếng Việt); số lẻ hãy viết 12,5 trong ô hoặc "
            "12.5 ở đây.",
            err=True,
        )
    return parsed.value


def parse_weights(text: str) -> list[Fraction]:
    """'4,10,10,5,11' → weights; decimals with a dot ('1.5'), since ',' separates."""
    return [
        parse_number(item, f"Trọng số thứ {position}")
        for position, item in enumerate(text.split(","), start=1)
    ]


@app.command(
    "split",
    short_help="Chia một tổng theo trọng số (split a total).",
    # '-5' must reach our own check (exit 1, "không được âm"), not click's option parser.
    context_settings={"ignore_unknown_options": True},
)
@click.argument("total")
@click.option(
    "--weights", "-w", required=True, help="Trọng số, cách nhau bởi dấu phẩy: 4,10,10,5,11."
)
@click.option(
    "--method",
    "-m",
    type=click.Choice(METHODS),
    default=LARGEST_REMAINDER,
    show_default=True,
    help="Phương pháp phân bổ.",
)
@click.option("--minimum", default="0", show_default=True, help="Mức tối thiểu cho mỗi đơn vị.")
@click.option(
    "--json", "as_json", is_flag=True, help='In JSON: {"shares": [...], "method": "..."}.'
)
def split_command(total: str, weights: str, method: str, minimum: str, as_json: bool) -> None:
    """Phân bổ TOTAL theo trọng số thành các số nguyên cộng lại đúng bằng TOTAL.

    Split TOTAL by weights into whole numbers that add up to TOTAL; ties go to the
    earlier unit.  Ví dụ: xladdin split 40 --weights 4,10,10,5,11
    """
    shares = apportion(
        parse_number(total, "Tổng"),
        parse_weights(weights),
        method=method,
        minimum=parse_number(minimum, c.MINIMUM_LABEL),
    )
    if as_json:
        click.echo(json.dumps({"shares": shares, "method": method}, ensure_ascii=False))
    else:
        click.echo(",".join(str(share) for share in shares))
