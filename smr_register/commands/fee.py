"""`smr fee ...`: contributions, the annual fee of the register's coaches."""

from __future__ import annotations

from typing import Annotated

import typer

from smr_register.commands.common import (
    AsOfOption,
    ListingFormatOption,
    OutputOption,
    ReportFormatOption,
    as_of_date,
    parse_date,
    parse_decimal,
    say,
    state,
)
from smr_register.errors import ExitCode
from smr_register.render.formats import REPORT_FORMATS, OutputFormat
from smr_register.render.registry import check_output, emit

app = typer.Typer(help="Contributions: the annual fee, its payments and arrears.",
                  no_args_is_help=True)

YearOption = Annotated[int, typer.Option("--year", min=1900, max=2100,
                                         help="The year the contribution is for.")]


@app.command("charge")
def charge(
    ctx: typer.Context, year: YearOption,
    on: Annotated[str | None, typer.Option("--on", help="Date of the charge (dd-mm-jjjj); "
                                           "default today. Coaches registered and active "
                                           "on it are charged.", show_default=False)] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show who would be charged; "
                                          "write nothing.")] = False,
    output_format: ListingFormatOption = OutputFormat.TABLE,
) -> None:
    """Charge the year's fee once to every registered, active coach (supervisees are exempt
    where the rules say so); running it again charges only coaches registered since."""
    from smr_register.render.fees import charge_rendering
    from smr_register.services import fees

    obj = state(ctx)
    day = as_of_date(on) if on is None else parse_date(on, "--on")
    with obj.write("fee charge") as (session, change):
        run = fees.charge_year(session, change, obj.book(), year, day, dry_run=dry_run)
        if dry_run:
            session.rollback()
    emit(charge_rendering(run, dry_run=dry_run), output_format)


@app.command("pay")
def pay(
    ctx: typer.Context,
    reg_no: Annotated[str, typer.Argument(help="Registration number of the coach.")],
    year: YearOption,
    amount: Annotated[str, typer.Option("--amount", help="Amount paid in euros, e.g. 60 or "
                                        "30,50.")],
    paid_on: Annotated[str, typer.Option("--date", help="Date of the payment (dd-mm-jjjj).")],
    reference: Annotated[str | None, typer.Option("--reference", help="Bank reference or "
                                                  "note, kept in the history.")] = None,
) -> None:
    """Record a payment towards a coach's contribution for a year (part payments add up)."""
    from smr_register.domain.fees import cents, format_euros
    from smr_register.domain.i18n import _
    from smr_register.services import fees

    obj = state(ctx)
    paid = parse_decimal(amount, "--amount")
    with obj.write("fee pay") as (session, change):
        account = fees.record_payment(
            session, change, reg_no, year=year, amount=paid,
            paid_on=parse_date(paid_on, "--date"), today=as_of_date(None),
            reference=reference)
    say(_("Recorded EUR {amount} for coach {reg_no}, {year}; still owed: EUR {owed}.").format(
        amount=format_euros(cents(paid)), reg_no=reg_no, year=year,
        owed=format_euros(account.outstanding_cents)))


@app.command("list")
def list_accounts(
    ctx: typer.Context,
    reg_no: Annotated[str | None, typer.Argument(help="Only this coach.")] = None,
    year: Annotated[int | None, typer.Option("--year", min=1900, max=2100,
                                             help="Only this year.")] = None,
    as_of: AsOfOption = None,
    output_format: ListingFormatOption = OutputFormat.TABLE,
) -> None:
    """Charges and what was paid towards them, as of a date."""
    from smr_register.render.fees import accounts_rendering
    from smr_register.services import fees

    obj, day = state(ctx), as_of_date(as_of)
    with obj.read() as session:
        found = fees.accounts(session, day, year=year, reg_no=reg_no)
    emit(accounts_rendering(found, as_of=day), output_format)


@app.command("arrears")
def arrears(
    ctx: typer.Context, as_of: AsOfOption = None, output: OutputOption = None,
    output_format: ReportFormatOption = OutputFormat.TABLE,
) -> None:
    """Who owes what, and for how long: charges past their due date not paid in full.
    Exit 1 when there are any."""
    from smr_register.render.fees import arrears_rendering
    from smr_register.services import fees

    check_output(output_format, output, REPORT_FORMATS)
    obj, day = state(ctx), as_of_date(as_of)
    with obj.read() as session:
        found = fees.arrears_on(session, day)
    emit(arrears_rendering(found, as_of=day, rules_version=obj.book().in_force(day).id),
         output_format, output)
    if found:
        raise typer.Exit(ExitCode.FINDINGS)
