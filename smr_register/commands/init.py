"""`smr init`: a new register, empty or the demo register."""

from __future__ import annotations

from typing import Annotated

import typer

from smr_register.commands.common import (
    say,
    state,
)
from smr_register.domain.i18n import _, ngettext


def register(app: typer.Typer) -> None:
    """Add `init` to the root app."""
    app.command("init")(init)


def init(
    ctx: typer.Context,
    demo: Annotated[bool, typer.Option("--demo", help="Fill the new register with the demo "
                                       "data of data/demo (fictional coaches).")] = False,
) -> None:
    """Create a new, empty register (or the demo register) at --db."""
    from smr_register.services import setup

    obj = state(ctx)
    created = setup.initialise(obj.engine(check=False), obj.db_label)
    if demo:
        from smr_register.services.demo import build_demo

        with obj.write("init --demo") as (session, change):
            counts = build_demo(session, change, obj.book())
        summary = ", ".join(_demo_count(what, n) for what, n in counts.items())
        say(_("Built the demo register at {db_label}: {summary}.").format(
              db_label=obj.db_label, summary=summary))
    else:
        say(_("Created an empty register at {db_label} (schema {created}).").format(
              db_label=obj.db_label, created=created))


def _demo_count(what: str, n: int) -> str:
    """`300 coaches`: how many of one kind the demo added, in the current language."""
    words = {
        "providers": ngettext("{n} provider", "{n} providers", n),
        "courses": ngettext("{n} course", "{n} courses", n),
        "course runs": ngettext("{n} course run", "{n} course runs", n),
        "interventions": ngettext("{n} intervention", "{n} interventions", n),
        "coaches": ngettext("{n} coach", "{n} coaches", n),
        "renewals": ngettext("{n} renewal", "{n} renewals", n),
        "credits": ngettext("{n} credit", "{n} credits", n),
        "practice years": ngettext("{n} practice year", "{n} practice years", n),
        "profiles": ngettext("{n} profile", "{n} profiles", n),
        "supervisees": ngettext("{n} supervisee", "{n} supervisees", n),
        "interventions delivered": ngettext("{n} intervention delivered",
                                            "{n} interventions delivered", n),
        "exceptions": ngettext("{n} exception", "{n} exceptions", n),
        "state changes": ngettext("{n} state change", "{n} state changes", n),
        "basic trainings": ngettext("{n} basic training", "{n} basic trainings", n),
        "role assessments": ngettext("{n} role assessment", "{n} role assessments", n),
        "contributions charged": ngettext("{n} contribution charged",
                                          "{n} contributions charged", n),
        "contributions paid": ngettext("{n} contribution paid", "{n} contributions paid", n),
    }
    return words.get(what, f"{{n}} {what}").format(n=n)
