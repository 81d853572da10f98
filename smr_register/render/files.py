"""The one atomic file writer: a reader never sees half a report.

A temp file in the target's directory, given the permissions `open(path, "w")` would leave, is
renamed over the target only when everything was written.
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from smr_register.domain.i18n import _
from smr_register.errors import InputFileError


class atomic_path:  # noqa: N801 - used as a context manager, reads like one
    """Yield a temp path beside `path`; rename it over `path` only if the block succeeds."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.tmp: Path | None = None

    def __enter__(self) -> Path:
        directory = self.path.parent if str(self.path.parent) else Path()
        if not directory.is_dir():
            raise InputFileError(_("{path}: directory {directory} does not exist").format(
                                   path=self.path, directory=directory))
        try:
            fd, name = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp",
                                        dir=directory)
        except OSError as error:
            raise InputFileError(_("{path}: cannot write ({strerror})").format(
                                   path=self.path, strerror=error.strerror)) from None
        os.close(fd)
        self.tmp = Path(name)
        return self.tmp

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        assert self.tmp is not None
        if exc_type is not None:
            self.tmp.unlink(missing_ok=True)
            if isinstance(exc, OSError):  # a full disk, a quota: one message, exit 3
                raise InputFileError(_("{path}: cannot write ({exc})").format(
                                       path=self.path, exc=exc.strerror or exc)) from None
            return
        try:
            self.tmp.chmod(_mode_for(self.path))
            self.tmp.replace(self.path)
        except OSError as error:
            self.tmp.unlink(missing_ok=True)
            raise InputFileError(_("{path}: cannot write ({strerror})").format(
                                   path=self.path, strerror=error.strerror)) from None


def _mode_for(path: Path) -> int:
    """The permissions `open(path, "w")` would leave: the file's own when it exists, else
    0o666 less the umask. (mkstemp makes its file 0o600: a nightly public report written
    for a web server to serve would be readable by its owner only.)"""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextmanager
def output_stream(path: Path | None) -> Iterator[IO[str]]:
    """stdout, or a UTF-8 text file written atomically."""
    if path is None:
        yield sys.stdout
        return
    try:
        with atomic_path(path) as tmp, tmp.open("w", encoding="utf-8", newline="") as stream:
            yield stream
    except OSError as exc:
        raise InputFileError(_("{path}: cannot write ({strerror})").format(
                               path=path, strerror=exc.strerror)) from None
