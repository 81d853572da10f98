"""The privacy (GDPR) queries: what the register holds about a coach, and the purge's scrubs.

A purge keeps who did what and when (the history's rows, the batches' counts) and erases the
personal values: the coach's own row is handled by the service, the rest here.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import bindparam, func, select, update
from sqlmodel import Session

from smr_register.store.models import (
    Coach,
    CoachStateSpell,
    FeeCharge,
    FeePayment,
    History,
    ImportBatch,
    ImportRow,
    ProfileHeld,
    RegistrationPeriod,
    RuleException,
)
from smr_register.store.text import binary


class ImportRowOfCoach(NamedTuple):
    """An imported row matched to the coach, with the name of the file it came from."""

    row: ImportRow
    file_name: str


def import_rows_of_coach(session: Session, coach_id: int) -> list[ImportRowOfCoach]:
    """Every imported row matched to the coach, by batch and row number."""
    stmt = (select(ImportRow, ImportBatch.file_name)
            .join(ImportBatch, ImportRow.batch_id == ImportBatch.id)
            .where(ImportRow.coach_id == coach_id)
            .order_by(ImportRow.batch_id, ImportRow.row_number))
    return [ImportRowOfCoach(row, name) for row, name in session.execute(stmt)]


def coaches_with_last_period_end(session: Session) -> list[tuple[Coach, date | None]]:
    """Every coach with the end of their newest registration period."""
    last_end = (select(RegistrationPeriod.coach_id,
                       func.max(RegistrationPeriod.valid_until).label("last_end"))
                .group_by(RegistrationPeriod.coach_id).subquery())
    stmt = (select(Coach, last_end.c.last_end)
            .join(last_end, last_end.c.coach_id == Coach.id, isouter=True)
            .order_by(binary(Coach.reg_no)))
    return [(coach, end) for coach, end in session.execute(stmt)]


def scrub_history(session: Session, coach_id: int) -> None:
    """Erase the before/after values of a coach's history; who did what, and when, remain."""
    session.execute(update(History).where(History.coach_id == coach_id)
                    .values(before=None, after=None, reason=None))


# The cells of a row matched to a purged coach: nothing of them is kept.
PURGED_CELLS = json.dumps({"purged": True})


def scrub_import_rows(session: Session, coach_id: int) -> None:
    """Erase the cells, message and candidates of the imported rows matched to the coach."""
    session.execute(update(ImportRow).where(ImportRow.coach_id == coach_id)
                    .values(raw=PURGED_CELLS, message=None, candidates=None))


def scrub_candidate(session: Session, reg_no: str) -> int:
    """Take the coach out of every held row's list of candidate coaches (their name, state
    and birth date as the register had them); returns the rows changed. Rows are found by the
    number in the JSON text, then filtered on the parsed value."""
    changed = 0
    rows = session.execute(select(ImportRow.id, ImportRow.candidates).where(
        ImportRow.candidates.contains(json.dumps(reg_no))))  # type: ignore[union-attr]
    for row_id, stored in rows.all():
        document = json.loads(stored)
        coaches = document.get("coaches") or []
        kept = [c for c in coaches if c.get("reg_no") != reg_no]
        if len(kept) == len(coaches):
            continue
        document["coaches"] = kept
        session.execute(update(ImportRow).where(ImportRow.id == row_id)
                        .values(candidates=json.dumps(document, ensure_ascii=False)))
        changed += 1
    return changed


def scrub_exceptions(session: Session, coach_id: int) -> None:
    """Replace the reasons of the coach's exceptions by '[verwijderd]' (removed)."""
    session.execute(update(RuleException).where(RuleException.coach_id == coach_id)
                    .values(reason="[verwijderd]"))


def scrub_state_reasons(session: Session, coach_id: int) -> None:
    """Replace the reasons of the coach's suspensions and withdrawal by '[verwijderd]'."""
    session.execute(update(CoachStateSpell).where(CoachStateSpell.coach_id == coach_id)
                    .values(reason="[verwijderd]"))


def scrub_payment_references(session: Session, coach_id: int) -> None:
    """Erase the references (bank details, notes) of the coach's contribution payments; the
    amounts and dates stay, as the books need them."""
    charges = select(FeeCharge.id).where(FeeCharge.coach_id == coach_id)
    session.execute(update(FeePayment).where(FeePayment.charge_id.in_(charges))
                    .values(reference=None))


def scrub_profile_evidence(session: Session, coach_id: int) -> None:
    """Erase the evidence noted with the coach's profiles."""
    session.execute(update(ProfileHeld).where(ProfileHeld.coach_id == coach_id)
                    .values(evidence=None))


class StoredRow(NamedTuple):
    """An imported row as stored, with the kind of its batch (which columns name people)."""

    id: int
    kind: str
    raw: str
    message: str | None
    candidates: str | None


def import_rows_before(session: Session, before: datetime,
                       outcomes: Sequence[str]) -> list[StoredRow]:
    """The rows with these outcomes of every batch imported before `before`, by id."""
    stmt = (select(ImportRow.id, ImportBatch.kind, ImportRow.raw, ImportRow.message,
                   ImportRow.candidates)
            .join(ImportBatch, ImportRow.batch_id == ImportBatch.id)
            .where(ImportBatch.imported_at < before,
                   ImportRow.outcome.in_(outcomes))  # type: ignore[attr-defined]
            .order_by(ImportRow.id))
    return [StoredRow(*row) for row in session.execute(stmt)]


def blank_import_rows(session: Session, raws: Sequence[tuple[int, str]]) -> None:
    """Store each row's cells as given (row id, JSON), its message and candidates erased."""
    if not raws:
        return
    table = ImportRow.__table__  # type: ignore[attr-defined]
    session.connection().execute(
        table.update().where(table.c.id == bindparam("key"))
        .values(raw=bindparam("cells"), message=None, candidates=None),
        [{"key": row_id, "cells": cells} for row_id, cells in raws])
