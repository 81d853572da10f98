"""`smr history N`: every change to one coach."""

from __future__ import annotations

import typer

from smr_register.commands.common import (
    ListingFormatOption,
    RegNoArgument,
    state,
)
from smr_register.domain.i18n import _
from smr_register.render.cells import Column, json_text, lines_text
from smr_register.render.formats import OutputFormat


def register(app: typer.Typer) -> None:
    """Add `history` to the root app."""
    app.command("history")(history)


HISTORY_COLUMNS = [
    Column("at", "When"), Column("actor", "Who"), Column("command", "Command"),
    Column("entity", "What"), Column("action", "Action"),
    Column("before", "Before", text=json_text, short=lines_text),
    Column("after", "After", text=json_text, short=lines_text), Column("reason", "Why"),
]


def history(ctx: typer.Context, reg_no: RegNoArgument,
            output_format: ListingFormatOption = OutputFormat.TABLE) -> None:
    """Every change to one coach: when, who, what, before and after, and why."""
    import json

    from smr_register.render.model import listing
    from smr_register.render.registry import emit
    from smr_register.store import coaches as coach_store
    from smr_register.store import history as history_store

    obj = state(ctx)
    with obj.read() as session:
        coach = coach_store.coach_by_reg_no(session, reg_no)
        entries = history_store.history_of(session, coach.id or 0)
    rows = [{"at": h.at, "actor": h.actor, "command": h.command, "entity": h.entity,
             "action": h.action, "before": json.loads(h.before) if h.before else None,
             "after": json.loads(h.after) if h.after else None, "reason": h.reason}
            for h in entries]
    emit(listing(HISTORY_COLUMNS, rows, _("History of coach {reg_no}").format(reg_no=reg_no)),
         output_format)
