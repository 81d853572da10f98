"""The coach's rights under the GDPR (AVG): access to their data, and purging it when kept too long.

`export` gathers everything the register holds on one coach. `purge` anonymises coaches withdrawn
or expired for longer than the retention period (a rules-file value): the personal fields, the
history's before/after values and the raw import rows naming them are erased; the coach row stays
with its credits, hours and profiles, so aggregate numbers (points per year, counts per profile)
do not change. `purge_import_rows` blanks the personal cells of rejected and held import rows
(people who are not, or no longer, coaches) once their batch is older than the same period; the
row's outcome and reason stay, so a batch still accounts for every row. Each purge is recorded
in the history, without the purged data.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlmodel import Session

from smr_register.domain import periods
from smr_register.domain.fees import euros
from smr_register.domain.i18n import ngettext, term
from smr_register.domain.states import WITHDRAWN
from smr_register.domain.values import format_date
from smr_register.importer.columns import without_personal_cells
from smr_register.services.dossier import coach_dossier
from smr_register.store import coaches as coach_store
from smr_register.store import decisions as decision_store
from smr_register.store import fees as fee_store
from smr_register.store import history as history_store
from smr_register.store import privacy as privacy_store
from smr_register.store import states as state_store
from smr_register.store.history import Change
from smr_register.store.models import Coach

EXPORT_SCHEMA_VERSION = 1
PURGED_NAME = "[verwijderd]"
PERSONAL_FIELDS = ("initials", "first_name", "prefix", "birth_date", "email", "phone", "big",
                   "agb", "practice", "postcode", "city")


def export(session: Session, reg_no: str, made_on: date) -> dict[str, Any]:
    """Everything the register holds on one coach (right of access), as plain data."""
    coach = coach_store.coach_by_reg_no(session, reg_no)
    history = [
        {"at": h.at, "actor": h.actor, "command": h.command, "entity": h.entity,
         "action": h.action, "before": json.loads(h.before) if h.before else None,
         "after": json.loads(h.after) if h.after else None, "reason": h.reason}
        for h in history_store.history_of(session, coach.id or 0)
    ]
    import_rows = [
        {"batch": row.batch_id, "file": file_name, "row": row.row_number,
         "outcome": row.outcome, "reason": row.reason, "message": row.message,
         "cells": json.loads(row.raw)}
        for row, file_name in privacy_store.import_rows_of_coach(session, coach.id or 0)
    ]
    return {
        "schema_version": EXPORT_SCHEMA_VERSION,
        "kind": "smr-register personal data export",
        "made_on": made_on,
        **coach_dossier(session, coach, made_on),
        "import_rows": import_rows,
        "contributions": [
            {"year": a.year, "amount": euros(a.amount_cents), "paid": euros(a.paid_cents),
             "charged_on": a.charged_on, "due_on": a.due_on}
            for a in fee_store.accounts(session, made_on, coach_id=coach.id)],
        "decisions": [{"kind": d.kind, "decided_on": d.decided_on, "at": d.at,
                       "actor": d.actor, "rules_version": d.rules_version, "why": d.why,
                       "detail": json.loads(d.detail) if d.detail else None,
                       "assessment": json.loads(d.findings)}
                      for d in decision_store.decisions(session, coach.id or 0)],
        "history": history,
    }


@dataclass(frozen=True)
class PurgeCandidate:
    """A coach whose personal data the retention period allows to purge."""
    reg_no: str
    coach_id: int
    why: str
    inactive_since: date


def purge_candidates(session: Session, as_of: date, inactive_years: int) -> list[PurgeCandidate]:
    """Coaches withdrawn, or whose last registration ended, more than `inactive_years` ago."""
    cutoff = periods.add_years(as_of, -inactive_years)
    found: list[PurgeCandidate] = []
    spells = state_store.spells_by_coach(session)
    for coach, last_end in privacy_store.coaches_with_last_period_end(session):
        if coach.last_name == PURGED_NAME:
            continue
        withdrawn = next((s.starts_on for s in spells.get(coach.id or 0, ())
                          if s.state == WITHDRAWN), None)
        if withdrawn is not None and withdrawn < cutoff:
            found.append(PurgeCandidate(coach.reg_no, coach.id or 0, "withdrawn", withdrawn))
        elif last_end is not None and last_end < cutoff:
            found.append(PurgeCandidate(coach.reg_no, coach.id or 0, "expired", last_end))
    return found


def purge(session: Session, change: Change, candidates: list[PurgeCandidate],
          inactive_years: int) -> int:
    """Anonymise each candidate in the caller's transaction; returns how many were purged."""
    for candidate in candidates:
        coach = coach_store.coach_by_id(session, candidate.coach_id)
        held_rows = privacy_store.scrub_candidate(session, coach.reg_no)  # before the number goes
        _anonymise(coach)
        session.add(coach)
        privacy_store.scrub_history(session, candidate.coach_id)
        privacy_store.scrub_import_rows(session, candidate.coach_id)
        privacy_store.scrub_exceptions(session, candidate.coach_id)
        privacy_store.scrub_state_reasons(session, candidate.coach_id)
        privacy_store.scrub_profile_evidence(session, candidate.coach_id)
        privacy_store.scrub_payment_references(session, candidate.coach_id)
        _scrub_decisions(session, candidate.coach_id, coach.reg_no)
        session.flush()
        history_store.record(session, change, entity="coach", action="purge", entity_id=coach.id,
                             coach_id=coach.id,
                             after={"purged_fields": [*PERSONAL_FIELDS, "last_name", "reg_no"],
                                    "taken_out_of_review_rows": held_rows},
                             reason=ngettext(
                                 "{why} since {since}, longer than the retention period of "
                                 "{years} year",
                                 "{why} since {since}, longer than the retention period of "
                                 "{years} years", inactive_years).format(
                                     why=term(candidate.why),
                                     since=format_date(candidate.inactive_since),
                                     years=inactive_years))
    return len(candidates)


def _scrub_decisions(session: Session, coach_id: int, reg_no: str) -> None:
    """The coach's decisions keep what was decided and why, no longer whom it was about."""
    findings = []
    for item in decision_store.decisions(session, coach_id):
        assessment = json.loads(item.findings)
        assessment.update(reg_no=reg_no, name=PURGED_NAME)
        findings.append((item.id or 0, json.dumps(assessment, ensure_ascii=False)))
    decision_store.scrub_decisions(session, coach_id, reg_no, findings)


def _anonymise(coach: Coach) -> None:
    for name in PERSONAL_FIELDS:
        setattr(coach, name, None)
    coach.last_name = PURGED_NAME
    coach.reg_no = f"X{coach.id}"  # the number identifies the person; the row must stay unique


# Rows that may name someone who is not a coach: a purge of coaches never reaches them.
_UNMATCHED_OUTCOMES = ("rejected", "held")


@dataclass(frozen=True)
class RowPurge:
    """Rejected and held import rows of batches imported before `imported_before`, each with
    its cells as they will be kept (row id, JSON)."""

    imported_before: date
    rows: list[tuple[int, str]]


def stale_import_rows(session: Session, as_of: date, years: int) -> RowPurge:
    """The rejected and held rows of batches older than `years` that still hold personal
    cells, a message or candidates (a row purged before is not found again)."""
    cutoff = periods.add_years(as_of, -years)
    found = []
    stored = privacy_store.import_rows_before(
        session, datetime(cutoff.year, cutoff.month, cutoff.day, tzinfo=UTC),
        _UNMATCHED_OUTCOMES)
    for row in stored:
        if row.raw == privacy_store.PURGED_CELLS:
            continue
        cells = json.loads(row.raw)
        kept = without_personal_cells(row.kind, cells)
        if kept != cells or row.message is not None or row.candidates is not None:
            found.append((row.id, json.dumps(kept, ensure_ascii=False)))
    return RowPurge(cutoff, found)


def purge_import_rows(session: Session, change: Change, found: RowPurge, years: int) -> int:
    """Blank the rows' personal cells, messages and candidates in the caller's transaction,
    with one history row saying how many; returns how many."""
    if not found.rows:
        return 0
    privacy_store.blank_import_rows(session, found.rows)
    history_store.record(session, change, entity="import_row", action="purge",
                         after={"rows": len(found.rows),
                                "imported_before": found.imported_before.isoformat()},
                         reason=f"rejected and held rows of batches imported before "
                                f"{found.imported_before.isoformat()}, longer ago than the "
                                f"retention period of {years} years")
    return len(found.rows)
