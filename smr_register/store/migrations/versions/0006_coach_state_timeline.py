"""Administrative state as a dated timeline: suspensions and withdrawals in `coach_state`.

The coach row held only the latest state (`state`, `state_reason`, `state_date`), so a coach
suspended from 01-10-2026 to 01-11-2026 showed active in an audit as of 15-10-2026 once
reinstated. Each state change the history recorded (`coach` rows with action suspended, active or
withdrawn, written by `coach suspend/reinstate/withdraw`) becomes a dated spell; a coach whose
history does not end in the state the row holds (a register filled otherwise) keeps that state
as one spell from its date. Then the three columns go. Downgrade puts the latest spell back.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# A state without a date held "since always": its spell starts on the register's first day.
_SINCE_ALWAYS = date(1900, 1, 1)

_coach = sa.table("coach", sa.column("id", sa.Integer), sa.column("state", sa.String),
                  sa.column("state_reason", sa.Text), sa.column("state_date", sa.Date))
_history = sa.table("history", sa.column("id", sa.Integer), sa.column("entity", sa.String),
                    sa.column("entity_id", sa.Integer), sa.column("action", sa.String),
                    sa.column("after", sa.Text), sa.column("reason", sa.Text))
_spell = sa.table("coach_state", sa.column("coach_id", sa.Integer), sa.column("state", sa.String),
                  sa.column("starts_on", sa.Date), sa.column("ends_on", sa.Date),
                  sa.column("reason", sa.Text))


def _day(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    text = str(value)
    return date.fromisoformat(text[:10]) if len(text) >= 10 and text[4] == "-" else None


def _replayed(changes: list[tuple[str, date | None, str]]) -> list[dict[str, Any]]:
    """The spells of a coach's recorded state changes (action, date, reason), in order."""
    spells: list[dict[str, Any]] = []
    for action, day, reason in changes:
        start = day or _SINCE_ALWAYS
        open_ = spells[-1] if spells and spells[-1]["ends_on"] is None else None
        if action == "active":
            if open_ is not None:
                open_["ends_on"] = max(start - timedelta(days=1), open_["starts_on"])
            continue
        if open_ is not None:
            open_["ends_on"] = max(start - timedelta(days=1), open_["starts_on"])
        spells.append({"state": action, "starts_on": start, "ends_on": None, "reason": reason})
    return spells


def upgrade() -> None:
    op.create_table(
        "coach_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("coach_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["coach_id"], ["coach.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_coach_state_coach_id", "coach_state", ["coach_id"], unique=False)
    connection = op.get_bind()
    changes: dict[int, list[tuple[str, date | None, str]]] = {}
    stmt = (sa.select(_history.c.entity_id, _history.c.action, _history.c.after,
                      _history.c.reason)
            .where(_history.c.entity == "coach",
                   _history.c.action.in_(("suspended", "active", "withdrawn")))
            .order_by(_history.c.id))
    for coach_id, action, after, reason in connection.execute(stmt):
        values = json.loads(after) if after else {}
        changes.setdefault(coach_id, []).append(
            (action, _day(values.get("state_date")), reason or values.get("state_reason") or ""))
    rows: list[dict[str, Any]] = []
    for coach_id, state, reason, day in connection.execute(
            sa.select(_coach.c.id, _coach.c.state, _coach.c.state_reason, _coach.c.state_date)):
        spells = _replayed(changes.get(coach_id, []))
        latest = spells[-1] if spells and spells[-1]["ends_on"] is None else None
        if (latest["state"] if latest else "active") != state:  # the row is the truth
            spells = [] if state == "active" else [
                {"state": state, "starts_on": _day(day) or _SINCE_ALWAYS, "ends_on": None,
                 "reason": reason or ""}]
        rows += [{"coach_id": coach_id, **spell} for spell in spells]
    if rows:
        connection.execute(_spell.insert(), rows)
    # ALTER TABLE ... DROP COLUMN (SQLite 3.35+ too): a batch copy of `coach` would drop the
    # table its registration periods, credits and spells refer to.
    for name in ("state_date", "state_reason", "state"):
        op.drop_column("coach", name)


def downgrade() -> None:
    op.add_column("coach", sa.Column("state", sa.String(length=10), nullable=False,
                                     server_default="active"))
    op.add_column("coach", sa.Column("state_reason", sa.Text(), nullable=True))
    op.add_column("coach", sa.Column("state_date", sa.Date(), nullable=True))
    connection = op.get_bind()
    latest: dict[int, tuple[str, date, date | None, str]] = {}
    for coach_id, state, starts_on, ends_on, reason in connection.execute(
            sa.select(_spell.c.coach_id, _spell.c.state, _spell.c.starts_on, _spell.c.ends_on,
                      _spell.c.reason).order_by(_spell.c.coach_id, _spell.c.starts_on)):
        latest[coach_id] = (state, _day(starts_on) or _SINCE_ALWAYS, _day(ends_on), reason)
    for coach_id, (state, starts_on, ends_on, reason) in latest.items():
        values = ({"state": state, "state_date": starts_on, "state_reason": reason}
                  if ends_on is None else
                  {"state": "active", "state_date": ends_on + timedelta(days=1),
                   "state_reason": reason})
        connection.execute(_coach.update().where(_coach.c.id == coach_id).values(**values))
    op.drop_index("ix_coach_state_coach_id", table_name="coach_state")
    op.drop_table("coach_state")
