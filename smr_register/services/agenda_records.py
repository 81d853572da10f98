"""The training agenda and the interventions listed: providers, accredited courses, their runs."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from smr_register.domain import limits
from smr_register.domain.i18n import _
from smr_register.domain.values import (
    check_text,
    format_date,
    to_centi,
)
from smr_register.errors import Conflict, InvalidValue, NotFound
from smr_register.store import agenda as agenda_store
from smr_register.store import history as history_store
from smr_register.store.history import Change
from smr_register.store.models import (
    Course,
    CourseRun,
    Intervention,
    Profile,
    Provider,
)


def provider_name(name: str) -> str:
    """The name of a new provider, checked and with single spaces (raises InvalidValue)."""
    return check_text(name, "--name", required=True) or ""


def add_provider(session: Session, change: Change, name: str) -> Provider:
    """Add a training provider; a name the agenda has already is a Conflict."""
    clean = provider_name(name)
    if agenda_store.provider_by_name(session, clean) is not None:
        raise Conflict(_("--name {clean!r}: provider already in the training agenda").format(
                         clean=clean))
    provider = Provider(name=clean)
    history_store.save_new(session, change, provider, entity="provider")
    return provider


def provider_named(session: Session, name: str) -> Provider:
    """The provider of this name; NotFound otherwise."""
    provider = agenda_store.provider_by_name(session, name)
    if provider is None:
        raise NotFound(_("--provider {name!r}: no such provider in the training agenda (add it "
                         "with 'smr agenda provider add')").format(name=name))
    return provider


def add_course(session: Session, change: Change, *, code: str, title: str, provider: str,
               points: Decimal, accredited_from: date, accredited_until: date,
               profiles: list[Profile], basic_training: bool = False) -> Course:
    """Put a course in the training agenda; only agenda courses ever earn points. A course
    marked `basic_training` is the basisprofiel's integral basic training."""
    clean_code = course_code(code)
    if agenda_store.course_by_code(session, clean_code) is not None:
        raise Conflict(_("--code {clean_code}: course already in the training agenda").format(
                         clean_code=clean_code))
    values = new_course(clean_code, title=title, points=points, accredited_from=accredited_from,
                        accredited_until=accredited_until, profiles=profiles,
                        basic_training=basic_training)
    course = Course(**values, provider_id=provider_named(session, provider).id or 0)
    history_store.save_new(session, change, course, entity="course")
    return course


def course_code(code: str) -> str:
    """The code of a new course, checked, with single spaces, in capitals."""
    return (check_text(code, "--code", required=True) or "").upper()


def new_course(code: str, *, title: str, points: Decimal, accredited_from: date,
               accredited_until: date, profiles: list[Profile],
               basic_training: bool = False) -> dict[str, Any]:
    """The column values of a course of `code` (checked by `course_code`), its other fields
    checked, but for its provider: what `add_course` and an agenda import add."""
    if points <= 0:
        raise InvalidValue("--points", points, _("must be more than 0"))
    if points > limits.MAX_COURSE_POINTS:
        raise InvalidValue("--points", points,
                           _("is more than one course earns (at most {MAX_COURSE_POINTS})").format(
                             MAX_COURSE_POINTS=limits.MAX_COURSE_POINTS))
    if accredited_until < accredited_from:
        raise InvalidValue("--accredited-until", format_date(accredited_until),
                           _("is before --accredited-from {accredited_from}").format(
                             accredited_from=format_date(accredited_from)))
    return {
        "code": code,
        "title": check_text(title, "--title", required=True) or "",
        "points_centi": to_centi(points),
        "accredited_from": accredited_from,
        "accredited_until": accredited_until,
        "profiles": ",".join(p.value for p in profiles) or None,
        "basic_training": basic_training,
    }


def course_coded(session: Session, code: str) -> Course:
    """The course of this code (any case); NotFound otherwise."""
    course = agenda_store.course_by_code(session, code)
    if course is None:
        raise NotFound(_("--course {code}: not in the training agenda").format(code=code))
    return course


def add_run(session: Session, change: Change, course_code: str, run_date: date) -> CourseRun:
    """Add a dated run; a run outside the accreditation is refused (it could never count)."""
    course = course_coded(session, course_code)
    if not course.accredited_from <= run_date <= course.accredited_until:
        raise Conflict(_("--date {run_date}: outside the accreditation of {code} "
                         "({accredited_from} to {accredited_until})").format(
                         run_date=format_date(run_date), code=course.code,
                         accredited_from=format_date(course.accredited_from),
                         accredited_until=format_date(course.accredited_until)))
    if agenda_store.run_of(session, course.id or 0, run_date) is not None:
        raise Conflict(_("--date {run_date}: {code} already has a run that day").format(
                         run_date=format_date(run_date), code=course.code))
    run = CourseRun(course_id=course.id or 0, run_date=run_date)
    history_store.save_new(session, change, run, entity="course_run",
                           after={"course": course.code, "run_date": run_date.isoformat()})
    return run


def add_intervention(session: Session, change: Change, name: str, description: str | None,
                     listed_since: date, listed_until: date | None) -> Intervention:
    """List an intervention in the register from a date."""
    clean = check_text(name, "--name", required=True) or ""
    if agenda_store.intervention_by_name(session, clean) is not None:
        raise Conflict(_("--name {clean!r}: intervention already listed").format(clean=clean))
    if listed_until is not None and listed_until < listed_since:
        raise InvalidValue("--until", format_date(listed_until), _("is before --since"))
    item = Intervention(name=clean, description=check_text(description, "--description"),
                        listed_since=listed_since, listed_until=listed_until)
    history_store.save_new(session, change, item, entity="intervention")
    return item


def intervention_named(session: Session, name: str) -> Intervention:
    """The intervention of this name; NotFound otherwise."""
    item = agenda_store.intervention_by_name(session, name)
    if item is None:
        raise NotFound(_("intervention {name!r}: not listed in the register (see 'smr "
                         "intervention list')").format(name=name))
    return item
