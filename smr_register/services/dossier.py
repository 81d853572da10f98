"""Everything the register holds about one coach, gathered as plain data.

`smr coach show` renders it for people and scripts; `smr privacy export` gives it to the coach
(right of access). Totals per year are plain sums of what is recorded; whether they meet the rules
is the audit's business (rules.py), not this module's.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from smr_register.domain.periods import in_force, next_period, period_on
from smr_register.domain.states import state_on
from smr_register.domain.values import from_centi, full_name
from smr_register.services.coach_records import REFERRAL_REASONS
from smr_register.store import coaches as coach_store
from smr_register.store import records as record_store
from smr_register.store import states as state_store
from smr_register.store.models import Coach, RegistrationPeriod


def coach_summary(coach: Coach) -> dict[str, Any]:
    """The coach's own fields, as the dossier and the export show them."""
    return {
        "reg_no": coach.reg_no,
        "name": full_name(coach.initials, coach.prefix, coach.last_name),
        "initials": coach.initials,
        "first_name": coach.first_name,
        "prefix": coach.prefix,
        "last_name": coach.last_name,
        "birth_date": coach.birth_date,
        "email": coach.email,
        "phone": coach.phone,
        "big": coach.big,
        "agb": coach.agb,
        "education": coach.education,
        "practice": coach.practice,
        "postcode": coach.postcode,
        "city": coach.city,
    }


def _period(period: RegistrationPeriod | None) -> dict[str, Any] | None:
    if period is None:
        return None
    return {"starts_on": period.starts_on, "valid_until": period.valid_until,
            "renewed_on": period.renewed_on}


def registration_on(periods: list[RegistrationPeriod], on: date) -> dict[str, Any]:
    """Where the coach stands on `on`: the period running then (the newest started by then,
    so a renewal starting tomorrow is not it), whether it is in force, and the next period
    decided by then (a renewal)."""
    period = period_on(periods, on)
    return {"as_of": on, "period": _period(period), "valid": in_force(period, on),
            "next_period": _period(next_period(periods, on))}


def coach_dossier(session: Session, coach: Coach, on: date) -> dict[str, Any]:
    """The whole record of one coach, and where they stand on `on`; every date a `date`, every
    amount a `Decimal`."""
    coach_id = coach.id or 0
    periods = coach_store.periods_of(session, coach_id)
    spells = [state_store.spell(row) for row in state_store.spells_of(session, coach_id)]
    supervisor = (coach_store.coach_by_id(session, coach.supervisor_id) if coach.supervisor_id
                  else None)
    assessors: dict[int, str] = {}
    profiles = []
    for held in coach_store.profiles_of(session, coach_id):
        if held.assessed_by_id and held.assessed_by_id not in assessors:
            assessors[held.assessed_by_id] = coach_store.coach_by_id(
                session, held.assessed_by_id).reg_no
        profiles.append({
            "profile": held.profile,
            "attained_on": held.attained_on,
            "evidence": held.evidence,
            "assessed_by": assessors.get(held.assessed_by_id) if held.assessed_by_id else None,
            "ended_on": held.ended_on,
        })
    credit_rows = []
    points_per_year: dict[int, Decimal] = defaultdict(Decimal)
    for line in record_store.credits_of(session, coach_id):
        points = from_centi(line.credit.points_centi)
        points_per_year[line.run.run_date.year] += points
        credit_rows.append({
            "course": line.course.code,
            "title": line.course.title,
            "run_date": line.run.run_date,
            "points": points,
            "source": line.credit.source,
            "batch": line.credit.batch_id,
            "row": line.credit.row_number,
        })
    practice = [
        {
            "year": record.year,
            "hours": from_centi(record.hours_centi),
            "clients": record.clients,
            "clients_low_literacy": record.clients_low_literacy,
            "intakes": record.intakes,
            "integral_trajectories": record.integral_trajectories,
            "pharmacotherapy_trajectories": record.pharmacotherapy_trajectories,
            "referrals": record.referrals,
            **{name: getattr(record, name) for name in REFERRAL_REASONS},
            "source": record.source,
        }
        for record in record_store.practice_years_of(session, coach_id)
    ]
    return {
        "coach": {**coach_summary(coach), "state": state_on(spells, on)},
        "supervisor": supervisor.reg_no if supervisor else None,
        "supervisees": [c.reg_no for c in coach_store.supervisees_of(session, coach_id)],
        "registration": registration_on(periods, on),
        "states": [{"state": s.state, "starts_on": s.starts_on, "ends_on": s.ends_on,
                    "reason": s.reason} for s in spells],
        "periods": [_period(p) for p in periods],
        "profiles": profiles,
        "interventions": [i.name for i in record_store.interventions_of(session, coach_id)],
        "credits": credit_rows,
        "points_per_year": [{"year": y, "points": points_per_year[y]}
                            for y in sorted(points_per_year)],
        "practice_years": practice,
        "exceptions": [
            {"rule": e.rule, "value": e.value, "reason": e.reason, "decided_by": e.decided_by,
             "decided_on": e.decided_on, "valid_until": e.valid_until}
            for e in record_store.exceptions_of(session, coach_id)
        ],
    }
