"""`smr rules check|seal` and the version that judged each coach in the audit."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from smr_register.domain import sealing
from smr_register.errors import ExitCode
from tests.domain.test_sealing import NEW_VERSION, PACKAGED
from tests.fixtures import Run
from tests.fixtures.audit import AS_OF, build_register


@pytest.fixture
def rules(tmp_path: Path) -> Path:
    """A copy of the packaged rules file and its lock."""
    shutil.copy(PACKAGED, tmp_path / "rules.toml")
    shutil.copy(sealing.lock_path(PACKAGED), tmp_path / "rules.lock")
    return tmp_path / "rules.toml"


def test_check_of_the_packaged_rules_exits_zero(run: Run) -> None:
    result = run("rules", "check", "--format", "json")
    assert result.exit_code == ExitCode.OK, result.stderr
    rows = json.loads(result.stdout)
    assert [(r["version"], r["effective_from"], r["applies_to"], r["seal"]) for r in rows] == [
        ("2013.1", "2013-01-01", "running", "sealed"),
        ("2022.1", "2022-09-01", "running", "sealed")]
    assert all(r["fingerprint"].startswith("sha256:") for r in rows)


def test_a_new_version_is_a_finding_until_sealed(run: Run, rules: Path) -> None:
    rules.write_text(rules.read_text(encoding="utf-8") + NEW_VERSION, encoding="utf-8")
    check = run("--rules", str(rules), "rules", "check")
    assert check.exit_code == ExitCode.FINDINGS
    assert "Not sealed yet: 2027.1" in check.stderr
    audit = run("--rules", str(rules), "audit", "--as-of", AS_OF)
    assert audit.exit_code == ExitCode.INPUT
    assert "version '2027.1' is not sealed" in audit.stderr
    seal = run("--rules", str(rules), "rules", "seal")
    assert seal.exit_code == ExitCode.OK, seal.stderr
    assert "Sealed version 2027.1 (sha256:" in seal.stderr
    assert '"2027.1" = "sha256:' in rules.with_suffix(".lock").read_text(encoding="utf-8")
    assert run("--rules", str(rules), "rules", "check").exit_code == ExitCode.OK
    again = run("--rules", str(rules), "rules", "seal")
    assert (again.exit_code, "Nothing to seal" in again.stderr) == (ExitCode.OK, True)


def test_an_edited_sealed_version_is_refused_everywhere(run: Run, rules: Path) -> None:
    text = rules.read_text(encoding="utf-8")
    rules.write_text(text.replace('min_hours = { value = "100", reference = "Unchanged',
                                  'min_hours = { value = "80", reference = "Unchanged'),
                     encoding="utf-8")
    lock_before = rules.with_suffix(".lock").read_bytes()
    for args in (("rules", "check"), ("rules", "seal"), ("audit", "--as-of", AS_OF)):
        result = run("--rules", str(rules), *args)
        assert result.exit_code == ExitCode.INPUT, args
        assert "version '2022.1' was changed after it was sealed" in result.stderr
        assert str(rules) in result.stderr
    assert rules.with_suffix(".lock").read_bytes() == lock_before


def test_the_audit_cites_the_version_that_judged_each_coach(db_path: Path, run: Run,
                                                           tmp_path: Path) -> None:
    """A version in force from 01-06-2026 for periods starting from then: nobody's period
    started since, so 2022.1 still judges everyone, and the audit says why."""
    build_register(db_path, ("100001", "100003"))
    proposal = tmp_path / "starting.toml"  # no lock beside it: a draft
    proposal.write_text(PACKAGED.read_text(encoding="utf-8") + NEW_VERSION.replace(
        "2027-01-01", "2026-06-01"), encoding="utf-8")
    result = run("--rules", str(proposal), "audit", "--as-of", AS_OF, "--format", "json")
    document = json.loads(result.stdout)
    assert document["rules_version"] == "2027.1"  # in force on the date
    coach = document["coaches"][0]
    assert coach["rules_version"] == "2022.1"
    assert coach["rules_why"].endswith("Rules 2027.1 (in force since 01-06-2026) apply only to "
                                       "periods that start on or after that day; this period "
                                       "started on 01-01-2022.")
    assert "2 judged by rules 2022.1" in result.stderr
    tree = run("--rules", str(proposal), "audit", "100003", "--as-of", AS_OF).stdout
    assert "Rules 2022.1 judge this period" in " ".join(tree.split())
    table = run("--rules", str(proposal), "audit", "--as-of", AS_OF, "--format", "csv").stdout
    assert table.splitlines()[1].split(",")[3] == "2022.1"


def test_the_packaged_rules_judge_by_the_version_in_force(db_path: Path, run: Run) -> None:
    build_register(db_path, ("100001",))
    document = json.loads(run("audit", "--as-of", AS_OF, "--format", "json").stdout)
    coach = document["coaches"][0]
    assert coach["rules_version"] == "2022.1"
    assert coach["rules_why"] == ("Rules 2022.1 judge this period: in force since 01-09-2022 "
                                  "for every registration period running on 01-12-2026.")
