"""Rendering audits, comparisons and renewals: a tree, a table, JSON, CSV and xlsx.

The JSON shape is a contract with scripts (docs/audit-json.md, `schema_version`); it is written
one coach at a time, so a report of the whole register never sits in memory as one document.
Tables and spreadsheets are for people: one row per coach, a column per rule.
"""

from __future__ import annotations

import itertools
import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from operator import attrgetter
from pathlib import Path
from typing import IO, Any

from smr_register.domain.i18n import _
from smr_register.domain.values import format_date, format_decimal
from smr_register.errors import InputFileError
from smr_register.output import Column, atomic_path, jsonable, make_table, stdout_console
from smr_register.output import write_csv as write_csv_rows
from smr_register.rules import (
    Assessment,
    Credit,
    Decision,
    Finding,
    NotCounted,
    Period,
    Status,
    credit_reason,
)
from smr_register.services.audit import Comparison, Renewal

SCHEMA_VERSION = 1
_REASON = attrgetter("reason")

STATUS_STYLES = {
    Status.COMPLIANT: "green", Status.DUE: "yellow", Status.AT_RISK: "bold yellow",
    Status.NON_COMPLIANT: "bold red", Status.EXPIRED: "red", Status.SUSPENDED: "dim",
    Status.WITHDRAWN: "dim",
}
RULE_HEADERS = {"points": "Points", "spread": "Years", "hours": "Hours",
                "basisprofiel": "Basisprofiel", "supervision": "Supervisor",
                "supervision.limit": "Supervisees", "practice": "Practice"}


_DECIMAL_TEXT: dict[Decimal, str] = {}


def _decimal(value: Decimal) -> str:
    """format_decimal, remembered: an audit writes the same few hundred amounts many times."""
    text = _DECIMAL_TEXT.get(value)
    if text is None:
        if len(_DECIMAL_TEXT) > 10_000:
            _DECIMAL_TEXT.clear()
        text = _DECIMAL_TEXT[value] = format_decimal(value)
    return text


def _number(value: Decimal | int | str | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return _decimal(value)
    return str(value)


# --------------------------------------------------------------------------------------------
# JSON (docs/audit-json.md)


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
    return {"rule": decision.rule, "value": _number(decision.value), "reason": decision.reason,
            "decided_by": decision.decided_by, "decided_on": decision.decided_on.isoformat(),
            "valid_until": decision.valid_until.isoformat() if decision.valid_until else None}


def finding_json(finding: Finding, *, details: bool = True) -> dict[str, Any]:
    out = {
        "rule": finding.rule, "met": finding.met, "blocking": finding.blocking,
        "required": _number(finding.required), "actual": _number(finding.actual),
        "shortfall": _number(finding.shortfall), "unit": finding.unit,
        "sentence": finding.sentence, "exception": _decision_json(finding.exception),
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
        "period": _period_json(a.period),
        "first_registered": a.first_registered.isoformat() if a.first_registered else None,
        "notice_from": a.notice_from.isoformat() if a.notice_from else None,
        "days_left": a.days_left, "renewal": _period_json(a.renewal),
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


class JsonReport:
    """Write `{head..., "<list>": [item, ...], "summary": {...}}` one item at a time."""

    def __init__(self, stream: IO[str], head: Mapping[str, Any], list_key: str) -> None:
        self.stream = stream
        opening = json.dumps(jsonable(dict(head)), ensure_ascii=False)
        stream.write(f"{opening[:-1]}, {json.dumps(list_key)}: [")
        self.first = True
        self._encode = json.JSONEncoder(ensure_ascii=False).encode

    def add(self, item: Mapping[str, Any] | str) -> None:
        """An item: a mapping, or its JSON text already encoded."""
        text = item if isinstance(item, str) else self._encode(item)
        self.stream.write(("\n" if self.first else ",\n") + text)
        self.first = False

    def close(self, summary: Mapping[str, Any]) -> None:
        self.stream.write(f"\n], \"summary\": {json.dumps(jsonable(dict(summary)))}}}\n")


# --------------------------------------------------------------------------------------------
# Rows for tables, CSV and spreadsheets


def rule_cell(finding: Finding) -> str:
    """A rule in a few words: `12.5 of 15 (short 2.5)`, `held`, `waived`."""
    if finding.exception is not None and finding.exception.value is None:
        return _("waived")
    if finding.required is None and finding.actual is None:
        return "ok" if finding.met else _("not met")
    if isinstance(finding.required, str) or isinstance(finding.actual, str):
        text = str(finding.actual)
    else:
        actual, required = _number(finding.actual), _number(finding.required)
        if finding.rule == "supervision.limit":
            text = _("{actual} (max {required})").format(actual=actual, required=required)
        else:
            text = _("{actual} of {required}").format(actual=actual, required=required)
        if not finding.met:
            text += _(" (short {shortfall})").format(shortfall=_number(finding.shortfall))
    if finding.exception is not None:
        text += _(" (exception)")
    return text


def shortfalls(a: Assessment) -> str:
    parts = [f.short for f in a.unmet]
    if a.renewal is not None:
        parts.append(_("renewed until {date}").format(date=format_date(a.renewal.valid_until)))
    return "; ".join(parts)


def audit_columns(rule_ids: Sequence[str], *, table: bool) -> list[Column]:
    head = [Column("reg_no", "Reg. no"), Column("name", "Name"), Column("status", "Status")]
    if table:
        return [*head, Column("valid_until", "Valid until"),
                Column("days_left", "Days left", "right"),
                Column("points", "Points", "right"), Column("spread", "Years", "right"),
                Column("hours", "Hours", "right"), Column("shortfalls", "Still needed")]
    return [*head, Column("state", "State"), Column("starts_on", "Period from"),
            Column("valid_until", "Valid until"), Column("days_left", "Days left", "right"),
            Column("notice_from", "Renewal window from"),
            *(Column(rule, RULE_HEADERS.get(rule, rule)) for rule in rule_ids),
            Column("shortfalls", "Still needed")]


def audit_row(a: Assessment) -> dict[str, Any]:
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
        status=f"[{style}]{a.status.value}[/{style}]", date=format_date(a.as_of),
        rules=escape(a.rules_id)))
    if a.period is not None:
        tree.add(_("Registration period {start} to {end} ({days} days left; renewal window "
                   "from {window}); state {state}").format(
            start=format_date(a.period.starts_on), end=format_date(a.period.valid_until),
            days=a.days_left, window=format_date(a.notice_from), state=a.state))
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
        branch = tree.add(f"{mark} [bold]{finding.rule}[/bold] {escape(rule_cell(finding))}: "
                          f"{escape(finding.sentence)}")
        _finding_branches(branch, finding, a.period)
    return tree


def _finding_branches(branch: Any, finding: Finding, period: Period | None) -> None:
    from rich.markup import escape

    details = finding.details
    if "per_year" in details and finding.rule != "spread":
        per_year = ", ".join(f"{year}: {format_decimal(value)}"
                             for year, value in details["per_year"].items())
        branch.add(_("per year: {years}").format(years=per_year or _("none")))
    for credit in details.get("counted", ()):
        branch.add(_("counted: {date} {course} {title}: {points} points").format(
            date=format_date(credit.run.run_date), course=escape(credit.run.course),
            title=escape(credit.run.title), points=format_decimal(credit.points)))
    for item in details.get("not_counted", ()):
        assert isinstance(item, NotCounted)
        why = credit_reason(item, period) if period else item.reason
        line = _("not counted: {date} {course}: {points} points. {why}").format(
            date=format_date(item.credit.run.run_date), course=escape(item.credit.run.course),
            points=format_decimal(item.credit.points), why=escape(why))
        branch.add(f"[dim]{line}[/dim]")


# --------------------------------------------------------------------------------------------
# Comparison and renewal rows


def _brief(finding: Finding | None) -> str:
    return "-" if finding is None else rule_cell(finding)


def comparison_row(pair: Comparison) -> dict[str, Any]:
    changes = [f"{rule}: {_brief(now)} -> {_brief(then)}"
               for rule, now, then in pair.differences()]
    return {"reg_no": pair.current.reg_no, "name": pair.current.name,
            "status": pair.current.status.value, "proposed_status": pair.proposed.status.value,
            "changes": "; ".join(changes),
            "why": " ".join(then.sentence for _, _, then in pair.differences()
                            if then is not None and not then.met)}


COMPARISON_COLUMNS = [Column("reg_no", "Reg. no"), Column("name", "Name"),
                      Column("status", "Status now"), Column("proposed_status", "Proposed"),
                      Column("changes", "What changes"), Column("why", "Why")]


def comparison_json(pair: Comparison) -> dict[str, Any]:
    return {
        "reg_no": pair.current.reg_no, "name": pair.current.name,
        "status": pair.current.status.value, "proposed_status": pair.proposed.status.value,
        "changes": [{"rule": rule,
                     "current": finding_json(now) if now else None,
                     "proposed": finding_json(then) if then else None}
                    for rule, now, then in pair.differences()],
    }


RENEWAL_COLUMNS = [Column("reg_no", "Reg. no"), Column("name", "Name"),
                   Column("status", "Status"), Column("renewed", "Renewed"),
                   Column("valid_until", "Valid until"),
                   Column("new_valid_until", "New end"), Column("why", "Why")]


def renewal_row(outcome: Renewal, *, dry_run: bool) -> dict[str, Any]:
    a = outcome.assessment
    return {
        "reg_no": a.reg_no, "name": a.name, "status": a.status.value,
        "renewed": ("would renew" if dry_run else "renewed") if outcome.renewed else "no",
        "valid_until": a.period.valid_until if a.period else None,
        "new_starts_on": outcome.new_period.starts_on if outcome.new_period else None,
        "new_valid_until": outcome.new_period.valid_until if outcome.new_period else None,
        "why": outcome.why,
    }


def renewal_json(outcome: Renewal, *, dry_run: bool) -> dict[str, Any]:
    row = renewal_row(outcome, dry_run=dry_run)
    return {**jsonable(row), "renewed": outcome.renewed,
            "findings": [finding_json(f) for f in outcome.assessment.unmet]}


# --------------------------------------------------------------------------------------------
# Writing


@contextmanager
def output_stream(path: Path | None, stdout: IO[str]) -> Iterator[IO[str]]:
    """stdout, or a file written atomically: a reader never sees half a report."""
    if path is None:
        yield stdout
        return
    try:
        with atomic_path(path) as tmp, tmp.open("w", encoding="utf-8", newline="") as stream:
            yield stream
    except OSError as exc:
        raise InputFileError(f"{path}: cannot write ({exc.strerror})") from None


def write_json(stream: IO[str], head: Mapping[str, Any], list_key: str,
               items: Iterable[Any], to_json: Callable[[Any], Mapping[str, Any] | str],
               summary: Callable[[], Mapping[str, Any]]) -> None:
    report = JsonReport(stream, {"schema_version": SCHEMA_VERSION, **head}, list_key)
    for item in items:
        report.add(to_json(item))
    report.close(summary())


def write_csv(stream: IO[str], columns: Sequence[Column],
              rows: Iterable[Mapping[str, Any]]) -> None:
    """CSV row by row (the shared writer guards formulas; it takes any iterable)."""
    write_csv_rows(columns, rows, stream)  # type: ignore[arg-type]


def print_table(columns: Sequence[Column], rows: Sequence[Mapping[str, Any]],
                title: str) -> None:
    stdout_console().print(make_table(columns, rows, title, row_style=status_style))


def print_tree(a: Assessment) -> None:
    stdout_console().print(coach_tree(a))


class Tally:
    """Counts per status while the report streams past, for the summary lines on stderr."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()

    def see(self, a: Assessment) -> Assessment:
        self.counts[a.status.value] += 1
        return a

    def summary(self) -> dict[str, int]:
        return {s.value: self.counts[s.value] for s in Status if self.counts[s.value]}

    def lines(self, as_of: date, rules_id: str) -> list[str]:
        total = sum(self.counts.values())
        lines = [f"{total} coaches audited as of {format_date(as_of)} (rules {rules_id})"]
        lines += [f"  {status:<14} {count:>7}" for status, count in self.summary().items()]
        return lines
