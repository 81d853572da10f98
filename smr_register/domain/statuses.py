"""Where a coach stands: the audit's statuses, which of them are findings, and the expected pace
before the renewal window. Pure values; rules.py decides, domain/wording.py explains
each status (`STATUS_MEANINGS`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from enum import StrEnum


class Status(StrEnum):
    """Where a coach stands on the evaluation date (`STATUS_MEANINGS` in domain/wording.py says
    each in a sentence; docs/audit-json.md gives the precedence)."""
    ON_TRACK = "on-track"  # before the renewal window, at or above the expected pace
    BEHIND = "behind"  # before the renewal window, below the expected pace on some minimum
    DUE = "due"  # in the renewal window and every rule met: can be renewed
    RENEWED = "renewed"  # was due and the next period is already decided
    AT_RISK = "at-risk"  # in the renewal window, something still missing before the end date
    NON_COMPLIANT = "non-compliant"  # a blocking rule is not met
    EXPIRED = "expired"
    SUSPENDED = "suspended"
    WITHDRAWN = "withdrawn"


STATUSES = tuple(s.value for s in Status)
# Statuses that make `smr audit` exit 1 ("findings"): someone must act (renew, remind, decide).
FLAGGED = frozenset({Status.DUE, Status.AT_RISK, Status.NON_COMPLIANT, Status.EXPIRED})
# Findings only when asked for with --status: `behind` is a warning with time left to catch up
# (a reminder run asks for it), suspended and withdrawn are decisions already taken.
ON_REQUEST = frozenset({Status.BEHIND, Status.SUSPENDED, Status.WITHDRAWN})
ADMINISTRATIVE = frozenset({Status.SUSPENDED, Status.WITHDRAWN})


def has_findings(counts: Iterable[str], asked: Iterable[Status]) -> bool:
    """Whether an audit that counted these statuses has findings (exit 1)."""
    flagged = {s.value for s in FLAGGED} | {s.value for s in asked if s in ON_REQUEST}
    return any(status in flagged for status in counts)


def coach_has_findings(status: Status) -> bool:
    """`smr audit REG_NO` exits 1 unless the coach needs nothing now (on-track, behind, renewed)."""
    return status not in (Status.ON_TRACK, Status.BEHIND, Status.RENEWED)


@dataclass(frozen=True)
class Pace:
    """The expected pace on a date before the renewal window: after `years_passed` whole years
    of a period of `period_years`, `share` times that part of each minimum is expected (the
    rules file's `pace_share`). Judged on each anniversary of the period's start, so a coach
    always has the rest of a year to catch up before being called behind."""

    years_passed: int
    period_years: int
    share: Decimal

    def expected(self, required: Decimal | int) -> Decimal | int:
        """What the pace asks of a minimum by now: whole years with points are rounded down,
        amounts are rounded up to one decimal."""
        exact = Decimal(required) * self.share * self.years_passed / self.period_years
        if isinstance(required, int):
            return int(exact.to_integral_value(rounding=ROUND_FLOOR))
        return exact.quantize(Decimal("0.1"), rounding=ROUND_CEILING)
