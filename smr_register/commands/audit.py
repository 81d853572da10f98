"""`smr audit`, `smr renew`: re-registration.

Exit codes: 0 when every coach covered is on-track, behind or renewed; 1 ("findings") when any
is due, at-risk, non-compliant or expired, when a proposed rules file would change a status, or
when a renewal was refused. Behind, suspended and withdrawn coaches are shown but count as
findings only when asked for with --status (behind has time left to catch up; the others are
decisions already taken); `smr audit REG_NO` exits 0 only for an on-track, behind or renewed
coach.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import closing
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from smr_register.commands.common import (
    AppContext,
    AsOfOption,
    OutputOption,
    ReportFormatOption,
    as_of_date,
    parse_decimal_option,
    say,
    split_list,
    state,
)
from smr_register.domain import limits
from smr_register.domain.i18n import _, ngettext, number
from smr_register.errors import ExitCode, InvalidValue, UsageError
from smr_register.render.formats import REPORT_FORMATS, OutputFormat

if TYPE_CHECKING:
    from smr_register.render.audit import AuditReport
    from smr_register.rules import Assessment
    from smr_register.services.audit import Selection

AUDIT_HELP = (
    "Audit re-registration: every rule for every coach, with what is still needed.\n\n"
    "Statuses (an administrative state first, then expiry, then a blocking rule, then the "
    "renewal window, then the pace):\n\n{statuses}\n\n"
    "Exit 1 when any coach is due, at-risk, non-compliant or expired; behind, suspended and "
    "withdrawn count only when asked for with --status. One coach (REG_NO): exit 0 only when "
    "on-track, behind or renewed.")


def audit_help() -> str:
    """The audit's help, with every status and its meaning (from domain/wording.py)."""
    from smr_register.domain.wording import STATUS_MEANINGS

    lines = "\n\n".join(f"{status}: {meaning}." for status, meaning in STATUS_MEANINGS.items())
    return AUDIT_HELP.format(statuses=lines)


def register(app: typer.Typer) -> None:
    """Add the audit commands to the root app."""
    app.command("audit", help=audit_help())(audit)
    app.command("renew")(renew)


RegNoOptional = Annotated[str | None, typer.Argument(
    help="Registration number: audit only this coach, every rule shown.", show_default=False)]
DueWithin = Annotated[int | None, typer.Option(
    "--due-within", help="Only coaches whose registration ends within this many days of the "
    "evaluation date.", show_default=False, min=0,
    max=limits.MAX_DAYS_AHEAD)]


def audit(
    ctx: typer.Context,
    reg_no: RegNoOptional = None,
    as_of: AsOfOption = None,
    status: Annotated[str | None, typer.Option(
        "--status", help="Only these statuses, comma-separated: on-track, behind, due, "
        "renewed, at-risk, non-compliant, expired, suspended, withdrawn (see above).",
        show_default=False)] = None,
    due_within: DueWithin = None,
    compare_rules: Annotated[Path | None, typer.Option(
        "--compare-rules", help="What-if: list who would change status under this rules file, "
        "and why.", dir_okay=False, show_default=False)] = None,
    sample: Annotated[str | None, typer.Option(
        "--sample", help="A reproducible sample of this percentage of the coaches due (or of "
        "--status), for a spot check.", show_default=False)] = None,
    seed: Annotated[int | None, typer.Option(
        "--seed", help="Seed of --sample; default the evaluation date as a number (20261201).",
        show_default=False, min=0, max=limits.MAX_KEY)] = None,
    output_format: ReportFormatOption = OutputFormat.TABLE,
    output: OutputOption = None,
) -> None:
    """Audit re-registration: every rule for every coach, with what is still needed."""
    from smr_register.render.registry import check_output
    from smr_register.rules import STATUSES
    from smr_register.services import audit as lib

    obj, day = state(ctx), as_of_date(as_of)
    check_output(output_format, output, REPORT_FORMATS)
    statuses = split_list(status, "--status", list(STATUSES))
    percent = _percent(sample, seed)
    if reg_no is not None and (statuses or due_within is not None or percent is not None):
        raise UsageError(_("a registration number cannot be combined with --status, "
                           "--due-within or --sample"))
    if percent is not None and compare_rules is not None:
        raise UsageError(_("--sample and --compare-rules cannot be combined"))
    selection = lib.Selection(reg_no=reg_no, due_within=due_within,
                              statuses=frozenset(lib.Status(s) for s in statuses))
    if compare_rules is not None:
        _compare(obj, day, selection, compare_rules, output_format, output)
    elif reg_no is not None:
        _one(obj, day, reg_no, output_format, output)
    else:
        _many(obj, day, selection, percent, seed, output_format, output)


def _percent(sample: str | None, seed: int | None) -> Decimal | None:
    if sample is None:
        if seed is not None:
            raise UsageError(_("--seed belongs to --sample"))
        return None
    percent = parse_decimal_option(sample, "--sample") or Decimal(0)
    if not 0 < percent <= 100:
        raise InvalidValue("--sample", sample, _("must be a percentage above 0 and at most 100"))
    return percent


def _head(obj: AppContext, day: date, selection: Selection) -> dict[str, Any]:
    book = obj.book()
    return {"kind": "audit", "as_of": day, "rules_version": book.in_force(day).id,
            "rules_source": book.source,
            "selection": {"reg_no": selection.reg_no, "due_within_days": selection.due_within,
                          "statuses": sorted(s.value for s in selection.statuses)}}


def _audit_report(obj: AppContext, day: date, head: dict[str, Any]) -> AuditReport:
    from smr_register.render.audit import audit_report
    from smr_register.rules import finding_ids

    return audit_report(head, finding_ids(obj.book().in_force(day)), day)


def _one(obj: AppContext, day: date, reg_no: str, output_format: OutputFormat,
         output: Path | None) -> None:
    from smr_register.render.audit import coach_rendering
    from smr_register.render.registry import emit
    from smr_register.rules import coach_has_findings
    from smr_register.services import audit as lib

    with obj.engine().connect() as conn:
        assessment = lib.assess_coach(conn, obj.book(), reg_no, day)
    report = _audit_report(obj, day, _head(obj, day, lib.Selection(reg_no=reg_no)))
    emit(coach_rendering(report, assessment, output=output), output_format, output)
    if coach_has_findings(assessment.status):
        raise typer.Exit(ExitCode.FINDINGS)


def _many(obj: AppContext, day: date, selection: Selection, percent: Decimal | None,
          seed: int | None, output_format: OutputFormat, output: Path | None) -> None:
    from smr_register.render.audit import Tally, report_rendering
    from smr_register.render.registry import emit
    from smr_register.rules import has_findings
    from smr_register.services import audit as lib
    from smr_register.services.decisions import record_sample

    head = _head(obj, day, selection)
    tally = Tally()

    def show(items: Iterable[Assessment]) -> None:
        emit(report_rendering(_audit_report(obj, day, head), (tally.see(a) for a in items),
                              output=output, summary=tally.summary,
                              notes=lambda: tally.lines(day, head["rules_version"])),
             output_format, output)

    # closing(): the stream's cursors close before the connection does, also on a failed write
    with obj.engine().connect() as conn, \
            closing(lib.assessments(conn, obj.book(), day, selection)) as stream:
        if percent is None:
            show(stream)
        else:
            drawn = lib.draw_sample(stream, percent, seed, selection.statuses, day)
    if percent is not None:
        head["sample"] = drawn.head()
        say(ngettext("Sample of {percent}% (seed {seed}): {count} of {population} coach.",
                     "Sample of {percent}% (seed {seed}): {count} of {population} coaches.",
                     drawn.population).format(
            percent=number(percent), seed=drawn.seed, count=len(drawn.items),
            population=drawn.population))
        # the coaches drawn are a decision, kept with the output that shows them
        with obj.write("audit --sample") as (session, change):
            record_sample(session, change, drawn.items, head["sample"])
            show(drawn.items)
    if has_findings(tally.counts, selection.statuses):
        raise typer.Exit(ExitCode.FINDINGS)


def _compare(obj: AppContext, day: date, selection: Selection, rules_file: Path,
             output_format: OutputFormat, output: Path | None) -> None:
    from smr_register.domain.ruleset import load_rules
    from smr_register.render.audit import (
        ChangeTally,
        comparison_report,
        proposal_lines,
        report_rendering,
    )
    from smr_register.render.registry import emit
    from smr_register.services import audit as lib

    proposed = load_rules(rules_file)
    proposal = lib.proposed_version(obj.book(), proposed)
    head = {**_head(obj, day, selection), "kind": "compare",
            "proposed_rules_version": proposed.in_force(day).id,
            "proposed_rules_source": proposed.source,
            "proposal": {"version": proposal.id, "effective_from": proposal.effective_from,
                         "applies": proposal.effective_from <= day}}
    changes = ChangeTally()
    with obj.engine().connect() as conn:
        pairs = lib.compare(conn, obj.book(), proposed, day, selection)
        emit(report_rendering(
            comparison_report(head, rules_file.name, day), (changes.see(p) for p in pairs),
            output=output, summary=changes.summary,
            notes=lambda: [*changes.lines(proposed.source, head["proposed_rules_version"],
                                          head["rules_version"]),
                           *proposal_lines(proposal.id, proposal.effective_from, day)]),
             output_format, output)
    if changes.counts:
        raise typer.Exit(ExitCode.FINDINGS)


def renew(
    ctx: typer.Context,
    reg_no: Annotated[str | None, typer.Argument(
        help="Registration number of the coach to renew.", show_default=False)] = None,
    as_of: AsOfOption = None,
    due_within: DueWithin = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would be renewed; "
                                          "write nothing.")] = False,
    output_format: ReportFormatOption = OutputFormat.TABLE,
    output: OutputOption = None,
) -> None:
    """Renew registrations: only a coach who is due and meets every rule; new end = end + period.

    With a registration number: one coach (refused with the findings, exit 1, when not due).
    With --due-within N: every coach whose registration ends within N days, in one transaction.
    """
    from smr_register.render.registry import check_output, emit
    from smr_register.render.renewals import renewal_report, renewals_rendering
    from smr_register.services import audit as lib

    obj, day = state(ctx), as_of_date(as_of)
    check_output(output_format, output, REPORT_FORMATS)
    if (reg_no is None) == (due_within is None):
        raise UsageError(_("give a registration number or --due-within N (not both)"))
    selection = lib.Selection(reg_no=reg_no, due_within=due_within)
    with obj.write("renew") as (session, change):
        outcomes = lib.renew(session, change, obj.book(), day, selection, dry_run=dry_run)
    withdrawn = 0
    if reg_no is None:  # a withdrawal is final: such a coach is never renewed, only counted
        listed = [o for o in outcomes if o.assessment.status is not lib.Status.WITHDRAWN]
        withdrawn, outcomes = len(outcomes) - len(listed), listed
    head = {**_head(obj, day, selection), "kind": "renewal", "dry_run": dry_run}
    emit(renewals_rendering(renewal_report(head, day, dry_run=dry_run), outcomes,
                            reg_no=reg_no, dry_run=dry_run, output=output,
                            withdrawn=withdrawn), output_format, output)
    if not all(o.renewed for o in outcomes):
        raise typer.Exit(ExitCode.FINDINGS)
