"""A rule's verdict (`Finding`), one coach's audit (`Assessment`) and the helpers every rule
shares: the exception in force, a waived rule, an 'at least N in the period' minimum.

Pure, like `rules.py`, which evaluates the rules with them; kept apart so the rules module holds
the rules themselves and stays readable as the register grows rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from smr_register.domain.facts import Decision, Period
from smr_register.domain.statuses import Pace, Status
from smr_register.domain.wording import sentence


@dataclass(frozen=True)
class Finding:
    """The verdict on one rule: met or not, the numbers, and the sentence for the coach."""

    rule: str
    met: bool
    blocking: bool
    required: Decimal | int | str | None
    actual: Decimal | int | str | None
    shortfall: Decimal | int | None
    unit: str | None
    sentence: str
    short: str = ""  # a few words for a table cell when not met
    exception: Decision | None = None
    details: Mapping[str, Any] = field(default_factory=dict)
    # What the expected pace asks by the evaluation date (period minimums, before the renewal
    # window only; see `Pace`); None where the pace does not apply.
    expected: Decimal | int | None = None

    @property
    def behind(self) -> bool:
        """Below the expected pace: not met and less than the pace asks by now."""
        return (not self.met and self.expected is not None and self.actual is not None
                and not isinstance(self.actual, str) and self.actual < self.expected)


@dataclass(frozen=True)
class Assessment:
    """The audit of one coach on one date: every finding, the status and the period."""
    reg_no: str
    name: str
    as_of: date
    rules_id: str
    status: Status
    state: str
    period: Period | None
    first_registered: date | None
    notice_from: date | None
    findings: tuple[Finding, ...]
    renewal: Period | None = None  # a later period already decided on or before `as_of`
    pace: Pace | None = None  # before the renewal window: what is expected by now
    rules_why: str = ""  # which version judged the period and why (see `judge`)

    @property
    def days_left(self) -> int | None:
        """Days from the evaluation date to the end of the period (None without one)."""
        return (self.period.valid_until - self.as_of).days if self.period else None

    @property
    def unmet(self) -> tuple[Finding, ...]:
        """The findings not met, in rule order."""
        return tuple(f for f in self.findings if not f.met)

    def finding(self, rule: str) -> Finding:
        """The finding of rule `rule`; KeyError when this assessment has none."""
        for item in self.findings:
            if item.rule == rule:
                return item
        raise KeyError(rule)


@dataclass(frozen=True)
class Context:
    """What every rule of one assessment shares."""

    as_of: date
    period: Period
    years: range  # calendar years of the period up to the audit date
    exceptions: tuple[Decision, ...]
    pace: Pace | None = None

    def decision(self, family: str) -> Decision | None:
        """The latest exception to `family` valid on the audit date (the newest decision wins)."""
        valid = [d for d in self.exceptions if d.rule == family and d.valid_on(self.as_of)]
        return max(valid, key=lambda d: d.decided_on) if valid else None


def decision_words(decision: Decision) -> dict[str, Any]:
    until = (sentence("exception.until", valid_until=decision.valid_until)
             if decision.valid_until else "")
    return {"decided_by": decision.decided_by, "decided_on": decision.decided_on,
            "until": until, "reason": decision.reason.rstrip(".")}


def waived(finding: Finding, decision: Decision) -> Finding:
    """A waived rule is met; the numbers stay, so the coach still sees where they stand."""
    return Finding(
        rule=finding.rule, met=True, blocking=finding.blocking, required=finding.required,
        actual=finding.actual, shortfall=None, unit=finding.unit,
        sentence=sentence("exception.waived", **decision_words(decision)),
        exception=decision, details=finding.details,
    )


def minimum(rule: str, unit: str, actual: Decimal | int, required: Decimal | int,
             ctx: Context, words: Mapping[str, Any], details: Mapping[str, Any],
             key: str | None = None, short_key: str | None = None) -> Finding:
    """An 'at least N in the period' rule: not blocking, it is judged at the period's end."""
    key = key or rule
    decision = ctx.decision(rule.split(".", 1)[0])
    if decision is not None and decision.value is not None:
        required = decision.value if isinstance(required, Decimal) else int(decision.value)
    shortfall = max(required - actual, 0)
    met = shortfall == 0
    expected = ctx.pace.expected(required) if ctx.pace is not None else None
    values = {"actual": actual, "required": required, "shortfall": shortfall,
              "start": ctx.period.starts_on, "end": ctx.period.valid_until, **words}
    count = int(shortfall) if shortfall == int(shortfall) else None
    text = sentence(f"{key}.met" if met else f"{key}.short", count=count, **values)
    behind = not met and expected is not None and actual < expected
    if behind and ctx.pace is not None:
        text += " " + sentence("pace.behind", expected=expected,
                               years=ctx.pace.years_passed, period=ctx.pace.period_years)
    if decision is not None and decision.value is not None:
        text += " " + sentence("exception.changed", value=decision.value,
                               **decision_words(decision))
    finding = Finding(
        rule=rule, met=met, blocking=False, required=required, actual=actual,
        shortfall=None if met else shortfall, unit=unit, sentence=text,
        short="" if met else sentence(f"short.{short_key or key}", count=count, **values)
        + (" " + sentence("short.pace", expected=expected) if behind else ""),
        exception=decision if decision is not None and decision.value is not None else None,
        details=details, expected=expected,
    )
    if decision is not None and decision.value is None:
        return waived(finding, decision)
    return finding
