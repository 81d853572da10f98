"""The audit and comparison reports for people and scripts (renewals build on them in
render/renewals.py): rows, a tree, JSON.

Tables and spreadsheets are for people: one row per coach, a column per rule. The JSON shape is a
contract with scripts (audit_json.py); it and the CSV are written one coach at a time, so a
report of the whole register never sits in memory.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

from smr_register.domain.i18n import _, ngettext, pgettext, plural_count, term
from smr_register.domain.i18n import number as shown_number
from smr_register.domain.values import format_date
from smr_register.domain.wording import STATUS_MEANINGS
from smr_register.render.audit_json import SCHEMA_VERSION, CoachEncoder, finding_json
from smr_register.render.cells import Column, key_column
from smr_register.render.model import JsonStream, Note, Rendering, Table
from smr_register.rules import (
    Assessment,
    Finding,
    NotCounted,
    Period,
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
                "hours-spread": "Years with hours", "education": "Education",
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
    head = [key_column("reg_no", "Reg. no"), Column("name", "Name", priority=0),
            key_column("status", "Status", term=True)]
    if table:
        return [*head, Column("valid_until", "Valid until"),
                Column("days_left", "Days left", "right"),
                Column("points", "Points", "right", priority=2),
                Column("spread", "Years", "right", priority=2),
                Column("hours", "Hours", "right", priority=2),
                Column("shortfalls", "Still needed")]
    return [*head, Column("rules_version", "Rules"), Column("state", "State", term=True),
            Column("starts_on", "Period from"),
            Column("valid_until", "Valid until"), Column("days_left", "Days left", "right"),
            Column("notice_from", "Renewal window from"),
            *(Column(rule, RULE_HEADERS.get(rule, rule)) for rule in rule_ids),
            Column("shortfalls", "Still needed")]


def rule_numbers(finding: Finding) -> dict[str, Any]:
    """A rule's numbers for a spreadsheet, one per cell (`points.had`, `points.required`,
    `points.short`) so staff can sort and filter by them; nothing for a rule without numbers."""
    values = (finding.actual, finding.required)
    if all(v is None for v in values) or any(
            v is not None and (isinstance(v, bool) or not isinstance(v, int | Decimal))
            for v in values):
        return {}
    short = finding.shortfall if finding.shortfall is not None else (0 if finding.met else None)
    return {f"{finding.rule}.had": finding.actual, f"{finding.rule}.required": finding.required,
            f"{finding.rule}.short": short}


def audit_sheet_columns(rule_ids: Sequence[str], rows: Sequence[Mapping[str, Any]]
                        ) -> list[Column]:
    """The audit's spreadsheet columns: a rule with numbers gets three numeric columns (had,
    required, short), other rules their cell; exceptions in a column of their own."""
    columns = audit_columns((), table=False)
    shortfall = columns.pop()
    for rule in rule_ids:
        name = _(RULE_HEADERS.get(rule, rule))
        if rule == "supervision.limit" and any(f"{rule}.had" in row for row in rows):
            columns += [Column(f"{rule}.had", name, "right"),  # a limit: nothing is short
                        Column(f"{rule}.required", _("{rule} max").format(rule=name), "right")]
        elif any(f"{rule}.had" in row for row in rows):
            columns += [Column(f"{rule}.had", _("{rule} had").format(rule=name), "right"),
                        Column(f"{rule}.required", _("{rule} required").format(rule=name),
                               "right"),
                        Column(f"{rule}.short", _("{rule} short").format(rule=name), "right")]
        else:
            columns.append(Column(rule, RULE_HEADERS.get(rule, rule)))
    if any(row.get("exceptions") for row in rows):
        columns.append(Column("exceptions", _("Exceptions")))
    return [*columns, shortfall]


def audit_row(a: Assessment) -> dict[str, Any]:
    """One coach's row: the period, the status and a cell per rule (and, for a spreadsheet,
    the rule's numbers one per cell, and its exceptions)."""
    row: dict[str, Any] = {
        "reg_no": a.reg_no, "name": a.name, "status": a.status.value, "state": a.state,
        "rules_version": a.rules_id,
        "starts_on": a.period.starts_on if a.period else None,
        "valid_until": a.period.valid_until if a.period else None,
        "days_left": a.days_left, "notice_from": a.notice_from, "shortfalls": shortfalls(a),
    }
    exceptions = []
    for finding in a.findings:
        row[finding.rule] = rule_cell(finding)
        row.update(rule_numbers(finding))
        if finding.exception is not None:
            exceptions.append(f"{_(RULE_HEADERS.get(finding.rule, finding.rule))}: "
                              f"{rule_cell(finding)}")
    row["exceptions"] = "; ".join(exceptions)
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
        tree.add(ngettext("Registration period {start} to {end} ({days} day left; renewal "
                          "window from {window}); state {state}",
                          "Registration period {start} to {end} ({days} days left; renewal "
                          "window from {window}); state {state}", a.days_left or 0).format(
            start=format_date(a.period.starts_on), end=format_date(a.period.valid_until),
            days=a.days_left, window=format_date(a.notice_from), state=term(a.state)))
    if a.rules_why:
        tree.add(escape(a.rules_why))
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
        branch.add(ngettext("counted: {date} {course} {title}: {points} point",
                            "counted: {date} {course} {title}: {points} points",
                            plural_count(credit.points)).format(
            date=format_date(credit.run.run_date), course=escape(credit.run.course),
            title=escape(credit.run.title), points=shown_number(credit.points)))
    for item in details.get("not_counted", ()):
        assert isinstance(item, NotCounted)
        why = credit_reason(item, period) if period else item.reason
        line = ngettext("not counted: {date} {course}: {points} point. {why}",
                        "not counted: {date} {course}: {points} points. {why}",
                        plural_count(item.credit.points)).format(
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


COMPARISON_COLUMNS = [key_column("reg_no", "Reg. no"), Column("name", "Name", priority=0),
                      key_column("status", "Status now", term=True),
                      key_column("proposed_status", "Proposed", term=True),
                      Column("changes", "What changes"), Column("why", "Why", priority=2)]


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


class Tally:
    """Counts per status while the report streams past, for the summary lines on stderr."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.versions: Counter[str] = Counter()

    def see(self, a: Assessment) -> Assessment:
        """Count `a` and pass it on (used in the stream of assessments)."""
        self.counts[a.status.value] += 1
        self.versions[a.rules_id] += 1
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
        older = {v: n for v, n in sorted(self.versions.items()) if v != rules_id}
        lines += [_("{count} judged by rules {version}: their periods are outside what a newer "
                    "version applies to (see each coach's rules_why)").format(
                        count=count, version=version) for version, count in older.items()]
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


def proposal_lines(version_id: str, effective_from: date, as_of: date) -> list[str]:
    """When the proposed version takes effect, and whether it applies on the date compared:
    before that date nobody can change, and the way to compare as of then."""
    when = f"{effective_from:%d-%m-%Y}"
    if effective_from <= as_of:
        return [_("The proposed rules {version} take effect on {date}: compared as of "
                  "{as_of}.").format(version=version_id, date=when, as_of=f"{as_of:%d-%m-%Y}")]
    return [_("The proposed rules {version} take effect on {date}; as of {as_of} they do not "
              "apply yet, so nobody changes. Compare as of that date: --as-of {date}").format(
        version=version_id, date=when, as_of=f"{as_of:%d-%m-%Y}")]


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
    # the spreadsheet's columns, given its rows (None: `columns`)
    sheet_columns: Callable[[Sequence[Mapping[str, Any]]], Sequence[Column]] | None = None


def audit_report(head: Mapping[str, Any], rule_ids: Sequence[str], as_of: date) -> AuditReport:
    """The re-registration audit: one row per coach, a column per rule of the rules in force."""
    return AuditReport("audit", head,
                       _("Re-registration audit as of {as_of}").format(as_of=format_date(as_of)),
                       audit_columns(rule_ids, table=False), audit_columns(rule_ids, table=True),
                       audit_row, CoachEncoder().encode,
                       sheet_columns=partial(audit_sheet_columns, rule_ids))


def comparison_report(head: Mapping[str, Any], rules_name: str, as_of: date) -> AuditReport:
    """Who would change status under a proposed rules file, and why."""
    return AuditReport("compare", head,
                       _("Status changes under {rules} as of {as_of}").format(
                           rules=rules_name, as_of=format_date(as_of)),
                       COMPARISON_COLUMNS, COMPARISON_COLUMNS,
                       comparison_row, comparison_json)


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
        rows = [report.to_row(i) for i in items]
        columns = report.sheet_columns(rows) if report.sheet_columns else report.columns
        return Workbook([Sheet(report.kind.capitalize(), columns, rows, status_key="status")],
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
