"""The basisprofiel's parts: role assessments by a supervisor, the integral basic training
(a course marked as such, or evidence the committee accepted), and referrals by reason.

Existing rows keep their values: courses are not basic training until marked, the single
`referrals` count of earlier years stays as referrals without a reason.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

REASONS = ("referrals_somatic", "referrals_psychiatric", "referrals_pregnancy",
           "referrals_medication")


def upgrade() -> None:
    op.create_table(
        "role_assessment",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("coach_id", sa.Integer(), sa.ForeignKey("coach.id"), nullable=False),
        sa.Column("role", sa.Integer(), nullable=False),
        sa.Column("catalogue", sa.String(length=20), nullable=False),
        sa.Column("supervisor_id", sa.Integer(), sa.ForeignKey("coach.id"), nullable=False),
        sa.Column("assessed_on", sa.Date(), nullable=False),
        sa.Column("result", sa.String(length=12), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
    )
    op.create_index("ix_role_assessment_coach_id", "role_assessment", ["coach_id"])
    op.create_table(
        "basic_training",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("coach_id", sa.Integer(), sa.ForeignKey("coach.id"), nullable=False),
        sa.Column("completed_on", sa.Date(), nullable=False),
        sa.Column("course_id", sa.Integer(), sa.ForeignKey("course.id"), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=True),
        sa.Column("accepted_by", sa.String(length=200), nullable=True),
    )
    op.create_index("ix_basic_training_coach_id", "basic_training", ["coach_id"])
    with op.batch_alter_table("course") as batch_op:
        batch_op.add_column(sa.Column("basic_training", sa.Boolean(), nullable=False,
                                      server_default="0"))
    with op.batch_alter_table("practice_year") as batch_op:
        for name in REASONS:
            batch_op.add_column(sa.Column(name, sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("practice_year") as batch_op:
        for name in reversed(REASONS):
            batch_op.drop_column(name)
    with op.batch_alter_table("course") as batch_op:
        batch_op.drop_column("basic_training")
    op.drop_index("ix_basic_training_coach_id", "basic_training")
    op.drop_table("basic_training")
    op.drop_index("ix_role_assessment_coach_id", "role_assessment")
    op.drop_table("role_assessment")
