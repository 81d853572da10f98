"""A coach's administrative state as a dated timeline: suspensions and a withdrawal, each a
spell with its first day and (for a suspension) its last. Pure: the date is a parameter.

Spells of one coach never overlap (services.coach_states refuses what would), so on any date at
most one is in force; a coach in none is active. Expiry is not a state: it follows from the
registration periods.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import NamedTuple

from smr_register.domain.vocabulary import CoachState

ACTIVE = CoachState.ACTIVE.value
SUSPENDED = CoachState.SUSPENDED.value
WITHDRAWN = CoachState.WITHDRAWN.value


class Spell(NamedTuple):
    """A suspension or a withdrawal: in force from `starts_on` through `ends_on` (inclusive;
    None: open, as a withdrawal always is)."""

    state: str
    starts_on: date
    ends_on: date | None = None
    reason: str = ""

    def covers(self, day: date) -> bool:
        """Whether the spell is in force on `day`."""
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)

    def overlaps(self, first: date, last: date | None) -> bool:
        """Whether the spell shares a day with `first`..`last` (None: open-ended)."""
        return ((last is None or self.starts_on <= last)
                and (self.ends_on is None or first <= self.ends_on))


def spell_on(spells: Iterable[Spell], on: date) -> Spell | None:
    """The spell in force on `on`, if any (a withdrawal before a suspension, should both be)."""
    found = [s for s in spells if s.covers(on)]
    return min(found, key=lambda s: (s.state != WITHDRAWN, -s.starts_on.toordinal()),
               default=None)


def state_on(spells: Iterable[Spell], on: date) -> str:
    """The administrative state in force on `on`: a suspension dated later, or one that has
    ended, does not count."""
    spell = spell_on(spells, on)
    return spell.state if spell is not None else ACTIVE
