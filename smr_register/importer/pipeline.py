"""Running an import: read every file first, then one transaction (one batch) per file.

Every file given is read and its header checked before anything is written: if one cannot be
used, the command writes nothing and names each bad file (exit 3). Then each file is decided and
written as its own batch in its own transaction, so a failure (or Ctrl-C) in the third file
leaves the first two imported and the third not at all. A dry run is the same work with every
transaction rolled back.

For attendance lists the files are read in a background thread while the register is loaded:
python-calamine releases the GIL while it parses, so the two overlap.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from smr_register.domain.i18n import _
from smr_register.errors import InputFileError, NotFound
from smr_register.importer.columns import ATTENDANCE, Layout
from smr_register.importer.reading import Table, read_table
from smr_register.importer.report import FileReport, ImportReport

if TYPE_CHECKING:
    from sqlalchemy import Engine

# Given a table, a context manager yielding a callable that advances a progress bar by n rows.
ProgressFactory = Callable[[Table], AbstractContextManager[Callable[[int], None] | None]]


def no_progress(_table: Table) -> AbstractContextManager[Callable[[int], None] | None]:
    """No progress bar (tests, json output, a dry run without a terminal)."""
    return nullcontext(None)


def read_tables(paths: Sequence[Path], layout: Layout, sheet: str | None) -> list[Table]:
    """Every file read and its header recognised; one InputFileError naming each bad file."""
    tables: list[Table] = []
    problems: list[str] = []
    for path in paths:
        try:
            tables.append(read_table(path, layout, sheet))
        except InputFileError as problem:
            problems.append(problem.message)
    if problems:
        if len(paths) == 1:
            raise InputFileError(problems[0])
        raise InputFileError(_("{count} of {total} files cannot be used, nothing imported: "
                               "{problems}").format(
                               count=len(problems), total=len(paths),
                               problems='; '.join(problems)))
    return tables


def file_report(kind: str, table: Table, dry_run: bool) -> FileReport:
    """An empty report of one file: how it was read, its rows still to come."""
    return FileReport(
        kind=kind, path=table.path, sha256=table.sha256, file_type=table.file_type,
        sheet=table.sheet, encoding=table.encoding, delimiter=table.delimiter,
        header_row=table.header_row, headers=table.headers,
        columns={key: table.headers[index] for key, index in table.columns.items()},
        unknown=table.unknown, dry_run=dry_run)


def import_attendance_files(
    engine: Callable[[], Engine], change: Callable[[], Any], paths: Sequence[Path], *,
    sheet: str | None, provider: str | None, dry_run: bool, keep_cells: bool, today: date,
    progress: ProgressFactory = no_progress, waiting: Callable[[], None] | None = None,
    columns: Sequence[str] = (),
) -> ImportReport:
    """Import attendance lists, one batch per file; returns the report of every row. Each
    file's transaction holds the register's imports (`locks.lock_imports`), waiting for another
    import first (`waiting` says so), and decides against the register as that one left it.
    `columns` maps odd headers of these files (`HEADER=COLUMN`)."""
    layout = ATTENDANCE.with_columns(columns)
    with without_cycle_collector(), ThreadPoolExecutor(max_workers=1) as pool:
        # Reading starts before the database layer is even imported: python-calamine parses
        # mostly without holding the GIL, so importing SQLAlchemy and loading the register
        # take hardly any time off it on a machine with two cores.
        reading = pool.submit(read_tables, paths, layout, sheet)
        from sqlmodel import Session

        from smr_register import db
        from smr_register.importer.attendance import import_attendance
        from smr_register.importer.index import RegisterIndex
        from smr_register.store import agenda as agenda_store
        from smr_register.store import locks

        the_engine = engine()
        with Session(the_engine) as session:
            if provider is not None and agenda_store.provider_by_name(session, provider) is None:
                raise NotFound(_("--provider {provider!r}: no such provider in the training "
                                 "agenda (see 'smr agenda provider list')").format(
                                 provider=provider))
            index = RegisterIndex.load(session, today)
        if not dry_run:  # while the file is still being read: SQLite leaves the GIL to it
            db.ensure_sound(the_engine)
        tables = reading.result()
    report = ImportReport("attendance", dry_run)
    for table in tables:
        result = file_report("attendance", table, dry_run)
        with without_cycle_collector(), \
                db.transaction(the_engine, dry_run=dry_run, checked=True,
                               waiting=waiting) as session:
            locks.lock_imports(session, waiting)
            index.refresh(session)
            with progress(table) as advance:
                import_attendance(session, change(), index, table, result, provider=provider,
                                  keep_cells=keep_cells, today=today, progress=advance)
        if dry_run:
            result.batch = None
        report.files.append(result)
    return report


@contextmanager
def without_cycle_collector() -> Iterator[None]:
    """An import allocates about ten objects per row that all live until it ends: Python's
    cycle collector would walk them again and again for nothing (15% of an import's time).
    Reference counting still frees everything; the collector resumes afterwards.

    Everything made meanwhile would be in the youngest generation when the collector resumes,
    and the first collection would walk all of it at once (35-50 ms after an import: the rows
    and the database layer imported on the way). It goes to the oldest generation instead
    (frozen and at once unfrozen: a move, not a walk), where only a full collection looks at
    it: cycles among it are still found then."""
    import gc

    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()
            gc.unfreeze()
            gc.enable()


def import_sheet(engine: Callable[[], Engine], change: Callable[[], Any], kind: str,
                 path: Path, *, dry_run: bool, book: Any, today: date,
                 waiting: Callable[[], None] | None = None,
                 columns: Sequence[str] = ()) -> ImportReport:
    """Import an agenda or coaches sheet as one batch, holding the register's imports;
    `columns` maps odd headers of the sheet (`HEADER=COLUMN`)."""
    from smr_register.importer.columns import AGENDA, COACHES

    layout = (AGENDA if kind == "agenda" else COACHES).with_columns(columns)
    with without_cycle_collector(), ThreadPoolExecutor(max_workers=1) as pool:
        # As for attendance lists: the file is read while the database layer is imported (the
        # cycle collector off, as there) and the register checked (SQLite's quick check takes
        # about 7 ms per MiB of register); only the importer of this kind (the other defines
        # tables and services it does not use).
        reading = pool.submit(read_tables, [path], layout, None)
        from smr_register import db
        from smr_register.store import locks

        if kind == "agenda":
            from smr_register.importer.agenda_import import import_agenda
        else:
            from smr_register.importer.coach_import import import_coaches
        the_engine = engine()
        if not dry_run:  # while the file is still being read
            db.ensure_sound(the_engine)
        table = reading.result()[0]
    report = ImportReport(kind, dry_run)
    result = file_report(kind, table, dry_run)
    with without_cycle_collector(), \
            db.transaction(the_engine, dry_run=dry_run, checked=True, waiting=waiting) as session:
        locks.lock_imports(session, waiting)
        if kind == "agenda":
            import_agenda(session, change(), table, result)
        else:
            import_coaches(session, change(), table, result, book, today)
    if dry_run:
        result.batch = None
    report.files.append(result)
    return report
