"""Contributions for people and scripts: a charge run, the accounts, the arrears."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from smr_register.domain.fees import Account, Arrear, euros
from smr_register.domain.i18n import N_, _, ngettext
from smr_register.render.cells import Column
from smr_register.render.model import Note, Rendering, Table

if TYPE_CHECKING:
    from smr_register.render.workbook import Workbook
    from smr_register.services.fees import ChargeRun

# Documents scripts read: raise when a key changes meaning.
FEES_SCHEMA_VERSION = 1


def _money(value: Any) -> str:
    return "" if value is None else f"{value:.2f}"


ACCOUNT_COLUMNS = [
    Column("reg_no", N_("Reg. no")), Column("name", N_("Name")),
    Column("year", N_("Year"), "right"),
    Column("amount", N_("Charged (EUR)"), "right", text=_money),
    Column("paid", N_("Paid (EUR)"), "right", text=_money),
    Column("outstanding", N_("Outstanding (EUR)"), "right", text=_money),
    Column("charged_on", N_("Charged on")), Column("due_on", N_("Due on")),
]
ARREARS_COLUMNS = [*ACCOUNT_COLUMNS, Column("days_overdue", N_("Days overdue"), "right")]


def account_row(account: Account) -> dict[str, Any]:
    """One charge as a row: euros with two decimals, dates as dates."""
    return {"reg_no": account.reg_no, "name": account.name, "year": account.year,
            "amount": euros(account.amount_cents), "paid": euros(account.paid_cents),
            "outstanding": euros(account.outstanding_cents),
            "charged_on": account.charged_on, "due_on": account.due_on}


def arrears_rendering(found: Sequence[Arrear], *, as_of: date, rules_version: str) -> Rendering:
    """Who owes what and for how long, oldest debt first; the total under it."""
    rows = [{**account_row(a.account), "days_overdue": a.days_overdue} for a in found]
    total = sum((a.account.outstanding_cents for a in found), 0)
    coaches = len({a.account.reg_no for a in found})
    title = _("Contributions in arrears as of {date}").format(date=f"{as_of:%d-%m-%Y}")
    summary = ngettext("{count} coach owes EUR {total} in contributions past their due date.",
                       "{count} coaches owe EUR {total} in contributions past their due date.",
                       coaches).format(count=coaches, total=_money(euros(total)))

    def workbook() -> Workbook:
        from smr_register.render.workbook import Sheet, Workbook

        return Workbook([Sheet(_("Arrears"), ARREARS_COLUMNS, rows)],
                        title=_("Contributions in arrears"), as_of=as_of,
                        rules_version=rules_version)

    return Rendering(
        screen=[Table(ARREARS_COLUMNS, rows, title), Note(summary)],
        csv=Table(ARREARS_COLUMNS, rows), workbook=workbook, notes=[summary],
        json=lambda: {"schema_version": FEES_SCHEMA_VERSION, "as_of": as_of,
                      "rules_version": rules_version, "arrears": rows,
                      "summary": {"coaches": coaches, "charges": len(rows),
                                  "outstanding": euros(total)}})


def accounts_rendering(found: Sequence[Account], *, as_of: date) -> Rendering:
    """Charges and what was paid towards them, as of a date."""
    rows = [account_row(account) for account in found]
    title = _("Contributions as of {date}").format(date=f"{as_of:%d-%m-%Y}")
    return Rendering(screen=[Table(ACCOUNT_COLUMNS, rows, title)],
                     csv=Table(ACCOUNT_COLUMNS, rows),
                     json=lambda: {"schema_version": FEES_SCHEMA_VERSION, "as_of": as_of,
                                   "charges": rows})


def charge_summary(run: ChargeRun, *, dry_run: bool) -> str:
    """The one line a charge run ends with."""
    charged = run.count("charged")
    head = (ngettext("Would charge {count} coach EUR {amount} for {year}",
                     "Would charge {count} coaches EUR {amount} each for {year}", charged)
            if dry_run else
            ngettext("Charged {count} coach EUR {amount} for {year}",
                     "Charged {count} coaches EUR {amount} each for {year}", charged))
    return head.format(count=charged, amount=_money(euros(run.amount_cents)),
                       year=run.year) + " " + _(
        "(due {due}, rules {rules}); {already} already charged, {exempt} supervisees "
        "exempt.").format(due=f"{run.due_on:%d-%m-%Y}", rules=run.rules_id,
                          already=run.count("already-charged"), exempt=run.count("supervisee"))


def charge_rendering(run: ChargeRun, *, dry_run: bool) -> Rendering:
    """The decisions of a charge run: a summary for people, every decision for scripts."""
    summary = charge_summary(run, dry_run=dry_run)
    return Rendering(
        screen=[Note(summary)], notes=[summary],
        json=lambda: {"schema_version": FEES_SCHEMA_VERSION, "year": run.year,
                      "charged_on": run.charged_on, "due_on": run.due_on,
                      "rules_version": run.rules_id, "amount": euros(run.amount_cents),
                      "dry_run": dry_run,
                      "decisions": [{"reg_no": d.reg_no, "outcome": d.why}
                                    for d in run.decisions]})
