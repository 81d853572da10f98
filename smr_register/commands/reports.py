"""`smr report ...` (issue 6)."""

from __future__ import annotations

import typer

app = typer.Typer(help="Reports for people and for nightly scripts.", no_args_is_help=True)
