"""first schema

Revision ID: 0001
Revises:
Create Date: 2026-11-22 15:38:31.616714
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "coach",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reg_no", sa.String(length=12), nullable=False),
        sa.Column("initials", sa.String(length=20), nullable=True),
        sa.Column("first_name", sa.String(length=80), nullable=True),
        sa.Column("prefix", sa.String(length=20), nullable=True),
        sa.Column("last_name", sa.String(length=120), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("big", sa.String(length=11), nullable=True),
        sa.Column("agb", sa.String(length=8), nullable=True),
        sa.Column("education", sa.String(length=10), nullable=True),
        sa.Column("practice", sa.String(length=200), nullable=True),
        sa.Column("postcode", sa.String(length=7), nullable=True),
        sa.Column("city", sa.String(length=100), nullable=True),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("state_reason", sa.Text(), nullable=True),
        sa.Column("state_date", sa.Date(), nullable=True),
        sa.Column("supervisor_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["supervisor_id"],
            ["coach.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("coach", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_coach_big"), ["big"], unique=False)
        batch_op.create_index("ix_coach_last_name", ["last_name"], unique=False)
        batch_op.create_index(batch_op.f("ix_coach_reg_no"), ["reg_no"], unique=True)
        batch_op.create_index(batch_op.f("ix_coach_supervisor_id"), ["supervisor_id"], unique=False)

    op.create_table(
        "history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("command", sa.String(length=60), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("coach_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("before", sa.Text(), nullable=True),
        sa.Column("after", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("history", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_history_coach_id"), ["coach_id"], unique=False)

    op.create_table(
        "import_batch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("file_name", sa.String(length=500), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("sheet", sa.String(length=200), nullable=True),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("rows_read", sa.Integer(), nullable=False),
        sa.Column("credited", sa.Integer(), nullable=False),
        sa.Column("held", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Integer(), nullable=False),
        sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("undo_reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("import_batch", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_import_batch_sha256"), ["sha256"], unique=False)

    op.create_table(
        "intervention",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("listed_since", sa.Date(), nullable=False),
        sa.Column("listed_until", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "provider",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "coach_intervention",
        sa.Column("coach_id", sa.Integer(), nullable=False),
        sa.Column("intervention_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["coach_id"],
            ["coach.id"],
        ),
        sa.ForeignKeyConstraint(
            ["intervention_id"],
            ["intervention.id"],
        ),
        sa.PrimaryKeyConstraint("coach_id", "intervention_id"),
    )
    op.create_table(
        "course",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("points_centi", sa.Integer(), nullable=False),
        sa.Column("accredited_from", sa.Date(), nullable=False),
        sa.Column("accredited_until", sa.Date(), nullable=False),
        sa.Column("profiles", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["provider.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    with op.batch_alter_table("course", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_course_provider_id"), ["provider_id"], unique=False)

    op.create_table(
        "practice_year",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("coach_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("hours_centi", sa.Integer(), nullable=False),
        sa.Column("clients", sa.Integer(), nullable=True),
        sa.Column("clients_low_literacy", sa.Integer(), nullable=True),
        sa.Column("intakes", sa.Integer(), nullable=True),
        sa.Column("integral_trajectories", sa.Integer(), nullable=True),
        sa.Column("pharmacotherapy_trajectories", sa.Integer(), nullable=True),
        sa.Column("referrals", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["import_batch.id"],
        ),
        sa.ForeignKeyConstraint(
            ["coach_id"],
            ["coach.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("coach_id", "year"),
    )
    with op.batch_alter_table("practice_year", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_practice_year_coach_id"), ["coach_id"], unique=False)

    op.create_table(
        "profile_held",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("coach_id", sa.Integer(), nullable=False),
        sa.Column("profile", sa.String(length=20), nullable=False),
        sa.Column("attained_on", sa.Date(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=True),
        sa.Column("assessed_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["assessed_by_id"],
            ["coach.id"],
        ),
        sa.ForeignKeyConstraint(
            ["coach_id"],
            ["coach.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("coach_id", "profile"),
    )
    with op.batch_alter_table("profile_held", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_profile_held_coach_id"), ["coach_id"], unique=False)

    op.create_table(
        "registration_period",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("coach_id", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("renewed_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["coach_id"],
            ["coach.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("coach_id", "starts_on"),
    )
    with op.batch_alter_table("registration_period", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_registration_period_coach_id"), ["coach_id"], unique=False
        )

    op.create_table(
        "rule_exception",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("coach_id", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=30), nullable=False),
        sa.Column("value", sa.String(length=40), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_by", sa.String(length=200), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["coach_id"],
            ["coach.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("rule_exception", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rule_exception_coach_id"), ["coach_id"], unique=False)

    op.create_table(
        "course_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("run_date", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["course.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("course_id", "run_date"),
    )
    with op.batch_alter_table("course_run", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_course_run_course_id"), ["course_id"], unique=False)

    op.create_table(
        "import_row",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("row_number", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=12), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=True),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("raw", sa.Text(), nullable=False),
        sa.Column("coach_id", sa.Integer(), nullable=True),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("candidates", sa.Text(), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["import_batch.id"],
        ),
        sa.ForeignKeyConstraint(
            ["coach_id"],
            ["coach.id"],
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["course_run.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("batch_id", "row_number"),
    )
    with op.batch_alter_table("import_row", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_import_row_batch_id"), ["batch_id"], unique=False)

    op.create_table(
        "point_credit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("coach_id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("points_centi", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("row_number", sa.Integer(), nullable=True),
        sa.Column("credited_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["import_batch.id"],
        ),
        sa.ForeignKeyConstraint(
            ["coach_id"],
            ["coach.id"],
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["course_run.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("coach_id", "run_id"),
    )
    with op.batch_alter_table("point_credit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_point_credit_batch_id"), ["batch_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_point_credit_coach_id"), ["coach_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_point_credit_run_id"), ["run_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("point_credit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_point_credit_run_id"))
        batch_op.drop_index(batch_op.f("ix_point_credit_coach_id"))
        batch_op.drop_index(batch_op.f("ix_point_credit_batch_id"))

    op.drop_table("point_credit")
    with op.batch_alter_table("import_row", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_import_row_batch_id"))

    op.drop_table("import_row")
    with op.batch_alter_table("course_run", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_course_run_course_id"))

    op.drop_table("course_run")
    with op.batch_alter_table("rule_exception", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rule_exception_coach_id"))

    op.drop_table("rule_exception")
    with op.batch_alter_table("registration_period", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_registration_period_coach_id"))

    op.drop_table("registration_period")
    with op.batch_alter_table("profile_held", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_profile_held_coach_id"))

    op.drop_table("profile_held")
    with op.batch_alter_table("practice_year", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_practice_year_coach_id"))

    op.drop_table("practice_year")
    with op.batch_alter_table("course", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_course_provider_id"))

    op.drop_table("course")
    op.drop_table("coach_intervention")
    op.drop_table("provider")
    op.drop_table("intervention")
    with op.batch_alter_table("import_batch", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_import_batch_sha256"))

    op.drop_table("import_batch")
    with op.batch_alter_table("history", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_history_coach_id"))

    op.drop_table("history")
    with op.batch_alter_table("coach", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_coach_supervisor_id"))
        batch_op.drop_index(batch_op.f("ix_coach_reg_no"))
        batch_op.drop_index("ix_coach_last_name")
        batch_op.drop_index(batch_op.f("ix_coach_big"))

    op.drop_table("coach")
