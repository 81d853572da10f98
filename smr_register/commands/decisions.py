"""`smr decisions [N]`: the decisions kept, each with the assessment it was taken on."""

from __future__ import annotations

from typing import Annotated

import typer

from smr_register.commands.common import ListingFormatOption, split_list, state
from smr_register.render.cells import Column
from smr_register.render.formats import OutputFormat


def register(app: typer.Typer) -> None:
    """Add `decisions` to the root app."""
    app.command("decisions")(decisions)


def _rules(value: list[str]) -> str:
    return ", ".join(value)


DECISION_COLUMNS = [
    Column("id", "No.", "right"), Column("decided_on", "Date"), Column("kind", "Kind"),
    Column("reg_no", "Reg. no"), Column("name", "Name"), Column("status", "Status", term=True),
    Column("unmet", "Not met", text=_rules), Column("rules_version", "Rules"),
    Column("actor", "Who"), Column("why", "Why"),
]
CSV_COLUMNS = [*DECISION_COLUMNS, Column("at", "At"), Column("command", "Command")]


def decisions(
    ctx: typer.Context,
    reg_no: Annotated[str | None, typer.Argument(
        help="Registration number: only this coach's decisions.", show_default=False)] = None,
    kind: Annotated[str | None, typer.Option(
        "--kind", help="Only these kinds, comma-separated: renewal, refusal, notice, sample.",
        show_default=False)] = None,
    output_format: ListingFormatOption = OutputFormat.TABLE,
) -> None:
    """Decisions as they were taken: renewals, refused renewals, notices recorded as sent and
    coaches drawn for a spot check, each with its date, who took it, the rules version and the
    coach's findings on that date (json: the audit's COACH object), whatever was corrected
    since."""
    from smr_register.domain.i18n import _
    from smr_register.render.model import Rendering, Table
    from smr_register.render.registry import emit
    from smr_register.services import decisions as lib

    kinds = split_list(kind, "--kind", list(lib.KINDS))
    obj = state(ctx)
    with obj.read() as session:
        rows = lib.decision_rows(session, reg_no, kinds)
    title = (_("Decisions about coach {reg_no}").format(reg_no=reg_no) if reg_no
             else _("Decisions"))
    document = {"schema_version": lib.DECISIONS_SCHEMA_VERSION, "reg_no": reg_no,
                "kinds": kinds or list(lib.KINDS), "decisions": rows}
    emit(Rendering(screen=[Table(DECISION_COLUMNS, rows, title)], json=lambda: document,
                   csv=Table(CSV_COLUMNS, rows)), output_format)
