"""The audit's JSON: the contract with scripts (docs/audit-json.md, `schema_version`).

`CoachEncoder` builds the same text as `coach_json`, fast enough for an audit of the whole
register written one coach at a time.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from operator import attrgetter
from typing import Any

from smr_register.domain.values import format_decimal
from smr_register.rules import Assessment, Credit, Decision, Finding, NotCounted, Period

# 2: the statuses on-track, behind and renewed replace compliant; `pace` and a
# finding's `expected` added.
SCHEMA_VERSION = 2
_REASON = attrgetter("reason")


_DECIMAL_TEXT: dict[Decimal, str] = {}


def _decimal(value: Decimal) -> str:
    """format_decimal, remembered: an audit writes the same few hundred amounts many times."""
    text = _DECIMAL_TEXT.get(value)
    if text is None:
        if len(_DECIMAL_TEXT) > 10_000:
            _DECIMAL_TEXT.clear()
        text = _DECIMAL_TEXT[value] = format_decimal(value)
    return text


def number(value: Decimal | int | str | None) -> str | None:
    """An amount as exact text (`12.5`), as the JSON and the rule cells show it."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return _decimal(value)
    return str(value)


def _credit_json(credit: Credit) -> dict[str, Any]:
    run = credit.run
    return {"course": run.course, "run_date": run.run_date.isoformat(),
            "points": format_decimal(credit.points)}


def _detail(value: Any) -> Any:
    if isinstance(value, Mapping):  # amounts per calendar year
        return {str(key): _decimal(amount) for key, amount in value.items()}
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, Decimal):
        return _decimal(value)
    return value


def _details_json(details: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in details.items():
        if key == "counted":
            out[key] = [_credit_json(c) for c in value]
        elif key == "not_counted":
            out[key] = [{**_credit_json(n.credit), "reason": n.reason} for n in value]
        else:
            out[key] = _detail(value)
    return out


def _decision_json(decision: Decision | None) -> dict[str, Any] | None:
    if decision is None:
        return None
    return {"rule": decision.rule, "value": number(decision.value), "reason": decision.reason,
            "decided_by": decision.decided_by, "decided_on": decision.decided_on.isoformat(),
            "valid_until": decision.valid_until.isoformat() if decision.valid_until else None}


def finding_json(finding: Finding, *, details: bool = True) -> dict[str, Any]:
    """One rule's finding: numbers as exact text, the sentence, the exception, the details."""
    out = {
        "rule": finding.rule, "met": finding.met, "blocking": finding.blocking,
        "required": number(finding.required), "actual": number(finding.actual),
        "shortfall": number(finding.shortfall), "unit": finding.unit,
        "sentence": finding.sentence, "exception": _decision_json(finding.exception),
        "expected": number(finding.expected),
    }
    if details:
        out["details"] = _details_json(finding.details)
    return out


def _period_json(period: Period | None) -> dict[str, Any] | None:
    if period is None:
        return None
    return {"starts_on": period.starts_on.isoformat(),
            "valid_until": period.valid_until.isoformat(),
            "renewed_on": period.renewed_on.isoformat() if period.renewed_on else None}


def _coach_head(a: Assessment) -> dict[str, Any]:
    return {
        "reg_no": a.reg_no, "name": a.name, "status": a.status.value, "state": a.state,
        "rules_version": a.rules_id, "rules_why": a.rules_why,
        "period": _period_json(a.period),
        "first_registered": a.first_registered.isoformat() if a.first_registered else None,
        "notice_from": a.notice_from.isoformat() if a.notice_from else None,
        "days_left": a.days_left, "renewal": _period_json(a.renewal),
        "pace": None if a.pace is None else {
            "years_passed": a.pace.years_passed, "period_years": a.pace.period_years,
            "share": _decimal(a.pace.share)},
    }


def coach_json(a: Assessment) -> dict[str, Any]:
    """One coach of the JSON report (docs/audit-json.md)."""
    return {**_coach_head(a), "findings": [finding_json(f) for f in a.findings]}


class CoachEncoder:
    """`coach_json(a)` as compact JSON text, built fast for an audit of the whole register.

    A register's credits are mostly the same few thousand course runs, so the JSON of each run
    and of each point value is made once (looked up by object identity: hashing a run's fields
    for every credit costs more than the encoding saves) and the lists are joined as text.
    """

    _LIMIT = 100_000  # entries per cache; cleared when exceeded, so memory stays bounded
    _COUNTED, _NOT_COUNTED = "\x00counted", "\x00not-counted"

    def __init__(self) -> None:
        self._encode = json.JSONEncoder(ensure_ascii=False).encode
        self._texts: dict[str | None, dict[int, tuple[Credit, str]]] = {}
        self._marks = tuple(self._encode(mark) for mark in (self._COUNTED, self._NOT_COUNTED))

    def _credit_texts(self, items: Iterable[Credit], reason: str | None) -> list[str]:
        texts = self._texts.get(reason)
        if texts is None or len(texts) > self._LIMIT:
            texts = self._texts[reason] = {}
        out = []
        for credit in items:
            entry = texts.get(id(credit))
            if entry is None or entry[0] is not credit:
                item = _credit_json(credit)
                if reason is not None:
                    item["reason"] = reason
                entry = texts[id(credit)] = (credit, self._encode(item))
            out.append(entry[1])
        return out

    def _not_counted(self, items: Sequence[NotCounted]) -> list[str]:
        """Runs of one reason are encoded together (the list keeps its date order)."""
        out: list[str] = []
        for reason, group in itertools.groupby(items, key=_REASON):
            out += self._credit_texts([n.credit for n in group], reason)
        return out

    def encode(self, a: Assessment) -> str:
        """The coach's JSON: encoded once with markers where the credit lists go, then spliced."""
        findings = []
        lists: tuple[str, str] | None = None
        for finding in a.findings:
            item = finding_json(finding, details=False)
            details = finding.details
            if "counted" in details and lists is None:
                lists = (", ".join(self._credit_texts(details["counted"], None)),
                         ", ".join(self._not_counted(details["not_counted"])))
                item["details"] = {**_details_json({k: v for k, v in details.items()
                                                    if k not in ("counted", "not_counted")}),
                                   "counted": self._COUNTED, "not_counted": self._NOT_COUNTED}
                item["details"] = {key: item["details"][key] for key in details}
            else:
                item["details"] = _details_json(details)
            findings.append(item)
        text = self._encode({**_coach_head(a), "findings": findings})
        if lists is None:
            return text
        counted_mark, not_counted_mark = self._marks
        if text.count(counted_mark) != 1 or text.count(not_counted_mark) != 1:
            return self._encode(coach_json(a))  # a marker also in the data: do it the slow way
        return (text.replace(counted_mark, f"[{lists[0]}]")
                .replace(not_counted_mark, f"[{lists[1]}]"))
