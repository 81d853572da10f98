"""Correcting the training agenda: a course edited or removed, a run removed, a provider renamed.

The agenda is where points come from, so a correction never changes a coach's points unasked:
a run that carries credits is removed only with them (`with_credits`), and a course's points
change only with its credits re-valued (`revalue_credits`); either way every credit touched gets
its own history row in the coach's history, with the reason, in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from smr_register.domain.i18n import _, ngettext
from smr_register.domain.values import check_text, format_date, format_decimal, from_centi
from smr_register.errors import Conflict, NotFound, UsageError
from smr_register.services.agenda_records import (
    course_code,
    course_coded,
    new_course,
    provider_name,
    provider_named,
)
from smr_register.store import agenda as agenda_store
from smr_register.store import history as history_store
from smr_register.store.agenda import RunCreditLine
from smr_register.store.history import Change
from smr_register.store.models import Course, CourseRun, Profile, Provider

# Dates and coaches named in a refusal: enough to find them, not a page of them.
_NAMED = 5


@dataclass(frozen=True)
class CourseChanges:
    """What `course edit` was given: None leaves a field as it is."""

    code: str | None = None
    title: str | None = None
    provider: str | None = None
    points: Decimal | None = None
    accredited_from: date | None = None
    accredited_until: date | None = None
    profiles: list[Profile] | None = None


@dataclass
class CreditsTouched:
    """The credits a correction took back or re-valued, and whose they were."""

    credits: int = 0
    coaches: set[str] = field(default_factory=set)
    points_before: Decimal = Decimal(0)
    points_after: Decimal = Decimal(0)


def _reason(reason: str) -> str:
    return check_text(reason, "--reason", required=True) or ""


def _listed(items: list[str]) -> str:
    more = len(items) - _NAMED
    shown = ", ".join(items[:_NAMED])
    return shown + (_(", and {count} more").format(count=more) if more > 0 else "")


def _course_record(course: Course, provider: str) -> dict[str, Any]:
    """A course as its history rows keep it: the provider by name, not by id."""
    record = history_store.snapshot(course, exclude=("provider_id",)) or {}
    return {**record, "provider": provider}


def _provider_of(session: Session, course: Course) -> Provider:
    provider = session.get(Provider, course.provider_id)
    if provider is None:  # a foreign key: only a damaged register gets here
        raise NotFound(_("course {code}: its provider is missing").format(code=course.code))
    return provider


def _credit_record(line: RunCreditLine, code: str, points_centi: int) -> dict[str, Any]:
    return {"course": code, "run_date": line.run_date.isoformat(),
            "points": str(from_centi(points_centi))}


def edit_course(session: Session, change: Change, code: str, changes: CourseChanges,
                reason: str, *, revalue_credits: bool = False) -> tuple[Course, CreditsTouched]:
    """Correct a course (a typo in its code, its title, provider, points, accreditation).

    Checked as `course add` checks a new course. New accreditation dates must keep every run
    inside them (runs outside could never count). New points with credits already given are
    refused unless `revalue_credits`: coaches were credited at the old points, and their audits
    must not change behind their backs; re-valued, a credit of the course's full points gets
    the new points and a partial credit is lowered only where it would exceed them."""
    reason_text = _reason(reason)
    course = course_coded(session, code)
    before = _course_record(course, _provider_of(session, course).name)
    provider = (provider_named(session, changes.provider) if changes.provider is not None
                else _provider_of(session, course))
    new_code = course_code(changes.code) if changes.code is not None else course.code
    if new_code != course.code and agenda_store.course_by_code(session, new_code) is not None:
        raise Conflict(_("--code {clean_code}: course already in the training agenda").format(
                         clean_code=new_code))
    given_profiles = changes.profiles
    values = new_course(
        new_code, title=changes.title if changes.title is not None else course.title,
        points=changes.points if changes.points is not None else from_centi(course.points_centi),
        accredited_from=changes.accredited_from or course.accredited_from,
        accredited_until=changes.accredited_until or course.accredited_until,
        profiles=given_profiles if given_profiles is not None else [
            Profile(p) for p in (course.profiles or "").split(",") if p])
    values["provider_id"] = provider.id
    changed = {k: v for k, v in values.items() if getattr(course, k) != v}
    if not changed:
        raise UsageError(_("nothing to change: give --code, --title, --points, --provider, "
                           "--accredited-from, --accredited-until or --profile with a value the "
                           "course does not have yet"))
    _refuse_runs_outside(session, course, values["accredited_from"], values["accredited_until"])
    touched = CreditsTouched()
    if "points_centi" in changed:
        touched = _revalue(session, change, course, values, reason_text, revalue_credits)
    elif revalue_credits:
        raise UsageError(_("--revalue-credits goes with --points: the points stay as they are"))
    for key, value in changed.items():
        setattr(course, key, value)
    session.add(course)
    session.flush()
    history_store.record(session, change, entity="course", action="edit", entity_id=course.id,
                         before=before, after=_course_record(course, provider.name),
                         reason=reason_text)
    return course, touched


def _refuse_runs_outside(session: Session, course: Course, first: date, last: date) -> None:
    outside = [run.run_date for run in agenda_store.runs_of_course(session, course.id or 0)
               if not first <= run.run_date <= last]
    if outside:
        raise Conflict(ngettext(
            "{code} has a run on {dates}, outside the accreditation from {first} to {last}: "
            "remove it first ('smr agenda run remove'), or keep the dates",
            "{code} has runs on {dates}, outside the accreditation from {first} to {last}: "
            "remove them first ('smr agenda run remove'), or keep the dates",
            len(outside)).format(code=course.code, dates=_listed([format_date(d) for d in outside]),
                                 first=format_date(first), last=format_date(last)))


def _revalue(session: Session, change: Change, course: Course, values: dict[str, Any],
             reason: str, revalue_credits: bool) -> CreditsTouched:
    """Re-value the course's credits to its new points (see `edit_course`), each in history."""
    lines = agenda_store.credits_of_course(session, course.id or 0)
    old, new = course.points_centi, int(values["points_centi"])
    if lines and not revalue_credits:
        coaches = {line.reg_no for line in lines}
        raise Conflict(ngettext(
            "--points: {code} has {credits} credit of {coaches} coach, given when it was worth "
            "{old} points; add --revalue-credits to re-value it to {new} (recorded in the "
            "coach's history), or leave the points as they are",
            "--points: {code} has {credits} credits of {coaches} coaches, given when it was "
            "worth {old} points; add --revalue-credits to re-value them to {new} (recorded in "
            "each coach's history), or leave the points as they are", len(lines)).format(
            code=course.code, credits=len(lines), coaches=len(coaches),
            old=format_decimal(from_centi(old)), new=format_decimal(from_centi(new))))
    touched = CreditsTouched()
    rows = []
    for line in lines:
        credit = line.credit
        target = new if credit.points_centi == old else min(credit.points_centi, new)
        if target == credit.points_centi:
            continue
        rows.append(history_store.history_values(
            change, entity="point_credit", action="edit", entity_id=credit.id,
            coach_id=credit.coach_id, reason=reason,
            before=_credit_record(line, course.code, credit.points_centi),
            after=_credit_record(line, str(values["code"]), target)))
        touched.credits += 1
        touched.coaches.add(line.reg_no)
        touched.points_before += from_centi(credit.points_centi)
        touched.points_after += from_centi(target)
        credit.points_centi = target
        session.add(credit)
    session.flush()
    history_store.insert_history(session, rows)
    return touched


def remove_course(session: Session, change: Change, code: str, reason: str) -> Course:
    """Take a course out of the agenda: only one without runs (a run holds attendance and
    credits; remove the runs first, each with its own decision about its credits)."""
    reason_text = _reason(reason)
    course = course_coded(session, code)
    runs = agenda_store.runs_of_course(session, course.id or 0)
    if runs:
        raise Conflict(ngettext(
            "{code} has a run ({dates}): remove it first ('smr agenda run remove --course "
            "{code} --date ...')",
            "{code} has {count} runs ({dates}): remove them first ('smr agenda run remove "
            "--course {code} --date ...')", len(runs)).format(
            code=course.code, count=len(runs),
            dates=_listed([format_date(run.run_date) for run in runs])))
    before = _course_record(course, _provider_of(session, course).name)
    session.delete(course)
    session.flush()
    history_store.record(session, change, entity="course", action="remove", entity_id=course.id,
                         before=before, reason=reason_text)
    return course


def remove_run(session: Session, change: Change, code: str, run_date: date, reason: str,
               *, with_credits: bool = False) -> CreditsTouched:
    """Take a run out of the agenda (entered in error). A run that carries credits goes only
    `with_credits`: each credit is taken back as `credit remove` would, in the coach's history.
    Rows of imports still held for review that name the run must be resolved first; other
    import rows keep their cells (course and date as the sheet had them) but name no run."""
    reason_text = _reason(reason)
    course = course_coded(session, code)
    run = agenda_store.run_of(session, course.id or 0, run_date)
    if run is None:
        raise NotFound(_("--date {run_date}: {code} has no run that day (see 'smr agenda list "
                         "--runs')").format(run_date=format_date(run_date), code=course.code))
    lines = agenda_store.credits_of_course(session, course.id or 0, run.id)
    if lines and not with_credits:
        raise Conflict(ngettext(
            "the run of {code} on {run_date} carries the credit of {count} coach ({coaches}): "
            "add --with-credits to take it back with the run",
            "the run of {code} on {run_date} carries the credits of {count} coaches "
            "({coaches}): add --with-credits to take them back with the run", len(lines)).format(
            code=course.code, run_date=format_date(run_date), count=len(lines),
            coaches=_listed([line.reg_no for line in lines])))
    held = agenda_store.held_rows_of_run(session, run.id or 0)
    if held:
        raise Conflict(_("rows held for review name the run of {code} on {run_date} ({rows}): "
                         "resolve or reject them first ('smr import review')").format(
                         code=course.code, run_date=format_date(run_date),
                         rows=_listed([f"{batch}:{row}" for batch, row in held])))
    touched = _take_back(session, change, course, lines, reason_text)
    agenda_store.detach_import_rows(session, run.id or 0)
    _delete_run(session, change, course, run, reason_text)
    return touched


def _take_back(session: Session, change: Change, course: Course, lines: list[RunCreditLine],
               reason: str) -> CreditsTouched:
    """Delete the credits, each with the history row `credit remove` writes."""
    touched = CreditsTouched()
    for line in lines:
        credit = line.credit
        before = history_store.filled({
            **_credit_record(line, course.code, credit.points_centi), "source": credit.source,
            "batch_id": credit.batch_id, "row_number": credit.row_number})
        session.delete(credit)
        history_store.record(session, change, entity="point_credit", action="remove",
                             entity_id=credit.id, coach_id=credit.coach_id, before=before,
                             reason=reason)
        touched.credits += 1
        touched.coaches.add(line.reg_no)
        touched.points_before += from_centi(credit.points_centi)
    session.flush()
    return touched


def _delete_run(session: Session, change: Change, course: Course, run: CourseRun,
                reason: str) -> None:
    session.delete(run)
    session.flush()
    history_store.record(session, change, entity="course_run", action="remove",
                         entity_id=run.id, reason=reason,
                         before={"course": course.code, "run_date": run.run_date.isoformat()})


def edit_provider(session: Session, change: Change, name: str, new_name: str,
                  reason: str) -> tuple[str, Provider]:
    """Rename a provider (a typo, a new trade name); returns the old name and the provider.
    Another provider's name is refused; the same name in other capitals is a correction."""
    reason_text = _reason(reason)
    provider = agenda_store.provider_by_name(session, name)
    if provider is None:
        raise NotFound(_("provider {name!r}: not in the training agenda (see 'smr agenda "
                         "provider list')").format(name=name))
    clean = provider_name(new_name)
    other = agenda_store.provider_by_name(session, clean)
    if other is not None and other.id != provider.id:
        raise Conflict(_("--name {clean!r}: provider already in the training agenda").format(
                         clean=clean))
    if clean == provider.name:
        raise UsageError(_("nothing to change: the provider is called {name!r} already").format(
                           name=clean))
    old = provider.name
    before = history_store.snapshot(provider)
    provider.name = clean
    session.add(provider)
    session.flush()
    history_store.record(session, change, entity="provider", action="edit",
                         entity_id=provider.id, before=before,
                         after=history_store.snapshot(provider), reason=reason_text)
    return old, provider
