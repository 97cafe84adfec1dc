"""The validate job: check one plan or form as «Kiểm tra» does (contract §5)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from ..bundled import catalogue as bundled_catalogue
from ..contract import ERROR
from ..engine.catalogue import Catalogue
from ..engine.model import Issue
from ..errors import WorkbookError
from ..inbox import shown
from ..reader.any_workbook import check_workbook
from ..reader.carried import catalogue_of
from ..reader.guard import judge_file, with_notices


@dataclass
class Validation:
    file: str
    template: str | None
    issues: list[Issue] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return any(i.is_error for i in self.issues)

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "template": self.template,
            "issues": [i.as_dict() for i in self.issues],
        }



def validate_file(path: Path, catalogue: Catalogue | None = None) -> Validation:
    """Check a plan or a form (contract §5, validate): the rules of «Kiểm tra»."""
    catalogue = catalogue or bundled_catalogue()

    def judge(grid) -> Validation:
        try:
            own = catalogue_of(grid, catalogue)
        except WorkbookError as error:
            return Validation(
                str(path),
                None,
                [Issue(ERROR, str(path), error.sheet, error.cell, "catalogue", error.message)],
            )
        template, issues = check_workbook(grid, own)
        return Validation(str(path), template, list(with_notices(issues, grid)))

    try:
        result = judge_file(path, judge)
    except WorkbookError as error:
        result = Validation(
            str(path),
            None,
            [Issue(ERROR, str(path), error.sheet, error.cell, error.rule, error.message)],
        )
    name = shown(path)
    if name != str(path):  # a name that is not UTF-8: printable, with its bytes as \xNN
        result = Validation(name, result.template, [replace(i, file=name) for i in result.issues])
    return result
