"""`smr renew`: only a coach who is due, one period on, with its history row; a refusal writes
nothing; a batch renews whoever is due and says why the others were not renewed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smr_register.errors import ExitCode
from tests.fixtures import Run, dump
from tests.fixtures.audit import AS_OF, build_register


@pytest.fixture
def register(db_path: Path) -> Path:
    build_register(db_path)
    return db_path


def periods(run: Run, reg_no: str) -> list[dict[str, str | None]]:
    return json.loads(run("coach", "show", reg_no, "--format", "json").stdout)["periods"]


def test_renewal_of_a_coach_who_is_due_adds_one_period_and_a_history_row(register: Path,
                                                                        run: Run) -> None:
    result = run("renew", "100001", "--as-of", AS_OF)
    assert result.exit_code == ExitCode.OK, result.stderr
    assert "Renewed coach 100001: new period 01-01-2027 to 31-12-2031." in result.stderr
    assert periods(run, "100001")[-1] == {"starts_on": "2027-01-01",
                                          "valid_until": "2031-12-31",
                                          "renewed_on": "2026-12-01"}
    history = json.loads(run("history", "100001", "--format", "json").stdout)
    renewal = history[-1]
    assert (renewal["command"], renewal["entity"], renewal["action"]) == (
        "renew", "registration_period", "renew")
    assert renewal["after"]["valid_until"] == "2031-12-31"
    assert "under rules 2022.1" in renewal["reason"]


def test_renewed_coach_shows_the_renewal_and_cannot_be_renewed_twice(register: Path,
                                                                     run: Run) -> None:
    assert run("renew", "100001", "--as-of", AS_OF).exit_code == ExitCode.OK
    before = dump(register)
    again = run("renew", "100001", "--as-of", AS_OF)
    assert again.exit_code == ExitCode.REGISTER
    assert "already renewed on 01-12-2026 until 31-12-2031" in again.stderr
    assert dump(register) == before
    tree = run("audit", "100001", "--as-of", AS_OF).stdout
    assert "Already renewed on 01-12-2026: 01-01-2027 to 31-12-2031" in tree
    assert ": renewed on 01-12-2026 (rules 2022.1)" in tree
    after_start = json.loads(run("audit", "100001", "--as-of", "02-01-2027", "--format",
                                 "json").stdout)
    assert after_start["coaches"][0]["period"]["valid_until"] == "2031-12-31"
    assert after_start["coaches"][0]["status"] == "on-track"  # a new period, nothing due yet


@pytest.mark.parametrize(("reg_no", "status"), [("100002", "at-risk"), ("100003", "behind"),
                                                ("100004", "expired"),
                                                ("100005", "non-compliant"),
                                                ("100006", "suspended")])
def test_refused_renewal_writes_nothing_and_shows_the_findings(register: Path, run: Run,
                                                               reg_no: str, status: str) -> None:
    before = dump(register)
    result = run("renew", reg_no, "--as-of", AS_OF)
    assert result.exit_code == ExitCode.FINDINGS
    assert f"Not renewed: coach {reg_no}'s status is {status};" in result.stderr
    assert f"Coach {reg_no}" in result.stdout  # the tree of findings
    assert dump(register) == before


def test_refused_renewal_as_json_lists_what_is_missing(register: Path, run: Run) -> None:
    result = run("renew", "100002", "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == ExitCode.FINDINGS
    (outcome,) = json.loads(result.stdout)["coaches"]
    assert (outcome["renewed"], outcome["status"]) == (False, "at-risk")
    # 100 hours, all in 2022: the hours are met, their spread over 5 calendar years is not.
    assert [f["rule"] for f in outcome["findings"]] == ["points", "spread", "hours-spread"]
    assert outcome["findings"][0]["shortfall"] == "5"
    assert outcome["findings"][2]["shortfall"] == "4"


def test_dry_run_renews_nothing(register: Path, run: Run) -> None:
    before = dump(register)
    result = run("renew", "100001", "--as-of", AS_OF, "--dry-run")
    assert result.exit_code == ExitCode.OK
    assert "Would renew coach 100001: new period 01-01-2027 to 31-12-2031." in result.stderr
    assert dump(register) == before


def test_unknown_coach_is_not_found(register: Path, run: Run) -> None:
    assert run("renew", "999999", "--as-of", AS_OF).exit_code == ExitCode.REGISTER


def test_renew_needs_a_coach_or_due_within(register: Path, run: Run) -> None:
    assert run("renew").exit_code == ExitCode.USAGE
    assert run("renew", "100001", "--due-within", "60").exit_code == ExitCode.USAGE


def test_batch_dry_run_lists_who_would_be_renewed_and_why_not(register: Path,
                                                              run: Run) -> None:
    before = dump(register)
    result = run("renew", "--due-within", "90", "--as-of", AS_OF, "--dry-run")
    assert result.exit_code == ExitCode.FINDINGS  # 100002 is not renewed
    lines = result.stdout.splitlines()
    assert "would renew" in next(line for line in lines if "100001" in line)
    assert "status is at-risk" in next(line for line in lines if "100002" in line)
    assert "100003" not in result.stdout  # ends in 2028: not within 90 days
    assert "Would renew 1 of 2 coaches (dry run: nothing written)." in result.stderr
    assert dump(register) == before


def test_batch_renews_every_coach_due_in_one_go(register: Path, run: Run) -> None:
    result = run("renew", "--due-within", "90", "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == ExitCode.FINDINGS
    document = json.loads(result.stdout)
    assert (document["kind"], document["dry_run"]) == ("renewal", False)
    outcomes = {o["reg_no"]: o for o in document["coaches"]}
    assert outcomes["100001"]["renewed"] is True
    assert outcomes["100001"]["new_valid_until"] == "2031-12-31"
    assert outcomes["100002"]["renewed"] is False
    assert document["summary"] == {"renewed": 1, "not_renewed": 1, "already_renewed": 0,
                                   "withdrawn_left_out": 0}
    assert periods(run, "100001")[-1]["valid_until"] == "2031-12-31"
    assert len(periods(run, "100002")) == 1


def test_batch_where_everyone_is_renewed_exits_zero(db_path: Path, run: Run) -> None:
    build_register(db_path, ("100001", "100003"))
    result = run("renew", "--due-within", "60", "--as-of", AS_OF)
    assert result.exit_code == ExitCode.OK
    assert "Renewed 1 of 1 coach." in result.stderr


def test_dry_run_leaves_out_withdrawn_coaches_and_names_earlier_renewals(
        run: Run, demo_db: Path) -> None:
    """A withdrawn coach is never renewed: not listed as 'no', counted; an earlier renewal
    reads 'already renewed', not 'no'."""
    shown = run("renew", "--due-within", "365", "--as-of", "01-12-2026", "--dry-run",
                "-f", "json", db=demo_db)
    document = json.loads(shown.stdout)
    assert all(o["status"] != "withdrawn" for o in document["coaches"])
    assert document["summary"]["withdrawn_left_out"] == 2
    earlier = [o for o in document["coaches"] if o["why"].startswith("already renewed")]
    assert earlier and document["summary"]["already_renewed"] == len(earlier)
    table = run("renew", "--due-within", "365", "--as-of", "01-12-2026", "--dry-run",
                db=demo_db)
    line = next(x for x in table.stdout.splitlines() if earlier[0]["reg_no"] in x)
    assert "already renewed" in line
    assert "withdrawn" not in table.stdout
    assert "2 withdrawn coaches left out (never renewed)." in table.stderr
    assert "renewed earlier already" in table.stderr
