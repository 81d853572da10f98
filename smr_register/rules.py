"""The register's rules as pure functions over plain data.

No database, no files, no clock: the evaluation date is always a parameter, and the policy values
come in as a `RuleSet` (loaded from data/rules.toml by `ruleset.py`). That keeps every rule
testable in one line and every audit reproducible for any past date.

`assess(facts, ruleset, as_of)` is the audit of one coach. Everything dated after `as_of` is
ignored, so an audit of a past date gives the answer that was right on that date. The semantics
(status precedence, what counts, what blocks) are written out in docs/audit-json.md. Every
sentence a coach reads is made by `domain.wording.sentence()` from a template; period arithmetic
is in `domain.periods`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from smr_register.domain.competences import progress
from smr_register.domain.facts import CoachFacts as CoachFacts
from smr_register.domain.facts import Credit as Credit
from smr_register.domain.facts import Decision as Decision
from smr_register.domain.facts import NotCounted as NotCounted
from smr_register.domain.facts import Period as Period
from smr_register.domain.facts import Run as Run
from smr_register.domain.facts import SupervisorFacts as SupervisorFacts
from smr_register.domain.facts import _not_counted
from smr_register.domain.facts import current_period as current_period
from smr_register.domain.fees import blocks_renewal, format_euros
from smr_register.domain.findings import Assessment as Assessment
from smr_register.domain.findings import Context as _Context
from smr_register.domain.findings import Finding as Finding
from smr_register.domain.findings import decision_words as _decision_words
from smr_register.domain.findings import minimum as _minimum
from smr_register.domain.findings import waived as _waived
from smr_register.domain.i18n import _, term
from smr_register.domain.periods import renewed_period, years_between
from smr_register.domain.states import state_on
from smr_register.domain.statuses import ADMINISTRATIVE as ADMINISTRATIVE
from smr_register.domain.statuses import FLAGGED as FLAGGED
from smr_register.domain.statuses import ON_REQUEST as ON_REQUEST
from smr_register.domain.statuses import STATUSES as STATUSES
from smr_register.domain.statuses import Pace, Status
from smr_register.domain.statuses import coach_has_findings as coach_has_findings
from smr_register.domain.statuses import has_findings as has_findings
from smr_register.domain.values import format_date
from smr_register.domain.vocabulary import education_meets
from smr_register.domain.wording import PRACTICE_WORDS, sentence
from smr_register.errors import NotFound

if TYPE_CHECKING:
    from smr_register.domain.ruleset import Judged, RulesBook, RuleSet


# --------------------------------------------------------------------------------------------
# Rule ids (the statuses and the pace are in domain/statuses.py)


# The rules an exception can name; a finding's id is the rule, or `rule.part` for a rule with
# several parts (practice.intakes, supervision.limit): an exception to `practice` covers them all.
BASISPROFIEL = "basisprofiel"
HOURS_SPREAD = "hours-spread"
EDUCATION = "education"
ACTIVE = "active"


def credit_reason(item: NotCounted, period: Period) -> str:
    """Why a credit counts zero, in a sentence the coach understands."""
    run = item.credit.run
    return sentence(f"credit.{item.reason}", course=run.course, run_date=run.run_date,
                    start=period.starts_on, end=period.valid_until,
                    accredited_from=run.accredited_from, accredited_until=run.accredited_until)


def _points(facts: CoachFacts, ruleset: RuleSet, ctx: _Context) -> tuple[Finding, Finding]:
    period, as_of = ctx.period, ctx.as_of
    start, last = period.starts_on, min(period.valid_until, as_of)
    counted: list[Credit] = []
    not_counted: list[NotCounted] = []
    per_year = dict.fromkeys(ctx.years, Decimal(0))
    zero = not_counted.append
    for credit in facts.credits:  # the hot loop of an audit of the register: kept plain
        run = credit.run
        day = run.run_date
        if day > as_of:
            continue  # not yet known on the audit date
        if day < start:
            zero(_not_counted((credit, "before-period")))
        elif day > last:
            zero(_not_counted((credit, "after-period")))
        elif day < run.accredited_from or day > run.accredited_until:
            zero(_not_counted((credit, "not-accredited")))
        else:
            counted.append(credit)
            per_year[day.year] += credit.points
    counted.sort()
    not_counted.sort()
    total = sum(per_year.values(), Decimal(0))
    years_with_points = tuple(y for y, p in per_year.items() if p > 0)
    points = _minimum("points", "points", total, ruleset.min_points, ctx, {},
                      {"counted": tuple(counted), "not_counted": tuple(not_counted),
                       "per_year": per_year})
    years_text = ", ".join(str(y) for y in years_with_points) or "none"
    spread = _minimum("spread", "years", len(years_with_points), ruleset.min_distinct_years, ctx,
                      {"years": years_text}, {"years_with_points": years_with_points})
    return points, spread


def _hours(facts: CoachFacts, ruleset: RuleSet, ctx: _Context) -> tuple[Finding, Finding]:
    per_year = {year: facts.hours.get(year, Decimal(0)) for year in ctx.years}
    total = sum(per_year.values(), Decimal(0))
    hours = _minimum("hours", "hours", total, ruleset.min_hours, ctx, {}, {"per_year": per_year})
    years_with_hours = tuple(y for y, h in per_year.items() if h > 0)
    if ruleset.min_hour_years is None:
        return hours, Finding(rule=HOURS_SPREAD, met=True, blocking=False, required=None,
                              actual=len(years_with_hours), shortfall=None, unit="years",
                              sentence=sentence("hours-spread.none"),
                              details={"years_with_hours": years_with_hours})
    # 100 hours "verspreid over minimaal 5 jaar" (2013 rules): hours in that many calendar years.
    years_text = ", ".join(str(y) for y in years_with_hours) or "none"
    spread = _minimum(HOURS_SPREAD, "years", len(years_with_hours), ruleset.min_hour_years, ctx,
                      {"years": years_text}, {"years_with_hours": years_with_hours})
    return hours, spread


def _practice(facts: CoachFacts, ruleset: RuleSet, ctx: _Context) -> list[Finding]:
    if not ruleset.practice_minimums:
        return [Finding(rule="practice", met=True, blocking=False, required=None, actual=None,
                        shortfall=None, unit=None, sentence=sentence("practice.none"))]
    findings = []
    for name, minimum in sorted(ruleset.practice_minimums.items()):
        if name == "hours":
            per_year = {year: facts.hours.get(year, Decimal(0)) for year in ctx.years}
        else:
            per_year = {year: Decimal(facts.practice.get(year, {}).get(name) or 0)
                        for year in ctx.years}
        total = sum(per_year.values(), Decimal(0))
        findings.append(_minimum(f"practice.{name}", name, total, minimum, ctx,
                                 {"what": _(PRACTICE_WORDS.get(name, name))},
                                 {"per_year": per_year}, key="practice", short_key="practice"))
    return findings


def _basisprofiel(facts: CoachFacts, ruleset: RuleSet, ctx: _Context,
                  registered: date) -> Finding:
    as_of = ctx.as_of
    required_from, deadline = ruleset.basisprofiel_required_from, ruleset.transition_ends
    attained = facts.profiles.get(BASISPROFIEL)
    ended = facts.profile_ends.get(BASISPROFIEL)  # revoked: held before this day, not after
    held = attained is not None and attained <= as_of and (ended is None or as_of < ended)
    details: dict[str, Any] = {"required_from": required_from, "transition_ends": deadline,
                               "attained_on": attained if held else None,
                               "ended_on": ended if ended is not None and ended <= as_of
                               else None,
                               "registered_on": registered}
    met, blocking, key, short_key = True, False, "basisprofiel.held", ""
    words: dict[str, Any] = {"as_of": as_of, "attained": attained, "registered": registered,
                             "required_from": required_from, "deadline": deadline}
    days_left: int | None = None
    if required_from is None:
        key = "basisprofiel.not-required"
    elif held:
        pass
    elif registered >= required_from:
        met, blocking, key = False, True, "basisprofiel.new-missing"
        short_key = "short.basisprofiel"
    elif deadline is None:
        key = "basisprofiel.old-rules"
    elif as_of <= deadline:
        days_left = (deadline - as_of).days
        details["days_left"] = days_left
        met, key = False, ("basisprofiel.transition.last" if days_left == 0
                           else "basisprofiel.transition")
        short_key = "short.basisprofiel.transition"
    else:
        met, blocking, key = False, True, "basisprofiel.missed"
        short_key = "short.basisprofiel"
    text = sentence(key, count=days_left, days=days_left, **words)
    if not met and facts.roles:
        text += " " + _basisprofiel_todo(facts, as_of, details)
    finding = Finding(
        rule="basisprofiel", met=met, blocking=blocking,
        required="held" if required_from is not None and key != "basisprofiel.old-rules"
        else None,
        actual="held" if held else "not held", shortfall=None, unit=None,
        sentence=text, short=sentence(short_key, **words) if short_key else "", details=details,
    )
    decision = ctx.decision("basisprofiel")
    return _waived(finding, decision) if decision is not None else finding


def _basisprofiel_todo(facts: CoachFacts, as_of: date, details: dict[str, Any]) -> str:
    """What is still missing of the basisprofiel: the basic training, roles not yet assessed."""
    done = progress(facts.roles, facts.role_assessments, facts.trainings, as_of)
    details["training_on"] = done.training_on
    details["unassessed_roles"] = done.unassessed
    roles = ", ".join(str(r) for r in done.unassessed)
    if done.training_on is None and done.unassessed:
        return sentence("basisprofiel.todo.both", count=len(done.unassessed), roles=roles)
    if done.training_on is None:
        return sentence("basisprofiel.todo.training")
    return sentence("basisprofiel.todo.roles", count=len(done.unassessed), roles=roles,
                    training=done.training_on)


def _education(facts: CoachFacts, ruleset: RuleSet, ctx: _Context,
               registered: date) -> Finding:
    minimum, required_from = ruleset.min_education, ruleset.basisprofiel_required_from
    words = {"education": facts.education, "minimum": minimum, "required_from": required_from,
             "registered": registered}
    details = {"education": facts.education, "minimum": minimum}
    if minimum is None or required_from is None or registered < required_from:
        met, blocking, key = True, False, "education.not-required"
    elif facts.education is None:
        met, blocking, key = False, False, "education.unknown"
    elif education_meets(facts.education, minimum):
        met, blocking, key = True, False, "education.met"
    else:
        met, blocking, key = False, True, "education.below"
    finding = Finding(rule=EDUCATION, met=met, blocking=blocking,
                      required=minimum if key != "education.not-required" else None,
                      actual=facts.education, shortfall=None, unit=None,
                      sentence=sentence(key, **words),
                      short="" if met else sentence("short.education", **words),
                      details=details)
    decision = ctx.decision(EDUCATION)
    return _waived(finding, decision) if decision is not None else finding


def _supervision(facts: CoachFacts, ruleset: RuleSet, ctx: _Context) -> tuple[Finding, Finding]:
    as_of = ctx.as_of
    supervisor = facts.supervisor
    decision = ctx.decision("supervision")
    if supervisor is None:
        own = Finding(rule="supervision", met=True, blocking=False, required=None, actual=None,
                      shortfall=None, unit=None, sentence=sentence("supervision.none"))
    else:
        sup_state = state_on(supervisor.states, as_of)
        sup_period = current_period(supervisor.periods, as_of)
        valid = sup_period is not None and as_of <= sup_period.valid_until
        words = {"supervisor": supervisor.reg_no, "state": sup_state, "as_of": as_of}
        if sup_state != ACTIVE:
            key = "supervision.inactive"
        elif not valid:
            key = "supervision.unregistered"
        else:
            key = "supervision.ok"
        met = key == "supervision.ok"
        own = Finding(
            rule="supervision", met=met, blocking=not met,
            required="an active supervisor with a valid registration",
            actual=sup_state if valid else f"{sup_state}, not registered",
            shortfall=None, unit=None, sentence=sentence(key, **words),
            short="" if met else sentence("short.supervision", **words),
            details={"supervisor": supervisor.reg_no, "supervisor_state": sup_state,
                     "supervisor_valid_until": sup_period.valid_until if sup_period else None},
        )
    limit = ruleset.max_supervisees
    if decision is not None and decision.value is not None:
        limit = int(decision.value)
    count = facts.supervisees
    over = max(count - limit, 0)
    values = {"actual": count, "required": limit, "shortfall": over}
    if count == 0:
        key = "supervision.limit.none"
    else:
        key = "supervision.limit.ok" if over == 0 else "supervision.limit.over"
    text = sentence(key, count=count, **values)
    if decision is not None and decision.value is not None:
        text += " " + sentence("exception.changed", value=decision.value,
                               **_decision_words(decision))
    limit_finding = Finding(
        rule="supervision.limit", met=over == 0, blocking=over > 0, required=limit,
        actual=count, shortfall=over or None, unit="supervisees", sentence=text,
        short=sentence("short.supervision.limit", count=over, **values) if over else "",
        exception=decision if decision is not None and decision.value is not None else None,
        details={"supervisees": count, "max_supervisees": limit},
    )
    if decision is not None and decision.value is None:
        return _waived(own, decision), _waived(limit_finding, decision)
    return own, limit_finding  # a changed limit leaves the supervisor's own validity alone


def judge(facts: CoachFacts, book: RulesBook, as_of: date) -> Assessment:
    """The audit of one coach on `as_of` under the version of `book` that judges the coach's
    current period (each version's `applies_to`), saying which version and why.

    Raises NotFound when the coach had no registration period by `as_of`.
    """
    period = current_period(facts.periods, as_of)
    if period is None:
        raise NotFound(_("coach {reg_no} was not registered on {day}").format(
            reg_no=facts.reg_no, day=format_date(as_of)))
    judged = book.judging(period.starts_on, period.valid_until, as_of)
    return assess(facts, judged.ruleset, as_of, why=rules_reason(judged, period, as_of))


def rules_reason(judged: Judged, period: Period, as_of: date) -> str:
    """Why this version judges this period: its own reach, then each newer version passed over."""
    chosen = judged.ruleset
    words = {"version": chosen.id, "since": chosen.effective_from, "as_of": as_of,
             "start": period.starts_on, "end": period.valid_until}
    parts = [sentence(f"rules.{chosen.applies_to}", **words)]
    parts += [sentence(f"rules.passed.{newer.applies_to}", newer=newer.id,
                       newer_since=newer.effective_from, start=period.starts_on,
                       end=period.valid_until) for newer in judged.passed_over]
    return " ".join(parts)


def assess(facts: CoachFacts, ruleset: RuleSet, as_of: date, why: str = "") -> Assessment:
    """The audit of one coach on `as_of` under `ruleset` (`judge` picks it from a rules file;
    `why` says why it was picked).

    Raises NotFound when the coach had no registration period by `as_of`.
    """
    period = current_period(facts.periods, as_of)
    if period is None:
        raise NotFound(_("coach {reg_no} was not registered on {as_of}").format(
                         reg_no=facts.reg_no, as_of=format_date(as_of)))
    registered = min(p.starts_on for p in facts.periods if p.starts_on <= as_of)
    years = range(period.starts_on.year, min(period.valid_until.year, as_of.year) + 1)
    notice_from = period.valid_until - timedelta(days=ruleset.notice_days[0])
    pace = (Pace(years_between(period.starts_on, as_of), ruleset.period_years,
                 ruleset.pace_share) if period.starts_on <= as_of < notice_from else None)
    ctx = _Context(as_of=as_of, period=period, years=years,
                   exceptions=tuple(d for d in facts.exceptions if d.decided_on <= as_of),
                   pace=pace)
    points, spread = _points(facts, ruleset, ctx)
    findings = (points, spread, *_hours(facts, ruleset, ctx),
                *_practice(facts, ruleset, ctx), _basisprofiel(facts, ruleset, ctx, registered),
                _education(facts, ruleset, ctx, registered), *_supervision(facts, ruleset, ctx))
    state = state_on(facts.states, as_of)
    renewal = next((p for p in facts.periods if p.starts_on > period.valid_until
                    and p.renewed_on is not None and p.renewed_on <= as_of), None)
    return Assessment(
        reg_no=facts.reg_no, name=facts.name, as_of=as_of, rules_id=ruleset.id,
        status=_status(findings, state, period, notice_from, as_of, renewal=renewal),
        state=state, period=period, first_registered=registered, notice_from=notice_from,
        findings=findings, renewal=renewal, pace=pace, rules_why=why,
    )


def _status(findings: tuple[Finding, ...], state: str, period: Period, notice_from: date,
            as_of: date, *, renewal: Period | None) -> Status:
    """The status by precedence (docs/audit-json.md): the administrative state, then the end
    date, then a blocking rule, then the renewal window, then the pace before the window."""
    if state in (Status.WITHDRAWN, Status.SUSPENDED):
        return Status(state)
    if as_of > period.valid_until:
        return Status.EXPIRED
    if any(f.blocking and not f.met for f in findings):
        return Status.NON_COMPLIANT
    if as_of >= notice_from:
        if not all(f.met for f in findings):
            return Status.AT_RISK
        # Renewed already (on or before `as_of`): nothing is due any more. A coach who fell
        # short after the renewal stays at-risk or non-compliant: that is news to act on.
        return Status.DUE if renewal is None else Status.RENEWED
    # Before the window: a minimum below the pace, or a requirement with a deadline of its own
    # not met yet (the basisprofiel during the transition), is behind.
    if any(f.behind or (not f.met and f.expected is None) for f in findings):
        return Status.BEHIND
    return Status.ON_TRACK


def finding_ids(ruleset: RuleSet) -> tuple[str, ...]:
    """The findings `assess` gives under `ruleset`, in order: the columns of a spreadsheet."""
    practice = tuple(f"practice.{name}" for name in sorted(ruleset.practice_minimums))
    return ("points", "spread", "hours", HOURS_SPREAD, *(practice or ("practice",)),
            "basisprofiel", EDUCATION,
            "supervision", "supervision.limit")


# --------------------------------------------------------------------------------------------
# Renewal


@dataclass(frozen=True)
class RenewalDecision:
    """What a renewal did (or, with --dry-run, would do) for one coach."""

    assessment: Assessment
    renewed: bool
    new_period: Period | None
    why: str


def decide_renewal(assessment: Assessment, rules: RuleSet,
                   arrears_cents: int = 0) -> RenewalDecision:
    """Renew only a coach who is `due`: new end = old end + one period of `rules` (those in
    force on the evaluation date). Contributions in arrears (`arrears_cents` past their due
    date) refuse it only where the rules make that policy."""
    a = assessment
    if a.renewal is not None:
        return RenewalDecision(a, False, None, _("already renewed on {on} until {until}").format(
            on=format_date(a.renewal.renewed_on), until=format_date(a.renewal.valid_until)))
    if a.status is not Status.DUE or a.period is None:
        unmet = "; ".join(f.short for f in a.unmet if f.short)
        why = _("status is {status}").format(status=term(a.status.value))
        if unmet:
            why += _("; still needed: {unmet}").format(unmet=unmet)
        if a.status in (Status.ON_TRACK, Status.BEHIND):
            why = _("status is {status}: the renewal window opens on {opens}").format(
                status=term(a.status.value), opens=format_date(a.notice_from))
        return RenewalDecision(a, False, None, why)
    if blocks_renewal(arrears_cents, rules):
        return RenewalDecision(a, False, None, _(
            "contributions in arrears: EUR {amount} past their due date (rules {rules}: "
            "arrears block a renewal)").format(amount=format_euros(arrears_cents),
                                               rules=rules.id))
    starts_on, valid_until = renewed_period(a.period.valid_until,
                                            rules.period_years)
    return RenewalDecision(a, True, Period(starts_on, valid_until, a.as_of),
                           _("every rule is met"))
