"""The audit, comparison and renewal reports for people and scripts: rows, a tree, JSON.

Tables and spreadsheets are for people: one row per coach, a column per rule. The JSON shape is a
contract with scripts (audit_json.py); it and the CSV are written one coach at a time, so a
report of the whole register never sits in memory.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from smr_register.domain.i18n import N_, _, ngettext, pgettext, term
from smr_register.domain.i18n import number as shown_number
from smr_register.domain.values import format_date
from smr_register.domain.wording import STATUS_MEANINGS
from smr_register.render.audit_json import SCHEMA_VERSION, CoachEncoder, finding_json
from smr_register.render.cells import Column, jsonable
from smr_register.render.model import JsonStream, Note, Rendering, Table
from smr_register.rules import (
    Assessment,
    Finding,
    NotCounted,
    Period,
    RenewalDecision,
    Status,
    credit_reason,
)
from smr_register.services.audit import Comparison

STATUS_STYLES = {
    Status.ON_TRACK: "green", Status.BEHIND: "yellow", Status.DUE: "cyan",
    Status.RENEWED: "green", Status.AT_RISK: "bold yellow",
    Status.NON_COMPLIANT: "bold red", Status.EXPIRED: "red", Status.SUSPENDED: "dim",
    Status.WITHDRAWN: "dim",
}
RULE_HEADERS = {"points": "Points", "spread": "Years", "hours": "Hours",
                "basisprofiel": "Basisprofiel", "supervision": "Supervisor",
                "supervision.limit": "Supervisees", "practice": "Practice"}


def _actual_text(actual: str) -> str:
    """A finding's words for what is (JSON keeps them in English): a profile held or not, a
    supervisor's state."""
    if actual == "held":
        return pgettext("profile", "held")
    if actual == "not held":
        return pgettext("profile", "not held")
    state, _comma, rest = actual.partition(", ")
    if rest == "not registered":
        return _("{state}, not registered").format(state=term(state))
    return term(actual)


# --------------------------------------------------------------------------------------------
# Rows for tables, CSV and spreadsheets


def rule_cell(finding: Finding) -> str:
    """A rule in a few words: `12.5 of 15 (short 2.5)`, `held`, `waived`."""
    if finding.exception is not None and finding.exception.value is None:
        return _("waived")
    if finding.required is None and finding.actual is None:
        return "ok" if finding.met else _("not met")
    if isinstance(finding.required, str) or isinstance(finding.actual, str):
        text = _actual_text(str(finding.actual))
    else:
        actual, required = shown_number(finding.actual), shown_number(finding.required)
        if finding.rule == "supervision.limit":
            text = _("{actual} (max {required})").format(actual=actual, required=required)
        else:
            text = _("{actual} of {required}").format(actual=actual, required=required)
        if not finding.met:
            text += _(" (short {shortfall})").format(shortfall=shown_number(finding.shortfall))
    if finding.exception is not None:
        text += _(" (exception)")
    return text


def shortfalls(a: Assessment) -> str:
    """What a coach still needs, in short, and a renewal already made."""
    parts = [f.short for f in a.unmet]
    if a.renewal is not None:
        parts.append(_("renewed until {date}").format(date=format_date(a.renewal.valid_until)))
    return "; ".join(parts)


def audit_columns(rule_ids: Sequence[str], *, table: bool) -> list[Column]:
    """The audit's columns: a few for the screen, every rule for csv and xlsx."""
    head = [Column("reg_no", "Reg. no"), Column("name", "Name"),
            Column("status", "Status", term=True)]
    if table:
        return [*head, Column("valid_until", "Valid until"),
                Column("days_left", "Days left", "right"),
                Column("points", "Points", "right"), Column("spread", "Years", "right"),
                Column("hours", "Hours", "right"), Column("shortfalls", "Still needed")]
    return [*head, Column("state", "State", term=True), Column("starts_on", "Period from"),
            Column("valid_until", "Valid until"), Column("days_left", "Days left", "right"),
            Column("notice_from", "Renewal window from"),
            *(Column(rule, RULE_HEADERS.get(rule, rule)) for rule in rule_ids),
            Column("shortfalls", "Still needed")]


def audit_row(a: Assessment) -> dict[str, Any]:
    """One coach's row: the period, the status and a cell per rule."""
    row: dict[str, Any] = {
        "reg_no": a.reg_no, "name": a.name, "status": a.status.value, "state": a.state,
        "starts_on": a.period.starts_on if a.period else None,
        "valid_until": a.period.valid_until if a.period else None,
        "days_left": a.days_left, "notice_from": a.notice_from, "shortfalls": shortfalls(a),
    }
    for finding in a.findings:
        row[finding.rule] = rule_cell(finding)
    return row


def status_style(row: Mapping[str, Any]) -> str:
    """The row's colour on screen, by its status."""
    return STATUS_STYLES.get(str(row.get("status")), "")


# --------------------------------------------------------------------------------------------
# One coach, as a tree


def coach_tree(a: Assessment) -> Any:
    """Every rule, met or not, with its numbers and sentence; each credit, counted or not."""
    from rich.markup import escape
    from rich.tree import Tree

    style = STATUS_STYLES.get(a.status, "")
    tree = Tree(_("{coach}: {status} on {date} (rules {rules})").format(
        coach=f"[bold]Coach {escape(a.reg_no)}[/bold] {escape(a.name)}",
        status=f"[{style}]{term(a.status.value)}[/{style}]", date=format_date(a.as_of),
        rules=escape(a.rules_id)))
    if a.period is not None:
        tree.add(_("Registration period {start} to {end} ({days} days left; renewal window "
                   "from {window}); state {state}").format(
            start=format_date(a.period.starts_on), end=format_date(a.period.valid_until),
            days=a.days_left, window=format_date(a.notice_from), state=term(a.state)))
    tree.add(_("{status}: {meaning}").format(status=term(a.status.value),
                                             meaning=_(STATUS_MEANINGS[a.status.value])))
    if a.pace is not None:
        tree.add(_("Pace: {years} of the {period} years of the period have passed; on track "
                   "means at least {share} of that part of each minimum").format(
            years=a.pace.years_passed, period=a.pace.period_years,
            share=f"{shown_number(a.pace.share * 100)}%"))
    if a.renewal is not None:
        tree.add(_("Already renewed on {date}: {start} to {end}").format(
            date=format_date(a.renewal.renewed_on), start=format_date(a.renewal.starts_on),
            end=format_date(a.renewal.valid_until)))
    for finding in a.findings:
        if finding.met:
            mark = "[green]" + _("met") + "[/green]"
        elif finding.blocking:
            mark = "[bold red]" + _("NOT MET (blocking)") + "[/bold red]"
        else:
            mark = "[yellow]" + _("not met yet") + "[/yellow]"
        branch = tree.add(f"{mark} [bold]{term(finding.rule)}[/bold] {escape(rule_cell(finding))}: "
                          f"{escape(finding.sentence)}")
        _finding_branches(branch, finding, a.period)
    return tree


def _finding_branches(branch: Any, finding: Finding, period: Period | None) -> None:
    from rich.markup import escape

    details = finding.details
    if "per_year" in details and finding.rule != "spread":
        per_year = ", ".join(f"{year}: {shown_number(value)}"
                             for year, value in details["per_year"].items())
        branch.add(_("per year: {years}").format(years=per_year or _("none")))
    for credit in details.get("counted", ()):
        branch.add(_("counted: {date} {course} {title}: {points} points").format(
            date=format_date(credit.run.run_date), course=escape(credit.run.course),
            title=escape(credit.run.title), points=shown_number(credit.points)))
    for item in details.get("not_counted", ()):
        assert isinstance(item, NotCounted)
        why = credit_reason(item, period) if period else item.reason
        line = _("not counted: {date} {course}: {points} points. {why}").format(
            date=format_date(item.credit.run.run_date), course=escape(item.credit.run.course),
            points=shown_number(item.credit.points), why=escape(why))
        branch.add(f"[dim]{line}[/dim]")


# --------------------------------------------------------------------------------------------
# Comparison and renewal rows


def _brief(finding: Finding | None) -> str:
    return "-" if finding is None else rule_cell(finding)


def comparison_row(pair: Comparison) -> dict[str, Any]:
    """One coach whose status would change: the rules that change, and why."""
    changes = [f"{term(rule)}: {_brief(now)} -> {_brief(then)}"
               for rule, now, then in pair.differences()]
    return {"reg_no": pair.current.reg_no, "name": pair.current.name,
            "status": pair.current.status.value, "proposed_status": pair.proposed.status.value,
            "changes": "; ".join(changes),
            "why": " ".join(then.sentence for _, _, then in pair.differences()
                            if then is not None and not then.met)}


COMPARISON_COLUMNS = [Column("reg_no", "Reg. no"), Column("name", "Name"),
                      Column("status", "Status now", term=True),
                      Column("proposed_status", "Proposed", term=True),
                      Column("changes", "What changes"), Column("why", "Why")]


def comparison_json(pair: Comparison) -> dict[str, Any]:
    """One coach whose status would change, each changed finding in full."""
    return {
        "reg_no": pair.current.reg_no, "name": pair.current.name,
        "status": pair.current.status.value, "proposed_status": pair.proposed.status.value,
        "changes": [{"rule": rule,
                     "current": finding_json(now) if now else None,
                     "proposed": finding_json(then) if then else None}
                    for rule, now, then in pair.differences()],
    }


RENEWAL_COLUMNS = [Column("reg_no", "Reg. no"), Column("name", "Name"),
                   Column("status", "Status", term=True),
                   Column("renewed", "Renewed", term=True),
                   Column("valid_until", "Valid until"),
                   Column("new_valid_until", "New end"), Column("why", "Why")]


# The renewal column's words (csv keeps them; tables and spreadsheets translate them).
RENEWED_WORDS = (N_("would renew"), N_("renewed"), N_("no"))


def renewal_row(outcome: RenewalDecision, *, dry_run: bool) -> dict[str, Any]:
    """One coach's renewal: renewed or not, the new end, why."""
    a = outcome.assessment
    return {
        "reg_no": a.reg_no, "name": a.name, "status": a.status.value,
        "renewed": ("would renew" if dry_run else "renewed") if outcome.renewed else "no",
        "valid_until": a.period.valid_until if a.period else None,
        "new_starts_on": outcome.new_period.starts_on if outcome.new_period else None,
        "new_valid_until": outcome.new_period.valid_until if outcome.new_period else None,
        "why": outcome.why,
    }


def renewal_json(outcome: RenewalDecision, *, dry_run: bool) -> dict[str, Any]:
    """One coach's renewal with the findings that stand in its way."""
    row = renewal_row(outcome, dry_run=dry_run)
    return {**jsonable(row), "renewed": outcome.renewed,
            "findings": [finding_json(f) for f in outcome.assessment.unmet]}


class Tally:
    """Counts per status while the report streams past, for the summary lines on stderr."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()

    def see(self, a: Assessment) -> Assessment:
        """Count `a` and pass it on (used in the stream of assessments)."""
        self.counts[a.status.value] += 1
        return a

    def summary(self) -> dict[str, int]:
        """Coaches per status, in the order of `Status`: the JSON report's summary."""
        return {s.value: self.counts[s.value] for s in Status if self.counts[s.value]}

    def lines(self, as_of: date, rules_id: str) -> list[str]:
        """The summary for people: how many coaches, then the count per status."""
        total = sum(self.counts.values())
        lines = [ngettext("{total} coach audited as of {as_of} (rules {rules})",
                          "{total} coaches audited as of {as_of} (rules {rules})", total).format(
                              total=total, as_of=format_date(as_of), rules=rules_id)]
        lines += [f"  {term(status):<14} {count:>7}" for status, count in self.summary().items()]
        return lines


class ChangeTally:
    """Counts status changes while a comparison streams past."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()

    def see(self, pair: Comparison) -> Comparison:
        """Count `pair`'s change and pass it on."""
        self.counts[f"{pair.current.status.value} -> {pair.proposed.status.value}"] += 1
        return pair

    def summary(self) -> dict[str, Any]:
        """The comparison's JSON summary."""
        return {"changed": sum(self.counts.values()), "changes": dict(self.counts)}

    def lines(self, source: str, proposed_id: str, current_id: str) -> list[str]:
        """The summary for people: how many coaches would change, then each change."""
        changed = sum(self.counts.values())
        lines = [ngettext("{count} coach would change status under {source} (rules {proposed} "
                          "instead of {current}).",
                          "{count} coaches would change status under {source} (rules {proposed} "
                          "instead of {current}).", changed).format(
                              count=changed, source=source, proposed=proposed_id,
                              current=current_id)]
        lines += [f"  {' -> '.join(term(s) for s in change.split(' -> ')):<30} {count:>7}"
                  for change, count in sorted(self.counts.items())]
        return lines


# --------------------------------------------------------------------------------------------
# Reports: every form of one audit, comparison or renewal


@dataclass(frozen=True)
class AuditReport:
    """One report: what it is (its JSON head and title), its columns (the screen's are
    fewer), and how an item becomes a row and JSON."""

    kind: str
    head: Mapping[str, Any]
    title: str
    columns: Sequence[Column]
    table_columns: Sequence[Column]
    to_row: Callable[[Any], dict[str, Any]]
    to_json: Callable[[Any], Any]
    list_key: str = "coaches"


def audit_report(head: Mapping[str, Any], rule_ids: Sequence[str], as_of: date) -> AuditReport:
    """The re-registration audit: one row per coach, a column per rule of the rules in force."""
    return AuditReport("audit", head,
                       _("Re-registration audit as of {as_of}").format(as_of=format_date(as_of)),
                       audit_columns(rule_ids, table=False), audit_columns(rule_ids, table=True),
                       audit_row, CoachEncoder().encode)


def comparison_report(head: Mapping[str, Any], rules_name: str, as_of: date) -> AuditReport:
    """Who would change status under a proposed rules file, and why."""
    return AuditReport("compare", head,
                       _("Status changes under {rules} as of {as_of}").format(
                           rules=rules_name, as_of=format_date(as_of)),
                       COMPARISON_COLUMNS, COMPARISON_COLUMNS,
                       comparison_row, comparison_json)


def renewal_report(head: Mapping[str, Any], as_of: date, *, dry_run: bool) -> AuditReport:
    """What a renewal did (or would do) to each coach."""
    title = (_("Renewals as of {as_of} (dry run: nothing written)") if dry_run
             else _("Renewals as of {as_of}")).format(as_of=format_date(as_of))
    return AuditReport("renewal", head, title,
                       RENEWAL_COLUMNS, RENEWAL_COLUMNS, partial(renewal_row, dry_run=dry_run),
                       partial(renewal_json, dry_run=dry_run))


def report_rendering(report: AuditReport, items: Iterable[Any], *, output: Path | None,
                     summary: Callable[[], Mapping[str, Any]],
                     notes: Callable[[], Iterable[str]] = tuple) -> Rendering:
    """Every form of `report` over `items` (read once, by the chosen form): json and csv
    stream, table and xlsx collect. `notes` are asked for after the output is written."""
    from smr_register.render.workbook import Sheet, Workbook

    def screen() -> Iterator[Any]:
        yield Table(report.table_columns, (report.to_row(i) for i in items), report.title,
                    row_style=status_style)
        yield from (Note(line) for line in notes())

    def after() -> Iterator[str]:
        if output is not None:
            yield _("Wrote {output}.").format(output=output)
        yield from notes()

    def workbook() -> Workbook:
        head = report.head
        return Workbook([Sheet(report.kind.capitalize(), report.columns,
                               [report.to_row(i) for i in items], status_key="status")],
                        title=report.title, as_of=head["as_of"],
                        rules_version=head["rules_version"],
                        extra_info=[(_("Rules file"), head["rules_source"])])

    return Rendering(
        screen=screen(), csv=Table(report.columns, (report.to_row(i) for i in items)),
        json=JsonStream({"schema_version": SCHEMA_VERSION, **report.head}, report.list_key,
                        items, report.to_json, summary),
        workbook=workbook, notes=after())


def coach_rendering(report: AuditReport, assessment: Assessment, *,
                    output: Path | None) -> Rendering:
    """One coach: on screen every rule as a tree; in the other forms a report of one."""
    tally = Tally()
    rendering = report_rendering(report, [tally.see(assessment)], output=output,
                                 summary=tally.summary)
    return replace(rendering, screen=[coach_tree(assessment)])


def renewals_rendering(report: AuditReport, outcomes: Sequence[RenewalDecision], *,
                       reg_no: str | None, dry_run: bool, output: Path | None) -> Rendering:
    """The renewals; one coach's on screen is a sentence (and the tree when refused)."""
    done = sum(o.renewed for o in outcomes)

    def counted() -> list[str]:
        total = len(outcomes)
        if dry_run:
            return [ngettext("Would renew {done} of {total} coach (dry run: nothing written).",
                             "Would renew {done} of {total} coaches (dry run: nothing written).",
                             total).format(done=done, total=total)]
        return [ngettext("Renewed {done} of {total} coach.", "Renewed {done} of {total} coaches.",
                         total).format(done=done, total=total)]

    rendering = report_rendering(
        report, outcomes, output=output, notes=counted,
        summary=lambda: {"renewed": done, "not_renewed": len(outcomes) - done})
    if reg_no is None:
        return rendering
    return replace(rendering, screen=_renewal_screen(outcomes[0], reg_no, dry_run))


def _renewal_screen(outcome: RenewalDecision, reg_no: str, dry_run: bool) -> list[Any]:
    if outcome.renewed:
        assert outcome.new_period is not None
        sentence = (_("Would renew coach {reg_no}: new period {starts_on:%d-%m-%Y} to "
                      "{valid_until:%d-%m-%Y}.") if dry_run else
                    _("Renewed coach {reg_no}: new period {starts_on:%d-%m-%Y} to "
                      "{valid_until:%d-%m-%Y}."))
        return [Note(sentence.format(
                       reg_no=reg_no, starts_on=outcome.new_period.starts_on,
                       valid_until=outcome.new_period.valid_until))]
    if outcome.assessment.status is Status.DUE:  # every rule met, refused for another reason
        return [coach_tree(outcome.assessment),
                Note(_("Not renewed: coach {reg_no}: {why}.").format(reg_no=reg_no,
                                                                      why=outcome.why))]
    return [coach_tree(outcome.assessment),
            Note(_("Not renewed: coach {reg_no}'s status is {value}; only a coach who is due "
                   "(every rule met, in the renewal window) is renewed.").format(
                   reg_no=reg_no, value=term(outcome.assessment.status.value)))]
