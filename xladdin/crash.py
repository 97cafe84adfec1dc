"""Where the details of an unexpected failure go: a new private file each time.

Never a fixed name in a shared temp folder (another user could plant a symlink there,
and two runs would overwrite each other's log): ``mkstemp`` in ``~/.cache/xladdin/logs``
(``%LOCALAPPDATA%\\xladdin\\logs`` on Windows), a folder only this user can read, or
else ``mkstemp`` in the system temp folder.
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from pathlib import Path


def crash_log(text: str) -> Path | None:
    """Write the details of an unexpected failure to a new private file; its path (None
    when nowhere could be written).  Never a fixed name in a shared temp folder: another
    user could plant a symlink there, and two runs would overwrite each other."""
    for folder in (_private_log_folder(), None):
        try:
            handle, name = tempfile.mkstemp(prefix="xladdin-error-", suffix=".log", dir=folder)
            with os.fdopen(handle, "w", encoding="utf-8", errors="backslashreplace") as log:
                log.write(text)
            return Path(name)
        except OSError:
            continue
    return None


def _private_log_folder() -> str | None:
    """``~/.cache/xladdin/logs`` (``%LOCALAPPDATA%\\xladdin\\logs`` on Windows), ours only."""
    if sys.platform.startswith("win"):
        base = os.environ.get("LOCALAPPDATA")
    else:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    if not base:
        return None
    folder = os.path.join(base, "xladdin", "logs")
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        info = os.lstat(folder)
        if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode):
            return None
        if hasattr(os, "getuid") and (info.st_uid != os.getuid() or info.st_mode & 0o077):
            return None  # not ours alone: mkstemp in the system temp folder instead
    except OSError:
        return None
    return folder
