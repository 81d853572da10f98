"""`smr report notices`: every stage reached and not yet sent is listed, a missed day is caught
up, `--record` keeps them so nothing is sent twice, and deadlines other than the period's end
(the basisprofiel's transition, an exception that ends) get their notices."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from smr_register.errors import ExitCode
from tests.fixtures import Run, dump

# 103398's registration ends on 01-12-2026 (demo register); the notice days are 182, 84, 42.
END = date(2026, 12, 1)


def day(offset: int, end: date = END) -> str:
    """The date `offset` days before `end`, as typed."""
    return (end - timedelta(days=offset)).strftime("%d-%m-%Y")


def notices(run: Run, db: Path, on: str, *extra: str) -> list[dict[str, Any]]:
    result = run("report", "notices", "--as-of", on, "-f", "json", "--lang", "en", *extra,
                 db=db)
    assert result.exit_code == ExitCode.OK, result.stderr
    return json.loads(result.stdout)["notices"]


def stages(run: Run, db: Path, on: str, reg_no: str = "103398", about: str = "period-end",
           *extra: str) -> list[int]:
    return [n["notice_stage"] for n in notices(run, db, on, *extra)
            if n["reg_no"] == reg_no and n["about"] == about]


def test_each_stage_from_its_first_day_the_day_before_nothing(run: Run, demo_db: Path) -> None:
    assert stages(run, demo_db, day(183)) == []
    assert stages(run, demo_db, day(182)) == [1]
    assert stages(run, demo_db, day(85)) == [1]
    assert stages(run, demo_db, day(84)) == [2]
    assert stages(run, demo_db, day(43)) == [2]
    assert stages(run, demo_db, day(42)) == [3]
    assert stages(run, demo_db, day(0)) == [3]  # the last day of the registration
    assert stages(run, demo_db, day(-1)) == []  # expired: no notice about an end that passed


def test_a_missed_day_is_caught_up_and_nothing_is_sent_twice(run: Run, demo_db: Path) -> None:
    assert stages(run, demo_db, day(182), "103398", "period-end", "--record") == [1]
    assert stages(run, demo_db, day(182)) == []  # a second run lists nothing new
    assert notices(run, demo_db, day(182)) == []
    assert stages(run, demo_db, day(181)) == []  # stage 1 was sent
    # the cron run of the day stage 2 begins (Friday) did not happen: Saturday catches it up
    assert stages(run, demo_db, day(83), "103398", "period-end", "--record") == [2]
    assert stages(run, demo_db, day(83)) == stages(run, demo_db, day(82)) == []
    # a coach first seen at stage 3 gets stage 3 alone, once
    assert stages(run, demo_db, day(10), "103398", "period-end", "--record") == [3]
    assert stages(run, demo_db, day(10)) == stages(run, demo_db, day(0)) == []
    sent = json.loads(run("decisions", "103398", "--kind", "notice", "-f", "json",
                          db=demo_db).stdout)["decisions"]
    assert [(d["decided_on"], d["detail"]["stage"], d["detail"]["deadline"]) for d in sent] == [
        ("2026-06-02", 1, "2026-12-01"), ("2026-09-09", 2, "2026-12-01"),
        ("2026-11-21", 3, "2026-12-01")]
    assert sent[0]["why"] == ("Your registration in the Kwaliteitsregister Stoppen met Roken "
                              "ends on 01-12-2026")
    assert sent[0]["assessment"]["reg_no"] == "103398"


def test_without_record_nothing_is_written(run: Run, demo_db: Path) -> None:
    before = dump(demo_db)
    assert notices(run, demo_db, day(42))
    result = run("report", "notices", "--as-of", day(42), "-f", "csv", db=demo_db)
    assert "--record" in result.stderr
    assert dump(demo_db) == before


def test_a_recorded_run_lists_what_it_recorded(run: Run, demo_db: Path) -> None:
    listed = notices(run, demo_db, day(42))
    recorded = notices(run, demo_db, day(42), "--record")
    assert recorded == listed and len(recorded) > 1
    kept = json.loads(run("decisions", "--kind", "notice", "-f", "json", db=demo_db).stdout)
    assert len(kept["decisions"]) == len(listed)
    assert notices(run, demo_db, day(42), "--record") == []


def test_the_basisprofiel_transition_deadline_gets_notices(run: Run, demo_db: Path) -> None:
    deadline = date(2025, 9, 1)  # transition_ends of rules 2022.1
    assert [n for n in notices(run, demo_db, day(183, deadline))
            if n["about"] == "transition"] == []
    first = [n for n in notices(run, demo_db, day(182, deadline)) if n["about"] == "transition"]
    assert first and {(n["notice_stage"], n["deadline"]) for n in first} == {
        (1, "2025-09-01")}
    assert all("basisprofiel by 01-09-2025" in n["message"] for n in first)
    assert all(n["subject"] == "The basisprofiel is required of you from 01-09-2025"
               for n in first)
    notices(run, demo_db, day(182, deadline), "--record")
    later = [n for n in notices(run, demo_db, day(84, deadline)) if n["about"] == "transition"]
    assert {n["notice_stage"] for n in later} == {2}
    assert {n["reg_no"] for n in later} <= {n["reg_no"] for n in first}
    assert [n for n in notices(run, demo_db, day(-1, deadline))
            if n["about"] == "transition"] == []


def test_an_exception_that_ends_gets_notices_beside_the_period_end(run: Run,
                                                                  demo_db: Path) -> None:
    # 103725's exception (rule points) and registration both end on 06-03-2027
    ends = date(2027, 3, 6)
    assert stages(run, demo_db, day(183, ends), "103725", "exception") == []
    assert stages(run, demo_db, day(182, ends), "103725", "exception") == [1]
    found = [n for n in notices(run, demo_db, day(182, ends)) if n["reg_no"] == "103725"]
    assert [n["about"] for n in found] == ["period-end", "exception"]
    assert found[1]["subject"] == "Your exception for the rule points ends on 06-03-2027"
    notices(run, demo_db, day(182, ends), "--record")
    assert stages(run, demo_db, day(181, ends), "103725", "exception") == []
    assert stages(run, demo_db, day(42, ends), "103725", "exception") == [3]
    assert stages(run, demo_db, day(-1, ends), "103725", "exception") == []
