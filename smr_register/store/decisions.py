"""The decisions kept as they were taken (renewals, refusals, notices sent, spot checks).

Rows are only ever added: `insert_decisions` writes them in the caller's transaction, beside the
change they record. A notice's `notice_key` is unique, so two runs that both think a notice is
still to be sent cannot both record it: the second fails as a conflict and sends nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import Connection, select, update
from sqlmodel import Session

from smr_register.store.bulk import insert_many
from smr_register.store.models import Coach, DecisionRecord, RuleException

# The kinds of decision, in the order `smr decisions --kind` lists them.
KINDS = ("renewal", "refusal", "notice", "sample")


def coach_ids(conn: Session | Connection, reg_nos: Sequence[str]) -> dict[str, int]:
    """The id of each of these coaches (numbers not in the register are left out)."""
    found: dict[str, int] = {}
    for chunk in _chunks(reg_nos):
        rows = conn.execute(select(Coach.reg_no, Coach.id).where(
            Coach.reg_no.in_(chunk)))  # type: ignore[attr-defined]
        found.update((reg_no, coach_id) for reg_no, coach_id in rows)
    return found


def _chunks(values: Sequence[str], size: int = 500) -> list[list[str]]:
    """Bounded IN lists, whatever the register's size."""
    unique = sorted(set(values))
    return [unique[start:start + size] for start in range(0, len(unique), size)]


def insert_decisions(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Add decisions (column values of `DecisionRecord`) in the caller's transaction."""
    insert_many(session, DecisionRecord.__table__, rows)  # type: ignore[attr-defined]


def decisions(session: Session, coach_id: int | None = None,
              kinds: Sequence[str] = ()) -> list[DecisionRecord]:
    """The decisions kept, of one coach or of all, of some kinds or of all, oldest first."""
    stmt = select(DecisionRecord).order_by(DecisionRecord.id)
    if coach_id is not None:
        stmt = stmt.where(DecisionRecord.coach_id == coach_id)
    if kinds:
        stmt = stmt.where(DecisionRecord.kind.in_(list(kinds)))  # type: ignore[attr-defined]
    return list(session.scalars(stmt))


def recorded_notice_keys(conn: Session | Connection, keys: Sequence[str]) -> set[str]:
    """Which of these notice keys were recorded as sent already."""
    found: set[str] = set()
    for chunk in _chunks(keys):
        found.update(conn.execute(select(DecisionRecord.notice_key).where(
            DecisionRecord.notice_key.in_(chunk))).scalars())  # type: ignore[union-attr]
    return found


def scrub_decisions(session: Session, coach_id: int, reg_no: str,
                    findings: Sequence[tuple[int, str]]) -> None:
    """A purged coach's decisions: the number replaced, each assessment (id, JSON) as given."""
    session.execute(update(DecisionRecord).where(DecisionRecord.coach_id == coach_id)
                    .values(reg_no=reg_no))
    table = DecisionRecord.__table__  # type: ignore[attr-defined]
    for decision_id, text in findings:
        session.execute(table.update().where(table.c.id == decision_id).values(findings=text))


class EndingException(NamedTuple):
    """A quality-committee exception in force on a date that ends within a window."""

    id: int
    coach_id: int
    reg_no: str
    rule: str
    decided_on: date
    valid_until: date


def exceptions_ending(conn: Session | Connection, as_of: date,
                      last: date) -> list[EndingException]:
    """Exceptions in force on `as_of` (decided on or before it) that end by `last`."""
    stmt = (select(RuleException.id, RuleException.coach_id, Coach.reg_no, RuleException.rule,
                   RuleException.decided_on, RuleException.valid_until)
            .join(Coach, RuleException.coach_id == Coach.id)
            .where(RuleException.decided_on <= as_of,
                   RuleException.valid_until >= as_of,  # type: ignore[operator]
                   RuleException.valid_until <= last)  # type: ignore[operator]
            .order_by(RuleException.coach_id, RuleException.id))
    return [EndingException(*row) for row in conn.execute(stmt)]
