"""Decisions are kept: renewals, refused renewals, notices sent and spot-check draws.

Until now a renewal left only its new period and a history line, a refusal and a notice left
nothing, and an audit of a past date is recomputed from today's facts: after a correction (a
credit or profile removed) the register could no longer show what was decided and why. Each
decision now keeps the date, the actor, the rules version and the coach's assessment as it was.
A notice's `notice_key` is unique, so no notice is ever recorded as sent twice.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from smr_register.store.models import UTCDateTime

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("coach_id", sa.Integer(), nullable=True),
        sa.Column("reg_no", sa.String(length=12), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("command", sa.String(length=60), nullable=False),
        sa.Column("rules_version", sa.String(length=40), nullable=False),
        sa.Column("why", sa.Text(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("findings", sa.Text(), nullable=False),
        sa.Column("notice_key", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(["coach_id"], ["coach.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("notice_key"),
    )
    op.create_index("ix_decision_coach_id", "decision", ["coach_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_decision_coach_id", table_name="decision")
    op.drop_table("decision")
