"""`coach show` and `history` on screen speak as staff do: labels, dd-mm-jjjj, numbers instead
of internal ids, lists summed up; their JSON keeps the stored shape for scripts."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from smr_register.errors import ExitCode
from smr_register.render.labels import people_lines, people_value
from tests.fixtures import Run
from tests.fixtures.imports import HEADER, MI, build_register, ok

INTERNAL = re.compile(r"\b(reg_no|first_name|last_name|state_date|birth_date|supervisor_id|"
                      r"coach_id|valid_until|starts_on)\b|\d{4}-\d{2}-\d{2}|: None\b|\[\{")


def test_coach_show_uses_labels_and_dates(run: Run) -> None:
    build_register(run)
    ok(run("coach", "add", "--reg-no", "100600", "--last-name", "Berg", "--first-name", "Jan",
           "--birth-date", "12-03-1975", "--registered", "01-10-2022"))
    ok(run("supervisor", "assign", "100600", "--supervisor", "004512"))
    screen = run("coach", "show", "100600").stdout
    assert not INTERNAL.search(screen), INTERNAL.search(screen)
    for label in ("Registration number", "First name", "Last name", "Date of birth",
                  "State", "Supervisor", "Registered on the date", "Valid until"):
        assert label in screen
    assert "12-03-1975" in screen and "004512" in screen
    shown = json.loads(run("coach", "show", "100600", "-f", "json").stdout)
    assert shown["coach"]["reg_no"] == "100600"
    assert shown["coach"]["birth_date"] == "1975-03-12"


def test_history_shows_labels_numbers_and_summaries(
        run: Run, make_xlsx: Callable[..., Path]) -> None:
    build_register(run)
    ok(run("coach", "add", "--reg-no", "100600", "--last-name", "Berg", "--first-name", "Jan",
           "--registered", "01-10-2022"))
    ok(run("supervisor", "assign", "100600", "--supervisor", "004512"))
    sheet = make_xlsx([HEADER, ["100600", "Berg", None, "J.", None, None, "C-2024-017", MI,
                                "14-05-2024", "1,5", None]])
    ok(run("import", "attendance", str(sheet)))
    ok(run("import", "undo", "1", "--reason", "wrong list of 2024-05-14"))
    screen = run("history", "100600").stdout
    assert not INTERNAL.search(screen), INTERNAL.search(screen)
    unwrapped = " ".join(screen.split())
    for text in ("Registration number: 100600", "First name: Jan", "Supervisor: 004512",
                 "From: 01-10-2022", "14-05-2024"):
        assert text in unwrapped, text
    assert "registration_period" not in screen and "Registration" in screen
    stored = json.loads(run("history", "100600", "-f", "json").stdout)
    assert stored[0]["after"]["reg_no"] == "100600"  # scripts keep the stored keys
    assert any("supervisor_id" in (h["after"] or {}) for h in stored)


def test_nested_values_are_summed_up() -> None:
    lines = [{"course": "C-1", "points": "1.50", "run_date": "2024-05-14"},
               {"course": "C-2", "points": "3.00", "run_date": "2024-06-01"},
               {"course": "C-3", "points": "2", "run_date": "2024-07-01"},
               {"course": "C-4", "points": "2", "run_date": "2024-08-01"}]
    text = people_lines({"batch": 3, "credits": lines, "state_date": None, "id": 7})
    assert text.splitlines() == [
        "Batch: 3",
        "Credits: 4 credits: C-1 (14-05-2024, 1.5 points), C-2 (01-06-2024, 3 points), "
        "C-3 (01-07-2024, 2 points), and 1 more",
        "State since: "]
    assert people_value(["a", "b"]) == "a, b"
    assert people_value(True) == "yes"


def test_an_unknown_coach_is_still_refused(run: Run) -> None:
    assert run("history", "999").exit_code == ExitCode.REGISTER
