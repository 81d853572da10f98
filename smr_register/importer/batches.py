"""After an import: list batches, show their rows, review held rows, resolve them, undo a batch.

Each change runs in the caller's one transaction and writes its history rows: `undo` one row
per coach whose credits it takes back plus one for the batch; `resolve` one for the credit or
the rejection.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlmodel import Session

from smr_register.domain.i18n import _, ngettext, number, plural_count, term
from smr_register.domain.values import check_text, format_date, format_decimal, from_centi
from smr_register.errors import Conflict, InvalidValue, NotFound, UsageError
from smr_register.importer import cells as clean
from smr_register.importer.matching import coach_by_number
from smr_register.importer.reasons import Outcome, Reason
from smr_register.importer.writing import credit_entry
from smr_register.services.coach_states import refuse_withdrawn
from smr_register.store import agenda as agenda_store
from smr_register.store import coaches as coach_store
from smr_register.store import history as history_store
from smr_register.store import imports as import_store
from smr_register.store import records as record_store
from smr_register.store.history import Change
from smr_register.store.models import Coach, CreditSource, PointCredit


def parse_row_ref(text: str) -> tuple[int, int]:
    """`12:7` -> (batch 12, row 7)."""
    match = re.fullmatch(r"\s*(\d+)\s*:\s*(\d+)\s*", text)
    if match is None:
        raise InvalidValue("BATCH:ROW", text, _("is not a batch and row, e.g. 12:7 (see 'smr "
                                                "import review')"))
    return int(match.group(1)), int(match.group(2))


def batch_listing(session: Session) -> list[dict[str, Any]]:
    """Every import batch with its counts, oldest first (`smr import list`)."""
    return [{
        "batch": b.id, "kind": b.kind, "imported_at": b.imported_at, "actor": b.actor,
        "file": b.file_name, "sheet": b.sheet, "sha256": b.sha256, "rows": b.rows_read,
        "credited": b.credited, "held": b.held, "rejected": b.rejected, "skipped": b.skipped,
        "duplicates": b.duplicates, "undone_at": b.undone_at, "undo_reason": b.undo_reason,
    } for b in import_store.list_batches(session)]


def batch_summary(batch: Any) -> dict[str, Any]:
    """One batch with its counts, as `smr import show` heads its rows (keys in its own order:
    the listing's differ, and scripts read both)."""
    return {"batch": batch.id, "kind": batch.kind, "file": batch.file_name,
            "sha256": batch.sha256, "sheet": batch.sheet, "imported_at": batch.imported_at,
            "actor": batch.actor, "rows": batch.rows_read, "credited": batch.credited,
            "held": batch.held, "rejected": batch.rejected, "skipped": batch.skipped,
            "duplicates": batch.duplicates, "undone_at": batch.undone_at,
            "undo_reason": batch.undo_reason}


def _candidates(text: str | None) -> list[dict[str, Any]]:
    if not text:
        return []
    return list(json.loads(text).get("coaches", []))


def batch_detail(session: Session, batch_id: int) -> dict[str, Any]:
    """The batch and every row with what became of it."""
    batch = import_store.batch_by_id(session, batch_id)
    rows = [{
        "row": item.row_number, "outcome": item.outcome, "reason": item.reason,
        "message": item.message, "coach": reg_no, "course": code, "date": run_date,
        "candidates": _candidates(item.candidates), "resolved_at": item.resolved_at,
        "cells": json.loads(item.raw),
    } for item, reg_no, code, run_date in import_store.batch_rows(session, batch_id)]
    return {"schema_version": 1, "batch": batch_summary(batch), "rows": rows}


def review_rows(session: Session) -> list[dict[str, Any]]:
    """Rows held for review, with what the sheet said and the candidate coaches."""
    out = []
    for item, file_name, code, run_date in import_store.held_rows(session):
        cells = json.loads(item.raw)
        out.append({
            "ref": f"{item.batch_id}:{item.row_number}", "file": file_name,
            "reason": item.reason, "message": item.message,
            "sheet_says": "; ".join(f"{k}: {v}" for k, v in cells.items()),
            "course": code, "date": run_date, "cells": cells,
            "candidates": _candidates(item.candidates),
        })
    return out


def undo_batch(session: Session, change: Change, batch_id: int,
               reason: str) -> tuple[int, int]:
    """Take back every credit of one attendance batch (resolved rows included); returns
    (credits removed, coaches affected). The batch and its rows stay, marked undone. A row of
    a later batch that was only a duplicate of a credit taken back now credits it itself, so
    an import of the same rows, before or beside the undo, loses nothing. The caller holds the
    register's imports (`locks.lock_imports`), so two undos of one batch cannot both run."""
    reason_text = check_text(reason, "--reason", required=True)
    batch = import_store.batch_by_id(session, batch_id)
    if batch.kind != "attendance":
        raise Conflict(_("batch {batch_id} is a {kind} import: undo takes back the credits of "
                         "attendance batches only").format(batch_id=batch_id, kind=batch.kind))
    if batch.undone_at is not None:
        raise Conflict(_("batch {batch_id} was already undone on "
                         "{undone_at}: nothing changed").format(
                         batch_id=batch_id, undone_at=format_date(batch.undone_at.date())))
    per_coach: dict[int, list[dict[str, Any]]] = defaultdict(list)
    taken_back = import_store.credits_of_batch(session, batch_id)
    for _id, coach_id, _run, code, run_date, points_centi, row_number in taken_back:
        per_coach[coach_id].append(credit_entry(code, run_date, from_centi(points_centi),
                                                row_number))
    removed = import_store.delete_credits_of_batch(session, batch_id)
    history = [history_store.history_values(change, entity="point_credit", action="undo",
                                            entity_id=batch_id, coach_id=coach_id,
                                            before={"batch": batch_id, "file": batch.file_name,
                                                    "credits": lines}, reason=reason_text)
               for coach_id, lines in per_coach.items()]
    history.append(history_store.history_values(change, entity="import_batch", action="undo",
                                                entity_id=batch_id, reason=reason_text,
                                                after={"file": batch.file_name,
                                                       "credits_removed": removed,
                                                       "coaches": len(per_coach)}))
    history_store.insert_history(session, history)
    _hand_over(session, change, batch_id, [(c.coach_id, c.run_id) for c in taken_back])
    batch.undone_at = change.at
    batch.undo_reason = reason_text
    session.add(batch)
    return removed, len(per_coach)


def _hand_over(session: Session, change: Change, batch_id: int,
               pairs: list[tuple[int, int]]) -> None:
    """Rows of other batches that repeated a credit of `batch_id` credit it now (the earliest
    such row each), with a history row per coach saying so."""
    claims = import_store.repeated_claims(session, batch_id, pairs)
    if not claims:
        return
    import_store.credit_claims(session, claims, batch_id, change.at)
    per_coach: dict[tuple[int, int], list[int]] = defaultdict(list)
    for claim in claims:
        per_coach[(claim.coach_id, claim.batch_id)].append(claim.row_number)
    files = {claim.batch_id: claim.file_name for claim in claims}
    history_store.insert_history(session, [history_store.history_values(
        change, entity="point_credit", action="import", entity_id=other, coach_id=coach_id,
        after={"batch": other, "file": files[other], "rows": rows},
        reason=_("batch {batch_id} was undone: these rows of batch {other} repeated its credits "
                 "and credit them now").format(batch_id=batch_id, other=other))
        for (coach_id, other), rows in per_coach.items()])


def _coach_named(session: Session, text: str) -> Coach:
    """The coach `--coach` names, read as the importer reads a sheet's number (`4579`, `SMR
    004579`: `cells.reg_no` and `matching.coach_by_number`)."""
    number = clean.reg_no(text)
    if number is None:
        raise InvalidValue("--coach", text, _("is not a registration number"))
    coach, several = coach_by_number(
        number, lambda n: coach_store.find_coach(session, n),
        lambda key: import_store.coaches_numbered(session, key))
    if several:
        raise Conflict(_("--coach {text}: without its leading zeros the number fits {count} "
                         "coaches ({numbers}); give the whole number").format(
                             text=text, count=len(several),
                             numbers=", ".join(c.reg_no for c in several)))
    if coach is None:
        raise NotFound(_("--coach {text}: no coach with registration number {number} in the "
                         "register").format(text=text, number=number))
    return coach


def resolve_row(session: Session, change: Change, ref: str, coach_reg_no: str | None,
                reject: str | None) -> str:
    """Credit a held row to the coach the reviewer names, or reject it; returns what happened."""
    if (coach_reg_no is None) == (reject is None):
        raise UsageError(_("give either --coach REG_NO (credit the row to that coach) or "
                           "--reject \"reason\""))
    batch_id, row_number = parse_row_ref(ref)
    batch = import_store.batch_by_id(session, batch_id)
    if batch.undone_at is not None:
        raise Conflict(_("batch {batch_id} was undone: its rows cannot be resolved").format(
                         batch_id=batch_id))
    row = import_store.import_row(session, batch_id, row_number)
    if row.outcome != Outcome.HELD or row.resolved_at is not None:
        raise Conflict(_("{ref}: row is {outcome}, not held for review").format(
                         ref=ref, outcome=term(row.outcome)))
    now: datetime = change.at
    if reject is not None:
        reason_text = check_text(reject, "--reject", required=True) or ""
        before = {"outcome": row.outcome, "reason": row.reason}
        row.outcome, row.reason = Outcome.REJECTED.value, Reason.REJECTED_ON_REVIEW.value
        row.resolved_at = now
        row.message = _("{reason_text} (was held: {message})").format(
                        reason_text=reason_text, message=row.message)
        session.add(row)
        import_store.count_resolution(session, batch_id, Outcome.REJECTED.value)
        history_store.insert_history(session, [history_store.history_values(
            change, entity="import_row", action="reject", entity_id=row.id, before=before,
            after={"batch": batch_id, "row": row_number, "outcome": Outcome.REJECTED.value},
            reason=reason_text)])
        return _("Rejected row {row_number} of batch {batch_id}.").format(
                 row_number=row_number, batch_id=batch_id)
    coach = _coach_named(session, coach_reg_no or "")
    refuse_withdrawn(session, coach.reg_no, coach.id or 0)
    found = agenda_store.run_with_course(session, row.run_id) if row.run_id else None
    if found is None:
        raise Conflict(_("{ref}: the row names no course run of the agenda, so it cannot be "
                         "credited; reject it instead").format(ref=ref))
    run, course = found
    existing = record_store.credit_for(session, coach.id or 0, run.id or 0)
    if existing is not None:
        where = (_("batch {batch_id} row {row_number}").format(
                   batch_id=existing.batch_id, row_number=existing.row_number)
                 if existing.batch_id is not None else _("{source} credit").format(
                     source=term(existing.source)))
        raise Conflict(_("coach {reg_no} is already credited for {code} on {run_date} "
                         "({where})").format(
                         reg_no=coach.reg_no, code=course.code,
                         run_date=format_date(run.run_date), where=where))
    credit = PointCredit(coach_id=coach.id or 0, run_id=run.id or 0,
                         points_centi=course.points_centi, source=CreditSource.IMPORT.value,
                         batch_id=batch_id, row_number=row_number, credited_at=now)
    session.add(credit)
    row.outcome, row.coach_id, row.resolved_at = Outcome.CREDITED.value, coach.id, now
    row.message = _("{message} (resolved by {actor}: credited to {reg_no})").format(
                    message=row.message, actor=change.actor, reg_no=coach.reg_no)
    session.add(row)
    session.flush()
    import_store.count_resolution(session, batch_id, Outcome.CREDITED.value)
    history_store.record(session, change, entity="point_credit", action="add", entity_id=credit.id,
                         coach_id=coach.id, reason=_("held row {ref} resolved on review").format(
                                                     ref=ref),
                         after={"course": course.code, "run_date": run.run_date.isoformat(),
                                "points": format_decimal(from_centi(credit.points_centi)),
                                "source": credit.source,
                                "batch": batch_id, "row": row_number, "file": batch.file_name})
    points = from_centi(course.points_centi)
    return ngettext("Credited coach {reg_no} with {points} point for {code} on {run_date} (row "
                    "{row_number} of batch {batch_id}).",
                    "Credited coach {reg_no} with {points} points for {code} on {run_date} (row "
                    "{row_number} of batch {batch_id}).", plural_count(points)).format(
        reg_no=coach.reg_no, points=number(points), code=course.code,
        run_date=format_date(run.run_date), row_number=row_number, batch_id=batch_id)
