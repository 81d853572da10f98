"""An import's database statements, run in order on a thread of their own beside the deciding.

SQLite works through a statement without holding Python's GIL: while this thread inserts one
chunk of rows, the main thread decides the next. The statements still run one at a time, in
the order given, in the caller's one transaction; the main thread leaves the session alone
while the thread lives (what it must read, it asks for with `call`). The first failure stops
the statements that follow; the main thread raises it at its next `submit`, `call` or `close`.
`close` always waits for the thread, so a rollback never races a statement. Where the
connection may not leave its thread (SQLite in memory), the statements run at once instead.

While the thread lives, Python hands the GIL over every millisecond instead of every five:
the thread needs it briefly before and after each statement, and waiting five milliseconds
each time left it a quarter of a second behind the deciding at the end of a large file.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import Any

# Seconds between GIL hand-overs while statements run beside the deciding (default 0.005).
SWITCH_INTERVAL = 0.001


class Background:
    """Statements run in order on one thread; see the module's docstring."""

    def __init__(self, *, threaded: bool = True) -> None:
        self._pool = (ThreadPoolExecutor(max_workers=1, thread_name_prefix="smr-import")
                      if threaded else None)
        self._failure: BaseException | None = None
        self._futures: list[Future[Any]] = []  # submitted, not yet known to be done
        self._abandoned = False
        self._switch_interval = sys.getswitchinterval()
        if threaded:
            sys.setswitchinterval(min(SWITCH_INTERVAL, self._switch_interval))

    def submit(self, fn: Callable[..., Any], *args: Any) -> None:
        """Run `fn(*args)` after everything submitted before; its failure is raised later."""
        self._raise_failure()
        if self._pool is None:
            fn(*args)
        else:
            self._track(self._pool.submit(self._run, fn, args))

    def call(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Run `fn(*args)` after everything submitted before and wait for its result."""
        self._raise_failure()
        if self._pool is None:
            return fn(*args)
        future = self._track(self._pool.submit(self._run, fn, args))
        result = future.result()
        self._raise_failure()
        return result

    def close(self, *, abandon: bool = False) -> None:
        """Wait for the statements submitted (`abandon`: only the one running), then raise
        the first failure, if any (not when abandoning: the caller is raising already).

        The wait is on the statements' futures, not on the thread: in CPython 3.11 a Ctrl-C
        during `Thread.join` can leave the thread marked as stopped while it still runs
        (bpo-45274), and a rollback then raced the running INSERT, whose remaining rows SQLite
        committed one by one (history rows of a batch that was never written)."""
        if self._pool is not None:
            try:
                if abandon:
                    self._abandoned = True  # what has not started yet never starts
                    self._pool.shutdown(wait=False, cancel_futures=True)
                # A future cancelled in the queue is never "done" for wait(): no worker will
                # take it to notify; waiting on it hung an interrupted import for ever.
                wait([f for f in self._futures if not f.cancelled()])
                self._pool.shutdown(wait=True)
            finally:
                sys.setswitchinterval(self._switch_interval)
        if not abandon:
            self._raise_failure()

    def _track(self, future: Future[Any]) -> Future[Any]:
        self._futures = [f for f in self._futures if not f.done()]
        self._futures.append(future)
        return future

    def _run(self, fn: Callable[..., Any], args: tuple[Any, ...]) -> Any:
        if self._failure is not None or self._abandoned:
            return None
        try:
            return fn(*args)
        except BaseException as exc:  # Ctrl-C in a statement included: the caller raises it
            self._failure = exc
            return None

    def _raise_failure(self) -> None:
        if self._failure is not None:
            raise self._failure
