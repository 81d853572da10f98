"""Contributions: the annual fee charged to each coach per year, and the payments towards it.

New tables only; no existing row changes.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "fee_charge",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("coach_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("charged_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("rules_id", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(["coach_id"], ["coach.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("coach_id", "year", name="uq_fee_charge_coach_year"),
    )
    with op.batch_alter_table("fee_charge", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fee_charge_coach_id"), ["coach_id"], unique=False)
    op.create_table(
        "fee_payment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("charge_id", sa.Integer(), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("reference", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(["charge_id"], ["fee_charge.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("fee_payment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fee_payment_charge_id"), ["charge_id"],
                              unique=False)


def downgrade() -> None:
    op.drop_table("fee_payment")
    op.drop_table("fee_charge")
