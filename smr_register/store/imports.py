"""The imports' queries and writes: batches and their rows, the register loaded for matching,
and the credits an attendance import writes.

An import loads the register into dicts once per command (Core selects, no query per row) and
writes its rows with `bulk.insert_many`. One imported file is one `db.transaction`; a dry run is
the same transaction rolled back.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import delete, insert, literal, or_, select, update
from sqlmodel import Session

from smr_register.errors import NotFound
from smr_register.store.bulk import insert_many
from smr_register.store.models import (
    Coach,
    Course,
    CourseRun,
    CreditSource,
    ImportBatch,
    ImportRow,
    PointCredit,
    Provider,
)
from smr_register.store.rows import typed_list

# Run ids per query when an import reads the credits of the runs it meets.
_RUNS_PER_QUERY = 500

# The columns of the tuples `insert_import_rows` takes (it takes dicts too).
IMPORT_ROW_COLUMNS = ("batch_id", "row_number", "outcome", "reason", "message", "raw",
                      "coach_id", "run_id", "candidates")


# ---- batches ---------------------------------------------------------------------------------


class EarlierBatch(NamedTuple):
    id: int
    imported_at: datetime
    undone_at: datetime | None


class BatchRow(NamedTuple):
    """A row of a batch with the coach it was matched to and the course run it names."""

    row: ImportRow
    reg_no: str | None
    code: str | None
    run_date: date | None


class HeldRow(NamedTuple):
    """A row waiting for review, with its file and the course run it names."""

    row: ImportRow
    file_name: str
    code: str | None
    run_date: date | None


class BatchCredit(NamedTuple):
    credit_id: int
    coach_id: int
    code: str
    run_date: date
    points_centi: int
    row_number: int | None


def list_batches(session: Session) -> list[ImportBatch]:
    """Every import batch, oldest first."""
    return list(session.scalars(select(ImportBatch).order_by(ImportBatch.id)))


def batch_by_id(session: Session, batch_id: int) -> ImportBatch:
    """The import batch; raises NotFound naming it."""
    batch = session.get(ImportBatch, batch_id)
    if batch is None:
        raise NotFound(f"batch {batch_id}: no such import batch (see 'smr import list')")
    return batch


def batches_of_file(session: Session, kind: str, sha256: str) -> list[EarlierBatch]:
    """Earlier batches of the same file (same bytes), newest last."""
    stmt = (select(ImportBatch.id, ImportBatch.imported_at, ImportBatch.undone_at)
            .where(ImportBatch.kind == kind, ImportBatch.sha256 == sha256)
            .order_by(ImportBatch.id))
    return typed_list(session.execute(stmt), EarlierBatch)


def insert_batch(session: Session, values: dict[str, Any]) -> int:
    """Start a batch with these column values; returns its id."""
    result = session.execute(insert(ImportBatch.__table__).values(**values))  # type: ignore[attr-defined]
    return int(result.inserted_primary_key[0])


def update_batch(session: Session, batch_id: int, values: dict[str, Any]) -> None:
    """Set these column values of a batch (its counts, once its rows are written)."""
    session.execute(update(ImportBatch.__table__)  # type: ignore[attr-defined]
                    .where(ImportBatch.__table__.c.id == batch_id)  # type: ignore[attr-defined]
                    .values(**values))


# ---- rows of a batch -------------------------------------------------------------------------


def insert_import_rows(session: Session, rows: Sequence[dict[str, Any]]
                       | Sequence[tuple[Any, ...]]) -> None:
    """Rows as dicts, or as tuples in the order of IMPORT_ROW_COLUMNS (no dict per row)."""
    insert_many(session, ImportRow.__table__, rows,  # type: ignore[attr-defined]
                IMPORT_ROW_COLUMNS if rows and isinstance(rows[0], tuple) else None)


def batch_rows(session: Session, batch_id: int) -> list[BatchRow]:
    """Every row of a batch with the coach's number and the course run it was matched to."""
    stmt = (select(ImportRow, Coach.reg_no, Course.code, CourseRun.run_date)
            .outerjoin(Coach, ImportRow.coach_id == Coach.id)
            .outerjoin(CourseRun, ImportRow.run_id == CourseRun.id)
            .outerjoin(Course, CourseRun.course_id == Course.id)
            .where(ImportRow.batch_id == batch_id)
            .order_by(ImportRow.row_number))
    return [BatchRow(row, reg_no, code, run_date)
            for row, reg_no, code, run_date in session.execute(stmt)]


def held_rows(session: Session) -> list[HeldRow]:
    """Rows waiting for review (not resolved, batch not undone), with batch and course run."""
    stmt = (select(ImportRow, ImportBatch.file_name, Course.code, CourseRun.run_date)
            .join(ImportBatch, ImportRow.batch_id == ImportBatch.id)
            .outerjoin(CourseRun, ImportRow.run_id == CourseRun.id)
            .outerjoin(Course, CourseRun.course_id == Course.id)
            .where(ImportRow.outcome == "held", ImportRow.resolved_at.is_(None),
                   ImportBatch.undone_at.is_(None))
            .order_by(ImportRow.batch_id, ImportRow.row_number))
    return [HeldRow(row, file_name, code, run_date)
            for row, file_name, code, run_date in session.execute(stmt)]


def import_row(session: Session, batch_id: int, row_number: int) -> ImportRow:
    """One row of a batch; raises NotFound naming it."""
    stmt = select(ImportRow).where(ImportRow.batch_id == batch_id,
                                   ImportRow.row_number == row_number)
    row = session.scalars(stmt).first()
    if row is None:
        raise NotFound(f"{batch_id}:{row_number}: batch {batch_id} has no row {row_number} "
                       f"(see 'smr import show {batch_id}')")
    return row


# ---- the register, loaded once for matching ---------------------------------------------------


class CoachIndexRow(NamedTuple):
    id: int
    reg_no: str
    initials: str | None
    first_name: str | None
    prefix: str | None
    last_name: str
    birth_date: date | None
    big: str | None
    state: str


class CourseIndexRow(NamedTuple):
    id: int
    code: str
    title: str
    points_centi: int
    accredited_from: date
    accredited_until: date
    provider: str


class RunIndexRow(NamedTuple):
    id: int
    course_id: int
    run_date: date


class RunCredit(NamedTuple):
    coach_id: int
    run_id: int
    batch_id: int | None
    row_number: int | None
    source: str


class ReviewedRow(NamedTuple):
    batch_id: int
    row_number: int
    run_id: int | None
    outcome: str
    reg_no: str | None
    candidates: str


def import_coach_index(session: Session) -> list[CoachIndexRow]:
    """Every coach's identifiers and names, for matching sheet rows in memory."""
    return typed_list(session.execute(select(
        Coach.id, Coach.reg_no, Coach.initials, Coach.first_name, Coach.prefix, Coach.last_name,
        Coach.birth_date, Coach.big, Coach.state)), CoachIndexRow)


def import_course_index(session: Session) -> list[CourseIndexRow]:
    """Every course of the training agenda with its provider's name."""
    return typed_list(session.execute(
        select(Course.id, Course.code, Course.title, Course.points_centi, Course.accredited_from,
               Course.accredited_until, Provider.name.label("provider"))
        .join(Provider, Course.provider_id == Provider.id)), CourseIndexRow)


def import_run_index(session: Session) -> list[RunIndexRow]:
    """Every run of the training agenda."""
    return typed_list(session.execute(select(CourseRun.id, CourseRun.course_id,
                                             CourseRun.run_date)), RunIndexRow)


def credits_for_runs(session: Session, run_ids: Sequence[int]) -> list[RunCredit]:
    """The credits for these runs, with where each came from."""
    rows: list[RunCredit] = []
    ids = list(run_ids)
    for start in range(0, len(ids), _RUNS_PER_QUERY):
        stmt = (select(PointCredit.coach_id, PointCredit.run_id, PointCredit.batch_id,
                       PointCredit.row_number, PointCredit.source)
                .where(PointCredit.run_id.in_(ids[start:start + _RUNS_PER_QUERY])))
        rows.extend(typed_list(session.execute(stmt), RunCredit))
    return rows


def reviewed_rows(session: Session) -> list[ReviewedRow]:
    """Rows held for review, waiting or resolved, in batches not undone (with the number of
    the coach a resolved row was credited to): a row sent again is not queued again."""
    stmt = (select(ImportRow.batch_id, ImportRow.row_number, ImportRow.run_id,
                   ImportRow.outcome, Coach.reg_no, ImportRow.candidates)
            .join(ImportBatch, ImportRow.batch_id == ImportBatch.id)
            .outerjoin(Coach, ImportRow.coach_id == Coach.id)
            .where(ImportRow.candidates.is_not(None), ImportBatch.undone_at.is_(None),
                   or_(ImportRow.outcome == "held", ImportRow.resolved_at.is_not(None))))
    return typed_list(session.execute(stmt), ReviewedRow)


# ---- credits ---------------------------------------------------------------------------------


def credit_import_rows(session: Session, batch_id: int, credited_at: datetime,
                       row_numbers: tuple[int, int] | None = None) -> int:
    """Credit every row of a batch decided `credited` (of its rows `row_numbers`, first and
    last, when given), in one INSERT ... SELECT: the points are the training agenda's
    (course.points_centi), the provenance the batch and row number."""
    rows = (select(ImportRow.coach_id, ImportRow.run_id, Course.points_centi,
                   literal(CreditSource.IMPORT.value), ImportRow.batch_id, ImportRow.row_number,
                   literal(credited_at, PointCredit.__table__.c.credited_at.type))  # type: ignore[attr-defined]
            .join(CourseRun, ImportRow.run_id == CourseRun.id)
            .join(Course, CourseRun.course_id == Course.id)
            .where(ImportRow.batch_id == batch_id, ImportRow.outcome == "credited")
            .order_by(ImportRow.coach_id, ImportRow.run_id))
    if row_numbers is not None:
        rows = rows.where(ImportRow.row_number.between(*row_numbers))
    stmt = insert(PointCredit.__table__).from_select(  # type: ignore[attr-defined]
        ["coach_id", "run_id", "points_centi", "source", "batch_id", "row_number",
         "credited_at"], rows)
    return int(session.execute(stmt).rowcount or 0)  # type: ignore[attr-defined]


def credits_of_batch(session: Session, batch_id: int) -> list[BatchCredit]:
    """The credits an attendance batch wrote, with course code and run date, by coach."""
    stmt = (select(PointCredit.id.label("credit_id"), PointCredit.coach_id, Course.code,
                   CourseRun.run_date, PointCredit.points_centi, PointCredit.row_number)
            .join(CourseRun, PointCredit.run_id == CourseRun.id)
            .join(Course, CourseRun.course_id == Course.id)
            .where(PointCredit.batch_id == batch_id)
            .order_by(PointCredit.coach_id, PointCredit.row_number))
    return typed_list(session.execute(stmt), BatchCredit)


def delete_credits_of_batch(session: Session, batch_id: int) -> int:
    """Take back every credit of a batch; returns how many there were."""
    result = session.execute(delete(PointCredit.__table__)  # type: ignore[attr-defined]
                             .where(PointCredit.__table__.c.batch_id == batch_id))  # type: ignore[attr-defined]
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
