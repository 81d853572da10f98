"""Replace the website's folder in one step: a reader sees the old site or the new, never half.

The new site is written into a fresh directory beside `--output` and then swapped in: on Linux
with one `renameat2(RENAME_EXCHANGE)` (there is no moment without a site), elsewhere with two
renames (old aside, new in). A folder holding anything the site does not consist of is refused,
not replaced: `--output ~` must never wipe a home directory.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

from smr_register.domain.i18n import _
from smr_register.errors import InputFileError, UsageError


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically (Linux, glibc >= 2.28); False where the system cannot."""
    if sys.platform != "linux":
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second),
                     rename_exchange) == 0


def _check_target(target: Path, names: set[str]) -> None:
    """Refuse what is not a site we may replace: a file, a link, a folder with other files."""
    if not target.parent.is_dir():
        raise InputFileError(_("{target}: directory {parent} does not exist").format(
            target=target, parent=target.parent))
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise UsageError(_("{target}: not a directory (give a new or empty directory, or one "
                           "smr publish wrote before)").format(target=target))
    if target.is_dir():
        foreign = sorted(entry.name for entry in target.iterdir() if entry.name not in names)
        if foreign:
            shown = ", ".join(foreign[:3]) + (", ..." if len(foreign) > 3 else "")
            raise UsageError(_("{target}: holds files the website does not consist of ({shown}); "
                               "give a new or empty directory, or one smr publish wrote before"
                               ).format(target=target, shown=shown))


def replace_directory(target: Path, files: Mapping[str, bytes]) -> None:
    """Make `target` hold exactly `files` (name -> content), swapped in whole."""
    target = Path(target).absolute()  # ".": its parent and name, not "." itself
    _check_target(target, set(files))
    umask = _umask()
    try:
        fresh = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".new",
                                      dir=target.parent))
    except OSError as error:
        raise InputFileError(f"{target}: cannot write ({error.strerror})") from None
    try:
        for name, content in files.items():
            path = fresh / name
            path.write_bytes(content)
            path.chmod(0o666 & ~umask)  # as `open()` would: a web server must read them
        fresh.chmod(0o777 & ~umask)  # mkdtemp makes it 0o700
        if not target.exists():
            fresh.rename(target)
        elif _exchange(fresh, target):
            shutil.rmtree(fresh, ignore_errors=True)  # it holds the old site now
        else:
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old",
                                        dir=target.parent))
            target.replace(old)
            try:
                fresh.rename(target)
            except OSError:
                old.replace(target)
                raise
            shutil.rmtree(old, ignore_errors=True)
    except OSError as error:
        shutil.rmtree(fresh, ignore_errors=True)
        raise InputFileError(f"{target}: cannot write ({error.strerror})") from None
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
