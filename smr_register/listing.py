"""The rows of `smr coach list` (its rendering is in smr_register.render)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session

from smr_register import db
from smr_register.domain.values import full_name


def coach_rows(session: Session, status: str | None, search: str | None,
               on: date) -> list[dict[str, Any]]:
    """One row per coach: identity, state and the registration period current on `on`."""
    coaches = db.list_coaches(session, state=status, search=search)
    ids = [c.id or 0 for c in coaches]
    periods = db.current_periods(session, ids)
    since = db.first_registered(session, ids)
    profiles = db.profiles_by_coach(session, ids)
    rows = []
    for coach in coaches:
        period = periods.get(coach.id or 0)
        rows.append({
            "reg_no": coach.reg_no,
            "name": full_name(coach.initials, coach.prefix, coach.last_name),
            "last_name": coach.last_name,
            "prefix": coach.prefix,
            "initials": coach.initials,
            "city": coach.city,
            "state": coach.state,
            "registered_from": since.get(coach.id or 0),
            "valid_until": period.valid_until if period else None,
            "valid": bool(period and period.starts_on <= on <= period.valid_until),
            "profiles": profiles.get(coach.id or 0, []),
        })
    return rows
