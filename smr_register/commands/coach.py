"""`smr coach ...`: register, show, list and change coaches."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from smr_register.commands import basisprofiel
from smr_register.commands.common import (
    AsOfOption,
    ColumnOption,
    DryRunOption,
    ListingFormatOption,
    ReasonOption,
    ReasonRequired,
    RegNoArgument,
    as_of_date,
    parse_date_option,
    parse_decimal_option,
    say,
    state,
)
from smr_register.domain import limits
from smr_register.domain.i18n import _
from smr_register.domain.values import check_registration_start, check_text, format_date
from smr_register.domain.vocabulary import CoachState, Education, Profile
from smr_register.render.cells import Column, key_column
from smr_register.render.formats import OutputFormat
from smr_register.render.model import listing
from smr_register.render.registry import emit

if TYPE_CHECKING:
    from sqlmodel import Session

    from smr_register.store.history import Change


class ByCoachGroup(TyperGroup):
    """A group that takes the coach's number before its command (`profile 100234 add`)."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        """`smr coach profile add --help` shows the help of `add`: with no number given, the
        command's name would otherwise be read as the number and --help as the group's."""
        if args and args[0] in self.list_commands(ctx):
            if not any(arg in ctx.help_option_names for arg in args[1:]):
                from smr_register.domain.i18n import _

                raise typer.BadParameter(
                    _("give the coach's registration number before the command: "
                      "'{usage}'").format(usage=f"{ctx.command_path} REG_NO {args[0]} ..."),
                    ctx=ctx, param_hint="REG_NO")
            args = ["REG_NO", *args]
        return super().parse_args(ctx, args)


app = typer.Typer(help="Register coaches and change what the register holds about them.",
                  no_args_is_help=True)
profile_app = typer.Typer(help="Profiles a coach holds (basisprofiel, additional, SMR-Extra).",
                          no_args_is_help=True, cls=ByCoachGroup)
intervention_app = typer.Typer(help="Interventions a coach delivers.", no_args_is_help=True,
                               cls=ByCoachGroup)
app.add_typer(profile_app, name="profile")
app.add_typer(intervention_app, name="intervention")


@profile_app.callback()
def profile_group(ctx: typer.Context, reg_no: RegNoArgument) -> None:
    """Profiles a coach holds: `smr coach profile 100234 add basisprofiel --date ...`."""
    ctx.meta["reg_no"] = reg_no


@intervention_app.callback()
def intervention_group(ctx: typer.Context, reg_no: RegNoArgument) -> None:
    """Interventions a coach delivers: `smr coach intervention 100234 add NAME`."""
    ctx.meta["reg_no"] = reg_no


Initials = Annotated[str | None, typer.Option("--initials", help="Voorletters, e.g. J.M.")]
FirstName = Annotated[str | None, typer.Option("--first-name", help="Voornaam.")]
Prefix = Annotated[str | None, typer.Option("--prefix", help="Tussenvoegsel, e.g. 'van der'.")]
LastName = Annotated[str | None, typer.Option("--last-name", help="Achternaam, without prefix.")]
BirthDate = Annotated[str | None, typer.Option("--birth-date", help="dd-mm-jjjj (internal).")]
Email = Annotated[str | None, typer.Option("--email", help="E-mail address (internal).")]
Phone = Annotated[str | None, typer.Option("--phone", help="Phone number (internal).")]
Big = Annotated[str | None, typer.Option("--big", help="BIG number, 11 digits (internal).")]
Agb = Annotated[str | None, typer.Option("--agb", help="AGB code, 8 digits (internal).")]
EducationOpt = Annotated[Education | None,
                         typer.Option("--education", help="Prior education level.")]
Practice = Annotated[str | None, typer.Option("--practice", help="Practice name (public).")]
Postcode = Annotated[str | None, typer.Option("--postcode", help="Postcode 1234 AB (public).")]
City = Annotated[str | None, typer.Option("--city", help="City (public).")]


def _fields(initials: str | None, first_name: str | None, prefix: str | None,
            last_name: str | None, birth_date: str | None, email: str | None,
            phone: str | None, big: str | None, agb: str | None,
            education: Education | None, practice: str | None, postcode: str | None,
            city: str | None) -> Any:
    from smr_register.services.coach_records import CoachFields

    return CoachFields(
        initials=initials, first_name=first_name, prefix=prefix, last_name=last_name,
        birth_date=parse_date_option(birth_date, "--birth-date"), email=email, phone=phone,
        big=big, agb=agb, education=education.value if education else None,
        practice=practice, postcode=postcode, city=city,
    )


@app.command("add")
def add(
    ctx: typer.Context,
    reg_no: Annotated[str, typer.Option("--reg-no", help="Registration number (digits).")],
    registered: Annotated[str, typer.Option("--registered", help="Start of the first "
                                            "registration period (dd-mm-jjjj).")],
    last_name: Annotated[str, typer.Option("--last-name", help="Achternaam, without prefix.")],
    initials: Initials = None, first_name: FirstName = None,
    prefix: Prefix = None, birth_date: BirthDate = None, email: Email = None,
    phone: Phone = None, big: Big = None, agb: Agb = None, education: EducationOpt = None,
    practice: Practice = None, postcode: Postcode = None, city: City = None,
    education_exception: Annotated[str | None, typer.Option(
        "--education-exception", help="The quality committee's reason for registering a coach "
        "below the minimum prior education (with --decided-by).")] = None,
    decided_by: Annotated[str | None, typer.Option(
        "--decided-by", help="Who decided the education exception.")] = None,
) -> None:
    """Register a new coach; the first period's length comes from the rules file.

    From 2022-09-01 a registrant below MBO-4 is refused unless the committee's exception is
    given; one without the basisprofiel is registered with a warning (it is attained after
    registration: smr coach training, smr coach assess).
    """
    from smr_register.errors import UsageError
    from smr_register.services import coach_records
    from smr_register.store import coaches as coach_store

    obj = state(ctx)
    details = _fields(initials, first_name, prefix, last_name, birth_date, email, phone, big,
                      agb, education, practice, postcode, city)
    registered_on = check_registration_start(
        parse_date_option(registered, "--registered") or date.min, as_of_date(None),
        "--registered")
    if (education_exception is None) != (decided_by is None):
        raise UsageError(_("--education-exception and --decided-by go together"))
    exception = (education_exception, decided_by) if education_exception and decided_by else None
    with obj.write("coach add") as (session, change):
        coach = coach_records.add_coach(session, change, obj.book(), reg_no=reg_no,
                                        registered_on=registered_on, details=details,
                                        education_exception=exception)
        until = coach_store.periods_of(session, coach.id or 0)[-1].valid_until
    say(_("Registered coach {reg_no}, valid until {until:%d-%m-%Y}.").format(
          reg_no=coach.reg_no, until=until))
    for warning in coach_records.entry_warnings(obj.book(), registered_on, coach.education):
        say(_("Warning: coach {reg_no} {warning}.").format(reg_no=coach.reg_no, warning=warning))


@app.command("edit")
def edit(
    ctx: typer.Context, reg_no: RegNoArgument,
    last_name: LastName = None, initials: Initials = None, first_name: FirstName = None,
    prefix: Prefix = None, birth_date: BirthDate = None, email: Email = None,
    phone: Phone = None, big: Big = None, agb: Agb = None, education: EducationOpt = None,
    practice: Practice = None, postcode: Postcode = None, city: City = None,
    clear: Annotated[list[str] | None, typer.Option("--clear", help="Blank an optional field "
                                                    "(repeatable), e.g. --clear phone.")] = None,
    reason: ReasonOption = None,
) -> None:
    """Change a coach's details; only the options given change."""
    from smr_register.services import coach_records

    obj = state(ctx)
    details = _fields(initials, first_name, prefix, last_name, birth_date, email, phone, big,
                      agb, education, practice, postcode, city)
    with obj.write("coach edit") as (session, change):
        if clear:
            coach_records.clear_coach_fields(session, change, reg_no, clear)
        if not clear or any(v is not None for v in vars(details).values()):
            coach_records.edit_coach(session, change, reg_no, details, reason)
    say(_("Updated coach {reg_no}.").format(reg_no=reg_no))


OnOption = Annotated[str | None, typer.Option("--on", "--date",
                                              help="Effective date (dd-mm-jjjj); default today.")]


@app.command("suspend")
def suspend(
    ctx: typer.Context, reg_no: RegNoArgument, reason: ReasonRequired,
    starts: Annotated[str | None, typer.Option("--from", "--date", help="First day suspended "
                                               "(dd-mm-jjjj); default today.")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Last day suspended; default: "
                                              "until reinstated.")] = None,
) -> None:
    """Suspend a coach from a date (e.g. pending a complaint), until a date or until
    reinstated; audits and listings of dates in between show the coach suspended."""
    from smr_register.services import coach_states

    obj = state(ctx)
    first = parse_date_option(starts, "--from") or as_of_date(None)
    last = parse_date_option(until, "--until")
    with obj.write("coach suspend") as (session, change):
        coach_states.suspend(session, change, reg_no, reason, first, last)
    if last is None:
        say(_("Coach {reg_no} is suspended from {first} until reinstated.").format(
            reg_no=reg_no, first=format_date(first)))
    else:
        say(_("Coach {reg_no} is suspended from {first} to {last}.").format(
            reg_no=reg_no, first=format_date(first), last=format_date(last)))


@app.command("reinstate")
def reinstate(ctx: typer.Context, reg_no: RegNoArgument, on: OnOption = None,
              reason: ReasonOption = None) -> None:
    """Make a suspended coach active again from a date: the suspension ends the day before."""
    from smr_register.services import coach_states

    when = _state_change(ctx, "coach reinstate", on, lambda session, change, day:
                         coach_states.reinstate(session, change, reg_no, day, reason))
    say(_("Coach {reg_no} is active again from {date}.").format(reg_no=reg_no,
                                                               date=format_date(when)))


@app.command("withdraw")
def withdraw(ctx: typer.Context, reg_no: RegNoArgument, reason: ReasonRequired,
             on: OnOption = None) -> None:
    """Withdraw a coach from the register from a date (final: no credits, no renewal)."""
    from smr_register.services import coach_states

    when = _state_change(ctx, "coach withdraw", on, lambda session, change, day:
                         coach_states.withdraw(session, change, reg_no, reason, day))
    say(_("Coach {reg_no} is withdrawn from {date}.").format(reg_no=reg_no,
                                                            date=format_date(when)))


def _state_change(ctx: typer.Context, command: str, on: str | None,
                  change_state: Callable[[Session, Change, date], object]) -> date:
    """The day of `--on` (default today), the coach's state changed on it in one transaction."""
    obj = state(ctx)
    when = parse_date_option(on, "--on") or as_of_date(None)
    with obj.write(command) as (session, change):
        change_state(session, change, when)
    return when


LIST_COLUMNS = [
    key_column("reg_no", "Reg. no"), Column("name", "Name", priority=0),
    Column("city", "City", priority=2), key_column("state", "State", term=True),
    Column("registered_from", "Registered from", priority=3),
    Column("valid_until", "Valid until"), Column("valid", "Valid on date"),
    Column("next_valid_until", "Next period until"),
    Column("profiles", "Profiles", term=True, priority=4),
]


@app.command("list")
def list_(
    ctx: typer.Context,
    status: Annotated[CoachState | None, typer.Option("--status", help="Only coaches in this "
                                                       "administrative state.")] = None,
    search: Annotated[str | None, typer.Option("--search", help="Part of a name, city, "
                                               "practice or registration number.")] = None,
    as_of: AsOfOption = None,
    output_format: ListingFormatOption = OutputFormat.TABLE,
) -> None:
    """List coaches in Dutch name order, with their current registration period."""
    from smr_register.store import coaches as coach_store

    obj = state(ctx)
    on = as_of_date(as_of)
    with obj.read() as session:
        rows = coach_store.coach_rows(session, status.value if status else None,
                                      check_text(search, "--search"), on)
    emit(listing(LIST_COLUMNS, rows, _("Coaches ({count}), as of {on:%d-%m-%Y}").format(
        count=len(rows), on=on)),
         output_format)


@app.command("show")
def show(ctx: typer.Context, reg_no: RegNoArgument, as_of: AsOfOption = None,
         output_format: ListingFormatOption = OutputFormat.TABLE) -> None:
    """Everything the register holds about one coach: where they stand on the date (the
    period in force and the renewal decided), periods, profiles, credits, hours."""
    from smr_register.render.dossier import dossier_rendering
    from smr_register.services.dossier import coach_dossier
    from smr_register.store import coaches as coach_store

    obj = state(ctx)
    with obj.read() as session:
        dossier = coach_dossier(session, coach_store.coach_by_reg_no(session, reg_no),
                                as_of_date(as_of))
    emit(dossier_rendering(dossier), output_format)


def Count(name: str, help: str | None = None) -> Any:  # noqa: N802, A002 - reads as an option
    """A practice count of one year: a whole number from 0 to limits.MAX_COUNT."""
    return typer.Option(name, help=help, min=0, max=limits.MAX_COUNT)


@app.command("hours")
def hours(
    ctx: typer.Context, reg_no: RegNoArgument,
    year: Annotated[int, typer.Option("--year", help="Calendar year.",
                                       min=limits.EARLIEST_DATE.year,
                                       max=limits.LATEST_DATE.year)],
    hours_: Annotated[str | None, typer.Option("--hours", help="Coaching hours that year "
                                               "(decimal comma allowed).")] = None,
    clients: Annotated[int | None, Count("--clients")] = None,
    clients_low_literacy: Annotated[int | None, Count(
        "--clients-low-literacy", help="Clients with limited health literacy.")] = None,
    intakes: Annotated[int | None, Count("--intakes")] = None,
    integral_trajectories: Annotated[int | None, Count("--integral-trajectories")] = None,
    pharmacotherapy_trajectories: Annotated[int | None, Count(
        "--pharmacotherapy-trajectories", help="Trajectories with pharmacotherapy.")] = None,
    referrals_somatic: Annotated[int | None, Count(
        "--referrals-somatic", help="Referrals for somatic comorbidity.")] = None,
    referrals_psychiatric: Annotated[int | None, Count(
        "--referrals-psychiatric", help="Referrals for psychiatric comorbidity or another "
        "addiction.")] = None,
    referrals_pregnancy: Annotated[int | None, Count(
        "--referrals-pregnancy", help="Referrals for pregnancy or a wish to conceive.")] = None,
    referrals_medication: Annotated[int | None, Count(
        "--referrals-medication", help="Referrals for medication (pharmacotherapy).")] = None,
) -> None:
    """Record a coach's coaching hours and practice counts (EPAs) for one year."""
    from smr_register.services import coach_records

    obj = state(ctx)
    counts = {"clients": clients, "clients_low_literacy": clients_low_literacy,
              "intakes": intakes, "integral_trajectories": integral_trajectories,
              "pharmacotherapy_trajectories": pharmacotherapy_trajectories,
              "referrals_somatic": referrals_somatic,
              "referrals_psychiatric": referrals_psychiatric,
              "referrals_pregnancy": referrals_pregnancy,
              "referrals_medication": referrals_medication}
    amount = parse_decimal_option(hours_, "--hours")
    with obj.write("coach hours") as (session, change):
        coach_records.set_practice_year(session, change, reg_no, year, amount, counts,
                                        as_of_date(None))
    say(_("Recorded {year} for coach {reg_no}.").format(year=year, reg_no=reg_no))


@profile_app.command("add")
def profile_add(
    ctx: typer.Context,
    profile: Annotated[Profile, typer.Argument(help="The profile attained.")],
    on: Annotated[str, typer.Option("--date", help="Date attained (dd-mm-jjjj).")],
    evidence: Annotated[str | None, typer.Option("--evidence", help="Which accredited "
                                                 "training shows it.")] = None,
    assessed_by: Annotated[str | None, typer.Option("--assessed-by", help="Registration "
                                                    "number of the assessing supervisor.")]
    = None,
) -> None:
    """Record that a coach attained a profile, with its evidence."""
    from smr_register.services import profiles

    obj = state(ctx)
    reg_no = ctx.meta["reg_no"]
    attained = parse_date_option(on, "--date") or date.min
    with obj.write("coach profile add") as (session, change):
        profiles.add_profile(session, change, obj.book(), reg_no, profile,
                             attained, evidence, assessed_by)
    say(_("Coach {reg_no} holds {value} since {attained:%d-%m-%Y}.").format(
          reg_no=reg_no, value=profile.value, attained=attained))


@profile_app.command("remove")
def profile_remove(
    ctx: typer.Context,
    profile: Annotated[Profile, typer.Argument(help="The profile to take away.")],
    reason: ReasonRequired,
    ending: Annotated[str | None, typer.Option("--ending", help="Revoked: the first day it is "
                                               "no longer held (audits of earlier dates still "
                                               "see it).")] = None,
    correction: Annotated[bool, typer.Option("--correction", help="Recorded in error: as if "
                                             "never held.")] = False,
) -> None:
    """Take a profile away: from a date (--ending, a revocation) or as a correction of an
    error (--correction); the history keeps which, and why."""
    from smr_register.services import profiles

    obj = state(ctx)
    reg_no = ctx.meta["reg_no"]
    ends = parse_date_option(ending, "--ending")
    with obj.write("coach profile remove") as (session, change):
        profiles.remove_profile(session, change, reg_no, profile, reason, ending=ends,
                                correction=correction)
    if ends is None:
        say(_("Corrected: coach {reg_no} never held {profile}.").format(
            reg_no=reg_no, profile=profile.value))
    else:
        say(_("Coach {reg_no} no longer holds {profile} from {date} on.").format(
            reg_no=reg_no, profile=profile.value, date=format_date(ends)))


InterventionName = Annotated[str, typer.Argument(help="Name of a listed intervention.")]


@intervention_app.command("add")
def intervention_add(ctx: typer.Context, name: InterventionName,
                     on: Annotated[str | None, typer.Option(
                         "--date", help="Date of the link; the register must list the "
                         "intervention then. Default today.")] = None) -> None:
    """Record that a coach delivers an intervention the register lists."""
    from smr_register.services import coach_records

    obj = state(ctx)
    reg_no = ctx.meta["reg_no"]
    with obj.write("coach intervention add") as (session, change):
        item = coach_records.add_coach_intervention(session, change, reg_no, name,
                                                    parse_date_option(on, "--date")
                                                    or as_of_date(None))
    say(_("Coach {reg_no} delivers {name}.").format(reg_no=reg_no, name=item.name))


@intervention_app.command("remove")
def intervention_remove(ctx: typer.Context, name: InterventionName) -> None:
    """Record that a coach no longer delivers an intervention."""
    from smr_register.services import coach_records

    obj = state(ctx)
    reg_no = ctx.meta["reg_no"]
    with obj.write("coach intervention remove") as (session, change):
        coach_records.remove_coach_intervention(session, change, reg_no, name)
    say(_("Coach {reg_no} no longer delivers {name}.").format(reg_no=reg_no, name=name))


@app.command("import")
def import_coaches(
    ctx: typer.Context,
    path: Annotated[str, typer.Argument(help="Spreadsheet (.xlsx/.xls/.ods/.csv) of coaches.")],
    dry_run: DryRunOption = False,
    output_format: ListingFormatOption = OutputFormat.TABLE,
    column: ColumnOption = None,
) -> None:
    """Register coaches in bulk from a spreadsheet, every row accounted for."""
    from smr_register.commands.importing import run_coach_import

    run_coach_import(ctx, path, dry_run, output_format, column)


basisprofiel.register(app)  # coach assess, coach training
