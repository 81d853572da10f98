"""Decisions kept as they were taken: what was decided, on which date, by whom, under which rules,
and the coach's assessment as it stood (the COACH object of the audit's JSON).

An audit of a past date is recomputed from today's facts, so after a correction (a credit taken
back, a profile removed as entered in error) it no longer shows what the register decided then.
A coach who objects (bezwaar) to a refusal a year later must see the decision itself: each
renewal, refused renewal, notice recorded as sent and coach drawn for a spot check is kept here,
in the same transaction as the change it belongs to, and never rewritten.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from sqlmodel import Session

from smr_register.domain.values import format_decimal
from smr_register.render.audit_json import coach_json
from smr_register.rules import Assessment, RenewalDecision, Status
from smr_register.store import coaches as coach_store
from smr_register.store import decisions as decision_store
from smr_register.store.history import Change

DECISIONS_SCHEMA_VERSION = 1
KINDS = decision_store.KINDS
_ENCODE = json.JSONEncoder(ensure_ascii=False).encode


def decision_values(change: Change, kind: str, assessment: Assessment, coach_id: int | None, *,
                    why: str | None, detail: dict[str, Any] | None = None,
                    notice_key: str | None = None) -> dict[str, Any]:
    """One decision's column values: the stamp of `change`, the assessment as JSON."""
    return {
        "kind": kind, "coach_id": coach_id, "reg_no": assessment.reg_no,
        "decided_on": assessment.as_of, "at": change.at, "actor": change.actor,
        "command": change.command, "rules_version": assessment.rules_id, "why": why,
        "detail": None if detail is None else _ENCODE(detail),
        "findings": _ENCODE(coach_json(assessment)), "notice_key": notice_key,
    }


def record(session: Session, change: Change, items: Sequence[tuple[str, Assessment,
           str | None, dict[str, Any] | None, str | None]]) -> int:
    """Keep decisions (kind, assessment, why, detail, notice key) in the caller's transaction;
    returns how many."""
    ids = decision_store.coach_ids(session, [item[1].reg_no for item in items])
    rows = [decision_values(change, kind, assessment, ids.get(assessment.reg_no), why=why,
                            detail=detail, notice_key=key)
            for kind, assessment, why, detail, key in items]
    decision_store.insert_decisions(session, rows)
    return len(rows)


def record_renewals(session: Session, change: Change, outcomes: Iterable[RenewalDecision], *,
                    refusals: bool = True) -> int:
    """Keep each renewal and (with `refusals`) each refusal; a coach already renewed is no
    new decision (the renewal taken then is kept already), nor is a withdrawn coach (a batch
    leaves them out: a withdrawal is final)."""
    items: list[tuple[str, Assessment, str | None, dict[str, Any] | None, str | None]] = []
    for outcome in outcomes:
        a = outcome.assessment
        if outcome.renewed and outcome.new_period is not None and a.period is not None:
            items.append(("renewal", a, outcome.why, {
                "previous_valid_until": a.period.valid_until.isoformat(),
                "new_starts_on": outcome.new_period.starts_on.isoformat(),
                "new_valid_until": outcome.new_period.valid_until.isoformat()}, None))
        elif (refusals and not outcome.renewed and a.renewal is None
              and a.status is not Status.WITHDRAWN):  # left out of a batch: nothing refused
            items.append(("refusal", a, outcome.why, None, None))
    return record(session, change, items)


def record_sample(session: Session, change: Change, drawn: Sequence[Assessment],
                  head: dict[str, Any]) -> int:
    """Keep each coach drawn for a spot check, with how the sample was drawn (`head`)."""
    detail = {key: format_decimal(value) if key == "percent" else value
              for key, value in head.items()}
    why = (f"drawn for a spot check: {head['size']} of {head['population']} coaches "
           f"({detail['percent']}%, seed {head['seed']})")
    return record(session, change, [("sample", a, why, detail, None) for a in drawn])


def decision_rows(session: Session, reg_no: str | None,
                  kinds: Sequence[str] = ()) -> list[dict[str, Any]]:
    """The decisions kept (of one coach, of some kinds), oldest first, each with its
    assessment as it was."""
    coach_id = None if reg_no is None else coach_store.coach_id_of(session, reg_no)
    rows = []
    for item in decision_store.decisions(session, coach_id, kinds):
        assessment = json.loads(item.findings)
        rows.append({
            "id": item.id, "kind": item.kind, "decided_on": item.decided_on,
            "reg_no": item.reg_no, "name": assessment.get("name"),
            "status": assessment.get("status"), "rules_version": item.rules_version,
            "actor": item.actor, "at": item.at, "command": item.command, "why": item.why,
            "unmet": [f["rule"] for f in assessment.get("findings", []) if not f.get("met")],
            "detail": json.loads(item.detail) if item.detail else None,
            "assessment": assessment,
        })
    return rows
