"""Queries about coaches: look one up, list them, and read the records of one coach.

Lookups that must find their coach raise NotFound naming it; `find_*` return None instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import Connection, and_, or_, select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from smr_register.domain.i18n import _
from smr_register.domain.periods import in_force, next_period, period_on
from smr_register.domain.states import state_on
from smr_register.domain.values import fold, full_name
from smr_register.errors import NotFound
from smr_register.store import states as state_store
from smr_register.store.bulk import insert_new
from smr_register.store.models import Coach, ProfileHeld, RegistrationPeriod
from smr_register.store.models import coach_keys as stored_keys
from smr_register.store.text import binary

T = TypeVar("T")

# Registration numbers per query where a report looks up many coaches at once.
_NUMBERS_PER_QUERY = 500


def _found(found: T | None, what: str) -> T:
    if found is None:
        raise NotFound(_("{what}: no such coach in the register").format(what=what))
    return found


def coach_by_reg_no(session: Session, reg_no: str) -> Coach:
    """The coach with this registration number; raises NotFound naming it."""
    return _found(find_coach(session, reg_no),
                  _("registration number {reg_no}").format(reg_no=reg_no))


def find_coach(session: Session, reg_no: str) -> Coach | None:
    """The coach with this registration number, if any."""
    return session.scalars(select(Coach).where(Coach.reg_no == reg_no)).first()


def coach_by_id(session: Session, coach_id: int) -> Coach:
    """The coach with this id; raises NotFound naming it."""
    return _found(session.get(Coach, coach_id), f"coach id {coach_id}")


def reg_nos_by_id(session: Session, coach_ids: Sequence[int]) -> dict[int, str]:
    """The registration numbers of these coach ids: a history shows a supervisor by number."""
    if not coach_ids:
        return {}
    rows = session.execute(select(Coach.id, Coach.reg_no).where(
        Coach.id.in_(sorted(set(coach_ids)))))  # type: ignore[union-attr]
    return {row[0]: row[1] for row in rows}


def coach_with_big(session: Session, big: str) -> Coach | None:
    """The coach with this BIG number, if any (a BIG number belongs to one person)."""
    return session.scalars(select(Coach).where(Coach.big == big)).first()


def coach_identities(session: Session, reg_nos: Sequence[str],
                     bigs: Sequence[str]) -> list[tuple[int, str, str, str | None]]:
    """The id, registration number, last name and BIG number of every coach holding one of
    these numbers or BIG numbers, oldest first: what a coaches import checks its rows against,
    loaded once. Only the sheet's numbers: a register of 20,000 coaches took 60 ms to load
    whole for a sheet that names a few thousand."""
    found: dict[int, tuple[int, str, str, str | None]] = {}
    for column, values in ((Coach.reg_no, sorted(set(reg_nos))), (Coach.big, sorted(set(bigs)))):
        for start in range(0, len(values), _NUMBERS_PER_QUERY):
            stmt = select(Coach.id, Coach.reg_no, Coach.last_name, Coach.big).where(
                column.in_(values[start:start + _NUMBERS_PER_QUERY]))  # type: ignore[attr-defined]
            found.update((row[0], (row[0], row[1], row[2], row[3]))
                         for row in session.connection().execute(stmt))
    return [found[coach_id] for coach_id in sorted(found)]


def insert_coaches(session: Session, coaches: list[dict[str, Any]],
                   periods: list[dict[str, Any]]) -> None:
    """Write new coaches and their first registration periods (column values; `periods[i]` of
    `coaches[i]`) at once; each gets its "id"."""
    rows = [{**coach, **stored_keys(coach)} for coach in coaches]  # the stored sort/search keys
    insert_new(session, Coach.__table__, rows)  # type: ignore[attr-defined]
    for coach, row in zip(coaches, rows, strict=True):
        coach["id"] = row["id"]
    for coach, period in zip(coaches, periods, strict=True):
        period["coach_id"] = coach["id"]
    insert_new(session, RegistrationPeriod.__table__, periods)  # type: ignore[attr-defined]


def lock_coach(session: Session, reg_no: str) -> None:
    """Hold the coach's row until the transaction ends (SELECT ... FOR UPDATE; on SQLite the
    write transaction holds the whole database already): a command that reads the coach and
    then writes on what it read runs after any other that does, not beside it."""
    session.execute(select(Coach.id).where(Coach.reg_no == reg_no).with_for_update())


def coach_id_of(conn: Session | Connection, reg_no: str) -> int:
    """The id of the coach with `reg_no` (on a Session or a Connection); NotFound names it."""
    found = conn.execute(select(Coach.id).where(Coach.reg_no == reg_no)).scalar()
    return int(_found(found, _("registration number {reg_no}").format(reg_no=reg_no)))


def list_coaches(session: Session, *, search: str | None = None) -> list[Coach]:
    """Coaches in Dutch name order (last name without prefix); `search` matches names, city,
    practice and numbers, accents and case aside. Both go by the keys stored with each coach
    (models.coach_keys), so the answer is the same on every database."""
    stmt = select(Coach)
    if search:
        # % and _ typed by a person are themselves, not LIKE's wildcards
        stmt = stmt.where(Coach.search_text.contains(fold(search), autoescape=True))
    stmt = stmt.order_by(Coach.sort_key, binary(Coach.reg_no))
    return list(session.scalars(stmt))


def coach_rows(session: Session, status: str | None, search: str | None,
               on: date) -> list[dict[str, Any]]:
    """One row per coach (in `status` on `on`, if given): identity, the state in force on
    `on`, the registration period running then (the newest started by then: a renewal
    starting tomorrow is not it) and the next one decided."""
    coaches = list_coaches(session, search=search)
    spells = state_store.spells_by_coach(session)  # few: only suspensions and withdrawals
    if status:
        coaches = [c for c in coaches if state_on(spells.get(c.id or 0, ()), on) == status]
    ids = [c.id or 0 for c in coaches]
    periods = periods_by_coach(session, ids)
    profiles = profiles_by_coach(session, ids, on)
    rows = []
    for coach in coaches:
        own = periods.get(coach.id or 0, [])
        period, following = period_on(own, on), next_period(own, on)
        rows.append({
            "reg_no": coach.reg_no,
            "name": full_name(coach.initials, coach.prefix, coach.last_name),
            "last_name": coach.last_name,
            "prefix": coach.prefix,
            "initials": coach.initials,
            "city": coach.city,
            "state": state_on(spells.get(coach.id or 0, ()), on),
            "registered_from": own[0].starts_on if own else None,
            "valid_until": period.valid_until if period else None,
            "valid": in_force(period, on),
            "next_valid_until": following.valid_until if following else None,
            "profiles": profiles.get(coach.id or 0, []),
        })
    return rows


def supervisor_rows(session: Session) -> list[dict[str, Any]]:
    """Each supervisor with the registration numbers of their supervisees."""
    supervisee = aliased(Coach)
    stmt = (select(Coach, supervisee.reg_no).join(supervisee, supervisee.supervisor_id == Coach.id)
            .order_by(Coach.sort_key, binary(Coach.reg_no), binary(supervisee.reg_no)))
    rows: dict[int, dict[str, Any]] = {}
    for supervisor, number in session.execute(stmt):
        row = rows.setdefault(supervisor.id or 0, {
            "supervisor": supervisor.reg_no,
            "name": " ".join(p for p in (supervisor.initials, supervisor.prefix,
                                         supervisor.last_name) if p),
            "supervisees": [],
        })
        row["supervisees"].append(number)
    return [{**row, "count": len(row["supervisees"])} for row in rows.values()]


def supervisees_of(session: Session, supervisor_id: int) -> list[Coach]:
    """The coaches this supervisor supervises, by registration number."""
    stmt = select(Coach).where(Coach.supervisor_id == supervisor_id).order_by(binary(Coach.reg_no))
    return list(session.scalars(stmt))


def sort_names(conn: Session | Connection, reg_nos: Sequence[str]) -> dict[str, str]:
    """The stored Dutch sort keys (domain.values.sort_name) of these registration numbers."""
    result: dict[str, str] = {}
    for start in range(0, len(reg_nos), _NUMBERS_PER_QUERY):
        chunk = list(reg_nos[start:start + _NUMBERS_PER_QUERY])
        stmt = select(Coach.reg_no, Coach.sort_key).where(Coach.reg_no.in_(chunk))
        result.update((reg_no, key) for reg_no, key in conn.execute(stmt))
    return result


def emails_of(session: Session, reg_nos: Sequence[str]) -> dict[str, str | None]:
    """The e-mail address of each of these coaches (for notices)."""
    if not reg_nos:
        return {}
    stmt = select(Coach.reg_no, Coach.email).where(Coach.reg_no.in_(list(reg_nos)))
    return dict(session.execute(stmt).all())


# ---- registration periods -------------------------------------------------------------------


def periods_of(session: Session, coach_id: int) -> list[RegistrationPeriod]:
    """A coach's registration periods, oldest first."""
    stmt = (select(RegistrationPeriod).where(RegistrationPeriod.coach_id == coach_id)
            .order_by(RegistrationPeriod.starts_on))
    return list(session.scalars(stmt))


def periods_by_coach(session: Session,
                     coach_ids: Sequence[int]) -> dict[int, list[RegistrationPeriod]]:
    """Every period of each of these coaches, oldest first; which one is in force on a date is
    the domain's answer (domain.periods), not the newest row's."""
    result: dict[int, list[RegistrationPeriod]] = {}
    for start in range(0, len(coach_ids), _NUMBERS_PER_QUERY):
        chunk = list(coach_ids[start:start + _NUMBERS_PER_QUERY])
        stmt = (select(RegistrationPeriod).where(RegistrationPeriod.coach_id.in_(chunk))
                .order_by(RegistrationPeriod.coach_id, RegistrationPeriod.starts_on))
        for period in session.scalars(stmt):
            result.setdefault(period.coach_id, []).append(period)
    return result


def periods_not_ended(session: Session, on: date) -> dict[int, list[RegistrationPeriod]]:
    """Each coach's periods that have not ended by `on` (the one in force and those decided
    after it), oldest first: the public register's question, one query for the register."""
    stmt = (select(RegistrationPeriod).where(RegistrationPeriod.valid_until >= on)
            .order_by(RegistrationPeriod.coach_id, RegistrationPeriod.starts_on))
    result: dict[int, list[RegistrationPeriod]] = {}
    for period in session.scalars(stmt):
        result.setdefault(period.coach_id, []).append(period)
    return result


# ---- profiles, practice, credits, exceptions, interventions ----------------------------------


def profiles_of(session: Session, coach_id: int) -> list[ProfileHeld]:
    """The profiles a coach holds, in the order attained."""
    stmt = select(ProfileHeld).where(ProfileHeld.coach_id == coach_id).order_by(
        ProfileHeld.attained_on)
    return list(session.scalars(stmt))


def profiles_by_coach(session: Session, coach_ids: Sequence[int],
                      on: date) -> dict[int, list[str]]:
    """Profile names per coach, for listings (one query, not one per coach): those not ended
    by `on`."""
    if not coach_ids:
        return {}
    return _profile_names(session, and_(ProfileHeld.coach_id.in_(coach_ids), not_ended(on)))


def profiles_attained_by(session: Session, on: date) -> dict[int, list[str]]:
    """Profile names per coach, of the profiles held on `on` (attained by then, not ended)."""
    return _profile_names(session, and_(ProfileHeld.attained_on <= on, not_ended(on)))


def not_ended(on: date) -> Any:
    """SQL: the profile row has not ended by `on` (it is held on `on` if attained by then)."""
    return or_(ProfileHeld.ended_on.is_(None),  # type: ignore[union-attr]
               ProfileHeld.ended_on > on)  # type: ignore[operator]


def _profile_names(session: Session, condition: Any) -> dict[int, list[str]]:
    stmt = (select(ProfileHeld.coach_id, ProfileHeld.profile).where(condition)
            .order_by(ProfileHeld.coach_id, binary(ProfileHeld.profile)))
    result: dict[int, list[str]] = {}
    for coach_id, profile in session.execute(stmt):
        result.setdefault(coach_id, []).append(profile)
    return result
