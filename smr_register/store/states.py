"""Queries about coaches' administrative state timelines (`coach_state`): read a coach's spells,
the spells of many coaches at once, and the state in force on a date as SQL for queries that
filter or count on it. Which spell is in force is the domain's rule (domain.states); the SQL
here gives the same answer because spells of one coach never overlap."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select
from sqlmodel import Session

from smr_register.domain.states import Spell
from smr_register.store.models import CoachStateSpell

# Coaches per query when many coaches' spells are read at once.
_PER_QUERY = 500


def spell(row: CoachStateSpell) -> Spell:
    """A stored spell as the domain's value."""
    return Spell(row.state, row.starts_on, row.ends_on, row.reason)


def spells_of(session: Session, coach_id: int) -> list[CoachStateSpell]:
    """A coach's suspensions and withdrawal, by first day."""
    stmt = (select(CoachStateSpell).where(CoachStateSpell.coach_id == coach_id)
            .order_by(CoachStateSpell.starts_on, CoachStateSpell.id))
    return list(session.scalars(stmt))


def spells_by_coach(session: Session, coach_ids: Sequence[int] | None = None
                    ) -> dict[int, list[Spell]]:
    """The spells of each of these coaches (None: of every coach), by first day."""
    result: dict[int, list[Spell]] = {}
    chunks: list[list[int] | None] = ([None] if coach_ids is None else
                                      [list(coach_ids[i:i + _PER_QUERY])
                                       for i in range(0, len(coach_ids), _PER_QUERY)])
    for chunk in chunks:
        stmt = select(CoachStateSpell).order_by(CoachStateSpell.coach_id,
                                                CoachStateSpell.starts_on)
        if chunk is not None:
            stmt = stmt.where(CoachStateSpell.coach_id.in_(chunk))
        for row in session.scalars(stmt):
            result.setdefault(row.coach_id, []).append(spell(row))
    return result


def in_force(on: date) -> ColumnElement[bool]:
    """SQL: the spell row is in force on `on`."""
    return and_(CoachStateSpell.starts_on <= on,
                or_(CoachStateSpell.ends_on.is_(None),  # type: ignore[union-attr]
                    CoachStateSpell.ends_on >= on))  # type: ignore[operator]


def in_state_on(coach_id: Any, state: str, on: date) -> ColumnElement[bool]:
    """SQL: the coach with id `coach_id` (a column) is in `state` on `on`."""
    return (select(CoachStateSpell.id)
            .where(CoachStateSpell.coach_id == coach_id, CoachStateSpell.state == state,
                   in_force(on)).exists())


def spell_id_on(coach_id: Any, on: date) -> Any:
    """SQL: the id of the spell of the coach with id `coach_id` (a column) in force on `on`,
    or NULL when the coach is active then."""
    return (select(CoachStateSpell.id)
            .where(CoachStateSpell.coach_id == coach_id, in_force(on))
            .order_by(CoachStateSpell.starts_on.desc()).limit(1).scalar_subquery())
