"""Writing an import through the store: its batch, its rows, its history, the batch's counts.

One batch per file; one import row per sheet row with its outcome, reason, message, the original
cells as JSON (`smr import show`) and, for a held row, its identity and candidate coaches; one
history row per coach credited (so `smr history` shows the coach's credits, with batch, file
and rows) and one for the batch with its totals. The credits themselves follow from the rows
decided `credited` (`import_store.credit_import_rows`).
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from os.path import commonprefix
from typing import Any

from sqlmodel import Session

from smr_register.domain.values import format_decimal
from smr_register.importer.background import Background
from smr_register.importer.reading import Table
from smr_register.importer.reasons import PLAIN, Outcome
from smr_register.importer.report import FileReport, RowResult
from smr_register.store import history as history_store
from smr_register.store import imports as import_store
from smr_register.store.history import Change


def open_batch(session: Session, change: Change, kind: str, table: Table,
               report: FileReport) -> int:
    """Start the batch record of one file; note earlier (not undone) imports of the same file."""
    earlier = import_store.batches_of_file(session, kind, table.sha256)
    report.earlier_batches = [b.id for b in earlier if b.undone_at is None]
    report.batch = import_store.insert_batch(session, {
        "kind": kind, "file_name": table.name, "sha256": table.sha256,
        "sheet": table.sheet, "imported_at": change.at, "actor": change.actor},
        dry_run=report.dry_run)
    return report.batch


def import_rows(batch_id: int, results: Sequence[RowResult],
                raws: Sequence[str]) -> list[tuple[Any, ...]]:
    """The rows' values for `import_store.insert_import_rows`, in the order of
    `import_store.IMPORT_ROW_COLUMNS` (a tuple per row, no dict); `raws` are their cells as JSON
    (`raw_encoder`)."""
    plain = PLAIN.__getitem__
    held = Outcome.HELD
    return [(batch_id, r.row, plain(r.outcome), plain(r.reason), r.message, raw, r.coach_id,
             r.run_id, _review(r) if r.outcome == held else None)
            for r, raw in zip(results, raws, strict=True)]


def _review(result: RowResult) -> str:
    """A held row's identity and candidate coaches, for the reviewer and for the next import
    of the same row."""
    return json.dumps({"identity": result.identity, "coaches": result.candidates or []},
                      ensure_ascii=False)


def credit_entry(course: str, run_date: date | None, points: Decimal,
                 row: int | None) -> dict[str, Any]:
    """One credit as a coach's history row lists it (import and undo alike)."""
    return {"course": course, "run_date": run_date.isoformat() if run_date else None,
            "points": format_decimal(points), "row": row}


class CreditHistory:
    """Each coach's credits of one batch, gathered a chunk at a time, for their history rows.

    A coach's row is what `history_store.history_values` writes for
    after={"batch", "credits", "file"}.
    Encoding a dict per credit would cost an import of 100,000 rows 0.3 s of its 4.5 s, so the
    text is taken from `history_store.history_values`' own output instead: once per course run,
    its text
    with row 0 and with row 1 (which differ in that digit alone) give the text around a row
    number, and each credit is that text with its row filled in. Nothing here knows the keys'
    order, the escaping or the separators.
    """

    def __init__(self, change: Change, batch_id: int, file_name: str) -> None:
        self.change, self.batch_id, self.file_name = change, batch_id, file_name
        self.per_coach: dict[int, list[str]] = defaultdict(list)  # coach_id -> credits' text
        self._runs: dict[int, tuple[str, str]] = {}  # run_id -> its credit's text around row
        self._head, self._tail = _around_number(lambda n: self._after([n]))
        both = self._after([0, 0])
        self._separator = both[len(self._head) + 1:len(both) - len(self._tail) - 1]

    def _after(self, entries: list[Any]) -> str:
        after = history_store.history_values(self.change, entity="point_credit", action="import",
                                             after={"batch": self.batch_id, "credits": entries,
                                                    "file": self.file_name})["after"]
        if not isinstance(after, str):
            raise TypeError("history_store.history_values no longer gives `after` as text: "
                            "CreditHistory takes its credits' text from it")
        return after

    def add(self, results: Sequence[RowResult]) -> None:
        """Take in the credited rows of a chunk (after `Decider.settle`)."""
        runs, per_coach, credited = self._runs, self.per_coach, Outcome.CREDITED
        for result in results:
            if result.outcome != credited:
                continue
            around = runs.get(result.run_id or 0)
            if around is None:
                around = runs[result.run_id or 0] = self._around_row(result)
            per_coach[result.coach_id or 0].append(f"{around[0]}{result.row}{around[1]}")

    def _around_row(self, result: RowResult) -> tuple[str, str]:
        """The text of a credit of the result's course run before and after its row number."""
        before, after = _around_number(lambda row: self._after([credit_entry(
            result.course or "", result.run_date, result.points or Decimal(0), row)]))
        return before[len(self._head):], after[:len(after) - len(self._tail)]

    def rows(self) -> list[dict[str, Any]]:
        """One history row per coach credited, with the batch, the file and the credits."""
        head, tail, separator = self._head, self._tail, self._separator
        return [history_store.history_values(self.change, entity="point_credit", action="import",
                                             entity_id=self.batch_id, coach_id=coach_id)
                | {"after": head + separator.join(texts) + tail}
                for coach_id, texts in self.per_coach.items()]


def _around_number(text_of: Callable[[int], str]) -> tuple[str, str]:
    """The text before and after the number in `text_of(number)`, where nothing but the number
    changes with it."""
    zero, one = text_of(0), text_of(1)
    at = len(commonprefix([zero, one]))
    if zero[at:at + 1] != "0" or one[at:at + 1] != "1" or zero[at + 1:] != one[at + 1:]:
        raise ValueError(f"no single number to fill in: {zero!r}")
    return zero[:at], zero[at + 1:]


def write_history(session: Session, change: Change, report: FileReport,
                  history: CreditHistory | None = None,
                  writer: Background | None = None) -> None:
    """The history rows of a batch (one per coach credited, one for the batch with its
    totals), then the batch's counts. Written by `writer` when given, else at once."""
    batch_id = report.batch
    assert batch_id is not None
    t = report.totals()
    rows = history.rows() if history is not None else []
    rows.append(history_store.history_values(change, entity="import_batch", action="import",
                                             entity_id=batch_id,
                                             after={"kind": report.kind, "file": report.path.name,
                                                    "sha256": report.sha256, "sheet": report.sheet,
                                                    **t}))
    counts = {"rows_read": t["rows"], "credited": t["credited"] + t["added"],
              "held": t["held"], "rejected": t["rejected"], "skipped": t["skipped"],
              "duplicates": t["duplicate"]}
    if writer is None:
        history_store.insert_history(session, rows)
        import_store.update_batch(session, batch_id, counts)
    else:
        writer.submit(history_store.insert_history, session, rows)
        writer.submit(import_store.update_batch, session, batch_id, counts)


# ---- the original cells as JSON ---------------------------------------------------------------

# json's own C string escaper (what json.dumps uses with ensure_ascii=False)
_ESCAPE: Callable[[str], str] = json.encoder.encode_basestring  # type: ignore[attr-defined]


def _cell_json(key: str, value: Any) -> str:
    """`"header": value` for a non-empty cell, else "": 4512.0 as 4512, dates as ISO text."""
    kind = type(value)
    if kind is str:
        return key + _ESCAPE(value) if value else ""
    if value is None:
        return ""
    if kind is float and math.isfinite(value):
        return key + (str(int(value)) if value.is_integer() else repr(value))
    if kind is int:
        return key + str(value)
    if kind is bool:
        return key + ("true" if value else "false")
    if isinstance(value, date):
        return key + '"' + value.isoformat() + '"'
    return key + _ESCAPE(str(value))


class _ColumnJson(dict[Any, str]):
    """One column's cells as JSON fragments, each distinct value encoded once: a sheet repeats
    its course codes, titles, dates and names on row after row."""

    __slots__ = ("key",)

    def __init__(self, key: str) -> None:
        super().__init__()
        self.key = key

    def __missing__(self, value: Any) -> str:
        part = _cell_json(self.key, value)
        # True == 1 == 1.0 as dict keys, but true is not 1 in JSON: those are not kept.
        if type(value) is str or not (value == 0 or value == 1):
            self[value] = part
        return part


# Distinct values kept per column before its fragments are dropped (memory stays bounded).
_COLUMN_JSON_MAX = 50_000


def raw_encoder(headers: list[str]) -> Callable[[list[list[Any]]], list[str]]:
    """A function writing rows' non-empty cells as JSON objects keyed by header, for
    import_row.raw (`smr import show`): 4512.0 as 4512, dates as ISO text. Written by hand
    because it runs for every row: column by column, each distinct value encoded once, the
    lookups and joins done by C loops (a third of json.dumps on a dict per row)."""
    keys = [_ESCAPE(h) + ": " for h in headers]
    columns = [_ColumnJson(key) for key in keys]
    width = len(headers)

    def one(cells: list[Any]) -> str:
        return "{" + ", ".join(filter(None, map(_cell_json, keys, cells))) + "}"

    def encode(rows: list[list[Any]]) -> list[str]:
        if not rows:
            return []
        if min(map(len, rows)) < width:
            return [one(cells) for cells in rows]
        try:
            parts = [list(map(fragments.__getitem__, cells)) for fragments, cells
                     in zip(columns, zip(*rows, strict=False), strict=False)]
        except TypeError:  # an unhashable cell: no reuse
            return [one(cells) for cells in rows]
        for fragments in columns:
            if len(fragments) > _COLUMN_JSON_MAX:
                fragments.clear()
        return ["{" + ", ".join(filter(None, row)) + "}" for row in zip(*parts, strict=True)]

    return encode


def raw_json(headers: list[str], cells: list[Any]) -> str:
    """The row's original cells as JSON (see `raw_encoder`)."""
    return raw_encoder(headers)([cells])[0]
