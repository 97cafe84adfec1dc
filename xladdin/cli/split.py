"""``xladdin split``: split a total by weights, as the contract §5 fixes it."""

from __future__ import annotations

import json
import re
from fractions import Fraction

import click

from .. import contract as c
from ..engine.apportion import LARGEST_REMAINDER, METHODS, apportion
from ..errors import SplitError
from .app import app

# A decimal with at most a small exponent: Fraction('1e999999999') alone would compute a
# billion-digit integer before any bound is checked (the engine refuses past MAX_COUNT).
_NUMBER = re.compile(
    r"^[+-]?(\d{1,40}(\.\d{0,40})?|\.\d{1,40})([eE][+-]?\d{1,3})?$|^\d{1,40}/\d{1,40}$"
)


def parse_number(text: str, label: str) -> Fraction:
    if not _NUMBER.match(text.strip()):
        raise SplitError(f"{label} '{text}' không phải là số.")
    try:
        return Fraction(text.strip())
    except ZeroDivisionError:
        raise SplitError(f"{label} '{text}' không phải là số.") from None


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
