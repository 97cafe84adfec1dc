"""Writing every file xladdin makes: one atomic writer, and where crash logs go.

:func:`atomic_write` writes a temporary file (prefix :data:`TEMP_PREFIX`, so readers can
skip one left by a killed run) in the target's folder, then renames it over the target:
an officer's folder never holds a half-written file, and the old file stays intact
until the new one is complete (a full disk or an over-long name is a clear
:class:`OutputError`, the old file untouched).  The new file gets the rights any file
the user makes gets (umask), or the old file's rights when it replaces one.

:func:`refuse_clobbering` makes sure no output is, or resolves to, an input or another
output (symlinks, hard links, ``--json`` = ``--out``).
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from ..errors import OutputError, UsageError
from ..os_messages import os_reason

TEMP_PREFIX = ".~xladdin-"  # every temporary file xladdin makes beside its outputs


def atomic_write(path: str | os.PathLike, write: Callable[[Path], object]) -> Path:
    """Call ``write(tmp_path)`` then move the file to ``path``; clean up on failure."""
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, tmp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=target.suffix[:16] or ".tmp",
                                            dir=target.parent)
        os.close(handle)
    except OSError as error:
        raise OutputError(
            f"Không tạo được tệp trong thư mục {target.parent}: {_why(error)}"
        ) from None
    tmp = Path(tmp_name)
    try:
        write(tmp)
        os.chmod(tmp, _mode_for(target))  # mkstemp makes it private; give it normal rights
        os.replace(tmp, target)
    except BaseException as error:
        tmp.unlink(missing_ok=True)
        cause = _os_error(error)
        if cause is None:
            raise
        raise OutputError(
            f"Không ghi được {target}: {_why(cause)} Tệp cũ (nếu có) vẫn giữ nguyên."
        ) from None
    return target


def atomic_write_text(path: str | os.PathLike, text: str) -> Path:
    """A text file (UTF-8), atomically."""
    data = text.encode("utf-8")
    def write(tmp: Path) -> None:
        tmp.write_bytes(data)

    return atomic_write(path, write)


def _mode_for(target: Path) -> int:
    """The old file's rights when it is replaced, else what the umask gives a new file."""
    try:
        info = target.stat()
        if stat.S_ISREG(info.st_mode):
            return stat.S_IMODE(info.st_mode)
    except OSError:
        pass
    return 0o666 & ~_umask()


def _umask() -> int:
    """The process umask, read without changing it where the system allows (threads)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _os_error(raised: BaseException) -> OSError | None:
    """The OSError behind ``raised`` (XlsxWriter wraps it in its own exception)."""
    seen = 0
    error: BaseException | None = raised
    while error is not None and seen < 5:
        if isinstance(error, OSError):
            return error
        inner = next((a for a in getattr(error, "args", ()) if isinstance(a, OSError)), None)
        error = inner or error.__cause__ or error.__context__
        seen += 1
    return None


def _why(error: OSError) -> str:
    """Why a write failed and what to do, in Vietnamese."""
    advice = {
        errno.ENOSPC: "hãy giải phóng dung lượng rồi chạy lại.",
        errno.EDQUOT: "hãy giải phóng dung lượng rồi chạy lại.",
        errno.ENAMETOOLONG: "hãy chọn tên ngắn hơn.",
        errno.EROFS: "hãy chọn thư mục khác.",
    }.get(error.errno or 0, "")
    return f"{os_reason(error)}." + (f" {advice[0].upper()}{advice[1:]}" if advice else "")


def refuse_clobbering(inputs: Iterable[str | os.PathLike | None],
                      outputs: Iterable[str | os.PathLike | None]) -> None:
    """A :class:`UsageError` when an output is, or resolves to, an input or another output."""
    ins = {_identity(Path(p)): Path(p) for p in inputs if p is not None}
    seen: dict[tuple, Path] = {}
    for out in (Path(p) for p in outputs if p is not None):
        key = _identity(out)
        if key in ins:
            raise UsageError(
                f"Tệp kết quả {out} trùng với tệp đầu vào {ins[key]}: hãy chọn tên khác "
                "(xladdin không bao giờ ghi đè tệp đầu vào)."
            )
        if key in seen:
            raise UsageError(
                f"Hai tệp kết quả trùng nhau ({seen[key]} và {out}): hãy chọn hai tên khác nhau."
            )
        seen[key] = out


def _identity(path: Path) -> tuple:
    """What a path is on disk: its inode when it exists (symlinks and hard links alike),
    else where it resolves to (``sub/../form.xlsx`` is ``form.xlsx``)."""
    try:
        resolved = os.path.realpath(path)
    except (OSError, ValueError):
        resolved = os.path.abspath(path)
    for candidate in (path, resolved):
        try:
            info = os.stat(candidate)
            return ("inode", info.st_dev, info.st_ino)
        except (OSError, ValueError):
            continue
    return ("path", os.path.normcase(resolved))
