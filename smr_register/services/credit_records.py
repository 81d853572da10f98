"""Manual accreditation-point credits (rare: imports credit most points)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlmodel import Session

from smr_register.domain.credits import has_taken_place, not_yet_held
from smr_register.domain.i18n import _
from smr_register.domain.values import (
    check_text,
    format_date,
    from_centi,
    to_centi,
)
from smr_register.errors import Conflict, InvalidValue, NotFound
from smr_register.services.agenda_records import course_coded
from smr_register.services.coach_states import refuse_withdrawn
from smr_register.store import agenda as agenda_store
from smr_register.store import coaches as coach_store
from smr_register.store import history as history_store
from smr_register.store import records as record_store
from smr_register.store.history import Change
from smr_register.store.models import (
    CreditSource,
    PointCredit,
)


def add_credit(session: Session, change: Change, reg_no: str, course_code: str,
               run_date: date, points: Decimal | None, reason: str | None,
               entered_on: date) -> PointCredit:
    """A manual credit for a run in the agenda that has taken place on `entered_on` (the date
    of entry); points default to the course's points."""
    coach = coach_store.coach_by_reg_no(session, reg_no)
    refuse_withdrawn(session, coach.reg_no, coach.id or 0)
    course = course_coded(session, course_code)
    run = agenda_store.run_of(session, course.id or 0, run_date)
    if run is None:
        raise NotFound(_("--date {run_date}: {code} has no run that day (add it with 'smr "
                         "agenda run add')").format(
                         run_date=format_date(run_date), code=course.code))
    if not has_taken_place(run_date, entered_on):
        raise InvalidValue("--date", format_date(run_date), not_yet_held(entered_on))
    if record_store.credit_for(session, coach.id or 0, run.id or 0) is not None:
        raise Conflict(_("coach {reg_no} is already credited for {code} on {run_date}").format(
                         reg_no=reg_no, code=course.code, run_date=format_date(run_date)))
    course_points = from_centi(course.points_centi)
    if points is not None and not 0 < points <= course_points:
        raise InvalidValue("--points", points, _("must be more than 0 and at most the course's "
                                                 "{course_points}").format(
                                                 course_points=course_points))
    credit = PointCredit(coach_id=coach.id or 0, run_id=run.id or 0,
                         points_centi=to_centi(points if points is not None else course_points),
                         source=CreditSource.MANUAL.value, credited_at=change.at)
    session.add(credit)
    session.flush()
    history_store.record(session, change, entity="point_credit", action="add", entity_id=credit.id,
                         coach_id=coach.id, reason=reason,
                         after={"course": course.code, "run_date": run_date.isoformat(),
                                "points": str(from_centi(credit.points_centi)),
                                "source": credit.source})
    return credit


def remove_credit(session: Session, change: Change, reg_no: str, course_code: str,
                  run_date: date, reason: str) -> None:
    """Take back a wrong credit (a coach disputed it); history keeps what it was."""
    reason_text = check_text(reason, "--reason", required=True)
    coach = coach_store.coach_by_reg_no(session, reg_no)
    course = course_coded(session, course_code)
    run = agenda_store.run_of(session, course.id or 0, run_date)
    credit = record_store.credit_for(session, coach.id or 0, run.id or 0) if run else None
    if credit is None:
        raise NotFound(_("coach {reg_no} has no credit for {code} on {run_date}").format(
                         reg_no=reg_no, code=course.code, run_date=format_date(run_date)))
    before = {"course": course.code, "run_date": run_date.isoformat(),
              "points": str(from_centi(credit.points_centi)), "source": credit.source,
              "batch_id": credit.batch_id, "row_number": credit.row_number}
    session.delete(credit)
    history_store.record(session, change, entity="point_credit", action="remove",
                         entity_id=credit.id, coach_id=coach.id, before=before, reason=reason_text)
