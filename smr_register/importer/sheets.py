"""What deciding the rows of an agenda or a coaches sheet shares: lines screened, cells by field.

Each row is decided against the register loaded into dicts once, with the checks of the
register's own write operations; what the rows add is written at once at the end (an
attendance list has its own chunked path in `deciding`). A cell
that cannot be taken in raises `RowProblem` carrying the row's rejection, with the sheet's own
column name so the provider can find the cell.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlmodel import Session

from smr_register.domain.i18n import _
from smr_register.importer import cells as clean
from smr_register.importer.reading import Table
from smr_register.importer.reasons import Outcome, Reason
from smr_register.importer.report import FileReport, RowResult
from smr_register.importer.writing import import_rows, open_batch, raw_encoder, write_history
from smr_register.store import imports as import_store
from smr_register.store.history import Change


def import_sheet(session: Session, change: Change, kind: str, table: Table,
                 report: FileReport, decide: Callable[[int, list[Any]], RowResult],
                 write: Callable[[], None],
                 load: Callable[[list[tuple[int, list[Any]]]], None] | None = None) -> None:
    """Decide every row of a sheet in memory (`decide(number, cells)` once `screen_line` lets
    it through), `write()` what the decisions add to the register (giving the rows their ids),
    then write the rows and the history of the batch, all in `session`. `load(rows)` sees
    every (number, cells) first, to load what of the register the rows name."""
    batch_id = open_batch(session, change, kind, table, report)
    rows = list(table.rows())  # kept in the report (`result.cells`) in any case
    if load is not None:
        load(rows)
    lines: dict[tuple[Any, ...], int] = {}
    for number, cells in rows:
        screened = screen_line(number, cells, lines)
        result = screened if screened is not None else decide(number, cells)
        result.cells = cells
        report.add(result)
    write()
    encode = raw_encoder(table.headers)
    import_store.insert_import_rows(session, import_rows(
        batch_id, report.rows, encode([result.cells or [] for result in report.rows])))
    write_history(session, change, report)


class RowProblem(Exception):
    """A row that cannot be taken in; `result` is its rejection."""

    def __init__(self, result: RowResult) -> None:
        super().__init__(result.message)
        self.result = result


def cell(table: Table, cells: list[Any], key: str) -> Any:
    """The row's cell of field `key` (columns.py), None where the sheet has no such column."""
    index = table.columns.get(key)
    return None if index is None else cells[index]


def header(table: Table, key: str) -> str | None:
    """The sheet's own header of field `key`, None where the sheet has no such column."""
    index = table.columns.get(key)
    return None if index is None else table.headers[index]


def problem(table: Table, number: int, key: str, reason: Reason, message: str,
            value: Any = None) -> RowProblem:
    """The rejection of row `number` for its cell of field `key`, to raise."""
    return RowProblem(RowResult(number, Outcome.REJECTED, reason, message,
                                column=header(table, key), value=value))


T = TypeVar("T")


def read_cell(table: Table, number: int, cells: list[Any], key: str,
              parse: Callable[[Any, str], T]) -> T:
    """The cell of field `key` read by `parse(value, header)` (a `cells` reader); a value it
    cannot read raises the row's rejection (`RowProblem`) with the reader's reason."""
    raw = cell(table, cells, key)
    try:
        return parse(raw, header(table, key) or key)
    except clean.CellProblem as unreadable:
        raise problem(table, number, key, unreadable.slug, unreadable.message, raw) from None


def screen_line(number: int, cells: list[Any],
                lines: dict[tuple[Any, ...], int]) -> RowResult | None:
    """The outcome of a blank, total or repeated line, or None for a line to decide (`lines`
    remembers each line's first row number)."""
    if all(clean.is_empty(c) for c in cells):
        return RowResult(number, Outcome.SKIPPED, Reason.BLANK_ROW)
    if clean.is_total_row(cells):
        return RowResult(number, Outcome.SKIPPED, Reason.TOTAL_ROW)
    line = tuple(cells)
    if line in lines:
        return RowResult(number, Outcome.DUPLICATE, Reason.DUPLICATE_IN_FILE,
                         _("the same line as row {lines}").format(lines=lines[line]))
    lines[line] = number
    return None
