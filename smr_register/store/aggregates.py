"""The report aggregates: counts and sums over the whole register on a date (`report stats`)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import extract, func, select
from sqlmodel import Session

from smr_register.domain.states import WITHDRAWN
from smr_register.domain.values import from_centi
from smr_register.store.coaches import not_ended
from smr_register.store.models import (
    Coach,
    CourseRun,
    PointCredit,
    PracticeYear,
    ProfileHeld,
    RegistrationPeriod,
)
from smr_register.store.states import in_state_on
from smr_register.store.text import binary


def postcodes_valid_on(session: Session, on: date) -> list[str | None]:
    """The postcode of every coach with a registration valid on `on`, not withdrawn then."""
    stmt = (select(Coach.postcode).join(RegistrationPeriod,
                                        RegistrationPeriod.coach_id == Coach.id)
            .where(RegistrationPeriod.starts_on <= on, RegistrationPeriod.valid_until >= on)
            .where(~in_state_on(Coach.id, WITHDRAWN, on))
            .distinct())
    return list(session.scalars(stmt))


def points_per_year(session: Session, on: date) -> list[tuple[int, Decimal]]:
    """The points credited for runs in each calendar year, up to `on`."""
    year = extract("year", CourseRun.run_date)
    stmt = (select(year, func.sum(PointCredit.points_centi))
            .join(CourseRun, PointCredit.run_id == CourseRun.id)
            .where(CourseRun.run_date <= on).group_by(year).order_by(year))
    return [(int(y), from_centi(int(total))) for y, total in session.execute(stmt)]


def hours_per_year(session: Session, on: date) -> list[tuple[int, Decimal]]:
    """The coaching hours recorded for each calendar year, up to the year of `on`."""
    stmt = (select(PracticeYear.year, func.sum(PracticeYear.hours_centi))
            .where(PracticeYear.year <= on.year)
            .group_by(PracticeYear.year).order_by(PracticeYear.year))
    return [(int(y), from_centi(int(total))) for y, total in session.execute(stmt)]


def coaches_per_profile(session: Session, on: date) -> list[tuple[str, int]]:
    """Coaches (not withdrawn on `on`) holding each profile attained by then."""
    stmt = (select(ProfileHeld.profile, func.count(func.distinct(ProfileHeld.coach_id)))
            .join(Coach, Coach.id == ProfileHeld.coach_id)
            .where(ProfileHeld.attained_on <= on, not_ended(on))
            .where(~in_state_on(Coach.id, WITHDRAWN, on))
            .group_by(ProfileHeld.profile).order_by(binary(ProfileHeld.profile)))
    return [(profile, int(count)) for profile, count in session.execute(stmt)]
