"""`smr import ...`: attendance lists from providers, and what became of every row.

Also the bodies of `smr agenda import` and `smr coach import`, which read and report the same way.
Exit codes: 0 every data row credited (or already in the register), 1 some rows held or
rejected (the good rows are still imported), 3 a file cannot be used (nothing imported).
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from smr_register.commands.common import (
    ColumnOption,
    EntryDateOption,
    ListingFormatOption,
    as_of_date,
    entry_date,
    state,
    waiting_for_import,
)
from smr_register.domain import limits
from smr_register.domain.i18n import _, ngettext
from smr_register.render.cells import Column, candidates_text, hash_text, key_column, pairs_text
from smr_register.render.console import note
from smr_register.render.formats import OutputFormat
from smr_register.render.model import listing
from smr_register.render.registry import emit

if TYPE_CHECKING:
    from smr_register.commands.common import AppContext
    from smr_register.importer.report import ImportReport

app = typer.Typer(help="Import spreadsheets from training providers.", no_args_is_help=True)


class ImportKind(StrEnum):
    """The imports, as `smr import columns --import` names them."""

    ATTENDANCE = "attendance"
    AGENDA = "agenda"
    COACHES = "coaches"

ATTENDANCE_HELP = (
    "Credit accreditation points from providers' attendance lists.\n\n"
    "Reads .xlsx/.xls/.xlsb/.ods and .csv (UTF-8 or cp1252; ';', ',' or tab). The header row is "
    "found below title rows and recognised in Dutch or English. Each row is credited, held for "
    "review ('smr import review') or rejected with a reason; the training agenda's points "
    "count.\n\n"
    "Each file is its own batch in its own transaction ('smr import undo' takes one back). "
    "Every file is read first: if one cannot be used, nothing is imported (exit 3). Exit 1 when "
    "rows were held or rejected (the good rows are still credited), 0 when every data row is "
    "credited or already was.\n\n"
    "Points only on proof: a row is held when its coach is not certain (another first name, a "
    "number the register does not hold, no number at all), rejected when an attendance column "
    "(Aanwezig, Afwezig, Present, ...) says absent, and a course run after the date of entry "
    "(--as-of) earns nothing yet.\n\n"
    "--format json prints the per-row report (schema_version 1, see "
    "smr_register/importer/report.py); the summary goes to stderr."
)


@app.command("attendance", help=ATTENDANCE_HELP)
def attendance(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(help="Attendance lists (.xlsx/.xls/.xlsb/.ods/"
                                                ".csv).", dir_okay=False, show_default=False)],
    sheet: Annotated[str | None, typer.Option("--sheet", help="Sheet to read; default the "
                                              "first sheet with a recognisable header.")] = None,
    provider: Annotated[str | None, typer.Option("--provider", help="The provider that sent "
                                                 "the lists: courses of other providers are "
                                                 "rejected.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Decide every row and report, "
                                          "write nothing.")] = False,
    report_path: Annotated[Path | None, typer.Option("--report", help="Write the provider's "
                                                     "rows with a status and reason column to "
                                                     "this .xlsx.", dir_okay=False)] = None,
    as_of: EntryDateOption = None,
    output_format: ListingFormatOption = OutputFormat.TABLE,
    column: ColumnOption = None,
) -> None:
    from smr_register.importer.pipeline import import_attendance_files, without_cycle_collector
    from smr_register.render.imports import check_report_path, keeps_cells, progress_factory

    obj = state(ctx)
    check_report_path(report_path)
    entered_on = entry_date(as_of)
    if as_of is not None:
        note(_("Date of entry {entered_on:%d-%m-%Y} (--as-of): course runs after it earn "
               "nothing yet.").format(entered_on=entered_on))
    with without_cycle_collector():  # until the report, all its rows, is gone again
        report = import_attendance_files(
            obj.engine, lambda: obj.change("import attendance"), files, sheet=sheet,
            provider=provider, dry_run=dry_run,
            keep_cells=keeps_cells(output_format, report_path),
            today=entered_on, progress=progress_factory(output_format),
            waiting=waiting_for_import, columns=column or ())
        exit_code = _finish(obj, report, output_format, report_path)
        del report
    if exit_code:
        raise typer.Exit(exit_code)


def run_agenda_import(ctx: typer.Context, path: str, dry_run: bool,
                      output_format: OutputFormat, columns: list[str] | None = None) -> None:
    """`smr agenda import`: courses and runs from a sheet, reported like an attendance list."""
    _run_sheet_import(ctx, "agenda", path, dry_run, output_format, columns or [])


def run_coach_import(ctx: typer.Context, path: str, dry_run: bool,
                     output_format: OutputFormat, columns: list[str] | None = None) -> None:
    """`smr coach import`: coaches registered in bulk, reported like an attendance list."""
    _run_sheet_import(ctx, "coaches", path, dry_run, output_format, columns or [])


def _run_sheet_import(ctx: typer.Context, kind: str, path: str, dry_run: bool,
                      output_format: OutputFormat, columns: list[str]) -> None:
    from smr_register.importer.pipeline import import_sheet, without_cycle_collector

    obj = state(ctx)
    command = "agenda import" if kind == "agenda" else "coach import"
    with without_cycle_collector():  # until the report, all its rows, is gone again
        report = import_sheet(obj.engine, lambda: obj.change(command), kind, Path(path),
                              dry_run=dry_run, book=obj.book() if kind == "coaches" else None,
                              today=as_of_date(None), waiting=waiting_for_import,
                              columns=columns)
        exit_code = _finish(obj, report, output_format, None)
        del report
    if exit_code:
        raise typer.Exit(exit_code)


def _finish(obj: AppContext, report: ImportReport, output_format: OutputFormat,
            report_path: Path | None) -> int:
    """Show the report; returns the exit code (raised by the caller, once the report is
    freed)."""
    from smr_register.render.imports import show_import

    show_import(report, output_format, report_path, made=obj.change("report").at)
    return report.exit_code


@app.command("columns")
def columns(
    kind: Annotated[ImportKind | None, typer.Option(
        "--import", help="Only the columns of this import.", show_default=False)] = None,
    output_format: ListingFormatOption = OutputFormat.TABLE,
) -> None:
    """The column headers each import recognises, with their synonyms; map any other header
    for one import with --column "HEADER=COLUMN"."""
    from smr_register.render.columns import COLUMNS, column_rows, columns_document

    kinds = [kind.value] if kind else [k.value for k in ImportKind]
    rows = [{**row, "synonyms": ", ".join(row["synonyms"])} for row in column_rows(kinds)]
    emit(listing(COLUMNS, rows, "Columns the imports recognise",
                 document=columns_document(kinds)), output_format)


# ---- after an import ----------------------------------------------------------------------

LIST_COLUMNS = [
    Column("batch", "Batch", "right", priority=0), Column("imported_at", "When", priority=2),
    Column("actor", "Who", priority=3), Column("kind", "Kind", priority=2, no_wrap=True),
    Column("file", "File", priority=2),
    Column("sha256", "sha256", short=hash_text, priority=4, no_wrap=True),
    Column("rows", "Rows", "right"), Column("credited", "Credited", "right"),
    Column("held", "Held", "right"), Column("rejected", "Rejected", "right"),
    Column("skipped", "Skipped", "right", priority=2),
    Column("duplicates", "Duplicates", "right", priority=2),
    Column("undone_at", "Undone", priority=2),
]


@app.command("list")
def list_(ctx: typer.Context, output_format: ListingFormatOption = OutputFormat.TABLE) -> None:
    """Import batches: when, who, which file (sha256), and what became of their rows."""
    from smr_register.importer.batches import batch_listing

    obj = state(ctx)
    with obj.read() as session:
        rows = batch_listing(session)
    emit(listing(LIST_COLUMNS, rows, _("Import batches ({count})").format(count=len(rows))),
         output_format)


SHOW_COLUMNS = [
    Column("row", "Row", "right", priority=0), key_column("outcome", "Status", term=True),
    Column("reason", "Reason", term=True), Column("message", "Message", priority=2),
    key_column("coach", "Coach"), Column("course", "Course", no_wrap=True),
    Column("date", "Date"), Column("cells", "Sheet", text=pairs_text, priority=3),
    Column("candidates", "Candidates", text=candidates_text, priority=2),
]


@app.command("show")
def show(ctx: typer.Context,
         batch: Annotated[int, typer.Argument(help="Batch number (see 'smr import list').",
                                         min=1, max=limits.MAX_KEY)],
         output_format: ListingFormatOption = OutputFormat.TABLE) -> None:
    """One batch's rows and what became of each."""
    from smr_register.importer.batches import batch_detail

    obj = state(ctx)
    with obj.read() as session:
        detail = batch_detail(session, batch)
    info = detail["batch"]
    note(_("Batch {batch} ({kind}): {file}, sheet {sheet}, sha256 {sha256}, by {actor}").format(
             batch=info["batch"], kind=info["kind"], file=info["file"], sheet=info["sheet"],
             sha256=info["sha256"], actor=info["actor"])
         + (_("; undone: {reason}").format(reason=info["undo_reason"])
            if info["undone_at"] else ""))
    emit(listing(SHOW_COLUMNS, detail["rows"],
                 _("Batch {batch}: {file}").format(batch=batch, file=info["file"]),
                 document=detail), output_format)


REVIEW_COLUMNS = [
    key_column("ref", "Batch:row"), Column("file", "File", priority=3),
    Column("reason", "Reason", term=True), Column("sheet_says", "Sheet says", priority=2),
    Column("course", "Course", no_wrap=True), Column("date", "Date"),
    Column("candidates", "Candidates", text=candidates_text),
]


@app.command("review")
def review(ctx: typer.Context, output_format: ListingFormatOption = OutputFormat.TABLE) -> None:
    """Rows held for review, with the candidate coaches; settle them with 'smr import resolve'."""
    from smr_register.importer.batches import review_rows

    obj = state(ctx)
    with obj.read() as session:
        rows = review_rows(session)
    emit(listing(REVIEW_COLUMNS, rows, _("Rows held for review ({count})").format(count=len(rows)),
                 document={"schema_version": 1, "rows": rows}), output_format)


@app.command("undo")
def undo(
    ctx: typer.Context,
    batch: Annotated[int, typer.Argument(help="Batch number (see 'smr import list').",
                                         min=1, max=limits.MAX_KEY)],
    reason: Annotated[str, typer.Option("--reason", help="Why: kept in the history.")],
) -> None:
    """Take back every credit of one attendance batch (the batch stays, marked undone)."""
    from smr_register.importer.batches import undo_batch

    obj = state(ctx)
    with obj.write("import undo", imports=True) as (session, change):
        removed, coaches = undo_batch(session, change, batch, reason)
    note(_("Undid batch {batch}: removed {credits} of {coaches}.").format(
        batch=batch, credits=ngettext("{count} credit", "{count} credits", removed).format(
            count=removed),
        coaches=ngettext("{count} coach", "{count} coaches", coaches).format(count=coaches)))


@app.command("resolve")
def resolve(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="BATCH:ROW of a held row, e.g. 12:7.")],
    coach: Annotated[str | None, typer.Option("--coach", help="Credit the row to this "
                                              "registration number, as the sheet writes it "
                                              "(4579 for 004579).")] = None,
    reject: Annotated[str | None, typer.Option("--reject", help="Reject the row, with the "
                                               "reason.")] = None,
) -> None:
    """Settle a held row: credit it to the right coach, or reject it."""
    from smr_register.importer.batches import resolve_row

    obj = state(ctx)
    with obj.write("import resolve", imports=True) as (session, change):
        message = resolve_row(session, change, ref, coach, reject)
    note(message)
