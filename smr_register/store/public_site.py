"""Queries of the public website (`smr publish`): what the register lists on a date.

Which coaches are registered on the date is asked through `services.public.registered_coaches`
(the notion `report public` uses too); here only what the website adds to it: the interventions
listed on the date, who delivers them, and the training agenda with its providers and runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_
from sqlmodel import Session, select

from smr_register.store.models import (
    CoachIntervention,
    Course,
    CourseRun,
    Intervention,
    Provider,
)
from smr_register.store.text import binary


def interventions_known_on(session: Session, on: date) -> list[Intervention]:
    """Every intervention listed on or before the date (also those no longer listed), by name."""
    stmt = (select(Intervention).where(Intervention.listed_since <= on)
            .order_by(binary(Intervention.name)))
    return list(session.scalars(stmt))


def interventions_delivered(session: Session, on: date) -> dict[int, list[str]]:
    """coach id -> names of the interventions listed on the date that the coach delivers."""
    stmt = (select(CoachIntervention.coach_id, Intervention.name)
            .join(Intervention, Intervention.id == CoachIntervention.intervention_id)
            .where(Intervention.listed_since <= on,  # listed_until: its last listed day
                   or_(Intervention.listed_until.is_(None),  # type: ignore[union-attr]
                       Intervention.listed_until >= on))  # type: ignore[operator]
            .order_by(CoachIntervention.coach_id, binary(Intervention.name)))
    result: dict[int, list[str]] = {}
    for coach_id, name in session.execute(stmt):
        result.setdefault(coach_id, []).append(name)
    return result


@dataclass(frozen=True)
class AgendaCourse:
    """A course of the training agenda with its provider's name and the dates of its runs."""

    course: Course
    provider: str
    run_dates: list[date]


def agenda(session: Session) -> list[AgendaCourse]:
    """Every course of the agenda by code, with its runs inside the accreditation period (a run
    outside it earns nothing, so it is not shown). The agenda plans ahead: a course accredited
    from a later date is in it already."""
    courses = session.execute(
        select(Course, Provider.name).join(Provider, Course.provider_id == Provider.id)
        .order_by(binary(Course.code))).all()
    runs: dict[int, list[date]] = {}
    stmt = (select(CourseRun.course_id, CourseRun.run_date)
            .join(Course, Course.id == CourseRun.course_id)
            .where(CourseRun.run_date >= Course.accredited_from,
                   CourseRun.run_date <= Course.accredited_until)
            .order_by(CourseRun.course_id, CourseRun.run_date))
    for course_id, run_date in session.execute(stmt):
        runs.setdefault(course_id, []).append(run_date)
    return [AgendaCourse(course, provider, runs.get(course.id or 0, []))
            for course, provider in courses]
