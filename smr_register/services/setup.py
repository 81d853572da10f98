"""Creating a register: the schema through the migrations, so that a new register and an
upgraded one are alike."""

from __future__ import annotations

from sqlalchemy import Engine

from smr_register import db
from smr_register.domain.i18n import _
from smr_register.errors import Conflict, DatabaseError


def initialise(engine: Engine, db_label: str) -> str:
    """Create the schema of a new register through the migrations; refuse any other database."""
    revision = db.schema_revision(engine)
    if revision is not None:
        raise Conflict(_("{db_label} is already a register (schema {revision}): nothing "
                         "changed").format(
                         db_label=db_label, revision=revision))
    if not db.is_empty(engine):
        raise DatabaseError(_("{db_label} holds other tables, not a "
                              "register: nothing changed").format(
                              db_label=db_label))
    return db.upgrade(engine)[1] or ""
