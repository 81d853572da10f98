"""`smr credit ...`: manual point credits (rare: most come from attendance imports)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from smr_register.commands.common import (
    EntryDateOption,
    RegNoArgument,
    entry_date,
    parse_date_option,
    parse_decimal_option,
    say,
    state,
)
from smr_register.domain.i18n import _, ngettext, number, plural_count

app = typer.Typer(help="Manual accreditation-point credits.", no_args_is_help=True)

CourseOption = Annotated[str, typer.Option("--course", help="Course code in the agenda.")]
DateOption = Annotated[str, typer.Option("--date", help="Date of the run (dd-mm-jjjj).")]


@app.command("add")
def add(
    ctx: typer.Context, reg_no: RegNoArgument, course: CourseOption, on: DateOption,
    points: Annotated[str | None, typer.Option("--points", help="Fewer points than the "
                                               "course's, for partial attendance.")] = None,
    reason: Annotated[str | None, typer.Option("--reason", help="Why by hand.")] = None,
    as_of: EntryDateOption = None,
) -> None:
    """Credit a coach for a run of an agenda course that has taken place."""
    from smr_register.services import credit_records

    obj = state(ctx)
    run_date = parse_date_option(on, "--date") or date.min
    entered_on = entry_date(as_of)
    with obj.write("credit add", imports=True) as (session, change):
        credit = credit_records.add_credit(session, change, reg_no, course, run_date,
                                           parse_decimal_option(points, "--points"), reason,
                                           entered_on)
    from smr_register.domain.values import from_centi

    points_credited = from_centi(credit.points_centi)
    say(ngettext("Credited coach {reg_no} with {points} point for {course} on "
                 "{run_date:%d-%m-%Y}.",
                 "Credited coach {reg_no} with {points} points for {course} on "
                 "{run_date:%d-%m-%Y}.", plural_count(points_credited)).format(
          reg_no=reg_no, points=number(points_credited), course=course.upper(),
          run_date=run_date))


@app.command("remove")
def remove(
    ctx: typer.Context, reg_no: RegNoArgument, course: CourseOption, on: DateOption,
    reason: Annotated[str, typer.Option("--reason", help="Why it is taken back.")],
) -> None:
    """Take back a wrong credit (history keeps what it was)."""
    from smr_register.services import credit_records

    obj = state(ctx)
    run_date = parse_date_option(on, "--date") or date.min
    with obj.write("credit remove", imports=True) as (session, change):
        credit_records.remove_credit(session, change, reg_no, course, run_date, reason)
    say(_("Removed the credit of coach {reg_no} for {course} on {run_date:%d-%m-%Y}.").format(
          reg_no=reg_no, course=course.upper(), run_date=run_date))
