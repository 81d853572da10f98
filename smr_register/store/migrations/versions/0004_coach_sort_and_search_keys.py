"""Store each coach's Dutch sort key and search text, defined in Python.

`coach list` ordered by `lower(last_name)` and searched with `lower(...) LIKE`: SQLite's lower()
folds ASCII only and PostgreSQL's follows the database's collation, so Öztürk sorted after Zwart
on one and beside Oosterhuis on the other, and `--search ozturk` found her on neither while
`--search öztürk` found her on PostgreSQL only. The keys are now made in Python
(`models.coach_keys`: accents and case folded, the prefix aside) and stored, the sort key in a
binary collation ("C" on PostgreSQL, SQLite's default), so both databases give the same answers.
A later change to how keys are made needs a migration like this one that computes them again.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from smr_register.store.models import KEY_SOURCES, BinaryText, coach_keys

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("coach", sa.Column("sort_key", BinaryText, nullable=False, server_default=""))
    op.add_column("coach", sa.Column("search_text", sa.Text(), nullable=False,
                                     server_default=""))
    op.create_index("ix_coach_sort_key", "coach", ["sort_key"], unique=False)
    coach = sa.table("coach", sa.column("id", sa.Integer), sa.column("sort_key", sa.String),
                     sa.column("search_text", sa.Text),
                     *(sa.column(name, sa.String) for name in KEY_SOURCES))
    connection = op.get_bind()
    rows = connection.execute(sa.select(coach.c.id, *(coach.c[n] for n in KEY_SOURCES)))
    keys = [{"key": row.id, **{f"new_{k}": v for k, v in coach_keys(row._mapping).items()}}
            for row in rows]
    if keys:
        connection.execute(coach.update().where(coach.c.id == sa.bindparam("key"))
                           .values(sort_key=sa.bindparam("new_sort_key"),
                                   search_text=sa.bindparam("new_search_text")), keys)


def downgrade() -> None:
    op.drop_index("ix_coach_sort_key", table_name="coach")
    with op.batch_alter_table("coach") as batch:
        batch.drop_column("search_text")
        batch.drop_column("sort_key")
