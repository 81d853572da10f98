"""Notices that cannot be missed: every deadline a coach is approaching, each stage sent once.

A notice belongs to a deadline: the end of the coach's registration period, the end of the
basisprofiel's transition arrangement (a rules-file date) for a coach registered before it who
does not hold the basisprofiel yet, or the end of a quality-committee exception. The rules'
`notice_days` make its stages: a coach is at stage 2 from the second interval before the
deadline until stage 3 begins. `due_notices` lists the stage each coach has reached and that
was not recorded as sent (for that deadline, at that stage or later), so a cron run missed on
Friday is caught up on Saturday, and a coach who is only found at stage 2 gets stage 2 alone.
`record_notices` keeps them as decisions whose unique `notice_key` makes "sent twice"
impossible, even for two runs at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection
from sqlmodel import Session

from smr_register.domain.i18n import N_, _
from smr_register.domain.ruleset import RulesBook
from smr_register.domain.values import format_date
from smr_register.render.cells import Column
from smr_register.rules import Assessment, Status, current_period, judge
from smr_register.services.audit import coach_facts
from smr_register.services.decisions import record
from smr_register.services.reports import notice_stage
from smr_register.store import audit as audit_store
from smr_register.store import coaches as coach_store
from smr_register.store import decisions as decision_store
from smr_register.store.decisions import EndingException
from smr_register.store.history import Change

NOTICES_SCHEMA_VERSION = 2  # 2: every stage reached and not yet sent, not only those of the day
PERIOD_END, TRANSITION, EXCEPTION = "period-end", "transition", "exception"
_ORDER = {PERIOD_END: 0, TRANSITION: 1, EXCEPTION: 2}
_NOT_NOTIFIED = (Status.SUSPENDED, Status.WITHDRAWN, Status.EXPIRED)

# The columns of schema 1 first, in their order (scripts read the plain CSV by position); what
# schema 2 added (which deadline a notice is about) after them.
NOTICE_COLUMNS = [
    Column("reg_no", N_("Reg. no")), Column("name", N_("Name")), Column("email", N_("E-mail")),
    Column("notice_stage", N_("Notice"), "right"), Column("valid_until", N_("Valid until")),
    Column("status", N_("Status"), term=True), Column("language", N_("Language")),
    Column("subject", N_("Subject")), Column("message", N_("Message")),
    Column("about", N_("About")), Column("deadline", N_("Deadline")),
]


@dataclass(frozen=True)
class Notice:
    """A coach at a notice stage of one deadline, with what to tell them."""

    assessment: Assessment
    about: str  # period-end | transition | exception
    deadline: date
    stage: int
    email: str | None = None
    exception: EndingException | None = None
    coach_id: int = 0

    def key(self, stage: int | None = None) -> str:
        """The notice's identity: the coach, the deadline it is about and the stage (unique
        when kept): `12:period-end:2026-12-01:3`, `12:exception:4:2027-03-06:1`."""
        what = self.about if self.exception is None else f"{self.about}:{self.exception.id}"
        return f"{self.coach_id}:{what}:{self.deadline.isoformat()}:{stage or self.stage}"


def due_notices(conn: Connection, session: Session, book: RulesBook,
                as_of: date) -> list[Notice]:
    """Every notice stage reached on `as_of` and not recorded as sent, oldest deadline first."""
    ruleset = book.in_force(as_of)
    days = ruleset.notice_days
    last = as_of + timedelta(days=max(days))
    transition = ruleset.transition_ends
    ending = decision_store.exceptions_ending(conn, as_of, last)
    everyone = transition is not None and as_of <= transition <= last
    ids = None if everyone else sorted(
        {*audit_store.coach_ids_ending_between(conn, as_of, as_of, last),
         *(e.coach_id for e in ending)})
    by_coach: dict[str, list[EndingException]] = {}
    for item in ending:
        by_coach.setdefault(item.reg_no, []).append(item)
    reached = list(_reached(conn, book, as_of, ids, by_coach))
    coach_ids = decision_store.coach_ids(conn, [n.assessment.reg_no for n in reached])
    found = [replace(n, coach_id=coach_ids[n.assessment.reg_no]) for n in reached]
    sent = decision_store.recorded_notice_keys(
        conn, [n.key(stage) for n in found for stage in range(n.stage, len(days) + 1)])
    due = [n for n in found
           if not any(n.key(stage) in sent for stage in range(n.stage, len(days) + 1))]
    emails = coach_store.emails_of(session, [n.assessment.reg_no for n in due])
    return sorted((replace(n, email=emails.get(n.assessment.reg_no)) for n in due),
                  key=lambda n: (n.deadline, _ORDER[n.about], n.stage, n.assessment.reg_no))


def _reached(conn: Connection, book: RulesBook, as_of: date, ids: list[int] | None,
             ending: dict[str, list[EndingException]]) -> Iterator[Notice]:
    """The stage each assessed coach has reached of each of their deadlines."""
    days = book.in_force(as_of).notice_days
    for facts in coach_facts(conn, as_of, ids):
        if current_period(facts.periods, as_of) is None:
            continue
        a = judge(facts, book, as_of)  # under the version that judges the coach's period
        if a.status in _NOT_NOTIFIED or a.period is None:
            continue
        if a.renewal is None and (a.days_left or 0) >= 0:
            stage = notice_stage(a.days_left or 0, days)
            if stage is not None:
                yield Notice(a, PERIOD_END, a.period.valid_until, stage)
        profile = a.finding("basisprofiel")
        left, deadline = profile.details.get("days_left"), profile.details.get("transition_ends")
        if not profile.met and left is not None and deadline is not None:
            stage = notice_stage(left, days)
            if stage is not None:
                yield Notice(a, TRANSITION, deadline, stage)
        for item in ending.get(a.reg_no, ()):
            stage = notice_stage((item.valid_until - as_of).days, days)
            if stage is not None:
                yield Notice(a, EXCEPTION, item.valid_until, stage, exception=item)


def record_notices(session: Session, change: Change, notices: list[Notice],
                   language: str) -> int:
    """Keep the notices as sent, in the caller's transaction (a notice kept already by another
    run at the same moment is a Conflict: nothing of this run is kept)."""
    items: list[tuple[str, Assessment, str | None, dict[str, Any] | None, str | None]] = []
    for notice in notices:
        subject, _body = notice_message(notice)
        items.append(("notice", notice.assessment, subject, {
            "about": notice.about, "deadline": notice.deadline.isoformat(),
            "stage": notice.stage, "language": language,
            "exception_id": notice.exception.id if notice.exception else None},
            notice.key()))
    return record(session, change, items)


# --------------------------------------------------------------------------------------------
# The messages


def notice_message(notice: Notice) -> tuple[str, str]:
    """(subject, body) in the current language, stating exactly what is missing and by when."""
    item = notice.assessment
    end = format_date(notice.deadline)
    lines = [_("Dear {name},").format(name=item.name), ""]
    if notice.about == TRANSITION:
        subject = _("The basisprofiel is required of you from {end}").format(end=end)
        lines.append(item.finding("basisprofiel").sentence)
    elif notice.about == EXCEPTION and notice.exception is not None:
        subject = _("Your exception for the rule {rule} ends on {end}").format(
            rule=notice.exception.rule, end=end)
        lines.append(_("The quality committee's decision of {decided_on} about the rule {rule} "
                       "applies until {end}; after that day the rule applies to you again."
                       ).format(decided_on=format_date(notice.exception.decided_on),
                                rule=notice.exception.rule, end=end))
        lines.extend(f"- {finding.sentence}" for finding in item.unmet)
    else:
        subject = _("Your registration in the Kwaliteitsregister Stoppen met Roken ends on "
                    "{end}").format(end=end)
        lines.append(_("Your registration (number {reg_no}) in the Kwaliteitsregister Stoppen "
                       "met Roken is valid until {end}.").format(reg_no=item.reg_no, end=end))
        if item.status is Status.DUE:
            lines.append(_("You meet every requirement for re-registration: you can renew your "
                           "registration now."))
        else:
            lines.append(_("To renew your registration before {end} you still need:").format(
                end=end))
            # short phrases ("6 points", "12 hours"): the sentence above says what they are for
            lines.extend(f"- {finding.short or finding.sentence}" for finding in item.unmet)
    lines += ["", _("Kind regards,"), _("KABIZ, on behalf of the Kwaliteitsregister Stoppen "
                                        "met Roken")]
    return subject, "\n".join(lines)


def notice_rows(notices: list[Notice], language: str) -> list[dict[str, Any]]:
    """The notices as rows for mail merge, each with its message in `language`."""
    rows = []
    for notice in notices:
        subject, body = notice_message(notice)
        item = notice.assessment
        rows.append({
            "reg_no": item.reg_no, "name": item.name, "email": notice.email,
            "notice_stage": notice.stage, "about": notice.about, "deadline": notice.deadline,
            "exception_id": notice.exception.id if notice.exception else None,
            "valid_until": item.period.valid_until if item.period else None,
            "status": item.status.value, "language": language,
            "subject": subject, "message": body,
        })
    return rows
