"""The basisprofiel's parts: a supervisor's assessment per CanMEDS role and the integral basic
training; when both are complete the basisprofiel is recorded as attained on the last date.

Basisvereisten SMR-begeleiders v2.2: the competences "zullen worden getoetst op praktische
toepassing door een supervisor", who "staat zelf ingeschreven in het register en heeft een
X-aantal jaar ervaring als smr-coach"; the integral basic training takes "4 à 5 dagen ...
verspreid over ca. 4 maanden". Each function works in the caller's transaction and writes its
history rows.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from smr_register.domain import competences, periods
from smr_register.domain.competences import CatalogueBook, Result
from smr_register.domain.eligibility import assessor_refusal, cite
from smr_register.domain.i18n import _
from smr_register.domain.ruleset import RulesBook
from smr_register.domain.values import check_text, format_date
from smr_register.errors import Conflict, InvalidValue, NotFound
from smr_register.services.coach_records import first_registered, registered_coach
from smr_register.store import agenda as agenda_store
from smr_register.store import coaches as coach_store
from smr_register.store import competences as competence_store
from smr_register.store import history as history_store
from smr_register.store.history import Change
from smr_register.store.models import (
    BasicTraining,
    Coach,
    Profile,
    ProfileHeld,
    RoleAssessment,
)


def check_assessor(session: Session, book: RulesBook, supervisor: Coach, on: date,
                   field: str) -> None:
    """Conflict unless `supervisor` may assess competences on `on`: registered, active and in
    good standing, holding the basisprofiel, with the rules' years as a registered coach."""
    from smr_register.services.audit import assess_coach

    ruleset = book.in_force(on)
    try:
        audit = assess_coach(session.connection(), book, supervisor.reg_no, on)
    except NotFound:
        raise Conflict(_("{field} {reg_no}: was not registered on {day}").format(
            field=field, reg_no=supervisor.reg_no, day=format_date(on))
            + cite(ruleset, "supervisor_in_good_standing")) from None
    since = first_registered(session, supervisor.id or 0)
    years = periods.years_between(since, on) if since else 0
    refusal = assessor_refusal(audit, ruleset, years)
    if refusal is not None:
        raise Conflict(_("{field} {reg_no}: {refusal}").format(
            field=field, reg_no=supervisor.reg_no, refusal=refusal))


def assess_role(session: Session, change: Change, book: RulesBook, catalogues: CatalogueBook,
                reg_no: str, *, role: int, supervisor_reg_no: str, on: date, result: Result,
                note: str | None) -> RoleAssessment:
    """Record a supervisor's verdict on one role of a coach; attains the basisprofiel when it
    completes it."""
    coach = coach_store.coach_by_reg_no(session, reg_no)
    catalogue = catalogues.in_force(on)
    if catalogue.role(role) is None:
        numbers = ", ".join(str(r.number) for r in catalogue.roles)
        raise InvalidValue("--role", role, _("is not a role of the basisprofiel (version "
                                             "{version}: {numbers}; see 'smr competences')"
                                             ).format(version=catalogue.id, numbers=numbers))
    supervisor = registered_coach(session, supervisor_reg_no, "--supervisor")
    if supervisor.id == coach.id:
        raise Conflict(_("--supervisor {reg_no}: a coach cannot assess themselves").format(
            reg_no=supervisor_reg_no))
    check_assessor(session, book, supervisor, on, "--supervisor")
    item = RoleAssessment(coach_id=coach.id or 0, role=role, catalogue=catalogue.id,
                          supervisor_id=supervisor.id or 0, assessed_on=on, result=result.value,
                          note=check_text(note, "--note"))
    session.add(item)
    session.flush()
    history_store.record(session, change, entity="role_assessment", action="add",
                         entity_id=item.id, coach_id=coach.id,
                         after={**history_store.snapshot(item, exclude=("id", "coach_id")),
                                "supervisor": supervisor.reg_no})
    attain_basisprofiel(session, change, catalogues, coach)
    return item


def record_training(session: Session, change: Change, catalogues: CatalogueBook, reg_no: str,
                    *, on: date, course_code: str | None, evidence: str | None,
                    accepted_by: str | None) -> BasicTraining:
    """Record a coach's integral basic training: a course of the agenda marked as the basic
    training (run on or before `on`), or evidence the quality committee accepted."""
    coach = coach_store.coach_by_reg_no(session, reg_no)
    evidence_text = check_text(evidence, "--evidence")
    accepted = check_text(accepted_by, "--accepted-by")
    course_id = None
    if course_code is not None:
        if evidence_text is not None:
            raise InvalidValue("--evidence", evidence_text, _("goes without --course: a "
                                                              "course of the agenda is its "
                                                              "own evidence"))
        course = agenda_store.course_by_code(session, course_code)
        if course is None:
            raise NotFound(_("--course {code}: not in the training agenda").format(
                code=course_code))
        if not course.basic_training:
            raise Conflict(_("--course {code}: is not marked as the integral basic training "
                             "in the agenda (smr agenda course add --basic-training)").format(
                                 code=course.code))
        if competence_store.first_run_until(session, course.id or 0, on) is None:
            raise Conflict(_("--course {code}: has no run on or before {day} in the "
                             "agenda").format(code=course.code, day=format_date(on)))
        course_id = course.id
    elif evidence_text is None or accepted is None:
        raise InvalidValue("--course", "", _("give --course CODE, or --evidence and "
                                             "--accepted-by (the committee that accepted it)"))
    item = BasicTraining(coach_id=coach.id or 0, completed_on=on, course_id=course_id,
                         evidence=evidence_text, accepted_by=accepted)
    session.add(item)
    session.flush()
    history_store.record(session, change, entity="basic_training", action="add",
                         entity_id=item.id, coach_id=coach.id,
                         after={**history_store.snapshot(item, exclude=("id", "coach_id")),
                                "course": course_code})
    attain_basisprofiel(session, change, catalogues, coach)
    return item


def attain_basisprofiel(session: Session, change: Change, catalogues: CatalogueBook,
                        coach: Coach) -> ProfileHeld | None:
    """Record the basisprofiel once the basic training and a positive assessment of every role
    are there, attained on the last of their dates; None while something is missing."""
    held = coach_store.profiles_of(session, coach.id or 0)
    if any(p.profile == Profile.BASISPROFIEL.value for p in held):
        return None
    assessed = competence_store.assessments_of(session, coach.id or 0)
    trainings = competence_store.trainings_of(session, coach.id or 0)
    if not assessed or not trainings:
        return None
    verdicts = [competences.RoleAssessment(a.role, a.assessed_on, Result(a.result), reg)
                for a, reg in assessed]
    last = max([a.assessed_on for a, _reg in assessed]
               + [t.completed_on for t, _code in trainings])
    catalogue = catalogues.in_force(last)
    done = competences.progress([r.number for r in catalogue.roles], verdicts,
                                [t.completed_on for t, _code in trainings], last)
    if done.attained_on is None:
        return None
    training, code = trainings[0]
    what = (f"course {code}" if code else f"{training.evidence} (accepted by "
            f"{training.accepted_by})")
    last_assessment = max(assessed, key=lambda pair: pair[0].assessed_on)[0]
    profile = ProfileHeld(
        coach_id=coach.id or 0, profile=Profile.BASISPROFIEL.value, attained_on=done.attained_on,
        evidence=(f"Integral basic training on {format_date(done.training_on)} ({what}); "
                  f"roles {', '.join(str(r) for r in done.assessed)} assessed positively "
                  f"(competence profile {catalogue.id})"),
        assessed_by_id=last_assessment.supervisor_id)
    session.add(profile)
    session.flush()
    history_store.record(session, change, entity="profile_held", action="add",
                         entity_id=profile.id, coach_id=coach.id,
                         after=history_store.snapshot(profile, exclude=("id", "coach_id")),
                         reason="basic training recorded and every role assessed positively")
    return profile


def basisprofiel_of(session: Session, reg_no: str) -> date | None:
    """The date the coach attained the basisprofiel, or None."""
    coach = coach_store.coach_by_reg_no(session, reg_no)
    return next((p.attained_on for p in coach_store.profiles_of(session, coach.id or 0)
                 if p.profile == Profile.BASISPROFIEL.value), None)
