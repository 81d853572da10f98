"""Ctrl-C during an import's writes: taken at the next safe point, never in the middle of one.

A KeyboardInterrupt raised at an arbitrary bytecode can land inside a lock's acquisition in the
writer thread's machinery (concurrent.futures, threading) and leave that lock held: the import
then hung, or (CPython 3.11, bpo-45274) took a still-running thread for stopped and rolled back
beside its INSERT. While the rows are written, Ctrl-C only marks the request; the import raises
KeyboardInterrupt itself between chunks (`check`), where stopping the writer and rolling back
are safe, a fraction of a second later.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_requested = threading.Event()


@contextmanager
def deferred() -> Iterator[None]:
    """Within the block, Ctrl-C is a request that `check` turns into KeyboardInterrupt."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signals reach the main thread only; nothing to defer here
        return
    _requested.clear()
    previous: Any = signal.signal(signal.SIGINT, _request)
    try:
        yield
        check()
    finally:
        signal.signal(signal.SIGINT, previous)


def check() -> None:
    """Raise KeyboardInterrupt if Ctrl-C was pressed since the block began."""
    if _requested.is_set():
        _requested.clear()
        raise KeyboardInterrupt


def _request(_signum: int, _frame: object) -> None:
    _requested.set()
