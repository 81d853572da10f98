"""`smr audit`, `smr renew`: re-registration (issue 4)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the audit commands to the root app."""
