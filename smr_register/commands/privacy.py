"""`smr privacy ...` (issue 6)."""

from __future__ import annotations

import typer

app = typer.Typer(help="GDPR (AVG): right of access and purging old personal data.",
                  no_args_is_help=True)
