"""The public register: what clients and insurers may see, and nothing more.

Only coaches whose registration is valid on the date and who are not suspended or withdrawn
then. Only public fields: never a birth date, e-mail, phone, BIG or AGB number, hours, points or
exception (DOMAIN.md, "Privacy"). The field list is closed: `PUBLIC_FIELDS` is everything.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session

from smr_register.domain.periods import in_force, next_period, period_on
from smr_register.domain.states import ACTIVE, state_on
from smr_register.domain.values import full_name
from smr_register.render.cells import Column
from smr_register.store import coaches as coach_store
from smr_register.store import states as state_store
from smr_register.store.models import Coach, Profile, RegistrationPeriod

PUBLIC_SCHEMA_VERSION = 1
PUBLIC_COLUMNS = [
    Column("name", "Naam", priority=0),
    Column("practice", "Praktijk", priority=3),
    Column("postcode", "Postcode", priority=2, no_wrap=True),
    Column("city", "Plaats"),
    Column("basisprofiel", "Basisprofiel"),
    Column("additional_profiles", "Aanvullende profielen", term=True, priority=2),
    Column("smr_extra", "SMR-Extra", priority=2),
    Column("registered_until", "Geregistreerd tot", priority=0),
    Column("renewed_until", "Verlengd tot", priority=2),
]
PUBLIC_FIELDS = tuple(col.key for col in PUBLIC_COLUMNS)


@dataclass(frozen=True)
class Registered:
    """A coach in the public register on a date: the period in force, the renewal decided by
    then (None without one) and the profiles held then."""

    coach: Coach
    period: RegistrationPeriod
    renewal: RegistrationPeriod | None
    profiles: list[str]


def registered_coaches(session: Session, on: date) -> Iterator[Registered]:
    """Each coach registered on the date, with the period in force, its decided successor and
    the profiles held then.

    The one notion of "in the public register" that `report public` and `smr publish` share.
    """
    periods = coach_store.periods_not_ended(session, on)
    profiles = coach_store.profiles_attained_by(session, on)
    spells = state_store.spells_by_coach(session)
    for coach in coach_store.list_coaches(session):
        own = periods.get(coach.id or 0, [])
        period = period_on(own, on)
        # suspended or withdrawn on the date: not public; a later state change does not count
        if (period is not None and in_force(period, on)
                and state_on(spells.get(coach.id or 0, ()), on) == ACTIVE):
            yield Registered(coach, period, next_period(own, on), profiles.get(coach.id or 0, []))


def public_rows(session: Session, on: date) -> list[dict[str, Any]]:
    """One row per publicly registered coach, in Dutch name order."""
    rows = []
    for entry in registered_coaches(session, on):
        coach, held = entry.coach, entry.profiles
        rows.append({
            "name": full_name(coach.initials, coach.prefix, coach.last_name),
            "practice": coach.practice,
            "postcode": coach.postcode,
            "city": coach.city,
            "basisprofiel": Profile.BASISPROFIEL.value in held,
            "additional_profiles": [p for p in held
                                    if p in (Profile.PREGNANCY.value, Profile.PSYCHIATRIC.value)],
            "smr_extra": Profile.SMR_EXTRA.value in held,
            "registered_until": entry.period.valid_until,
            "renewed_until": entry.renewal.valid_until if entry.renewal else None,
        })
    assert all(set(row) == set(PUBLIC_FIELDS) for row in rows)
    return rows
