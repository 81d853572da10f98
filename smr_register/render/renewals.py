"""The renewal report: what `smr renew` did or would do to each coach, in every form.

Built on the audit's report (render/audit.py): the same streaming JSON, CSV, table and workbook,
with a renewal's own row, and one coach's renewal on screen as a sentence.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from smr_register.domain.i18n import N_, _, ngettext, term
from smr_register.domain.values import format_date
from smr_register.render.audit import AuditReport, coach_tree, report_rendering
from smr_register.render.audit_json import finding_json
from smr_register.render.cells import Column, jsonable, key_column
from smr_register.render.model import Note, Rendering
from smr_register.rules import RenewalDecision, Status

RENEWAL_COLUMNS = [key_column("reg_no", "Reg. no"), Column("name", "Name", priority=0),
                   key_column("status", "Status", term=True),
                   key_column("renewed", "Renewed", term=True),
                   Column("valid_until", "Valid until"),
                   Column("new_valid_until", "New end"), Column("why", "Why", priority=2)]


# The renewal column's words (csv keeps them; tables and spreadsheets translate them).
RENEWED_WORDS = (N_("would renew"), N_("renewed"), N_("already renewed"), N_("no"))


def renewal_row(outcome: RenewalDecision, *, dry_run: bool) -> dict[str, Any]:
    """One coach's renewal: renewed or not, the new end, why."""
    a = outcome.assessment
    return {
        "reg_no": a.reg_no, "name": a.name, "status": a.status.value,
        "renewed": _renewed_word(outcome, dry_run),
        "valid_until": a.period.valid_until if a.period else None,
        "new_starts_on": outcome.new_period.starts_on if outcome.new_period else None,
        "new_valid_until": outcome.new_period.valid_until if outcome.new_period else None,
        "why": outcome.why,
    }


def _renewed_word(outcome: RenewalDecision, dry_run: bool) -> str:
    """Renewed, or why not in a word: an earlier renewal is not a refusal."""
    if outcome.renewed:
        return "would renew" if dry_run else "renewed"
    if outcome.assessment.renewal is not None:
        return "already renewed"
    return "no"


def renewal_json(outcome: RenewalDecision, *, dry_run: bool) -> dict[str, Any]:
    """One coach's renewal with the findings that stand in its way."""
    row = renewal_row(outcome, dry_run=dry_run)
    return {**jsonable(row), "renewed": outcome.renewed,
            "findings": [finding_json(f) for f in outcome.assessment.unmet]}


def renewal_report(head: Mapping[str, Any], as_of: date, *, dry_run: bool) -> AuditReport:
    """What a renewal did (or would do) to each coach."""
    title = (_("Renewals as of {as_of} (dry run: nothing written)") if dry_run
             else _("Renewals as of {as_of}")).format(as_of=format_date(as_of))
    return AuditReport("renewal", head, title,
                       RENEWAL_COLUMNS, RENEWAL_COLUMNS, partial(renewal_row, dry_run=dry_run),
                       partial(renewal_json, dry_run=dry_run))


def renewals_rendering(report: AuditReport, outcomes: Sequence[RenewalDecision], *,
                       reg_no: str | None, dry_run: bool, output: Path | None,
                       withdrawn: int = 0) -> Rendering:
    """The renewals; one coach's on screen is a sentence (and the tree when refused).
    `withdrawn` coaches were left out of the list (never renewable): only counted."""
    done = sum(o.renewed for o in outcomes)
    earlier = sum(1 for o in outcomes if o.assessment.renewal is not None)

    def counted() -> list[str]:
        total = len(outcomes)
        if dry_run:
            lines = [ngettext("Would renew {done} of {total} coach (dry run: nothing written).",
                              "Would renew {done} of {total} coaches (dry run: nothing "
                              "written).", total).format(done=done, total=total)]
        else:
            lines = [ngettext("Renewed {done} of {total} coach.",
                              "Renewed {done} of {total} coaches.", total).format(
                done=done, total=total)]
        if earlier:
            lines.append(ngettext("{count} coach was renewed earlier already.",
                                  "{count} coaches were renewed earlier already.",
                                  earlier).format(count=earlier))
        if withdrawn:
            lines.append(ngettext("{count} withdrawn coach left out (never renewed).",
                                  "{count} withdrawn coaches left out (never renewed).",
                                  withdrawn).format(count=withdrawn))
        return lines

    rendering = report_rendering(
        report, outcomes, output=output, notes=counted,
        summary=lambda: {"renewed": done, "not_renewed": len(outcomes) - done,
                         "already_renewed": earlier, "withdrawn_left_out": withdrawn})
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
