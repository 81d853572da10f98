"""`smr coach assess` and `smr coach training`: the basisprofiel's parts (services/competences).

Kept beside `commands/coach.py` (which adds them to the coach group) so each module has one job:
these two record how a coach attains the basisprofiel, the coach module registers and changes
coaches.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from smr_register.commands.common import RegNoArgument, parse_date_option, say, state
from smr_register.domain.i18n import _, term
from smr_register.domain.values import format_date
from smr_register.domain.vocabulary import Result


def register(app: typer.Typer) -> None:
    """Add `assess` and `training` to the coach group."""
    app.command("assess")(assess)
    app.command("training")(training)


def _attained(reg_no: str, attained: date | None) -> None:
    if attained is not None:
        say(_("Coach {reg_no} holds the basisprofiel since {day}.").format(
            reg_no=reg_no, day=format_date(attained)))


def assess(
    ctx: typer.Context, reg_no: RegNoArgument,
    role: Annotated[int, typer.Option("--role", help="CanMEDS role of the basisprofiel, 1-7 "
                                      "(smr competences).", min=1, max=99)],
    supervisor: Annotated[str, typer.Option("--supervisor", help="Registration number of the "
                                            "assessing supervisor.")],
    on: Annotated[str, typer.Option("--date",
                                    help="Date of the assessment (dd-mm-jjjj).")],
    result: Annotated[Result, typer.Option("--result", help="The supervisor's verdict.")]
    = Result.MET,
    note: Annotated[str | None, typer.Option("--note", help="What was assessed, how.")] = None,
) -> None:
    """Record a supervisor's assessment of one role of a coach's basisprofiel.

    The supervisor must be registered, active and in good standing on that date, hold the
    basisprofiel and have the rules' years as a registered coach. With the basic training
    recorded and every role assessed 'voldaan', the basisprofiel is attained.
    """
    from smr_register.domain.competences import load_catalogue
    from smr_register.services import competences

    obj = state(ctx)
    day = parse_date_option(on, "--date") or date.min
    with obj.write("coach assess") as (session, change):
        competences.assess_role(session, change, obj.book(), load_catalogue(), reg_no,
                                role=role, supervisor_reg_no=supervisor, on=day,
                                result=result, note=note)
        attained = competences.basisprofiel_of(session, reg_no)
    say(_("Recorded role {role} of coach {reg_no} as {result} on {day}.").format(
        role=role, reg_no=reg_no, result=term(result.value), day=format_date(day)))
    _attained(reg_no, attained)


def training(
    ctx: typer.Context, reg_no: RegNoArgument,
    on: Annotated[str, typer.Option("--date",
                                    help="Date the training was completed (dd-mm-jjjj).")],
    course: Annotated[str | None, typer.Option("--course", help="Code of the agenda's course "
                                               "marked as the basic training.")] = None,
    evidence: Annotated[str | None, typer.Option("--evidence", help="Other evidence the "
                                                 "quality committee accepted.")] = None,
    accepted_by: Annotated[str | None, typer.Option("--accepted-by", help="Who accepted the "
                                                    "evidence.")] = None,
) -> None:
    """Record a coach's integral basic training (part of the basisprofiel)."""
    from smr_register.domain.competences import load_catalogue
    from smr_register.services import competences

    obj = state(ctx)
    day = parse_date_option(on, "--date") or date.min
    with obj.write("coach training") as (session, change):
        competences.record_training(session, change, load_catalogue(), reg_no, on=day,
                                    course_code=course, evidence=evidence,
                                    accepted_by=accepted_by)
        attained = competences.basisprofiel_of(session, reg_no)
    say(_("Recorded the basic training of coach {reg_no} on {day}.").format(
        reg_no=reg_no, day=format_date(day)))
    _attained(reg_no, attained)
