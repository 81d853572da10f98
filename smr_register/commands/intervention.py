"""`smr intervention ...`: the Dutch interventions the register lists as proven effective."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from smr_register.commands.common import ListingFormatOption, parse_date_option, say, state
from smr_register.domain.i18n import _
from smr_register.render.cells import Column
from smr_register.render.formats import OutputFormat
from smr_register.render.model import listing
from smr_register.render.registry import emit

app = typer.Typer(help="Interventions listed in the register.", no_args_is_help=True)


@app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Option("--name", help="Name of the intervention.")],
    since: Annotated[str, typer.Option("--since", help="Listed since (dd-mm-jjjj).")],
    description: Annotated[str | None, typer.Option("--description",
                                                    help="Short description.")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Listed until.")] = None,
) -> None:
    """List an intervention in the register."""
    from smr_register.services import agenda_records

    obj = state(ctx)
    with obj.write("intervention add") as (session, change):
        item = agenda_records.add_intervention(session, change, name, description,
                                         parse_date_option(since, "--since") or date.min,
                                         parse_date_option(until, "--until"))
    say(_("Listed intervention {name!r}.").format(name=item.name))


COLUMNS = [Column("name", "Intervention", priority=0),
           Column("description", "Description", priority=2),
           Column("listed_since", "Listed since"), Column("listed_until", "Listed until")]


@app.command("list")
def list_(ctx: typer.Context, output_format: ListingFormatOption = OutputFormat.TABLE) -> None:
    """The interventions the register lists."""
    from smr_register.store import agenda as agenda_store

    obj = state(ctx)
    with obj.read() as session:
        # One key per column, in the columns' order: model_dump follows the instance's
        # __dict__, which SQLAlchemy fills by iterating a set of the mapper's properties
        # (hashed by identity), so its order changed from run to run.
        rows = [{col.key: getattr(item, col.key) for col in COLUMNS}
                for item in agenda_store.list_interventions(session)]
    emit(listing(COLUMNS, rows, "Interventions"), output_format)
