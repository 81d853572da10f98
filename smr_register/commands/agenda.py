"""`smr agenda ...`: the register's training agenda (scholingsagenda), the only source of points."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from smr_register.commands.agenda_corrections import register_corrections
from smr_register.commands.common import (
    ColumnOption,
    DryRunOption,
    ListingFormatOption,
    parse_date_option,
    say,
    state,
)
from smr_register.domain.i18n import _, ngettext
from smr_register.domain.values import parse_decimal
from smr_register.domain.vocabulary import Profile
from smr_register.render.cells import Column, key_column
from smr_register.render.formats import OutputFormat
from smr_register.render.model import listing
from smr_register.render.registry import emit

app = typer.Typer(help="The training agenda: providers, accredited courses and their runs.",
                  no_args_is_help=True)
provider_app = typer.Typer(help="Training providers.", no_args_is_help=True)
course_app = typer.Typer(help="Accredited courses.", no_args_is_help=True)
run_app = typer.Typer(help="Dated runs (uitvoeringen) of courses.", no_args_is_help=True)
app.add_typer(provider_app, name="provider")
app.add_typer(course_app, name="course")
app.add_typer(run_app, name="run")


@provider_app.command("add")
def provider_add(ctx: typer.Context,
                 name: Annotated[str, typer.Option("--name", help="Provider's name.")]) -> None:
    """Add a training provider."""
    from smr_register.services import agenda_records

    obj = state(ctx)
    with obj.write("agenda provider add") as (session, change):
        provider = agenda_records.add_provider(session, change, name)
    say(_("Added provider {name!r}.").format(name=provider.name))


@provider_app.command("list")
def provider_list(ctx: typer.Context,
                  output_format: ListingFormatOption = OutputFormat.TABLE) -> None:
    """List training providers."""
    from smr_register.store import agenda as agenda_store

    obj = state(ctx)
    with obj.read() as session:
        rows = [{"name": p.name} for p in agenda_store.list_providers(session)]
    emit(listing([Column("name", "Provider")], rows, "Providers"), output_format)


@course_app.command("add")
def course_add(
    ctx: typer.Context,
    code: Annotated[str, typer.Option("--code", help="Course code, e.g. C-2024-017.")],
    title: Annotated[str, typer.Option("--title", help="Course title.")],
    provider: Annotated[str, typer.Option("--provider", help="Provider's name.")],
    points: Annotated[str, typer.Option("--points", help="Accreditation points (1,5 or 1.5).")],
    accredited_from: Annotated[str, typer.Option("--accredited-from", help="First day of the "
                                                 "accreditation (dd-mm-jjjj).")],
    accredited_until: Annotated[str, typer.Option("--accredited-until", help="Last day of the "
                                                  "accreditation (dd-mm-jjjj).")],
    profile: Annotated[list[Profile] | None, typer.Option(
        "--profile", help="A profile the course serves (repeatable).")] = None,
    basic_training: Annotated[bool, typer.Option(
        "--basic-training", help="The course is the basisprofiel's integral basic "
        "training.")] = False,
) -> None:
    """Put an accredited course in the training agenda."""
    from smr_register.services import agenda_records

    obj = state(ctx)
    with obj.write("agenda course add") as (session, change):
        course = agenda_records.add_course(
            session, change, code=code, title=title, provider=provider,
            points=parse_decimal(points, "--points"),
            accredited_from=parse_date_option(accredited_from, "--accredited-from") or date.min,
            accredited_until=parse_date_option(accredited_until, "--accredited-until")
            or date.min,
            profiles=list(profile or []), basic_training=basic_training,
        )
    say(_("Added course {code} to the training agenda.").format(code=course.code))


@run_app.command("add")
def run_add(
    ctx: typer.Context,
    course: Annotated[str, typer.Option("--course", help="Course code.")],
    on: Annotated[str, typer.Option("--date", help="Date of the run (dd-mm-jjjj).")],
) -> None:
    """Add a dated run of a course; attendance is credited against runs."""
    from smr_register.services import agenda_records

    obj = state(ctx)
    run_date = parse_date_option(on, "--date") or date.min
    with obj.write("agenda run add") as (session, change):
        agenda_records.add_run(session, change, course, run_date)
    say(_("Added a run of {course} on {run_date:%d-%m-%Y}.").format(
          course=course.upper(), run_date=run_date))


COURSE_COLUMNS = [
    key_column("code", "Code"), Column("title", "Title", priority=0),
    Column("provider", "Provider", priority=2), Column("points", "Points", "right"),
    Column("accredited_from", "Accredited from", priority=3),
    Column("accredited_until", "Accredited until"),
    Column("profiles", "Profiles", term=True, priority=3),
]
# Runs summed up by default; every run date with --runs.
COMPACT_RUNS = [Column("run_count", "Runs", "right"), Column("first_run", "First run"),
                Column("last_run", "Last run")]
EVERY_RUN = [Column("runs", "Runs", priority=2)]


@app.command("list")
def list_(
    ctx: typer.Context,
    provider: Annotated[str | None, typer.Option(
        "--provider", help="Only this provider's courses (part of the name will do).",
        show_default=False)] = None,
    search: Annotated[str | None, typer.Option(
        "--search", help="Only courses whose code or title contains this text.",
        show_default=False)] = None,
    since: Annotated[str | None, typer.Option(
        "--from", help="Only courses with a run on or after this date (dd-mm-jjjj); runs "
        "before it are not shown.", show_default=False)] = None,
    until: Annotated[str | None, typer.Option(
        "--until", help="Only courses with a run on or before this date (dd-mm-jjjj); runs "
        "after it are not shown.", show_default=False)] = None,
    runs: Annotated[bool, typer.Option(
        "--runs", help="List every run's date instead of how many there are, the first and "
        "the last.")] = False,
    output_format: ListingFormatOption = OutputFormat.TABLE,
) -> None:
    """The training agenda: courses with their accreditation and runs (summed up, or every
    run with --runs); filter by provider, code or title, and the dates of the runs."""
    from smr_register.domain.values import check_text
    from smr_register.services.agenda_view import AgendaFilter, agenda_rows
    from smr_register.store import agenda as agenda_store

    chosen = AgendaFilter(provider=check_text(provider, "--provider"),
                          search=check_text(search, "--search"),
                          since=parse_date_option(since, "--from"),
                          until=parse_date_option(until, "--until"))
    obj = state(ctx)
    with obj.read() as session:
        rows = agenda_rows(agenda_store.agenda(session), chosen)
    columns = [*COURSE_COLUMNS, *(EVERY_RUN if runs else COMPACT_RUNS)]
    document = [{k: v for k, v in row.items() if k not in SUMMARY_KEYS} for row in rows]
    emit(listing(columns, rows, ngettext("Training agenda ({count} course)",
                                         "Training agenda ({count} courses)",
                                         len(rows)).format(count=len(rows)),
                 document=document), output_format)


# The summary of the runs is for people; JSON has every run date already.
SUMMARY_KEYS = frozenset(column.key for column in COMPACT_RUNS)


@app.command("import")
def import_agenda(
    ctx: typer.Context,
    path: Annotated[str, typer.Argument(help="Spreadsheet (.xlsx/.xls/.ods/.csv) of courses "
                                        "and runs.")],
    dry_run: DryRunOption = False,
    output_format: ListingFormatOption = OutputFormat.TABLE,
    column: ColumnOption = None,
) -> None:
    """Load courses and runs into the training agenda from a spreadsheet."""
    from smr_register.commands.importing import run_agenda_import

    run_agenda_import(ctx, path, dry_run, output_format, column)


register_corrections(provider_app, course_app, run_app)
