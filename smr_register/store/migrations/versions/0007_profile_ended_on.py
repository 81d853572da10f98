"""A profile can end on a date: `profile_held.ended_on`, the first day it is no longer held.

Before, taking a profile away deleted its row, so an audit of a past date lost a profile that
was held then: right for a correction (recorded in error), wrong for a revocation. Now a
revocation ends the profile (`coach profile N remove NAME --ending DATE`) and a correction still
deletes it (`--correction`). Existing rows are held without an end, as before.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("profile_held", sa.Column("ended_on", sa.Date(), nullable=True))


def downgrade() -> None:
    # A profile that had ended is taken away, as the register before 0007 would have done.
    op.execute(sa.text("DELETE FROM profile_held WHERE ended_on IS NOT NULL"))
    op.drop_column("profile_held", "ended_on")
