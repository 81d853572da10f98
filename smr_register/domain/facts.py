"""The facts of one coach, as the pure rules read them: plain data, no database.

`services.audit` loads them from the register; `rules.assess` judges them. Tuples where an audit
of the whole register handles millions of them (credits, runs).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import partial
from typing import NamedTuple

from smr_register.domain.competences import RoleAssessment
from smr_register.domain.periods import period_on
from smr_register.domain.states import Spell


class Period(NamedTuple):
    """A registration period, both ends inclusive; `renewed_on` when it came from a renewal."""
    starts_on: date
    valid_until: date  # inclusive
    renewed_on: date | None = None


class Run(NamedTuple):
    """A dated run of a course in the training agenda, with the course's accreditation.

    The date comes first, so credits sort by date, then course, as plain tuples.
    """

    run_date: date
    course: str
    accredited_from: date
    accredited_until: date
    title: str = ""


class Credit(NamedTuple):
    """Points credited for one run (a tuple: an audit of the register handles millions)."""

    run: Run
    points: Decimal


class NotCounted(NamedTuple):
    """A credit that counts zero, with the reason's slug (see `credit_reason`)."""

    credit: Credit
    reason: str  # before-period | after-period | not-accredited


_not_counted = partial(tuple.__new__, NotCounted)  # NotCounted(...) without the keyword parsing


@dataclass(frozen=True)
class Decision:
    """A quality-committee exception: waives a rule (value None) or changes its minimum."""

    rule: str
    reason: str
    decided_by: str
    decided_on: date
    valid_until: date | None = None
    value: Decimal | None = None

    def valid_on(self, day: date) -> bool:
        """Whether the committee's decision applies on `day`."""
        return self.decided_on <= day and (self.valid_until is None or day <= self.valid_until)


@dataclass(frozen=True)
class SupervisorFacts:
    """What the supervision rule needs of a coach's supervisor."""
    reg_no: str
    states: tuple[Spell, ...] = ()  # suspensions and withdrawal (domain.states)
    periods: tuple[Period, ...] = ()


@dataclass(frozen=True)
class CoachFacts:
    """What the rules need to know about one coach; dates after the audit date are ignored."""

    reg_no: str
    name: str = ""
    states: tuple[Spell, ...] = ()  # suspensions and withdrawal (domain.states)
    periods: tuple[Period, ...] = ()
    profiles: Mapping[str, date] = field(default_factory=dict)  # profile -> attained on
    profile_ends: Mapping[str, date] = field(default_factory=dict)  # -> first day not held
    credits: tuple[Credit, ...] = ()
    hours: Mapping[int, Decimal] = field(default_factory=dict)  # calendar year -> hours
    practice: Mapping[int, Mapping[str, int]] = field(default_factory=dict)  # year -> counts
    supervisor: SupervisorFacts | None = None
    supervisees: int = 0
    exceptions: tuple[Decision, ...] = ()
    # The basisprofiel's parts (Basisvereisten v2.2): the roles of the competence catalogue in
    # force, a supervisor's verdicts per role and the dates of the integral basic training.
    roles: tuple[int, ...] = ()
    role_assessments: tuple[RoleAssessment, ...] = ()
    trainings: tuple[date, ...] = ()
    education: str | None = None  # prior education (vocabulary.Education), None: not recorded


def current_period(periods: tuple[Period, ...], on: date) -> Period | None:
    """The newest period that has started on `on` (a renewal not yet begun is not current)."""
    return period_on(periods, on)
