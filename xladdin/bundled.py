"""What ships in ``workbooks/``: the indicator catalogue, unit lists, seed examples.

The one place that knows where bundled data lives; everything else asks here.
"""

from __future__ import annotations

import csv
import io
import tomllib
from functools import lru_cache
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from typing import Any

from .engine.catalogue import Catalogue


def data_file(*parts: str) -> Traversable:
    """A file or folder inside the ``workbooks`` package."""
    node = resources.files("workbooks")
    for part in parts:
        node = node / part
    return node


def load_toml(*parts: str) -> dict[str, Any]:
    """A bundled TOML file (templates, examples), parsed."""
    return tomllib.loads(data_file(*parts).read_text(encoding="utf-8"))


def read_csv_rows(*parts: str) -> list[dict[str, str]]:
    text = data_file(*parts).read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    """The bundled indicator catalogue."""
    return Catalogue.from_rows(read_csv_rows("catalogue", "indicators.csv"))


def examples() -> list[dict]:
    """The seed examples of ``workbooks/examples``: settings, with their CSV paths."""
    found = []
    root = data_file("examples")
    for folder in sorted(root.iterdir(), key=lambda p: p.name):
        settings = folder / "example.toml"
        if not settings.is_file():
            continue
        example = load_toml("examples", folder.name, "example.toml")
        example["children_csv"] = Path(str(folder / "children.csv"))
        example["targets_csv"] = Path(str(folder / "targets.csv"))
        found.append(example)
    return found
