"""What became of an import's rows, for people and scripts, and the listings of batches.

The report itself (rows, outcomes, reasons, its JSON document and the provider's xlsx) is the
importer's (importer/report.py); here it is shown: a summary on stderr, the rows that need
attention as a table, all rows as CSV, the whole document as JSON, a progress bar per file.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from smr_register.domain.i18n import _
from smr_register.errors import UsageError
from smr_register.importer.report import (
    ATTENTION_COLUMNS,
    FLAT_COLUMNS,
    ImportReport,
    flat_rows,
    write_xlsx_report,
)
from smr_register.render.console import note, stderr_console
from smr_register.render.formats import OutputFormat
from smr_register.render.model import Note, Rendering, Table
from smr_register.render.registry import emit

if TYPE_CHECKING:
    from smr_register.importer.reading import Table as SheetTable

# A terminal table of thousands of rows helps no one (and takes seconds to render): the table
# shows the first ones, the report formats have them all.
TABLE_ROWS = 60


def check_report_path(path: Path | None) -> None:
    """--report names an .xlsx in an existing directory; refused before anything is read."""
    if path is None:
        return
    if path.suffix.lower() != ".xlsx":
        raise UsageError(_("--report {path}: the report is an .xlsx "
                           "workbook; name it *.xlsx").format(
                           path=path))
    if not (path.parent if str(path.parent) else Path()).is_dir():
        raise UsageError(_("--report {path}: directory {parent} does not exist").format(
                           path=path, parent=path.parent))


def keeps_cells(output_format: OutputFormat, report_path: Path | None) -> bool:
    """Whether the rows' own cells must be kept: the JSON and the xlsx report show them."""
    return report_path is not None or output_format is OutputFormat.JSON


def progress_factory(output_format: OutputFormat) -> Callable[[SheetTable], Any]:
    """A progress bar per file on a terminal's stderr; nothing for scripts or json."""
    from smr_register.importer.pipeline import no_progress

    if output_format is OutputFormat.JSON or not sys.stderr.isatty():
        return no_progress

    @contextmanager
    def bar(table: SheetTable) -> Iterator[Callable[[int], None]]:
        from rich.progress import Progress

        with Progress(console=stderr_console(), transient=True) as progress:
            task = progress.add_task(table.name, total=table.size)
            yield lambda n: progress.advance(task, n)

    return bar


def show_import(report: ImportReport, output_format: OutputFormat, report_path: Path | None,
                made: datetime) -> None:
    """The summary of every file on stderr, the rows in the chosen format on stdout, and the
    provider's xlsx report when asked for."""
    for file in report.files:
        for line in file.summary_lines():
            note(line)
    emit(import_rendering(report), output_format)
    if report_path is not None:
        write_xlsx_report(report_path, report, made_at=made, rules_version=None)
        note(_("Report written to {report_path}.").format(report_path=report_path))


def import_rendering(report: ImportReport) -> Rendering:
    """On screen the rows held or rejected; in CSV every row; in JSON the whole report."""
    return Rendering(screen=_screen(report), json=report.document,
                     csv=Table(FLAT_COLUMNS, _all_rows(report)))


def _screen(report: ImportReport) -> Iterator[Table | Note]:
    rows = flat_rows(report, attention_only=True)
    if rows:
        yield Table(ATTENTION_COLUMNS, rows[:TABLE_ROWS], _("Rows held for review or rejected"))
    if len(rows) > TABLE_ROWS:
        yield Note(_("The table shows the first {TABLE_ROWS} of {count} rows held or rejected; "
                     "all are in --report, --format csv/json and 'smr import show BATCH'.").format(
                     TABLE_ROWS=TABLE_ROWS, count=len(rows)))


def _all_rows(report: ImportReport) -> Iterator[dict[str, Any]]:
    yield from flat_rows(report, attention_only=False)
