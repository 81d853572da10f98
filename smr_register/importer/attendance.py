"""Importing one attendance list: its rows decided and written a chunk at a time, as one batch.

The register is loaded into memory once per command (`index.RegisterIndex`); each row is decided
there (`deciding.Decider`, identity by `matching`) and written through the store (`writing`) in
chunks of multi-row Core inserts, by a thread of their own (`Background`) while the next chunk
is decided, all in the caller's one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from itertools import islice
from typing import Any

from sqlmodel import Session

from smr_register import db
from smr_register.importer.background import Background
from smr_register.importer.deciding import Decider
from smr_register.importer.index import RegisterIndex
from smr_register.importer.reading import Table
from smr_register.importer.reasons import Outcome
from smr_register.importer.report import FileReport
from smr_register.importer.writing import (
    CreditHistory,
    import_rows,
    open_batch,
    raw_encoder,
    write_history,
)
from smr_register.store import imports as import_store
from smr_register.store.history import Change

# Rows decided and written per round trip: bounds memory, and each chunk's credits are checked
# against the register with one query.
CHUNK = 5000


def import_attendance(session: Session, change: Change, index: RegisterIndex, table: Table,
                      report: FileReport, *, provider: str | None, keep_cells: bool,
                      today: date, progress: Callable[[int], None] | None = None) -> None:
    """Decide and write every row of `table` as one batch in `session`'s transaction."""
    index.catch_up()
    batch_id = open_batch(session, change, "attendance", table, report)
    decider = Decider(index, table, provider, keep_cells, today)
    history = CreditHistory(change, batch_id, table.name)
    writer = Background(threaded=db.shareable_across_threads(session))
    try:
        _decide_and_write(session, writer, decider, table, report, batch_id, change, history,
                          progress)
        report.recount()
        write_history(session, change, report, history, writer)
        writer.close()
    except BaseException:
        writer.close(abandon=True)
        raise
    # The next file of the same command sees this one's credits and held rows.
    index.remember(batch_id, decider.in_file, decider.held_in_file)


def _decide_and_write(session: Session, writer: Background, decider: Decider, table: Table,
                      report: FileReport, batch_id: int, change: Change,
                      history: CreditHistory, progress: Callable[[int], None] | None) -> None:
    """Rows decided a chunk at a time; each chunk's rows and credits written by `writer`
    while the next chunk is decided."""
    decide, settle, encode = decider.decide, decider.settle, raw_encoder(table.headers)
    index, credited = decider.index, Outcome.CREDITED
    for chunk in _chunks(table.rows(), CHUNK):
        results = [decide(number, cells) for number, cells in chunk]
        if decider.keep_cells:
            for result, (_number, cells) in zip(results, chunk, strict=True):
                result.cells = cells
        runs = {r.run_id for r in results if r.outcome == credited and r.run_id}
        if not runs <= index.runs_with_credits:  # read the register, between the writes
            writer.call(index.load_credits, session, runs)
        results = [settle(result) for result in results]
        history.add(results)
        report.rows.extend(results)
        writer.submit(import_store.insert_import_rows, session,
                      import_rows(batch_id, results, encode([cells for _n, cells in chunk])))
        # The credits follow from the rows decided `credited`: one INSERT ... SELECT, no
        # per-row round trip through Python.
        writer.submit(import_store.credit_import_rows, session, batch_id, change.at,
                      (chunk[0][0], chunk[-1][0]))
        if progress is not None:
            progress(len(chunk))


def _chunks(rows: Iterator[tuple[int, list[Any]]], size: int) -> Iterator[list[tuple[int, Any]]]:
    while chunk := list(islice(rows, size)):
        yield chunk
