"""Queries of the basisprofiel's parts: role assessments and the integral basic training."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from smr_register.store.models import BasicTraining, Coach, Course, CourseRun, RoleAssessment


def assessments_of(session: Session, coach_id: int) -> list[tuple[RoleAssessment, str]]:
    """A coach's role assessments, oldest first, each with its supervisor's number."""
    stmt = (select(RoleAssessment, Coach.reg_no)
            .join(Coach, RoleAssessment.supervisor_id == Coach.id)
            .where(RoleAssessment.coach_id == coach_id)
            .order_by(RoleAssessment.assessed_on, RoleAssessment.id))
    return [(row[0], row[1]) for row in session.execute(stmt).all()]


def trainings_of(session: Session, coach_id: int) -> list[tuple[BasicTraining, str | None]]:
    """A coach's recorded basic trainings, oldest first, with the course's code if any."""
    stmt = (select(BasicTraining, Course.code)
            .outerjoin(Course, BasicTraining.course_id == Course.id)
            .where(BasicTraining.coach_id == coach_id)
            .order_by(BasicTraining.completed_on, BasicTraining.id))
    return [(row[0], row[1]) for row in session.execute(stmt).all()]


def first_run_until(session: Session, course_id: int, on: date) -> date | None:
    """The first run of a course on or before `on` (None when it had none by then)."""
    stmt = (select(CourseRun.run_date).where(CourseRun.course_id == course_id,
                                             CourseRun.run_date <= on)
            .order_by(CourseRun.run_date).limit(1))
    return session.execute(stmt).scalar()
