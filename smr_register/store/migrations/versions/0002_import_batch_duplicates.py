"""Count rows already credited (duplicates) apart from skipped blank and total rows.

Batches imported before this revision counted their duplicates under `skipped`; the upgrade
splits them out again from the batch's own rows (import_row.outcome = 'duplicate').

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("import_batch") as batch_op:
        batch_op.add_column(sa.Column("duplicates", sa.Integer(), nullable=False,
                                      server_default="0"))
    duplicates = ("(SELECT COUNT(*) FROM import_row WHERE import_row.batch_id = import_batch.id "
                  "AND import_row.outcome = 'duplicate')")
    op.execute(f"UPDATE import_batch SET duplicates = {duplicates}, "
               f"skipped = skipped - {duplicates}")


def downgrade() -> None:
    op.execute("UPDATE import_batch SET skipped = skipped + duplicates")
    with op.batch_alter_table("import_batch") as batch_op:
        batch_op.drop_column("duplicates")
