"""`smr import ...`: attendance sheets, agenda and coaches from spreadsheets (issue 5)."""

from __future__ import annotations

import typer

app = typer.Typer(help="Import spreadsheets from training providers.", no_args_is_help=True)
