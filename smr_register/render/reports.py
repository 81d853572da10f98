"""The reports for cron and mail merge: expiry, the public register, notices.

Their rows, columns and schema versions come from services (reports.py, public.py); here they
become a table, a JSON document, CSV, or a workbook.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from smr_register.domain.i18n import _, ngettext
from smr_register.render.model import Note, Rendering, Table
from smr_register.services import public, reports

if TYPE_CHECKING:
    from smr_register.render.workbook import Workbook

Rows = Sequence[dict[str, Any]]


def expiry_rendering(rows: Rows, *, as_of: date, within: int, rules_version: str) -> Rendering:
    """Registrations ending within `within` days, and how many, for people and for cron."""
    columns = reports.EXPIRY_COLUMNS
    title = _("Registrations ending within {days} days, as of {date}").format(
        days=within, date=f"{as_of:%d-%m-%Y}")
    count = expiry_summary(rows, within)

    def workbook() -> Workbook:
        from smr_register.render.workbook import Sheet, Workbook

        return Workbook([Sheet(_("Expiry"), columns, rows, status_key="status")],
                        title=_("Registrations ending within {days} days").format(days=within),
                        as_of=as_of, rules_version=rules_version)

    return Rendering(
        screen=[Table(columns, rows, title), Note(count)], csv=Table(columns, rows),
        json=lambda: {"schema_version": reports.EXPIRY_SCHEMA_VERSION, "as_of": as_of,
                      "within_days": within, "rules_version": rules_version, "coaches": rows},
        workbook=workbook, notes=[count])


def expiry_summary(rows: Rows, within: int) -> str:
    """The line cron mails: how many registrations end, and how many of them are at risk of
    ending unrenewed (something still missing) or fail a rule outright."""
    from smr_register.rules import Status

    at_risk = sum(1 for row in rows if row["status"] == Status.AT_RISK)
    failing = sum(1 for row in rows if row["status"] == Status.NON_COMPLIANT)
    ending = ngettext("{count} registration ends within {days} days",
                      "{count} registrations end within {days} days", len(rows)).format(
        count=len(rows), days=within)
    return _("{ending}: {at_risk} at risk, {failing} non-compliant.").format(
        ending=ending, at_risk=at_risk, failing=failing)


def public_rendering(rows: Rows, *, as_of: date, rules_version: Callable[[], str]) -> Rendering:
    """The public register; the rules version (for the workbook) is looked up only there."""
    columns = public.PUBLIC_COLUMNS

    def workbook() -> Workbook:
        from smr_register.render.workbook import Sheet, Workbook

        return Workbook([Sheet("Register", columns, rows)],
                        title="Openbaar register / public register", as_of=as_of,
                        rules_version=rules_version())

    return Rendering(
        screen=[Table(columns, rows, _("Public register, {date}").format(
            date=f"{as_of:%d-%m-%Y}"))],
        csv=Table(columns, rows), workbook=workbook,
        json=lambda: {"schema_version": public.PUBLIC_SCHEMA_VERSION, "as_of": as_of,
                      "coaches": rows})


def notices_rendering(rows: Rows, *, as_of: date, language: str, rules_version: str,
                      recorded: bool, dialect: str = "plain") -> Rendering:
    """Notices for mail merge, as CSV (plain for scripts, or for Dutch Excel), JSON or a
    workbook, how many there are and whether they were recorded as sent."""
    from smr_register.services.notices import NOTICE_COLUMNS, NOTICES_SCHEMA_VERSION

    def workbook() -> Workbook:
        from smr_register.render.workbook import Sheet, Workbook

        return Workbook([Sheet(_("Notices"), NOTICE_COLUMNS, rows, widths={"message": 70})],
                        title=_("Notices for {date}").format(date=f"{as_of:%d-%m-%Y}"),
                        as_of=as_of, rules_version=rules_version)

    count = len(rows)
    notes = [ngettext("{count} notice for {date}.", "{count} notices for {date}.",
                      count).format(count=count, date=f"{as_of:%d-%m-%Y}")]
    if recorded:
        notes.append(ngettext("Recorded {count} notice as sent: it will not be listed again.",
                              "Recorded {count} notices as sent: they will not be listed "
                              "again.", count).format(count=count))
    elif rows:
        notes.append(_("Nothing recorded: once these are sent, run again with --record."))
    return Rendering(
        csv=Table(NOTICE_COLUMNS, rows), csv_dialect=dialect, workbook=workbook,
        json=lambda: {"schema_version": NOTICES_SCHEMA_VERSION, "as_of": as_of,
                      "language": language, "recorded": recorded, "notices": rows},
        notes=notes)
