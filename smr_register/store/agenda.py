"""Queries about the training agenda (providers, courses, their runs) and the interventions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select, update
from sqlmodel import Session

from smr_register.store.bulk import insert_new
from smr_register.store.models import (
    Coach,
    Course,
    CourseRun,
    ImportBatch,
    ImportRow,
    Intervention,
    PointCredit,
    Provider,
)
from smr_register.store.text import binary


def provider_by_name(session: Session, name: str) -> Provider | None:
    """The provider of this name, whatever its case (compared in Python: SQLite's lower()
    folds ASCII only, PostgreSQL's every letter)."""
    wanted = name.casefold()
    return next((p for p in list_providers(session) if p.name.casefold() == wanted), None)


def list_providers(session: Session) -> list[Provider]:
    """Every training provider, by name."""
    return list(session.scalars(select(Provider).order_by(binary(Provider.name))))


def course_by_code(session: Session, code: str) -> Course | None:
    """The course of this code, whatever its case and surrounding spaces."""
    stmt = select(Course).where(func.upper(Course.code) == code.strip().upper())
    return session.scalars(stmt).first()


def run_of(session: Session, course_id: int, run_date: date) -> CourseRun | None:
    """The course's run on `run_date`, if the agenda has one."""
    stmt = select(CourseRun).where(CourseRun.course_id == course_id,
                                   CourseRun.run_date == run_date)
    return session.scalars(stmt).first()


def run_with_course(session: Session, run_id: int) -> tuple[CourseRun, Course] | None:
    """A course run and its course, if the run exists."""
    stmt = (select(CourseRun, Course).join(Course, CourseRun.course_id == Course.id)
            .where(CourseRun.id == run_id))
    found = session.execute(stmt).first()
    return (found[0], found[1]) if found else None


def runs_of_course(session: Session, course_id: int) -> list[CourseRun]:
    """A course's runs, by date."""
    stmt = select(CourseRun).where(CourseRun.course_id == course_id).order_by(CourseRun.run_date)
    return list(session.scalars(stmt))


@dataclass(frozen=True)
class RunCreditLine:
    """A credit for a run of the agenda, with the coach's number and the run's date."""

    credit: PointCredit
    reg_no: str
    run_date: date


def credits_of_course(session: Session, course_id: int,
                      run_id: int | None = None) -> list[RunCreditLine]:
    """The credits for the runs of a course (for one of its runs, given `run_id`), by run date
    and coach: what a correction of the agenda would change."""
    stmt = (select(PointCredit, Coach.reg_no, CourseRun.run_date)
            .join(CourseRun, PointCredit.run_id == CourseRun.id)
            .join(Coach, PointCredit.coach_id == Coach.id)
            .where(CourseRun.course_id == course_id)
            .order_by(CourseRun.run_date, binary(Coach.reg_no)))
    if run_id is not None:
        stmt = stmt.where(CourseRun.id == run_id)
    return [RunCreditLine(credit, reg_no, run_date)
            for credit, reg_no, run_date in session.execute(stmt)]


def held_rows_of_run(session: Session, run_id: int) -> list[tuple[int, int]]:
    """(batch, row) of the import rows waiting for review that name this run."""
    stmt = (select(ImportRow.batch_id, ImportRow.row_number)
            .join(ImportBatch, ImportRow.batch_id == ImportBatch.id)
            .where(ImportRow.run_id == run_id, ImportRow.outcome == "held",
                   ImportRow.resolved_at.is_(None), ImportBatch.undone_at.is_(None))
            .order_by(ImportRow.batch_id, ImportRow.row_number))
    return [(batch_id, row_number) for batch_id, row_number in session.execute(stmt)]


def detach_import_rows(session: Session, run_id: int) -> int:
    """Let the import rows that named a run name none (their cells keep the course and date as
    the sheet had them), so the run can go; returns how many there were."""
    result = session.execute(update(ImportRow).where(ImportRow.run_id == run_id)
                             .values(run_id=None))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class AgendaLine:
    """One course of the training agenda with its provider and its runs."""

    course: Course
    provider: Provider
    runs: list[CourseRun]


def agenda(session: Session) -> list[AgendaLine]:
    """The training agenda: every course with its provider and runs, by course code."""
    courses = session.execute(select(Course, Provider).join(
        Provider, Course.provider_id == Provider.id).order_by(binary(Course.code))).all()
    runs: dict[int, list[CourseRun]] = {}
    for run in session.scalars(select(CourseRun).order_by(CourseRun.run_date)):
        runs.setdefault(run.course_id, []).append(run)
    return [AgendaLine(course, provider, runs.get(course.id or 0, []))
            for course, provider in courses]


def intervention_by_name(session: Session, name: str) -> Intervention | None:
    """The intervention of this name, whatever its case (compared in Python, as providers)."""
    wanted = name.casefold()
    return next((i for i in list_interventions(session) if i.name.casefold() == wanted), None)


def list_interventions(session: Session) -> list[Intervention]:
    """Every intervention of the register, by name."""
    return list(session.scalars(select(Intervention).order_by(binary(Intervention.name))))


# ---- an agenda import: the agenda loaded once, the rows it adds written at once ---------------


def course_values(session: Session) -> list[dict[str, Any]]:
    """Every course of the training agenda as a dict of its column values, oldest first."""
    return [dict(row) for row in session.connection().execute(
        select(Course.__table__).order_by(Course.id)).mappings()]  # type: ignore[attr-defined]


def run_ids(session: Session) -> dict[tuple[int, date], int]:
    """Every run's id by (course id, run date)."""
    return {(course_id, run_date): run_id for run_id, course_id, run_date
            in session.connection().execute(
                select(CourseRun.id, CourseRun.course_id, CourseRun.run_date))}


def insert_providers(session: Session, providers: list[dict[str, Any]]) -> None:
    """Write new providers (their column values) at once; each gets its "id"."""
    insert_new(session, Provider.__table__, providers)  # type: ignore[attr-defined]


def insert_courses(session: Session, courses: list[dict[str, Any]]) -> None:
    """Write new courses (their column values) at once; each gets its "id"."""
    insert_new(session, Course.__table__, courses)  # type: ignore[attr-defined]


def insert_runs(session: Session, runs: list[dict[str, Any]]) -> None:
    """Write new course runs (their column values) at once; each gets its "id"."""
    insert_new(session, CourseRun.__table__, runs)  # type: ignore[attr-defined]
