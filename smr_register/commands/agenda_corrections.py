"""`smr agenda provider edit`, `course edit|remove`, `run remove`: correcting the agenda.

Each is one transaction with its history rows and a required --reason; the rules that protect
the coaches' points are in `services/agenda_corrections.py`.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from smr_register.commands.common import (
    DryRunOption,
    ReasonRequired,
    parse_date_option,
    parse_decimal_option,
    say,
    state,
)
from smr_register.domain.i18n import _, ngettext, number
from smr_register.domain.vocabulary import Profile


def register_corrections(provider_app: typer.Typer, course_app: typer.Typer,
                         run_app: typer.Typer) -> None:
    """Add the corrections to the agenda's command groups."""
    provider_app.command("edit")(provider_edit)
    course_app.command("edit")(course_edit)
    course_app.command("remove")(course_remove)
    run_app.command("remove")(run_remove)


def provider_edit(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The provider's name as the agenda has it.")],
    new_name: Annotated[str, typer.Option("--name", help="The provider's corrected name.")],
    reason: ReasonRequired,
) -> None:
    """Correct a provider's name (its courses stay its own); the history keeps the old one."""
    from smr_register.services import agenda_corrections

    obj = state(ctx)
    with obj.write("agenda provider edit") as (session, change):
        old, provider = agenda_corrections.edit_provider(session, change, name, new_name, reason)
    say(_("Renamed provider {old!r} to {name!r}.").format(old=old, name=provider.name))


def course_edit(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="The course's code as the agenda has it.")],
    reason: ReasonRequired,
    new_code: Annotated[str | None, typer.Option("--code", help="Corrected code (not one the "
                                                 "agenda has).", show_default=False)] = None,
    title: Annotated[str | None, typer.Option("--title", help="Corrected title.",
                                              show_default=False)] = None,
    provider: Annotated[str | None, typer.Option("--provider", help="Another provider of the "
                                                 "agenda.", show_default=False)] = None,
    points: Annotated[str | None, typer.Option("--points", help="Corrected points; a course "
                                               "with credits needs --revalue-credits.",
                                               show_default=False)] = None,
    accredited_from: Annotated[str | None, typer.Option(
        "--accredited-from", help="Corrected first day of the accreditation (dd-mm-jjjj); "
        "every run must stay inside it.", show_default=False)] = None,
    accredited_until: Annotated[str | None, typer.Option(
        "--accredited-until", help="Corrected last day of the accreditation (dd-mm-jjjj).",
        show_default=False)] = None,
    profile: Annotated[list[Profile] | None, typer.Option(
        "--profile", help="The profiles the course serves, replacing its list (repeatable).",
        show_default=False)] = None,
    revalue_credits: Annotated[bool, typer.Option(
        "--revalue-credits", help="With --points: give the credits of the course's full points "
        "the new points, and lower partial credits above them (each in the coach's "
        "history).")] = False,
    dry_run: DryRunOption = False,
) -> None:
    """Correct a course of the agenda: its code (a typo), title, provider, points or
    accreditation. Coaches' credits change only with --revalue-credits."""
    from smr_register.services import agenda_corrections as lib

    changes = lib.CourseChanges(
        code=new_code, title=title, provider=provider,
        points=parse_decimal_option(points, "--points"),
        accredited_from=parse_date_option(accredited_from, "--accredited-from"),
        accredited_until=parse_date_option(accredited_until, "--accredited-until"),
        profiles=list(profile) if profile else None)
    obj = state(ctx)
    with obj.write("agenda course edit", imports=True) as (session, change):
        course, touched = lib.edit_course(session, change, code, changes, reason,
                                          revalue_credits=revalue_credits)
        shown = course.code
        if dry_run:
            session.rollback()
    say((_("Would update course {code} (dry run: nothing written).") if dry_run
         else _("Updated course {code}.")).format(code=shown))
    if touched.credits:
        say((ngettext("Would re-value {count} credit of {coaches}: {before} points would become "
                      "{after}.", "Would re-value {count} credits of {coaches}: {before} points "
                      "would become {after}.", touched.credits) if dry_run
             else ngettext("Re-valued {count} credit of {coaches}: {before} points became "
                           "{after}.", "Re-valued {count} credits of {coaches}: {before} points "
                           "became {after}.", touched.credits)).format(
            count=touched.credits, coaches=_coaches(len(touched.coaches)),
            before=number(touched.points_before), after=number(touched.points_after)))


def course_remove(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="The course's code.")],
    reason: ReasonRequired,
) -> None:
    """Take a course without runs out of the agenda (a course entered in error)."""
    from smr_register.services import agenda_corrections

    obj = state(ctx)
    with obj.write("agenda course remove", imports=True) as (session, change):
        course = agenda_corrections.remove_course(session, change, code, reason)
    say(_("Removed course {code} from the training agenda.").format(code=course.code))


def run_remove(
    ctx: typer.Context,
    course: Annotated[str, typer.Option("--course", help="Course code.")],
    on: Annotated[str, typer.Option("--date", help="Date of the run (dd-mm-jjjj).")],
    reason: ReasonRequired,
    with_credits: Annotated[bool, typer.Option(
        "--with-credits", help="Take back the credits of the run with it (each in the coach's "
        "history); without it a run with credits is refused.")] = False,
    dry_run: DryRunOption = False,
) -> None:
    """Take a run out of the agenda (entered in error); its credits go only with
    --with-credits."""
    from smr_register.services import agenda_corrections

    obj = state(ctx)
    run_date = parse_date_option(on, "--date") or date.min
    with obj.write("agenda run remove", imports=True) as (session, change):
        touched = agenda_corrections.remove_run(session, change, course, run_date, reason,
                                                with_credits=with_credits)
        if dry_run:
            session.rollback()
    say((_("Would remove the run of {course} on {run_date:%d-%m-%Y} (dry run: nothing "
           "written).") if dry_run else _("Removed the run of {course} on "
                                           "{run_date:%d-%m-%Y}.")).format(
        course=course.strip().upper(), run_date=run_date))
    if touched.credits:
        say((ngettext("Would take back {count} credit of {coaches} ({points} points in all).",
                      "Would take back {count} credits of {coaches} ({points} points in all).",
                      touched.credits) if dry_run
             else ngettext("Took back {count} credit of {coaches} ({points} points in all).",
                           "Took back {count} credits of {coaches} ({points} points in all).",
                           touched.credits)).format(
            count=touched.credits, coaches=_coaches(len(touched.coaches)),
            points=number(touched.points_before)))


def _coaches(count: int) -> str:
    return ngettext("{count} coach", "{count} coaches", count).format(count=count)
