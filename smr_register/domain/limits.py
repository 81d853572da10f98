"""Plausible ranges of what people type and providers send.

These are bounds of the world the register lives in, not rules that judge a coach (those are
dated policy in data/rules.toml): a value outside them is a typing error or a hostile file, and is
refused on entry (exit 2 on the command line, a rejected row in a sheet) before it can reach a
calculation that would overflow or a table that would mislead.
"""

from __future__ import annotations

import calendar
from datetime import date
from decimal import Decimal

# No coach was born, registered or trained before 1900, and no registration period, course or
# notice the register plans runs past 2100; Python's dates stop at 9999, arithmetic on the way
# there overflows.
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2100, 12, 31)

# A year has at most 366 days of 24 hours (a fact).
MAX_HOURS_PER_YEAR = Decimal(366 * 24)


def hours_in_year(year: int) -> Decimal:
    """The hours calendar year `year` has: 8,760, or 8,784 in a leap year (a fact)."""
    return Decimal(24 * (366 if calendar.isleap(year) else 365))

# Points of one course. Accredited courses in the agenda carry 1 to about 8 points; 100 leaves
# room for a long programme and still catches `1.000.000,5` (assumption, owners to confirm).
MAX_COURSE_POINTS = Decimal(100)

# Any other amount typed (a changed minimum, an hour total): nine digits before the decimal
# comma keep hundredths inside a 64-bit integer on every database.
MAX_AMOUNT = Decimal(10**9)

# Practice counts (clients, intakes, ...) of one coach in one year.
MAX_COUNT = 100_000

# Days a registration may start after the day it is entered. KABIZ registers a coach once the
# application is approved, so a start date is today or shortly after; a year ahead is a typo
# (2035 for 2025) that would otherwise give a period no audit reaches for a decade.
MAX_REGISTRATION_AHEAD_DAYS = 366

# Days ahead a report or audit may look (--within, --due-within): two registration periods.
MAX_DAYS_AHEAD = 3650

# Years of inactivity for a purge: no more than the register's whole range of dates.
MAX_YEARS = LATEST_DATE.year - EARLIEST_DATE.year

# Row keys (batch numbers) are integers of 32 bits on PostgreSQL.
MAX_KEY = 2**31 - 1

# Free text typed on the command line or read from a cell (a name, a reason, a search).
MAX_TEXT = 2000
