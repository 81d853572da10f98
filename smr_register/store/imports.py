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

from sqlalchemy import delete, func, insert, literal, or_, select, update
from sqlalchemy.orm import aliased
from sqlmodel import Session

from smr_register.domain.i18n import _
from smr_register.domain.states import ACTIVE
from smr_register.errors import NotFound
from smr_register.store.bulk import insert_many
from smr_register.store.models import (
    Coach,
    CoachStateSpell,
    Course,
    CourseRun,
    CreditSource,
    ImportBatch,
    ImportRow,
    PointCredit,
    Provider,
)
from smr_register.store.rows import typed_list
from smr_register.store.states import spell_id_on

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
    run_id: int
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
        raise NotFound(_("batch {batch_id}: no such import batch (see 'smr import list')").format(
                         batch_id=batch_id))
    return batch


def batches_of_file(session: Session, kind: str, sha256: str) -> list[EarlierBatch]:
    """Earlier batches of the same file (same bytes), newest last."""
    stmt = (select(ImportBatch.id, ImportBatch.imported_at, ImportBatch.undone_at)
            .where(ImportBatch.kind == kind, ImportBatch.sha256 == sha256)
            .order_by(ImportBatch.id))
    return typed_list(session.execute(stmt), EarlierBatch)


def insert_batch(session: Session, values: dict[str, Any], *, dry_run: bool = False) -> int:
    """Start a batch with these column values; returns its id. A dry run's batch takes the
    next number itself instead of drawing it from PostgreSQL's sequence (which a rollback does
    not give back): the next real import gets the number the dry run showed, and `import show`
    finds it. Imports hold `locks.lock_imports`, so no other batch takes the number meanwhile."""
    if dry_run:
        values = {**values, "id": int(session.execute(
            select(func.coalesce(func.max(ImportBatch.id), 0))).scalar_one()) + 1}
    result = session.execute(insert(ImportBatch.__table__).values(**values))  # type: ignore[attr-defined]
    return int(result.inserted_primary_key[0])


def count_resolution(session: Session, batch_id: int, outcome: str) -> None:
    """A held row of the batch was resolved as `outcome` (credited or rejected): its counters
    move in one UPDATE, from the values the database holds (not ones read earlier)."""
    table = ImportBatch.__table__  # type: ignore[attr-defined]
    column = table.c[outcome]
    session.execute(update(table).where(table.c.id == batch_id)
                    .values({table.c.held: table.c.held - 1, column: column + 1}))


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
        raise NotFound(_("{batch_id}:{row_number}: batch {batch_id} has no row {row_number} "
                         "(see 'smr import show {batch_id}')").format(
                         batch_id=batch_id, row_number=row_number))
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


def import_coach_index(session: Session, on: date) -> list[CoachIndexRow]:
    """Every coach's identifiers and names, and state on `on`, for matching sheet rows in
    memory."""
    spell = aliased(CoachStateSpell)
    return typed_list(session.execute(select(
        Coach.id, Coach.reg_no, Coach.initials, Coach.first_name, Coach.prefix, Coach.last_name,
        Coach.birth_date, Coach.big, func.coalesce(spell.state, ACTIVE).label("state"))
        .outerjoin(spell, spell.id == spell_id_on(Coach.id, on))), CoachIndexRow)


def coaches_numbered(session: Session, key: str) -> list[Coach]:
    """The coaches whose registration number without its leading zeros is `key` (`import
    resolve` finds a number the sheet wrote without them: `matching.coach_by_number`)."""
    return list(session.scalars(select(Coach).where(func.ltrim(Coach.reg_no, "0") == key)
                                .order_by(Coach.reg_no)))


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
    stmt = (select(PointCredit.id.label("credit_id"), PointCredit.coach_id, PointCredit.run_id,
                   Course.code, CourseRun.run_date, PointCredit.points_centi,
                   PointCredit.row_number)
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


# ---- undo: rows that only repeated the credits taken back --------------------------------------


class Claim(NamedTuple):
    """A row of another batch that repeated a credit taken back: it now credits it itself."""

    row_id: int
    batch_id: int
    row_number: int
    coach_id: int
    run_id: int
    file_name: str


def repeated_claims(session: Session, undone: int, pairs: Sequence[tuple[int, int]]
                    ) -> list[Claim]:
    """For each (coach_id, run_id) whose credit batch `undone` took back, the earliest row of a
    batch still standing that was a duplicate of an existing credit for it."""
    found: dict[tuple[int, int], Claim] = {}
    wanted = set(pairs)
    coaches = sorted({coach for coach, _run in wanted})
    for start in range(0, len(coaches), _RUNS_PER_QUERY):
        stmt = (select(ImportRow.id.label("row_id"), ImportRow.batch_id, ImportRow.row_number,
                       ImportRow.coach_id, ImportRow.run_id, ImportBatch.file_name)
                .join(ImportBatch, ImportRow.batch_id == ImportBatch.id)
                .where(ImportRow.coach_id.in_(coaches[start:start + _RUNS_PER_QUERY]),
                       ImportRow.outcome == "duplicate",
                       ImportRow.reason == "already-credited",
                       ImportRow.batch_id != undone, ImportBatch.undone_at.is_(None),
                       ImportBatch.kind == "attendance")
                .order_by(ImportRow.batch_id, ImportRow.row_number))
        for claim in typed_list(session.execute(stmt), Claim):
            key = (claim.coach_id, claim.run_id)
            if key in wanted and key not in found:
                found[key] = claim
    return sorted(found.values(), key=lambda c: (c.batch_id, c.row_number))


def credit_claims(session: Session, claims: Sequence[Claim], undone: int,
                  credited_at: datetime) -> None:
    """Make each claim's row a credit of its own batch: the row credited, the credit written
    (the agenda's points), the batch's counters moved from duplicates to credited."""
    table = ImportBatch.__table__  # type: ignore[attr-defined]
    per_batch: dict[int, int] = {}
    for claim in claims:
        session.execute(update(ImportRow).where(ImportRow.id == claim.row_id).values(
            outcome="credited", reason=None,
            message=f"credited when batch {undone}, which credited it first, was undone"))
        credit_import_rows(session, claim.batch_id, credited_at,
                           (claim.row_number, claim.row_number))
        per_batch[claim.batch_id] = per_batch.get(claim.batch_id, 0) + 1
    for batch_id, moved in per_batch.items():
        session.execute(update(table).where(table.c.id == batch_id).values(
            {table.c.credited: table.c.credited + moved,
             table.c.duplicates: table.c.duplicates - moved}))
