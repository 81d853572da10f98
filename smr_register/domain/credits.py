"""When attendance earns points: only once the course run has taken place.

DOMAIN.md (PE-online): a course must have a dated run in the training agenda before attendance
can be entered, and points are credited for attending it. A run that has not taken place on the
date the attendance is entered (an import's or a manual credit's date of entry, today unless
given) earns nothing yet: the same rule for both. Pure: the date of entry is a parameter.
"""

from __future__ import annotations

from datetime import date

from smr_register.domain.i18n import _
from smr_register.domain.values import format_date


def has_taken_place(run_date: date, entered_on: date) -> bool:
    """A run counts from its own day: attendance may be entered on the day it is held."""
    return run_date <= entered_on


def not_yet_held(entered_on: date) -> str:
    """Why attendance at a run still to come earns nothing yet (after the run's name)."""
    return _("has not taken place on the date of entry, {entered_on}: attendance earns points "
             "once it has").format(entered_on=format_date(entered_on))
