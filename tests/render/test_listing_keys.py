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


def test_exception_list_json_keys_in_column_order(run: Callable[..., Any]) -> None:
    result = run("coach", "add", "--reg-no", "100234", "--last-name", "Vries", "--registered",
                 "01-01-2022")
    assert result.exit_code == 0, result.stderr
    result = run("exception", "add", "100234", "--rule", "points", "--reason", "verlof",
                 "--decided-by", "Kwaliteitscommissie SMR", "--decided-on", "11-05-2023",
                 "--value", "10")
    assert result.exit_code == 0, result.stderr
    rows = json.loads(run("exception", "list", "--format", "json").stdout)
    assert rows == [{"id": 1, "reg_no": "100234", "rule": "points", "value": "10.00",
                     "reason": "verlof",
                     "decided_by": "Kwaliteitscommissie SMR", "decided_on": "2023-05-11",
                     "valid_until": None}]
    assert list(rows[0]) == ["id", "reg_no", "rule", "value", "reason", "decided_by",
                             "decided_on", "valid_until"]
