"""Queries of the public website (`smr publish`): what the register lists on a date.

Which coaches are registered on the date is asked through `services.public.registered_coaches`
(the notion `report public` uses too); here only what the website adds to it: the interventions
listed on the date, who delivers them, and the training agenda with its providers and runs.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import or_
from sqlmodel import Session, select

from smr_register.store.models import (
    CoachIntervention,
    Intervention,
)
from smr_register.store.text import binary


def interventions_known_on(session: Session, on: date) -> list[Intervention]:
    """Every intervention listed on or before the date (also those no longer listed), by name."""
    stmt = (select(Intervention).where(Intervention.listed_since <= on)
            .order_by(binary(Intervention.name)))
    return list(session.scalars(stmt))


def interventions_delivered(session: Session, on: date) -> dict[int, list[str]]:
    """coach id -> names of the interventions listed on the date that the coach delivers."""
    stmt = (select(CoachIntervention.coach_id, Intervention.name)
            .join(Intervention, Intervention.id == CoachIntervention.intervention_id)
            .where(Intervention.listed_since <= on,  # listed_until: its last listed day
                   or_(Intervention.listed_until.is_(None),  # type: ignore[union-attr]
                       Intervention.listed_until >= on))  # type: ignore[operator]
            .order_by(CoachIntervention.coach_id, binary(Intervention.name)))
    result: dict[int, list[str]] = {}
    for coach_id, name in session.execute(stmt):
        result.setdefault(coach_id, []).append(name)
    return result
