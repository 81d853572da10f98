"""The re-registration audit of the register: facts streamed from the database, judged by rules.py.

The register can hold a hundred thousand coaches with millions of credits, so nothing here loads
the whole register: the store streams it coach by coach (store/audit.py), and the rows of one
coach are made into a `rules.CoachFacts`, assessed and handed on before the next coach is read.
Runs and courses (the training agenda, small) are read once into dictionaries, so a credit
arrives as three integers. The status is always computed on the date asked, never stored.

Renewal is the one write: a new registration period and its history row, in the caller's
transaction, only for a coach whose status is `due`; each renewal and refusal is kept as a
decision (services/decisions.py).
"""

from __future__ import annotations

import functools
import math
import random
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from operator import attrgetter
from typing import Any

from sqlalchemy import Connection
from sqlmodel import Session

from smr_register.domain.competences import (
    CatalogueBook,
    Result,
    RoleAssessment,
    load_catalogue,
)
from smr_register.domain.i18n import _
from smr_register.domain.ruleset import RulesBook, RuleSet
from smr_register.domain.states import Spell
from smr_register.domain.values import format_date, full_name
from smr_register.errors import Conflict
from smr_register.rules import (
    Assessment,
    CoachFacts,
    Credit,
    Decision,
    Period,
    RenewalDecision,
    Run,
    Status,
    SupervisorFacts,
    current_period,
    decide_renewal,
    judge,
)
from smr_register.services import fees
from smr_register.services.decisions import record_renewals
from smr_register.store import audit as audit_store
from smr_register.store import coaches as coach_store
from smr_register.store import history as history_store
from smr_register.store.history import Change
from smr_register.store.models import RegistrationPeriod

_COUNT_FIELDS = ("clients", "clients_low_literacy", "intakes", "integral_trajectories",
                 "pharmacotherapy_trajectories", "referrals", "referrals_somatic",
                 "referrals_psychiatric", "referrals_pregnancy", "referrals_medication")
_COUNTS = attrgetter(*_COUNT_FIELDS)


@dataclass(frozen=True)
class Selection:
    """Which coaches an audit covers: one coach, those due within N days, certain statuses."""

    reg_no: str | None = None
    due_within: int | None = None
    statuses: frozenset[Status] = frozenset()

    def wants(self, assessment: Assessment) -> bool:
        """Whether the selection keeps this assessment (its status filter)."""
        return not self.statuses or assessment.status in self.statuses


class _Agenda:
    """The training agenda's runs up to the audit date, and the credits made of them.

    Coaches attend the same few thousand runs, so one `Credit` per (run, points) is shared by
    every coach credited for it: fewer objects, and the JSON writer can reuse its text.
    """

    def __init__(self, conn: Connection, as_of: date) -> None:
        self.runs: dict[int, Run] = {
            run.run_id: Run(run.run_date, run.code, run.accredited_from, run.accredited_until,
                            run.title)
            for run in audit_store.runs(conn, as_of)
        }
        self._credits: dict[int, tuple[int, Credit | None]] = {}  # run id -> (centi, credit)

    def credits(self, rows: list[audit_store.CreditRow]) -> tuple[Credit, ...]:
        """Credits for runs after the audit date are not in `runs`: not yet known, left out."""
        known, runs = self._credits, self.runs
        out = []
        for row in rows:
            run_id, centi = row.run_id, row.points_centi
            entry = known.get(run_id)
            if entry is None or entry[0] != centi:
                run = runs.get(run_id)
                entry = known[run_id] = (centi, None if run is None
                                         else Credit(run, Decimal(centi) / 100))
            if entry[1] is not None:
                out.append(entry[1])
        return tuple(out)


def _hundredths(centi: int | None) -> Decimal:
    return Decimal(centi or 0) / 100


def _counts(row: audit_store.PracticeRow) -> dict[str, int]:
    return {name: value for name, value in zip(_COUNT_FIELDS, _COUNTS(row), strict=True)
            if value is not None}


def _supervisor(coach: audit_store.CoachRow) -> SupervisorFacts | None:
    if coach.supervisor_reg_no is None:
        return None
    periods = ((Period(coach.supervisor_starts_on, coach.supervisor_valid_until),)
               if coach.supervisor_starts_on is not None else ())
    return SupervisorFacts(reg_no=coach.supervisor_reg_no,
                           states=_spells(coach.supervisor_state,
                                          coach.supervisor_state_starts_on,
                                          coach.supervisor_state_ends_on), periods=periods)


def _spells(state: str | None, starts_on: date | None, ends_on: date | None
            ) -> tuple[Spell, ...]:
    """The spell in force on the audit date as the rules take it (the store reads only that
    one: no other can be in force then)."""
    if state is None or starts_on is None:
        return ()
    return (Spell(state, starts_on, ends_on),)


def _facts(rows: audit_store.CoachRows, agenda: _Agenda, roles: tuple[int, ...]) -> CoachFacts:
    coach = rows.coach
    return CoachFacts(
        roles=roles,
        role_assessments=tuple(RoleAssessment(a.role, a.assessed_on, Result(a.result))
                               for a in rows.assessments),
        trainings=tuple(t.completed_on for t in rows.trainings),
        education=coach.education,
        reg_no=coach.reg_no,
        name=full_name(coach.initials, coach.prefix, coach.last_name),
        states=_spells(coach.state, coach.state_starts_on, coach.state_ends_on),
        periods=tuple(Period(p.starts_on, p.valid_until, p.renewed_on) for p in rows.periods),
        profiles={p.profile: p.attained_on for p in rows.profiles},
        profile_ends={p.profile: p.ended_on for p in rows.profiles if p.ended_on is not None},
        credits=agenda.credits(rows.credits),
        hours={p.year: _hundredths(p.hours_centi) for p in rows.practice},
        practice={p.year: _counts(p) for p in rows.practice},
        supervisor=_supervisor(coach),
        supervisees=coach.supervisees or 0,
        exceptions=tuple(
            Decision(rule=e.rule, value=Decimal(e.value) if e.value is not None else None,
                     reason=e.reason, decided_by=e.decided_by, decided_on=e.decided_on,
                     valid_until=e.valid_until)
            for e in rows.exceptions),
    )


def coach_facts(conn: Connection, as_of: date,
                coach_ids: Sequence[int] | None = None) -> Iterator[CoachFacts]:
    """The facts of every coach (or of `coach_ids`), in coach-id order, one at a time."""
    agenda = _Agenda(conn, as_of)
    roles = catalogue_roles(as_of)
    for rows in audit_store.coaches(conn, as_of, coach_ids):
        yield _facts(rows, agenda, roles)


@functools.cache
def _catalogue() -> CatalogueBook:
    return load_catalogue()


def catalogue_roles(as_of: date) -> tuple[int, ...]:
    """The roles of the competence catalogue in force on `as_of` (the packaged catalogue)."""
    return tuple(role.number for role in _catalogue().in_force(as_of).roles)


def _selected_ids(conn: Connection, selection: Selection, as_of: date) -> list[int] | None:
    ids: list[int] | None = None
    if selection.reg_no is not None:
        ids = [coach_store.coach_id_of(conn, selection.reg_no)]
    if selection.due_within is not None:
        last = as_of + timedelta(days=selection.due_within)
        due = audit_store.coach_ids_ending_between(conn, as_of, as_of, last)
        ids = due if ids is None else [i for i in ids if i in set(due)]
    return ids


def assessments(conn: Connection, book: RulesBook, as_of: date,
                selection: Selection = Selection()) -> Iterator[Assessment]:
    """The audit of the register on `as_of`, coach by coach (coaches not yet registered skipped),
    each under the version of the rules that judges the coach's period."""
    for facts in coach_facts(conn, as_of, _selected_ids(conn, selection, as_of)):
        if current_period(facts.periods, as_of) is None:
            continue
        assessment = judge(facts, book, as_of)
        if selection.wants(assessment):
            yield assessment


def assess_coach(conn: Connection, book: RulesBook, reg_no: str, as_of: date) -> Assessment:
    """One coach's audit; raises NotFound for an unknown coach or one not yet registered."""
    (facts,) = coach_facts(conn, as_of, [coach_store.coach_id_of(conn, reg_no)])
    return judge(facts, book, as_of)


# --------------------------------------------------------------------------------------------
# What-if and spot checks


@dataclass(frozen=True)
class Comparison:
    """One coach under the rules in force and under proposed rules, on the same date."""

    current: Assessment
    proposed: Assessment

    @property
    def changed(self) -> bool:
        """Whether the proposed rules give another status."""
        return self.current.status != self.proposed.status

    def differences(self) -> list[tuple[str, Any, Any]]:
        """(rule, finding now, finding proposed) for each rule whose verdict or numbers differ."""
        now = {f.rule: f for f in self.current.findings}
        then = {f.rule: f for f in self.proposed.findings}
        out = []
        for rule in dict.fromkeys([*now, *then]):
            a, b = now.get(rule), then.get(rule)
            if a is None or b is None or (a.met, a.blocking, a.required, a.shortfall) != (
                    b.met, b.blocking, b.required, b.shortfall):
                out.append((rule, a, b))
        return out


def compare(conn: Connection, book: RulesBook, proposed: RulesBook, as_of: date,
            selection: Selection = Selection()) -> Iterator[Comparison]:
    """Every coach whose status would change on `as_of` under `proposed` (facts read once)."""
    for facts in coach_facts(conn, as_of, _selected_ids(conn, selection, as_of)):
        if current_period(facts.periods, as_of) is None:
            continue
        pair = Comparison(judge(facts, book, as_of), judge(facts, proposed, as_of))
        if pair.changed and (selection.wants(pair.current) or selection.wants(pair.proposed)):
            yield pair


def proposed_version(book: RulesBook, proposed: RulesBook) -> RuleSet:
    """The version a proposed rules file proposes: its newest one the rules in use lack (by
    id), else its newest. A proposal repeats the versions in force and adds one, dated."""
    known = {version.id for version in book.versions}
    new = [version for version in proposed.versions if version.id not in known]
    return (new or list(proposed.versions))[-1]


@dataclass(frozen=True)
class Sample:
    """A spot check drawn from an audit: who could be drawn, who was, and how to draw again."""

    percent: Decimal
    seed: int
    statuses: frozenset[Status]
    population: int
    items: list[Assessment]

    def head(self) -> dict[str, Any]:
        """What the report says of the sample, so a reader can draw the same one again."""
        return {"percent": self.percent, "seed": self.seed,
                "statuses": sorted(s.value for s in self.statuses),
                "population": self.population, "size": len(self.items)}


def draw_sample(items: Iterable[Assessment], percent: Decimal, seed: int | None,
                statuses: frozenset[Status], as_of: date) -> Sample:
    """The spot-check policy: drawn from the coaches due (or of the statuses asked), seeded by
    the evaluation date unless a seed is given, so a rerun on the same day draws the same."""
    chosen_seed = seed if seed is not None else int(as_of.strftime("%Y%m%d"))
    wanted = statuses or frozenset({Status.DUE})
    population = [a for a in items if a.status in wanted]
    return Sample(percent, chosen_seed, wanted, len(population),
                  sample(population, percent, chosen_seed))


def sample(items: Iterable[Assessment], percent: Decimal, seed: int) -> list[Assessment]:
    """A reproducible `percent` % of `items` (at least one when there are any), by reg. no.

    The same register, date, percentage and seed always give the same coaches.
    """
    population = sorted(items, key=lambda a: a.reg_no)
    size = min(len(population), math.ceil(len(population) * percent / 100))
    chosen = random.Random(seed).sample(population, size)  # noqa: S311 - a spot check, not crypto
    return sorted(chosen, key=lambda a: a.reg_no)


# --------------------------------------------------------------------------------------------
# Renewal


def renew(session: Session, change: Change, book: RulesBook, as_of: date,
          selection: Selection, *, dry_run: bool) -> list[RenewalDecision]:
    """Renew the selected coaches who are due, in the caller's transaction with history rows.

    A single coach already renewed is a Conflict; nothing is written for a coach not renewed.
    """
    conn = session.connection()
    if selection.reg_no is not None:
        coach_store.lock_coach(session, selection.reg_no)  # a second renew waits, then sees it
        items = [assess_coach(conn, book, selection.reg_no, as_of)]
    else:
        items = list(assessments(conn, book, as_of, selection))
    owed = (fees.arrears_by_coach(session, as_of)
            if book.in_force(as_of).arrears_block_renewal else {})
    outcomes = [decide_renewal(a, book.in_force(a.as_of), owed.get(a.reg_no, 0))
                for a in items]
    if selection.reg_no is not None and items[0].renewal is not None:
        raise Conflict(_("coach {reg_no}: {why}").format(
                         reg_no=selection.reg_no, why=outcomes[0].why))
    if dry_run:
        return outcomes
    for outcome in outcomes:
        if outcome.renewed and outcome.new_period is not None:
            _write(session, change, outcome)
    # what was decided and why, as it was; one coach asked for and refused is only an answer
    # (nothing is written), a batch's refusal is the register's decision for that coach
    record_renewals(session, change, outcomes, refusals=selection.reg_no is None)
    return outcomes


def _write(session: Session, change: Change, outcome: RenewalDecision) -> None:
    a = outcome.assessment
    new = outcome.new_period
    assert new is not None and a.period is not None
    coach_id = coach_store.coach_id_of(session, a.reg_no)
    period = RegistrationPeriod(coach_id=coach_id, starts_on=new.starts_on,
                                valid_until=new.valid_until, renewed_on=new.renewed_on)
    session.add(period)
    session.flush()
    history_store.record(session, change, entity="registration_period", action="renew",
              entity_id=period.id, coach_id=coach_id,
              after=history_store.snapshot(period, exclude=("id", "coach_id")),
              reason=_("audit as of {as_of} under rules {rules}: every rule met; previous "
                       "period ended {ended}").format(as_of=format_date(a.as_of), rules=a.rules_id,
                                                      ended=format_date(a.period.valid_until)))
