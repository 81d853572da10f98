"""The public register: what clients and insurers may see, and nothing more.

Only coaches whose registration is valid on the date and who are not suspended or withdrawn
then. Only public fields: never a birth date, e-mail, phone, BIG or AGB number, hours, points or
exception (DOMAIN.md, "Privacy"). The field list is closed: `PUBLIC_FIELDS` is everything.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from sqlmodel import Session

from smr_register.domain.values import full_name
from smr_register.render.cells import Column
from smr_register.store import coaches as coach_store
from smr_register.store.models import Coach, CoachState, Profile, RegistrationPeriod

PUBLIC_SCHEMA_VERSION = 1
PUBLIC_COLUMNS = [
    Column("name", "Naam"),
    Column("practice", "Praktijk"),
    Column("postcode", "Postcode"),
    Column("city", "Plaats"),
    Column("basisprofiel", "Basisprofiel"),
    Column("additional_profiles", "Aanvullende profielen", term=True),
    Column("smr_extra", "SMR-Extra"),
    Column("registered_until", "Geregistreerd tot"),
]
PUBLIC_FIELDS = tuple(col.key for col in PUBLIC_COLUMNS)


def _active_on(coach: Coach, on: date) -> bool:
    """Suspended or withdrawn coaches are not public; a later state change does not count yet."""
    if coach.state == CoachState.ACTIVE.value:
        return True
    return coach.state_date is not None and coach.state_date > on


def registered_coaches(session: Session, on: date
                       ) -> Iterator[tuple[Coach, RegistrationPeriod, list[str]]]:
    """Each coach registered on the date, with the period in force and the profiles held then.

    The one notion of "in the public register" that `report public` and `smr publish` share.
    """
    periods = coach_store.periods_covering(session, on)
    profiles = coach_store.profiles_attained_by(session, on)
    for coach in coach_store.list_coaches(session):
        period = periods.get(coach.id or 0)
        if period is not None and _active_on(coach, on):
            yield coach, period, profiles.get(coach.id or 0, [])


def public_rows(session: Session, on: date) -> list[dict[str, Any]]:
    """One row per publicly registered coach, in Dutch name order."""
    rows = []
    for coach, period, held in registered_coaches(session, on):
        rows.append({
            "name": full_name(coach.initials, coach.prefix, coach.last_name),
            "practice": coach.practice,
            "postcode": coach.postcode,
            "city": coach.city,
            "basisprofiel": Profile.BASISPROFIEL.value in held,
            "additional_profiles": [p for p in held
                                    if p in (Profile.PREGNANCY.value, Profile.PSYCHIATRIC.value)],
            "smr_extra": Profile.SMR_EXTRA.value in held,
            "registered_until": period.valid_until,
        })
    assert all(set(row) == set(PUBLIC_FIELDS) for row in rows)
    return rows
