"""The import's background writer: abandoning it waits for the running statement only, and
returns even when statements were still queued (a queued future, once cancelled, is never
'done' for concurrent.futures.wait: waiting on it hung an interrupted import)."""

from __future__ import annotations

import threading
import time

from smr_register.importer.background import Background


def test_abandon_with_queued_statements_returns_after_the_running_one() -> None:
    ran: list[int] = []
    writer = Background()
    for n in range(5):
        writer.submit(lambda n=n: (time.sleep(0.2), ran.append(n)))
    closed = threading.Event()
    thread = threading.Thread(target=lambda: (writer.close(abandon=True), closed.set()))
    thread.start()
    thread.join(timeout=10)
    assert closed.is_set(), "close(abandon=True) hung on cancelled statements"
    assert ran == [0]  # the running one finished; the queued ones never started


def test_close_waits_for_every_statement() -> None:
    ran: list[int] = []
    writer = Background()
    for n in range(3):
        writer.submit(lambda n=n: (time.sleep(0.05), ran.append(n)))
    writer.close()
    assert ran == [0, 1, 2]
