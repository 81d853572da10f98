"""The audit's reads: the register streamed coach by coach, as typed rows.

The register can hold a hundred thousand coaches with millions of credits, so nothing here loads
it whole: each table is read once by a Core select ordered by coach id, and the six results are
merged so that the rows of one coach are handed on before the next coach's are read. With
`coach_ids` each select is narrowed to a chunk of coaches (one coach, --due-within).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from operator import attrgetter
from typing import Any, NamedTuple

from sqlalchemy import Connection, Select, func, select
from sqlalchemy.orm import aliased

from smr_register.store.models import (
    BasicTraining,
    Coach,
    CoachStateSpell,
    Course,
    CourseRun,
    PointCredit,
    PracticeYear,
    ProfileHeld,
    RegistrationPeriod,
    RoleAssessment,
    RuleException,
)
from smr_register.store.rows import typed, typed_list
from smr_register.store.states import spell_id_on

# Coaches per query when the audit covers a selection (one coach, --due-within) rather than the
# whole register; well under every database's limit of bound parameters.
CHUNK = 500

# Rows fetched from the database at a time while streaming.
_YIELD_PER = 2000


class CoachRow(NamedTuple):
    """A coach and their supervisor, each with the state spell in force on the audit date
    (None: active then), the supervisor's period then, and the coach's supervisees."""

    coach_id: int
    reg_no: str
    initials: str | None
    prefix: str | None
    last_name: str
    state: str | None
    state_starts_on: date | None
    state_ends_on: date | None
    education: str | None
    supervisor_reg_no: str | None
    supervisor_state: str | None
    supervisor_state_starts_on: date | None
    supervisor_state_ends_on: date | None
    supervisor_starts_on: date | None
    supervisor_valid_until: date | None
    supervisees: int | None


class PeriodRow(NamedTuple):
    coach_id: int
    starts_on: date
    valid_until: date
    renewed_on: date | None


class ProfileRow(NamedTuple):
    coach_id: int
    profile: str
    attained_on: date
    ended_on: date | None


class PracticeRow(NamedTuple):
    coach_id: int
    year: int
    hours_centi: int | None
    clients: int | None
    clients_low_literacy: int | None
    intakes: int | None
    integral_trajectories: int | None
    pharmacotherapy_trajectories: int | None
    referrals: int | None
    referrals_somatic: int | None
    referrals_psychiatric: int | None
    referrals_pregnancy: int | None
    referrals_medication: int | None


class ExceptionRow(NamedTuple):
    coach_id: int
    rule: str
    value: str | None
    reason: str
    decided_by: str
    decided_on: date
    valid_until: date | None


class AssessmentRow(NamedTuple):
    """A supervisor's verdict on one role (the basisprofiel's competences)."""

    coach_id: int
    role: int
    assessed_on: date
    result: str


class TrainingRow(NamedTuple):
    """The integral basic training recorded for a coach."""

    coach_id: int
    completed_on: date


class CreditRow(NamedTuple):
    """A credit as three integers: its run and course come from `runs`."""

    coach_id: int
    run_id: int
    points_centi: int


class RunRow(NamedTuple):
    """A run of the training agenda with its course's accreditation."""

    run_id: int
    code: str
    run_date: date
    accredited_from: date
    accredited_until: date
    title: str


@dataclass(frozen=True, slots=True)
class CoachRows:
    """Everything the audit reads about one coach."""

    coach: CoachRow
    periods: list[PeriodRow]
    profiles: list[ProfileRow]
    practice: list[PracticeRow]
    exceptions: list[ExceptionRow]
    credits: list[CreditRow]
    assessments: list[AssessmentRow]
    trainings: list[TrainingRow]


def runs(conn: Connection, as_of: date) -> list[RunRow]:
    """Every run of the training agenda up to `as_of`, with its course's accreditation."""
    stmt = (select(CourseRun.id.label("run_id"), Course.code, CourseRun.run_date,
                   Course.accredited_from, Course.accredited_until, Course.title)
            .join(Course, CourseRun.course_id == Course.id)
            .where(CourseRun.run_date <= as_of))
    return typed_list(conn.execute(stmt), RunRow)


def coaches(conn: Connection, as_of: date,
            coach_ids: Sequence[int] | None = None) -> Iterator[CoachRows]:
    """The rows of every coach (or of `coach_ids`), in coach-id order, one coach at a time."""
    if coach_ids is None:
        yield from _stream(conn, as_of, None)
        return
    for start in range(0, len(coach_ids), CHUNK):
        yield from _stream(conn, as_of, list(coach_ids[start:start + CHUNK]))


def coach_ids_ending_between(conn: Connection, as_of: date, first: date,
                             last: date) -> list[int]:
    """Coaches whose period current on `as_of` ends between `first` and `last` (inclusive)."""
    later = aliased(RegistrationPeriod)
    newer = (select(later.id).where(later.coach_id == RegistrationPeriod.coach_id,
                                    later.starts_on > RegistrationPeriod.starts_on,
                                    later.starts_on <= as_of).exists())
    stmt = (select(RegistrationPeriod.coach_id)
            .where(RegistrationPeriod.starts_on <= as_of,
                   RegistrationPeriod.valid_until >= first,
                   RegistrationPeriod.valid_until <= last, ~newer)
            .order_by(RegistrationPeriod.coach_id))
    return list(conn.execute(stmt).scalars())


_COACH_ID = attrgetter("coach_id")


class _Groups:
    """The rows of one query, ordered by coach id, handed out one coach at a time."""

    def __init__(self, rows: Iterable[Any]) -> None:
        self._groups = itertools.groupby(rows, key=_COACH_ID)
        self._head = next(self._groups, None)

    def take(self, coach_id: int) -> list[Any]:
        head = self._head
        while head is not None and head[0] < coach_id:
            head = next(self._groups, None)
        if head is None or head[0] != coach_id:
            self._head = head
            return []
        rows = list(head[1])
        self._head = next(self._groups, None)
        return rows


def _stream(conn: Connection, as_of: date,
            coach_ids: Sequence[int] | None) -> Iterator[CoachRows]:
    """One pass over each table for `coach_ids` (None: the whole register), merged per coach."""
    queries: list[tuple[Select[Any], type[Any]]] = [
        (_coaches(as_of, coach_ids), CoachRow), (_periods(coach_ids), PeriodRow),
        (_profiles(coach_ids), ProfileRow), (_practice(coach_ids), PracticeRow),
        (_exceptions(coach_ids), ExceptionRow), (_credits(coach_ids), CreditRow),
        (_assessments(coach_ids), AssessmentRow), (_trainings(coach_ids), TrainingRow)]
    results = [conn.execute(stmt.execution_options(yield_per=_YIELD_PER)) for stmt, _ in queries]
    try:
        rows = [typed(result, row_type) for result, (_, row_type) in zip(results, queries,
                                                                          strict=True)]
        (periods, profiles, practice, exceptions, credit_rows, assessed,
         trained) = (_Groups(r) for r in rows[1:])
        for coach in rows[0]:
            coach_id = coach.coach_id
            yield CoachRows(coach, periods.take(coach_id), profiles.take(coach_id),
                            practice.take(coach_id), exceptions.take(coach_id),
                            credit_rows.take(coach_id), assessed.take(coach_id),
                            trained.take(coach_id))
    finally:
        for result in results:
            result.close()


def _for_coaches(stmt: Select[Any], column: Any, coach_ids: Sequence[int] | None) -> Select[Any]:
    return stmt if coach_ids is None else stmt.where(column.in_(coach_ids))


def _scan_order(column: Any) -> Any:
    """Order a whole table by an expression, not by the indexed column itself.

    Walking the coach_id index costs one random row lookup per row, and SQLite picks that plan:
    on a register larger than the page cache it is four times slower than scanning the table and
    sorting (the sort spills to temporary files, so memory stays bounded). With `coach_ids` the
    index is the right plan and the plain column is used.
    """
    return column + 0


def _coaches(as_of: date, coach_ids: Sequence[int] | None) -> Select[Any]:
    supervisor = aliased(Coach)
    supervisee = aliased(Coach)
    newest = (select(RegistrationPeriod.starts_on, RegistrationPeriod.valid_until)
              .where(RegistrationPeriod.coach_id == supervisor.id,
                     RegistrationPeriod.starts_on <= as_of)
              .order_by(RegistrationPeriod.starts_on.desc()).limit(1))
    supervisor_start = newest.with_only_columns(RegistrationPeriod.starts_on).scalar_subquery()
    supervisor_until = newest.with_only_columns(RegistrationPeriod.valid_until).scalar_subquery()
    supervisees = (select(func.count()).select_from(supervisee)
                   .where(supervisee.supervisor_id == Coach.id).scalar_subquery())
    own, theirs = aliased(CoachStateSpell), aliased(CoachStateSpell)
    stmt = (select(Coach.id.label("coach_id"), Coach.reg_no, Coach.initials, Coach.prefix,
                   Coach.last_name, own.state, own.starts_on.label("state_starts_on"),
                   own.ends_on.label("state_ends_on"), Coach.education,
                   supervisor.reg_no.label("supervisor_reg_no"),
                   theirs.state.label("supervisor_state"),
                   theirs.starts_on.label("supervisor_state_starts_on"),
                   theirs.ends_on.label("supervisor_state_ends_on"),
                   supervisor_start.label("supervisor_starts_on"),
                   supervisor_until.label("supervisor_valid_until"),
                   supervisees.label("supervisees"))
            .select_from(Coach)
            .outerjoin(own, own.id == spell_id_on(Coach.id, as_of))
            .outerjoin(supervisor, Coach.supervisor_id == supervisor.id)
            .outerjoin(theirs, theirs.id == spell_id_on(supervisor.id, as_of))
            .order_by(Coach.id))
    return _for_coaches(stmt, Coach.id, coach_ids)


def _periods(coach_ids: Sequence[int] | None) -> Select[Any]:
    stmt = (select(RegistrationPeriod.coach_id, RegistrationPeriod.starts_on,
                   RegistrationPeriod.valid_until, RegistrationPeriod.renewed_on)
            .order_by(RegistrationPeriod.coach_id, RegistrationPeriod.starts_on))
    return _for_coaches(stmt, RegistrationPeriod.coach_id, coach_ids)


def _profiles(coach_ids: Sequence[int] | None) -> Select[Any]:
    stmt = (select(ProfileHeld.coach_id, ProfileHeld.profile, ProfileHeld.attained_on,
                   ProfileHeld.ended_on)
            .order_by(ProfileHeld.coach_id))
    return _for_coaches(stmt, ProfileHeld.coach_id, coach_ids)


def _practice(coach_ids: Sequence[int] | None) -> Select[Any]:
    stmt = (select(PracticeYear.coach_id, PracticeYear.year, PracticeYear.hours_centi,
                   PracticeYear.clients, PracticeYear.clients_low_literacy, PracticeYear.intakes,
                   PracticeYear.integral_trajectories,
                   PracticeYear.pharmacotherapy_trajectories, PracticeYear.referrals,
                   PracticeYear.referrals_somatic, PracticeYear.referrals_psychiatric,
                   PracticeYear.referrals_pregnancy, PracticeYear.referrals_medication)
            .order_by(PracticeYear.coach_id if coach_ids else _scan_order(PracticeYear.coach_id)))
    return _for_coaches(stmt, PracticeYear.coach_id, coach_ids)


def _exceptions(coach_ids: Sequence[int] | None) -> Select[Any]:
    stmt = (select(RuleException.coach_id, RuleException.rule, RuleException.value,
                   RuleException.reason, RuleException.decided_by, RuleException.decided_on,
                   RuleException.valid_until)
            .order_by(RuleException.coach_id, RuleException.decided_on, RuleException.id))
    return _for_coaches(stmt, RuleException.coach_id, coach_ids)


def _credits(coach_ids: Sequence[int] | None) -> Select[Any]:
    stmt = (select(PointCredit.coach_id, PointCredit.run_id, PointCredit.points_centi)
            .order_by(PointCredit.coach_id if coach_ids else _scan_order(PointCredit.coach_id),
                      PointCredit.run_id))  # runs are mostly added in date order: cheap sorting
    return _for_coaches(stmt, PointCredit.coach_id, coach_ids)


def _assessments(coach_ids: Sequence[int] | None) -> Select[Any]:
    stmt = (select(RoleAssessment.coach_id, RoleAssessment.role, RoleAssessment.assessed_on,
                   RoleAssessment.result)
            .order_by(RoleAssessment.coach_id, RoleAssessment.assessed_on, RoleAssessment.id))
    return _for_coaches(stmt, RoleAssessment.coach_id, coach_ids)


def _trainings(coach_ids: Sequence[int] | None) -> Select[Any]:
    stmt = (select(BasicTraining.coach_id, BasicTraining.completed_on)
            .order_by(BasicTraining.coach_id, BasicTraining.completed_on))
    return _for_coaches(stmt, BasicTraining.coach_id, coach_ids)
