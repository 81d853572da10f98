"""A coach's own records beside the registration: credits with their courses, hours and
practice counts per year, the committee's exceptions and the interventions offered. What
`coach show` lists and the commands that add to them look up; the coach itself and their
periods are in `coaches`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from smr_register.store.coaches import coach_id_of
from smr_register.store.models import (
    Coach,
    CoachIntervention,
    Course,
    CourseRun,
    Intervention,
    PointCredit,
    PracticeYear,
    RuleException,
)
from smr_register.store.rows import fields_of
from smr_register.store.text import binary


def practice_years_of(session: Session, coach_id: int) -> list[PracticeYear]:
    """A coach's hours and practice counts, one record per calendar year."""
    stmt = select(PracticeYear).where(PracticeYear.coach_id == coach_id).order_by(
        PracticeYear.year)
    return list(session.scalars(stmt))


def practice_year(session: Session, coach_id: int, year: int) -> PracticeYear | None:
    """A coach's record of one calendar year, if any."""
    stmt = select(PracticeYear).where(PracticeYear.coach_id == coach_id,
                                      PracticeYear.year == year)
    return session.scalars(stmt).first()


@dataclass(frozen=True)
class CreditLine:
    """A credit with its course and run, as `coach show` and the audit need it."""

    credit: PointCredit
    run: CourseRun
    course: Course


def credits_of(session: Session, coach_id: int) -> list[CreditLine]:
    """A coach's credits with their runs and courses, by run date."""
    stmt = (select(PointCredit, CourseRun, Course)
            .join(CourseRun, PointCredit.run_id == CourseRun.id)
            .join(Course, CourseRun.course_id == Course.id)
            .where(PointCredit.coach_id == coach_id)
            .order_by(CourseRun.run_date, binary(Course.code)))
    return [CreditLine(c, r, k) for c, r, k in session.execute(stmt)]


def credit_for(session: Session, coach_id: int, run_id: int) -> PointCredit | None:
    """The coach's credit for this course run, if any (a run is credited once)."""
    stmt = select(PointCredit).where(PointCredit.coach_id == coach_id,
                                     PointCredit.run_id == run_id)
    return session.scalars(stmt).first()


def exceptions_of(session: Session, coach_id: int) -> list[RuleException]:
    """The quality committee's exceptions for a coach, in the order decided."""
    stmt = select(RuleException).where(RuleException.coach_id == coach_id).order_by(
        RuleException.decided_on, RuleException.id)
    return list(session.scalars(stmt))


def exception_rows(session: Session, reg_no: str | None) -> list[dict[str, Any]]:
    """Every exception (of one coach, with `reg_no`) as a listing row with the coach's number;
    NotFound for an unknown `reg_no` (an empty list would say the coach has none)."""
    stmt = select(RuleException, Coach.reg_no).join(Coach, RuleException.coach_id == Coach.id)
    if reg_no:
        stmt = stmt.where(RuleException.coach_id == coach_id_of(session, reg_no))
    stmt = stmt.order_by(binary(Coach.reg_no), RuleException.decided_on, RuleException.id)
    return [{"id": item.id, "reg_no": number, **fields_of(item, exclude={"id", "coach_id"})}
            for item, number in session.execute(stmt)]


def interventions_of(session: Session, coach_id: int) -> list[Intervention]:
    """The interventions a coach offers, by name."""
    stmt = (select(Intervention).join(CoachIntervention,
                                      CoachIntervention.intervention_id == Intervention.id)
            .where(CoachIntervention.coach_id == coach_id).order_by(binary(Intervention.name)))
    return list(session.scalars(stmt))


def coach_intervention(session: Session, coach_id: int,
                       intervention_id: int) -> CoachIntervention | None:
    """The link between a coach and an intervention, if the coach offers it."""
    return session.get(CoachIntervention, (coach_id, intervention_id))
