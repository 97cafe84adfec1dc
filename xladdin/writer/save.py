"""Writing a workbook atomically: a temporary file in the same folder, then a rename.

An officer's folder never holds a half-written workbook, and an existing file is only
replaced once the new one is complete.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from ..errors import OutputError
from ..os_messages import os_reason


def atomic_write(path: str | os.PathLike, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp_path)`` then move the file to ``path``; clean up on failure."""
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, tmp_name = tempfile.mkstemp(
            prefix=".~xladdin-", suffix=target.suffix or ".tmp", dir=target.parent
        )
        os.close(handle)
    except OSError as error:
        raise OutputError(
            f"Không tạo được tệp trong thư mục {target.parent}: {os_reason(error)}."
        ) from None
    tmp = Path(tmp_name)
    try:
        write(tmp)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it private; give it normal rights
        os.replace(tmp, target)
    except OSError as error:
        tmp.unlink(missing_ok=True)
        raise OutputError(
            f"Không ghi được {target}: {os_reason(error)}."
        ) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
