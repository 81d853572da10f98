"""`smr decisions`: renewals, refusals and spot checks kept as they were taken, whatever is
corrected afterwards (a coach who objects a year later sees what was decided and why).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from smr_register.errors import ExitCode
from tests.fixtures import Run, dump

ON = "01-12-2026"


def ok(result: Any, code: ExitCode = ExitCode.OK) -> Any:
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    return result


def audited(run: Run, reg_no: str, db: Path) -> dict[str, Any]:
    result = run("audit", reg_no, "--as-of", ON, "-f", "json", db=db)
    return json.loads(result.stdout)["coaches"][0]


def kept(run: Run, db: Path, *args: str) -> list[dict[str, Any]]:
    return json.loads(ok(run("decisions", *args, "-f", "json", db=db)).stdout)["decisions"]


def test_a_renewal_keeps_what_was_decided_after_the_facts_are_corrected(
        run: Run, demo_db: Path) -> None:
    # 101170's period ends on 01-12-2026; 8 points of ARZ-100 on 04-09-2023 count, and the
    # basisprofiel is held.
    before = audited(run, "101170", demo_db)
    assert before["status"] == "due"
    ok(run("--actor", "J. de Boer", "renew", "101170", "--as-of", ON, db=demo_db))
    ok(run("credit", "remove", "101170", "--course", "ARZ-100", "--date", "04-09-2023",
           "--reason", "entered for the wrong coach", db=demo_db))
    ok(run("coach", "profile", "101170", "remove", "basisprofiel", "--correction", "--reason",
           "certificate was never issued", db=demo_db))
    now = audited(run, "101170", demo_db)
    assert now["findings"] != before["findings"]  # the audit of that day is recomputed

    (decision,) = kept(run, demo_db, "101170")
    assert (decision["kind"], decision["decided_on"], decision["actor"], decision["command"],
            decision["rules_version"]) == ("renewal", "2026-12-01", "J. de Boer", "renew",
                                           "2022.1")
    assert decision["assessment"] == before  # exactly what was decided, and on what
    assert decision["detail"] == {"previous_valid_until": "2026-12-01",
                                  "new_starts_on": "2026-12-02",
                                  "new_valid_until": "2031-12-01"}
    assert decision["why"] == "every rule is met"
    points = next(f for f in decision["assessment"]["findings"] if f["rule"] == "points")
    assert {"course": "ARZ-100", "run_date": "2023-09-04", "points": "8"} in (
        points["details"]["counted"])


def test_a_batch_keeps_its_refusals_with_their_findings(run: Run, demo_db: Path) -> None:
    # 101248 is at risk: 12 hours short at the window
    before = audited(run, "101248", demo_db)
    ok(run("renew", "--due-within", "60", "--as-of", ON, db=demo_db), ExitCode.FINDINGS)
    ok(run("coach", "hours", "101248", "--year", "2026", "--hours", "200", db=demo_db))
    assert audited(run, "101248", demo_db)["status"] == "due"  # corrected since

    (refusal,) = kept(run, demo_db, "101248")
    assert refusal["kind"] == "refusal" and refusal["status"] == "at-risk"
    assert refusal["why"] == "status is at-risk; still needed: 12 hours"
    assert refusal["unmet"] == ["hours"] and refusal["assessment"] == before
    everyone = kept(run, demo_db)
    assert {d["kind"] for d in everyone} == {"renewal", "refusal"}
    assert kept(run, demo_db, "--kind", "refusal") == [
        d for d in everyone if d["kind"] == "refusal"]
    table = ok(run("decisions", "--kind", "refusal", db=demo_db)).stdout
    assert "101248" in table and "still needed: 12 hours" in table
    rows = list(csv.DictReader(io.StringIO(
        ok(run("decisions", "101248", "-f", "csv", db=demo_db)).stdout)))
    assert [(r["kind"], r["status"], r["unmet"], r["decided_on"]) for r in rows] == [
        ("refusal", "at-risk", "hours", "2026-12-01")]


def test_a_single_refusal_and_a_dry_run_keep_nothing(run: Run, demo_db: Path) -> None:
    before = dump(demo_db)
    ok(run("renew", "101248", "--as-of", ON, db=demo_db), ExitCode.FINDINGS)
    ok(run("renew", "--due-within", "60", "--as-of", ON, "--dry-run", db=demo_db),
       ExitCode.FINDINGS)
    assert dump(demo_db) == before
    assert kept(run, demo_db) == []


def test_a_spot_check_keeps_the_coaches_drawn(run: Run, demo_db: Path) -> None:
    result = ok(run("audit", "--sample", "20", "--seed", "7", "--as-of", ON, "-f", "json",
                    db=demo_db), ExitCode.FINDINGS)
    drawn = json.loads(result.stdout)
    decisions = kept(run, demo_db, "--kind", "sample")
    assert [d["reg_no"] for d in decisions] == sorted(c["reg_no"] for c in drawn["coaches"])
    assert [d["assessment"] for d in decisions] == drawn["coaches"]
    assert decisions[0]["detail"] == {**drawn["sample"], "percent": "20"}
    assert decisions[0]["command"] == "audit --sample"


def test_unknown_kind_and_coach(run: Run, demo_db: Path) -> None:
    assert run("decisions", "--kind", "verdict", db=demo_db).exit_code == ExitCode.USAGE
    assert run("decisions", "999999", db=demo_db).exit_code == ExitCode.REGISTER


def test_a_coach_sees_their_decisions_and_a_purge_keeps_them_without_the_person(
        run: Run, demo_db: Path) -> None:
    ok(run("renew", "--due-within", "60", "--as-of", ON, db=demo_db), ExitCode.FINDINGS)
    dossier = json.loads(ok(run("privacy", "export", "101248", db=demo_db)).stdout)
    (refusal,) = dossier["decisions"]
    assert refusal["kind"] == "refusal" and refusal["assessment"]["name"] == "Z.W. ter Horst"
    ok(run("privacy", "purge", "--as-of", "01-12-2045", "--yes", db=demo_db))
    after = kept(run, demo_db)
    # 10 renewed, 3 refused; the withdrawn coach the batch leaves out is no refusal
    assert len(after) == 13 and "ter Horst" not in json.dumps(after)
    assert {d["status"] for d in after} <= {"due", "at-risk", "non-compliant", "expired"}
    assert {d["assessment"]["name"] for d in after} == {"[verwijderd]"}
    assert "status is at-risk; still needed: 12 hours" in {d["why"] for d in after}
