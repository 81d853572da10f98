"""`smr supervisor ...`: who supervises whom, within the rules' limit."""

from __future__ import annotations

from typing import Annotated

import typer

from smr_register.commands.common import (
    AsOfOption,
    ListingFormatOption,
    ReasonOption,
    RegNoArgument,
    as_of_date,
    say,
    state,
)
from smr_register.domain.i18n import _
from smr_register.render.cells import Column, key_column
from smr_register.render.formats import OutputFormat
from smr_register.render.model import listing
from smr_register.render.registry import emit

app = typer.Typer(help="Supervisors and their supervisees.", no_args_is_help=True)


@app.command("assign")
def assign(
    ctx: typer.Context,
    reg_no: Annotated[str, typer.Argument(help="Registration number of the supervisee.")],
    supervisor: Annotated[str, typer.Option("--supervisor", help="Registration number of the "
                                            "supervisor.")],
    as_of: AsOfOption = None,
) -> None:
    """Assign a supervisor: an active coach with enough experience, below the limit."""
    from smr_register.services import supervision

    obj = state(ctx)
    with obj.write("supervisor assign") as (session, change):
        supervision.assign_supervisor(session, change, obj.book(), reg_no, supervisor,
                                   as_of_date(as_of))
    say(_("Coach {reg_no} is supervised by {supervisor}.").format(
          reg_no=reg_no, supervisor=supervisor))


@app.command("unassign")
def unassign(ctx: typer.Context, reg_no: RegNoArgument, reason: ReasonOption = None) -> None:
    """Remove a coach's supervisor."""
    from smr_register.services import supervision

    obj = state(ctx)
    with obj.write("supervisor unassign") as (session, change):
        supervision.unassign_supervisor(session, change, reg_no, reason)
    say(_("Coach {reg_no} has no supervisor now.").format(reg_no=reg_no))


COLUMNS = [key_column("supervisor", "Supervisor"), Column("name", "Name", priority=0),
           Column("count", "Supervisees", "right"), Column("limit", "Limit", "right"),
           Column("supervisees", "Supervisees (reg. no)", priority=2)]


@app.command("list")
def list_(ctx: typer.Context, as_of: AsOfOption = None,
          output_format: ListingFormatOption = OutputFormat.TABLE) -> None:
    """Every supervisor with the number of supervisees against the limit."""
    from smr_register.store import coaches as coach_store

    obj = state(ctx)
    limit = obj.book().in_force(as_of_date(as_of)).max_supervisees
    with obj.read() as session:
        rows = [{**row, "limit": limit} for row in coach_store.supervisor_rows(session)]
    emit(listing(COLUMNS, rows, "Supervisors"), output_format)
