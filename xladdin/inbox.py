"""The forms that came back: every file under a folder (or every sheet of one workbook),
read one at a time, each judged on its own and turned into a :class:`Submission`.

Every file is either read or named in an issue.  Only two kinds are passed over in
silence, and only when they really are what their names say: an Excel lock file
(``~$…``: a few bytes, not a workbook) and our own temporary file
(:data:`~xladdin.writer.save.TEMP_PREFIX`, left by a killed run: not a form, or a blank
one).  A filled form saved under such a name, or with a space or dot after ``.xlsx`` (as
some mail programs save), is read, with a warning asking to rename it.  A folder the
walk cannot enter, a symlinked folder it does not follow and a name that is not valid
UTF-8 are named too.  Nothing is ever written here.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
import threading
import unicodedata
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from .engine.catalogue import Catalogue
from .engine.consolidate import Submission
from .engine.model import ERROR, WARNING, Issue, Plan
from .errors import WorkbookError
from .grid.package import read_file_once
from .parallel import ordered_map
from .reader.book_forms import read_form_sheets, set_aside_non_form
from .reader.form_reader import read_form
from .reader.guard import add_notices, judge_file
from .reader.typed_date import date_line_cell, impossible_date, typed_date
from .writer.save import TEMP_PREFIX

FORM_SUFFIXES = {".xlsx", ".xlsm"}
OTHER_SPREADSHEETS = {".xls", ".xlsb", ".ods", ".csv", ".numbers"}
NEVER_MODIFIED = dt.datetime.min


@dataclass(frozen=True)
class Unreachable:
    """A path the walk could not enter or name: it is reported, never silently skipped."""

    path: str
    message: str


def shown(path: str | os.PathLike) -> str:
    """A path as text that can be printed and written to XML/JSON (a name that is not
    valid UTF-8 keeps its bytes as ``\\xNN``)."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


LOCK_PREFIX = "~$"  # Excel's lock file beside an open workbook: «~$name.xlsx»
OFFICE_LOCK_PREFIX = ".~lock."  # LibreOffice's: «.~lock.name.xlsx#»
LOCK_MAX_BYTES = 4096  # Excel writes 165 bytes (the user's name); a workbook is far larger
ZIP_MAGIC = b"PK\x03\x04"
_TRAILING = re.compile(r"[\s.]+$")  # «…xlsx », «…xlsx.»: Windows drops them, mail keeps them


def _lock_file(path: str) -> bool:
    """A real lock file: Excel's ``~$…`` or LibreOffice's ``.~lock.….xlsx#`` (there while
    an officer has the form open), a regular file of a few bytes that is not a zip (a
    workbook saved under such a name is read like any other)."""
    name = unicodedata.normalize("NFC", os.path.basename(path))
    if not (name.startswith(LOCK_PREFIX) or (name.startswith(OFFICE_LOCK_PREFIX)
                                             and name.endswith("#"))):
        return False
    try:
        info = os.lstat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_size > LOCK_MAX_BYTES:
            return False
        with open(path, "rb") as handle:
            return handle.read(len(ZIP_MAGIC)) != ZIP_MAGIC
    except OSError:
        return False  # read_file names what cannot be read


def _ours(path: Path) -> bool:
    return unicodedata.normalize("NFC", path.name).startswith(TEMP_PREFIX)


def _suffix(path: Path) -> str:
    """The suffix as the officer meant it: spaces and dots after it do not count."""
    return Path(_TRAILING.sub("", path.name) or path.name).suffix.lower()


def walk_inbox(folder: Path) -> tuple[list[Path], list[Unreachable]]:
    """Every file below ``folder`` (sorted, NFC and NFD names alike) and every path that
    could not be entered."""
    files: list[Path] = []
    problems: list[Unreachable] = []

    def cannot_enter(error: OSError) -> None:
        problems.append(
            Unreachable(
                shown(error.filename or folder),
                f"Không mở được thư mục này ({error.strerror or error}): các biểu mẫu trong đó "
                "chưa được đọc. Hãy kiểm tra quyền truy cập thư mục.",
            )
        )

    for root, dirs, names in os.walk(folder, onerror=cannot_enter):
        for name in list(dirs):
            if os.path.islink(os.path.join(root, name)):
                problems.append(
                    Unreachable(
                        shown(os.path.join(root, name)),
                        "Lối tắt (symlink) tới thư mục: không được đọc. Hãy chép các biểu mẫu "
                        "vào thư mục nhận.",
                    )
                )
        for name in names:
            if _lock_file(os.path.join(root, name)):
                continue
            files.append(Path(root) / name)
    return sorted(files, key=lambda p: unicodedata.normalize("NFC", shown(p))), problems


def inbox_files(folder: Path) -> list[Path]:
    """Every file below ``folder`` (sorted), Excel's lock files excepted."""
    return walk_inbox(folder)[0]


def _modified(path: Path) -> dt.datetime:
    try:
        return dt.datetime.fromtimestamp(path.lstat().st_mtime)
    except (OSError, ValueError, OverflowError):
        return NEVER_MODIFIED


def read_folder(folder: Path, catalogue: Catalogue, skip: Collection[Path] = frozenset(),
                progress: Callable[[Path], None] | None = None,
                stop: threading.Event | None = None) -> Iterator[Submission]:
    """Every file under ``folder`` read (``stop`` set: no more)."""
    files, problems = walk_inbox(folder)
    for problem in problems:
        yield Submission(
            problem.path,
            NEVER_MODIFIED,
            None,
            Issue(ERROR, problem.path, None, None, "unreadable-folder", problem.message),
        )
    paths = []
    for path in files:
        try:
            if path.resolve() in skip:
                continue
        except (OSError, RuntimeError):
            pass  # a symlink loop: read_file names it
        paths.append(path)
    # every core reads (results in the files' order, memory bounded): xladdin.parallel
    yield from ordered_map(read_file, paths, catalogue, progress=progress, stop=stop)


def read_file(path: Path, catalogue: Catalogue) -> Submission:
    """One received file, judged on its own: never raises.  Our own temporary file is
    passed over in silence unless it holds a filled form (then it is read and named)."""
    submission = _read_file(path, catalogue)
    if not _ours(path):
        return _name_said(submission, path)
    reading = submission.reading
    if reading is None or reading.form is None or any(
            i.rule == "form-empty" for i in reading.issues):
        return Submission(submission.path, submission.modified, None)  # ours, left behind
    return _name_said(submission, path)


def _name_said(submission: Submission, path: Path) -> Submission:
    """A form read under a name that hides it (Excel's lock-file prefix, our temp prefix)
    or that Windows cannot open (a space or dot after .xlsx): read, and the name named."""
    name = unicodedata.normalize("NFC", path.name)
    if name.startswith(LOCK_PREFIX):
        why = ("bắt đầu bằng «~$» như tệp khóa của Excel (Excel có thể ẩn hoặc xóa tệp có tên "
               "như vậy)")
    elif name.startswith(TEMP_PREFIX):
        why = f"bắt đầu bằng «{TEMP_PREFIX}» như tệp tạm của xladdin"
    elif _TRAILING.search(name):
        why = "có khoảng trắng hoặc dấu chấm sau phần đuôi .xlsx (Windows không mở được tệp này)"
    else:
        return submission
    reading = submission.reading
    if reading is None or reading.form is None:
        return submission  # not a form: whatever it is, it is named already
    said = Issue(WARNING, submission.path, None, None, "file-name",
                 f"Tên tệp «{shown(path.name)}» {why}: biểu mẫu vẫn được đọc, nhưng hãy đổi tên "
                 "tệp (ví dụ theo mẫu MÃ_tên-đơn-vị.xlsx).")
    return replace(submission, reading=replace(reading, issues=reading.issues + (said,)))


def _read_file(path: Path, catalogue: Catalogue) -> Submission:
    source = shown(path)
    suffix = _suffix(path)
    if suffix in OTHER_SPREADSHEETS:  # a unit's report, maybe, in a format we do not read
        return Submission(source, _modified(path), None, Issue(
            ERROR, source, None, None, "other-format",
            "Bảng tính định dạng khác (.xls, .ods…): chưa đọc được. Nếu đây là báo cáo của một đơn "
            "vị, hãy mở bằng Excel, lưu thành .xlsx (Sổ làm việc Excel) rồi gửi lại."))
    if suffix not in FORM_SUFFIXES:
        return Submission(source, _modified(path), None, Issue(
            WARNING, source, None, None, "not-a-workbook", "Bỏ qua tệp này: không phải tệp Excel."))
    try:
        file = read_file_once(path)
        def judge(grid):
            form = read_form(grid, catalogue, returned=True)
            reading = add_notices(set_aside_non_form(form), grid)
            typed = typed_date(grid, reading.sheet) if reading.form is not None else None
            return reading, typed, date_line_cell(grid, reading.sheet)

        reading, typed, where = judge_file(path, judge, file=file)
        doubt = impossible_date(reading, typed, file.modified.date(), where) if typed else None
        if doubt is not None:
            typed = None
            reading = replace(reading, issues=reading.issues + (doubt,))
    except WorkbookError as error:
        return Submission(source, _modified(path), None,
                          Issue(ERROR, source, error.sheet, error.cell, error.rule, error.message))
    if source != str(path):
        reading = _renamed(reading, source)
    return Submission(source, file.modified, reading, typed_date=typed)


def _renamed(reading, source: str):
    """A reading whose file name is not valid UTF-8: shown with its bytes escaped, and named."""

    issues = tuple(replace(i, file=source) for i in reading.issues)
    issues += (
        Issue(
            WARNING,
            source,
            None,
            None,
            "file-name",
            "Tên tệp có ký tự không hợp lệ (không phải UTF-8): vẫn đọc được, nhưng hãy đổi tên "
            "tệp.",
        ),
    )
    return replace(reading, source=source, issues=issues)


def read_book(path: Path, plan: Plan, catalogue: Catalogue) -> list[Submission]:
    """Forms pasted into one workbook, one sheet per unit."""
    file = read_file_once(path)

    def judge(grid) -> list[Submission]:
        found = read_form_sheets(grid, plan, catalogue, file.modified)
        if grid.notices:  # cells left out: said once, about the book
            found.insert(0, Submission(str(path), file.modified, None, grid.notices[0]))
        return found

    return judge_file(path, judge, file=file)
