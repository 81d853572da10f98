"""Period arithmetic: registration periods, renewals and whole years, on calendar days."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    pass



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
