"""JSON listings keep one key order: scripts and diffs of nightly output depend on it."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any


def test_intervention_list_json_keys_in_column_order(run: Callable[..., Any]) -> None:
    for name in ("Pakje Kans", "Groepstraining"):
        result = run("intervention", "add", "--name", name, "--since", "01-03-2016",
                     "--description", "fictief")
        assert result.exit_code == 0, result.stderr
    for _attempt in range(3):
        rows = json.loads(run("intervention", "list", "--format", "json").stdout)
        assert [list(row) for row in rows] == [
            ["name", "description", "listed_since", "listed_until"]] * 2
        assert rows[0] == {"name": "Groepstraining", "description": "fictief",
                           "listed_since": "2016-03-01", "listed_until": None}
