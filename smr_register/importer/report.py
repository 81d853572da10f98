"""The per-row report of an import: every row with what became of it, and its rendering.

Outcomes: `credited` (attendance) or `added` (agenda, coaches); `held` for review; `rejected`
with a reason; `duplicate` (already in the register or earlier in the file: nothing new);
`skipped` (blank and total rows). Each row not simply credited carries a stable reason slug
(`reasons.Reason`, the contract with scripts and with `smr import show`), a message for people, and
where it applies the column and the raw value it is about. A credited row may carry a note
(`points-differ`) in the same fields.

JSON (`--format json`), schema_version 1, one document per command:

    {"schema_version": 1, "kind": "attendance", "dry_run": false, "exit_code": 1,
     "files": [{"file": "lijst.xlsx", "sha256": "...", "type": "xlsx", "sheet": "Blad1",
                "encoding": null, "delimiter": null, "header_row": 3,
                "columns": {"reg_no": "Reg.nr", ...}, "unknown_columns": ["Opmerking"],
                "batch": 12, "earlier_batches": [],
                "totals": {"rows": 10, "credited": 6, "added": 0, "held": 1, "rejected": 1,
                           "duplicate": 0, "skipped": 2},
                "reasons": {"rejected": {"unknown-course": 1}, "held": {"near-match": 1}},
                "valid": false,
                "rows": [{"row": 4, "outcome": "credited", "reason": null, "message": null,
                          "column": null, "value": null, "coach": "004512",
                          "course": "C-2024-017", "date": "2024-05-14", "points": "1.5",
                          "candidates": [], "cells": {"Reg.nr": 4512, ...}}, ...]}]}

`batch` is null in a dry run. `candidates` (held rows) name registered coaches, with why each
is proposed: the table and csv show them too. The xlsx report that goes back to the provider
shows only what the public register shows of them (number and name of active coaches), so the
provider can correct a number or a name; birth dates and states stay with the register's staff.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from smr_register.domain.i18n import _, ngettext, term
from smr_register.importer.reading import SheetRead
from smr_register.importer.reasons import OUTCOMES, Outcome, Reason
from smr_register.render.cells import (
    Column,
    candidates_text,
    jsonable,
    key_column,
    public_candidates_text,
)

SCHEMA_VERSION = 1

@dataclass(slots=True)
class RowResult:
    """What became of one row; `cells` are the original values (kept for reports only)."""

    row: int
    outcome: Outcome
    reason: Reason | None = None
    message: str | None = None
    column: str | None = None
    value: Any = None
    coach: str | None = None
    coach_id: int | None = None
    course: str | None = None
    run_id: int | None = None
    run_date: date | None = None
    points: Decimal | None = None
    candidates: list[dict[str, Any]] | None = None
    identity: str | None = None
    cells: list[Any] | None = None

    def document(self, headers: Sequence[str]) -> dict[str, Any]:
        """The row in the JSON report; `headers` key its original cells."""
        return {
            "row": self.row, "outcome": self.outcome, "reason": self.reason,
            "message": self.message, "column": self.column, "value": jsonable(self.value),
            "coach": self.coach, "course": self.course, "date": jsonable(self.run_date),
            "points": jsonable(self.points), "candidates": self.candidates or [],
            "cells": {h: _cell(v) for h, v in zip(headers, self.cells or (), strict=False)
                      if v is not None and v != ""},
        }


def _cell(value: Any) -> Any:
    """A cell as JSON shows it: 4512.0 (a number cell) as 4512, as the spreadsheet shows it."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return jsonable(value)


@dataclass
class FileReport(SheetRead):
    """One file's import: how it was read, its batch, and every row's result."""

    kind: str
    columns: dict[str, str]  # field -> the header it was read from
    dry_run: bool
    batch: int | None = None
    earlier_batches: list[int] = field(default_factory=list)
    rows: list[RowResult] = field(default_factory=list)
    counts: Counter[Outcome] = field(default_factory=Counter)
    reasons: Counter[tuple[Outcome, Reason]] = field(default_factory=Counter)

    def add(self, result: RowResult) -> None:
        """Count one more row (the sheets of few rows add them one by one)."""
        self.rows.append(result)
        self.counts[result.outcome] += 1
        if result.reason:
            self.reasons[(result.outcome, result.reason)] += 1

    def recount(self) -> None:
        """Count `rows` afresh (an attendance list extends them a chunk at a time)."""
        self.counts = Counter(r.outcome for r in self.rows)
        self.reasons = Counter((r.outcome, r.reason) for r in self.rows if r.reason)

    @property
    def valid(self) -> bool:
        """True when no row needs anyone's attention: nothing held or rejected."""
        return not (self.counts[Outcome.HELD] or self.counts[Outcome.REJECTED])

    def totals(self) -> dict[str, int]:
        """The number of rows, and of rows per outcome (every outcome, 0 included)."""
        return {"rows": len(self.rows), **{o.value: self.counts[o] for o in OUTCOMES}}

    def document(self) -> dict[str, Any]:
        """The file in the JSON report (see the module's docstring)."""
        reasons: dict[str, dict[str, int]] = {}
        for (outcome, reason), n in sorted(self.reasons.items()):
            reasons.setdefault(outcome, {})[reason] = n
        return {
            "file": self.path.name, "sha256": self.sha256, "type": self.file_type,
            "sheet": self.sheet, "encoding": self.encoding, "delimiter": self.delimiter,
            "header_row": self.header_row, "columns": self.columns,
            "unknown_columns": self.unknown, "batch": self.batch,
            "earlier_batches": self.earlier_batches, "totals": self.totals(),
            "reasons": reasons, "valid": self.valid,
            "rows": [r.document(self.headers) for r in self.rows],
        }

    def summary_lines(self) -> list[str]:
        """The stderr summary: what was read how, the totals, per reason, and the batch."""
        t = self.totals()
        done = "added" if self.kind != "attendance" else "credited"
        read = ngettext("{rows} row read", "{rows} rows read", t["rows"]).format(rows=t["rows"])
        lines = [f"{self.path.name}: {self.describe()}.",
                 "  " + _("{read}: {done} {done_word}, {held} held for review, {rejected} "
                          "rejected, {duplicate} duplicate, {skipped} skipped.").format(
                     read=read, done=t[done], done_word=term(done), held=t["held"],
                     rejected=t["rejected"], duplicate=t["duplicate"], skipped=t["skipped"])]
        if self.unknown:
            lines.append("  " + _("columns not used: {columns}").format(
                columns=", ".join(self.unknown)))
        for outcome in OUTCOMES:
            parts = [f"{term(reason)} {n}" for (o, reason), n in sorted(self.reasons.items())
                     if o == outcome]
            if parts:
                lines.append(f"  {term(outcome)}: {', '.join(parts)}")
        if self.earlier_batches:
            lines.append("  " + _("this file (same contents) was imported before as batch "
                                  "{batches}: only rows not yet in the register count, {new} "
                                  "new").format(
                batches=", ".join(map(str, self.earlier_batches)), new=t[done]))
        if self.dry_run:
            lines.append("  " + _("dry run: nothing written."))
        elif self.batch is not None:
            lines.append("  " + (_("batch {batch} written (review: smr import review).")
                                 if t["held"] else _("batch {batch} written.")).format(
                batch=self.batch))
        return lines


@dataclass
class ImportReport:
    """All files of one command."""

    kind: str
    dry_run: bool
    files: list[FileReport] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """1 when a file has rows held or rejected (findings), else 0."""
        from smr_register.errors import ExitCode

        return int(ExitCode.OK if all(f.valid for f in self.files) else ExitCode.FINDINGS)

    def document(self) -> dict[str, Any]:
        """The JSON report of the command: one document for all its files."""
        return {"schema_version": SCHEMA_VERSION, "kind": self.kind, "dry_run": self.dry_run,
                "exit_code": self.exit_code, "files": [f.document() for f in self.files]}


# ---- rendering -------------------------------------------------------------------------------

ATTENTION_COLUMNS = [
    Column("file", "File", priority=3), Column("row", "Row", "right", priority=0),
    key_column("outcome", "Status", term=True), Column("reason", "Reason", term=True),
    Column("message", "Message", priority=2), key_column("coach", "Coach"),
    Column("course", "Course", no_wrap=True), Column("date", "Date"),
    Column("candidates", "Candidates", text=candidates_text, priority=2),
]

FLAT_COLUMNS = [
    Column("file", "file"), Column("row", "row"), Column("outcome", "outcome"),
    Column("reason", "reason"), Column("message", "message"), Column("column", "column"),
    Column("value", "value"), Column("coach", "coach"), Column("course", "course"),
    Column("date", "date"), Column("points", "points"), Column("batch", "batch"),
    Column("candidates", "candidates", text=candidates_text),
]


def flat_rows(report: ImportReport, *, attention_only: bool) -> list[dict[str, Any]]:
    """One dict per row across files (table: only rows someone must look at; csv: all)."""
    out = []
    for file in report.files:
        for r in file.rows:
            if attention_only and r.outcome not in (Outcome.HELD, Outcome.REJECTED):
                continue
            out.append({"file": file.path.name, "row": r.row, "outcome": r.outcome,
                        "reason": r.reason, "message": r.message, "column": r.column,
                        "value": r.value, "coach": r.coach, "course": r.course,
                        "date": r.run_date, "points": r.points, "batch": file.batch,
                        "candidates": r.candidates or []})
    return out


def write_xlsx_report(path: Path, report: ImportReport, made_at: datetime,
                      rules_version: str | None) -> None:
    """The provider's own rows with Status, Reden, Toelichting and Kandidaten columns, one sheet
    per file: ready to send back. Of a held row's candidate coaches only what the public
    register shows (`public_candidates_text`): the rest is other people's data."""
    from smr_register.render.workbook import Sheet, sheet_title, write_workbook

    sheets: list[Sheet] = []
    for file in report.files:
        keys = [f"c{i}" for i in range(len(file.headers))]
        columns = [Column("_row", "Rij"), *(Column(k, h) for k, h in zip(keys, file.headers,
                                                                          strict=True)),
                   Column("_status", "Status", term=True), Column("_reason", "Reden", term=True),
                   Column("_message", "Toelichting"), Column("_candidates", "Kandidaten")]
        rows = []
        for r in file.rows:
            row: dict[str, Any] = {"_row": r.row, "_status": r.outcome, "_reason": r.reason,
                                   "_message": r.message,
                                   "_candidates": public_candidates_text(r.candidates) or None}
            row.update(zip(keys, r.cells or (), strict=False))
            rows.append(row)
        name = sheet_title(file.path.stem or "Rapport", [sheet.name for sheet in sheets])
        sheets.append(Sheet(name, columns, rows, status_key="_status",
                            widths={"_message": 60}))
    extra: list[tuple[str, Any]] = []
    for file in report.files:  # the file's name is a value, beside the label "Bestand"
        t = file.totals()
        batch = file.batch if file.batch is not None else _("- (dry run)")
        extra += [("Bestand / file", file.path.name),
                  ("Uitkomst / result",
                   _("batch {batch}; {rows} rows: {done} credited/added, {held} held, "
                     "{rejected} rejected, {duplicate} duplicate, {skipped} skipped; "
                     "sha256 {sha256}").format(
                       batch=batch, rows=t["rows"], done=t["credited"] + t["added"],
                       held=t["held"], rejected=t["rejected"], duplicate=t["duplicate"],
                       skipped=t["skipped"], sha256=file.sha256))]
    write_workbook(path, sheets, title="Importrapport / import report", as_of=None,
                   made_at=made_at, rules_version=rules_version, extra_info=extra)
