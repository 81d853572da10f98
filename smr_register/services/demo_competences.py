"""The demo register's basisprofielen attained the way registrants from 2022-09-01 attain
them: the integral basic training (trainings.csv) and a supervisor's verdict on each role
(assessments.csv), through the same services as `smr coach training` and `smr coach assess`,
so every supervisor is checked on the day. Kept apart from demo.py, which reads the rest."""

from __future__ import annotations

from typing import TYPE_CHECKING

from smr_register.domain.competences import Result, load_catalogue
from smr_register.rules import EDUCATION
from smr_register.services import competences
from smr_register.services.demo_files import about

if TYPE_CHECKING:
    from smr_register.services.demo import Builder


def trainings(build: Builder) -> int:
    """trainings.csv: a basic-training course of the agenda, or accepted evidence."""
    catalogues = load_catalogue()
    count = 0
    for row in build.rows("trainings.csv"):
        with about(row):
            competences.record_training(build.session, build.change, catalogues,
                                        build.coach(row).reg_no, on=row.day("completed_on"),
                                        course_code=row.text("course"),
                                        evidence=row.text("evidence"),
                                        accepted_by=row.text("accepted_by"))
        count += 1
    return count


def assessments(build: Builder) -> int:
    """assessments.csv: a supervisor's verdict on one role; the last one attains."""
    catalogues = load_catalogue()
    count = 0
    for row in build.rows("assessments.csv"):
        result = row.member("result", Result)
        role = row.required_count("role")
        with about(row):
            competences.assess_role(build.session, build.change, build.book, catalogues,
                                    build.coach(row).reg_no, role=role,
                                    supervisor_reg_no=row.required("supervisor"),
                                    on=row.day("assessed_on"), result=result,
                                    note=row.text("note"))
        count += 1
    return count


def entry_exceptions(build: Builder) -> dict[str, tuple[str, str]]:
    """exceptions.csv's exceptions to the rule `education`, by coach: the committee's exception
    for a registrant below the minimum prior education goes with the registration itself (as
    `smr coach add --education-exception`), so the coaches are read with them."""
    return {row.required("reg_no"): (row.required("reason"), row.required("decided_by"))
            for row in build.rows("exceptions.csv") if row.text("rule") == EDUCATION}
