"""`smr privacy ...`: a coach's right of access, and purging personal data kept too long."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from smr_register.commands.common import (
    AsOfOption,
    OutputOption,
    RegNoArgument,
    as_of_date,
    say,
    state,
)
from smr_register.domain import limits
from smr_register.domain.i18n import _, ngettext
from smr_register.domain.values import format_date
from smr_register.errors import UsageError
from smr_register.render.cells import Column, key_column
from smr_register.render.console import print_screen
from smr_register.render.formats import OutputFormat
from smr_register.render.model import Rendering, Table
from smr_register.render.registry import emit

app = typer.Typer(help="GDPR (AVG): right of access and purging old personal data.",
                  no_args_is_help=True)


@app.command("export")
def export(ctx: typer.Context, reg_no: RegNoArgument, output: OutputOption = None,
           as_of: AsOfOption = None) -> None:
    """Everything the register holds on one coach, as JSON (right of access)."""
    from smr_register.services import privacy

    obj = state(ctx)
    with obj.read() as session:
        document = privacy.export(session, reg_no, as_of_date(as_of))
    emit(Rendering(json=lambda: document), OutputFormat.JSON, output)
    if output is not None:
        say(_("Wrote the personal data of coach {reg_no} to {output}.").format(
              reg_no=reg_no, output=output))


PURGE_COLUMNS = [key_column("reg_no", "Reg. no"), Column("why", "Why", term=True),
                 Column("inactive_since", "Inactive since")]


@app.command("purge")
def purge(
    ctx: typer.Context,
    inactive_years: Annotated[int | None, typer.Option(
        "--inactive-years", help="Purge coaches withdrawn or expired for longer than this; "
        "default: the retention period of the rules file.", min=1,
        max=limits.MAX_YEARS)] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only show who would be "
                                          "purged.")] = False,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
    as_of: AsOfOption = None,
) -> None:
    """Anonymise coaches inactive longer than the retention period (aggregates are kept), and
    blank the personal cells of rejected and held import rows of batches older than it."""
    from smr_register.services import privacy

    obj = state(ctx)
    on = as_of_date(as_of)
    years = inactive_years or obj.book().in_force(on).retention_years
    with obj.read() as session:
        candidates = privacy.purge_candidates(session, on, years)
        stale = privacy.stale_import_rows(session, on, years)
    rows = [vars(c) for c in candidates]
    title = ngettext("Coaches inactive for more than {years} year ({count})",
                     "Coaches inactive for more than {years} years ({count})", years).format(
                         years=years, count=len(rows))
    print_screen([Table(PURGE_COLUMNS, rows, title)], stream=sys.stderr)
    say(ngettext("{count} import row (rejected or held) of batches imported before {date} "
                 "holds personal data.",
                 "{count} import rows (rejected or held) of batches imported before {date} "
                 "hold personal data.", len(stale.rows)).format(
        count=len(stale.rows), date=format_date(stale.imported_before)))
    if dry_run or not (candidates or stale.rows):
        say(_("Dry run: nothing was purged.") if dry_run else _("Nothing to purge."))
        return
    if not yes:
        if not typer.get_text_stream("stdin").isatty():
            raise UsageError(_("purging cannot be undone: add --yes to purge without asking"))
        if not typer.confirm(_("Purge the personal data of {coaches} coaches and {rows} import "
                               "rows?").format(coaches=len(candidates), rows=len(stale.rows))):
            say(_("Nothing was purged."))
            return
    with obj.write("privacy purge") as (session, change):
        blanked = privacy.purge_import_rows(session, change, stale, years)
        count = privacy.purge(session, change, candidates, years)
    if count:
        say(ngettext("Purged the personal data of {count} coach; their aggregate numbers are "
                     "kept.",
                     "Purged the personal data of {count} coaches; their aggregate numbers are "
                     "kept.", count).format(count=count))
    if blanked:
        say(ngettext("Blanked the personal cells of {count} import row; its outcome and "
                     "reason are kept.",
                     "Blanked the personal cells of {count} import rows; their outcomes and "
                     "reasons are kept.", blanked).format(count=blanked))
