"""Data flows one way (docs/architecture.md): catalogue + units → engine → writer →
workbook → officer → reader → engine → summary.  Each layer imports only what is
upstream of it; this test names the import that breaks the rule."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest
import xladdin

ROOT = Path(xladdin.__file__).parent

# layer → xladdin modules it must never import (the package-relative name's first part)
FORBIDDEN = {
    "engine": {"reader", "writer", "grid", "book", "cli", "excel", "jobs", "scripts", "demo",
               "inbox", "inputs", "bundled", "templates", "levels"},
    "reader": {"writer", "book", "cli", "excel", "jobs", "scripts", "demo"},
    "grid": {"writer", "reader", "book", "cli", "excel", "jobs", "scripts", "demo"},
    "writer": {"reader", "book", "cli", "excel", "jobs", "scripts", "demo"},
}
# The engine is pure maths: the standard library and nothing that does I/O.
ENGINE_STDLIB_ONLY = {"os", "io", "pathlib", "shutil", "subprocess", "tempfile", "zipfile",
                      "socket", "urllib", "http"}


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module) of every import in a module, function-level ones too."""
    package = ".".join(path.relative_to(ROOT.parent).with_suffix("").parts[:-1])
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            if node.module is None or module in {"xladdin"}:
                found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
            else:
                found.append((node.lineno, module))
    return found


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_each_layer_imports_only_what_is_upstream(layer):
    broken = []
    for path in sorted((ROOT / layer).rglob("*.py")):
        for line, module in _imports(path):
            parts = module.split(".")
            if parts[0] == "xladdin" and len(parts) > 1 and parts[1] in FORBIDDEN[layer]:
                broken.append(f"{path.relative_to(ROOT.parent)}:{line} imports {module}")
            if layer == "engine" and parts[0] != "xladdin":
                third_party = parts[0] not in sys.stdlib_module_names
                if third_party or parts[0] in ENGINE_STDLIB_ONLY:
                    broken.append(f"{path.relative_to(ROOT.parent)}:{line} imports {module}")
    assert not broken, "\n".join(broken)

