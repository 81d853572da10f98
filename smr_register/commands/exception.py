"""`smr exception ...`: quality-committee exceptions to a rule for one coach."""

from __future__ import annotations

from typing import Annotated

import typer

from smr_register.commands.common import (
    ListingFormatOption,
    RegNoArgument,
    as_of_date,
    parse_date_option,
    parse_decimal_option,
    say,
    state,
)
from smr_register.domain.i18n import _
from smr_register.domain.values import format_date
from smr_register.render.cells import Column, key_column
from smr_register.render.formats import OutputFormat

app = typer.Typer(help="Quality-committee exceptions to a rule for one coach.",
                            no_args_is_help=True)


RULE_HELP = ("Rule it waives or changes: points, spread, hours, hours-spread, basisprofiel, "
             "education, supervision, practice.")


@app.command("add")
def exception_add(
    ctx: typer.Context, reg_no: RegNoArgument,
    rule: Annotated[str, typer.Option("--rule", help=RULE_HELP)],
    reason: Annotated[str, typer.Option("--reason", help="The committee's reason.")],
    decided_by: Annotated[str, typer.Option("--decided-by", help="Who decided, e.g. "
                                            "Kwaliteitscommissie SMR.")],
    decided_on: Annotated[str | None, typer.Option("--decided-on", help="Date of the "
                                                   "decision; default today.")] = None,
    valid_until: Annotated[str | None, typer.Option("--valid-until", help="Last day it "
                                                    "applies.")] = None,
    value: Annotated[str | None, typer.Option("--value", help="A changed minimum instead of "
                                              "a waiver, e.g. --value 10 for points.")] = None,
) -> None:
    """Record a quality-committee exception; the audit cites it in its finding."""
    from smr_register.services import exception_records

    obj = state(ctx)
    with obj.write("exception add") as (session, change):
        item = exception_records.add_exception(session, change, reg_no, rule=rule, reason=reason,
                          decided_by=decided_by,
                          decided_on=as_of_date(decided_on, option="--decided-on"),
                          valid_until=parse_date_option(valid_until, "--valid-until"),
                          value=parse_decimal_option(value, "--value"))
    say(_("Recorded exception {id} to rule {rule} for coach {reg_no}.").format(
        id=item.id, rule=rule, reg_no=reg_no))


@app.command("end")
def exception_end(
    ctx: typer.Context,
    exception_id: Annotated[int, typer.Argument(help="The exception's id (smr exception "
                                                "list).", min=1)],
    reason: Annotated[str, typer.Option("--reason", help="Why it ends: kept in the history.")],
    on: Annotated[str | None, typer.Option("--on", help="First day it no longer applies "
                                           "(dd-mm-jjjj); default today.")] = None,
) -> None:
    """End an exception from a date; audits of earlier dates still apply it."""
    from smr_register.services import exception_records

    obj = state(ctx)
    when = parse_date_option(on, "--on") or as_of_date(None)
    with obj.write("exception end") as (session, change):
        item = exception_records.end_exception(session, change, exception_id, when, reason)
    say(_("Exception {id} ends: its last day is {date}.").format(
        id=exception_id, date=format_date(item.valid_until)))


EXCEPTION_COLUMNS = [
    Column("id", "Id", "right"),
    key_column("reg_no", "Reg. no"), key_column("rule", "Rule", term=True),
    Column("value", "Value"),
    Column("reason", "Reason", priority=2), Column("decided_by", "Decided by", priority=3),
    Column("decided_on", "Decided on", priority=2), Column("valid_until", "Valid until"),
]


@app.command("list")
def exception_list(
    ctx: typer.Context,
    reg_no: Annotated[str | None, typer.Argument(help="Only this coach.")] = None,
    output_format: ListingFormatOption = OutputFormat.TABLE,
) -> None:
    """List quality-committee exceptions."""
    from smr_register.render.model import listing
    from smr_register.render.registry import emit
    from smr_register.store import records as record_store

    obj = state(ctx)
    with obj.read() as session:
        found = record_store.exception_rows(session, reg_no)
    # Keys in the columns' order: the rows come from model_dump, whose order changes from run
    # to run (see `intervention list`).
    rows = [{col.key: row[col.key] for col in EXCEPTION_COLUMNS} for row in found]
    emit(listing(EXCEPTION_COLUMNS, rows, "Exceptions"), output_format)
