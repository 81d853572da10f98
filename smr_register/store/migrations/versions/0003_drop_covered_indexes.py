"""Drop the single-column indexes that a unique constraint already provides.

Each of these tables has a unique constraint whose first column is the indexed one (point_credit
(coach_id, run_id), import_row (batch_id, row_number), ...): SQLite and PostgreSQL look rows up
by that column through the constraint's index, so the separate index only cost every insert an
extra b-tree write (about a tenth of an attendance import's database time) and its pages.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# (table, indexed column): each covered by UNIQUE (column, ...) on the same table.
COVERED = (
    ("registration_period", "coach_id"),
    ("profile_held", "coach_id"),
    ("practice_year", "coach_id"),
    ("course_run", "course_id"),
    ("import_row", "batch_id"),
    ("point_credit", "coach_id"),
)


def upgrade() -> None:
    for table, column in COVERED:
        op.drop_index(f"ix_{table}_{column}", table_name=table)


def downgrade() -> None:
    for table, column in COVERED:
        op.create_index(f"ix_{table}_{column}", table, [column], unique=False)
