"""Period arithmetic: registration periods, renewals and whole years, on calendar days."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Protocol, TypeVar


class Dated(Protocol):
    """Anything shaped like a registration period (rules.Period, the store's rows)."""

    @property
    def starts_on(self) -> date: ...
    @property
    def valid_until(self) -> date: ...
    @property
    def renewed_on(self) -> date | None: ...


P = TypeVar("P", bound=Dated)


def add_years(day: date, years: int) -> date:
    """The same calendar day `years` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def first_period_end(registered_on: date, period_years: int) -> date:
    """A registration from 01-10-2022 for 5 years is valid until 30-09-2027 (inclusive)."""
    return add_years(registered_on, period_years) - timedelta(days=1)


def renewed_period(valid_until: date, period_years: int) -> tuple[date, date]:
    """A renewal extends by one period from the current end date: (new start, new end)."""
    return valid_until + timedelta(days=1), add_years(valid_until, period_years)


def years_between(start: date, end: date) -> int:
    """Whole years from `start` to `end` (a supervisor's experience, a retention period)."""
    years = end.year - start.year
    if (end.month, end.day) < (start.month, start.day):
        years -= 1
    return years


def period_on(periods: Iterable[P], on: date) -> P | None:
    """The period a coach is judged by on `on`: the newest that has started by then (in force,
    or ended when the coach has expired). A renewal that starts later is not it yet: a coach
    renewed today is registered under the period running today."""
    best: P | None = None
    for period in periods:
        if period.starts_on <= on and (best is None or period.starts_on > best.starts_on):
            best = period
    return best


def next_period(periods: Iterable[P], on: date) -> P | None:
    """The period decided by `on` that starts after it (a renewal, or a registration from a
    later date): what an admin tells an insurer besides the period running today."""
    later = [p for p in periods if p.starts_on > on
             and (p.renewed_on is None or p.renewed_on <= on)]
    return min(later, key=lambda p: p.starts_on, default=None)


def in_force(period: Dated | None, on: date) -> bool:
    """Whether `period` covers `on` (both ends inclusive)."""
    return period is not None and period.starts_on <= on <= period.valid_until
