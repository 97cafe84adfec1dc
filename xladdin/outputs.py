"""Where a command may write: the checks every job makes on an output path, and JSON.

No input file is ever modified and outputs are written atomically (writer/save.py);
these say it to the officer before anything is written.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from .errors import UsageError
from .writer.save import atomic_write_text, refuse_clobbering

WORKBOOK_SUFFIXES = (".xlsx",)


def check_suffix(out: Path, suffixes: tuple[str, ...], what: str) -> None:
    """An output named for another kind of file (``--out s.csv`` for a workbook) is
    refused: the officer would find an xlsx that no program opens under that name."""
    if Path(out).suffix.lower() not in suffixes:
        raise UsageError(
            f"Tệp {what} phải có đuôi {' hoặc '.join(suffixes)}, không phải «{Path(out).name}»."
        )


def check_output_differs(inputs: list[Path], out: Path) -> None:
    """No input file is ever modified: refuse an output path that is, or resolves to, an input."""
    refuse_clobbering(inputs, [out])


def write_json(data: Mapping[str, object], path: Path) -> Path:
    text = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    return atomic_write_text(path, text)
