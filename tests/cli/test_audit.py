"""`smr audit` through the real CLI on a real register: every format, filter, what-if and sample."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from smr_register import db
from smr_register.domain.ruleset import default_rules_path, load_rules
from smr_register.errors import ExitCode
from smr_register.render.audit_json import CoachEncoder, coach_json
from smr_register.rules import Assessment, Status
from smr_register.services import audit
from tests.fixtures import Run
from tests.fixtures.audit import AS_OF, EXPECTED, ON_TRACK, build_register


@pytest.fixture
def register(db_path: Path) -> Path:
    build_register(db_path)
    return db_path


def audit_json(run: Run, *args: str) -> dict:
    result = run("audit", "--as-of", AS_OF, "--format", "json", *args)
    assert result.exit_code in (ExitCode.OK, ExitCode.FINDINGS), result.stderr
    return json.loads(result.stdout)  # stdout holds the one JSON document and nothing else


def test_table_shows_every_coach_with_status_and_summary_per_status(register: Path,
                                                                    run: Run) -> None:
    result = run("audit", "--as-of", AS_OF)
    assert result.exit_code == ExitCode.FINDINGS
    for reg_no, status in EXPECTED.items():
        line = next(line for line in result.stdout.splitlines() if reg_no in line)
        assert status in line
    assert "5 points; 1 more year with points" in result.stdout  # 100002's shortfall
    assert "6 coaches audited as of 01-12-2026 (rules 2022.1)" in result.stderr
    for status in EXPECTED.values():
        assert any(line.split() == [status, "1"] for line in result.stderr.splitlines())


def test_exit_zero_when_every_coach_is_on_track_or_behind(db_path: Path, run: Run) -> None:
    build_register(db_path, ("100003", ON_TRACK))
    result = run("audit", "--as-of", AS_OF, "-f", "json")
    assert result.exit_code == ExitCode.OK
    assert json.loads(result.stdout)["summary"] == {"on-track": 1, "behind": 1}


def test_on_track_coach_is_shown_with_the_pace(db_path: Path, run: Run) -> None:
    build_register(db_path, (ON_TRACK,))
    result = run("audit", ON_TRACK, "--as-of", AS_OF)
    assert result.exit_code == ExitCode.OK
    assert "on-track on 01-12-2026" in result.stdout
    assert "2 of the 5 years of the period have passed" in result.stdout
    coach = audit_json(run, ON_TRACK)["coaches"][0]
    assert coach["pace"] == {"years_passed": 2, "period_years": 5, "share": "1"}
    assert [(f["rule"], f["expected"]) for f in coach["findings"][:3]] == [
        ("points", "6"), ("spread", "1"), ("hours", "40")]


def test_behind_coach_is_told_what_the_pace_expects(db_path: Path, run: Run) -> None:
    build_register(db_path, ("100003",))
    result = run("audit", "100003", "--as-of", AS_OF)
    assert result.exit_code == ExitCode.OK  # behind: a warning with time left, not a finding
    assert "behind on 01-12-2026" in result.stdout
    assert "6 are expected by now" in result.stdout
    table = run("audit", "--as-of", AS_OF).stdout
    assert "(6 expected by now)" in table


def test_behind_suspended_and_withdrawn_count_as_findings_only_when_selected(
        db_path: Path, run: Run) -> None:
    build_register(db_path, ("100003", "100006"))
    assert run("audit", "--as-of", AS_OF).exit_code == ExitCode.OK
    assert run("audit", "--as-of", AS_OF, "--status", "on-track").exit_code == ExitCode.OK
    assert run("audit", "--as-of", AS_OF, "--status", "behind").exit_code == ExitCode.FINDINGS
    assert run("audit", "--as-of", AS_OF, "--status", "suspended").exit_code == (
        ExitCode.FINDINGS)


def test_help_explains_every_status(run: Run) -> None:
    from smr_register.domain.wording import STATUS_MEANINGS

    text = " ".join(run("audit", "--help").stdout.split())
    for status, meaning in STATUS_MEANINGS.items():
        assert f"{status}: {' '.join(meaning.split())}." in text


def test_json_has_the_documented_shape(register: Path, run: Run) -> None:
    document = audit_json(run)
    assert document["schema_version"] == 2
    assert (document["kind"], document["as_of"], document["rules_version"]) == (
        "audit", "2026-12-01", "2022.1")
    assert {c["reg_no"]: c["status"] for c in document["coaches"]} == EXPECTED
    assert document["summary"] == dict.fromkeys(EXPECTED.values(), 1)
    due = document["coaches"][0]
    assert due["period"] == {"starts_on": "2022-01-01", "valid_until": "2026-12-31",
                             "renewed_on": None}
    assert (due["days_left"], due["notice_from"]) == (30, "2026-07-02")
    points = due["findings"][0]
    assert {k: points[k] for k in ("rule", "met", "blocking", "required", "actual",
                                   "shortfall", "unit")} == {
        "rule": "points", "met": True, "blocking": False, "required": "15", "actual": "15",
        "shortfall": None, "unit": "points"}
    assert points["details"]["counted"][0] == {"course": "C1", "run_date": "2022-03-15",
                                               "points": "5"}
    assert points["details"]["per_year"] == {"2022": "5", "2023": "5", "2024": "5",
                                             "2025": "0", "2026": "0"}


def test_json_lists_credits_that_did_not_count_with_the_reason(register: Path,
                                                               run: Run) -> None:
    expired = next(c for c in audit_json(run)["coaches"] if c["reg_no"] == "100004")
    details = expired["findings"][0]["details"]
    assert details["not_counted"] == [{"course": "C1", "run_date": "2021-03-15",
                                       "points": "5", "reason": "before-period"}]


def test_streamed_json_equals_the_documented_dictionaries(register: Path) -> None:
    """The fast encoder of the whole-register audit writes exactly what coach_json describes."""
    engine = db.make_engine(db.database_url(str(register)))
    encoder = CoachEncoder()
    with engine.connect() as conn:
        for item in audit.assessments(conn, load_rules(), date(2026, 12, 1)):
            expected = json.loads(json.dumps(coach_json(item)))
            assert json.loads(encoder.encode(item)) == expected
    engine.dispose()


def test_csv_has_a_row_per_coach_and_a_column_per_rule(register: Path, run: Run) -> None:
    result = run("audit", "--as-of", AS_OF, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["reg_no"] for r in rows] == list(EXPECTED)
    at_risk = rows[1]
    assert (at_risk["status"], at_risk["points"], at_risk["spread"], at_risk["hours"]) == (
        "at-risk", "10 of 15 (short 5)", "2 of 3 (short 1)", "100 of 100")
    assert {"basisprofiel", "supervision", "supervision.limit", "practice",
            "shortfalls"} <= set(rows[0])


def test_xlsx_one_row_per_coach_status_colour_frozen_header_autofilter(
        register: Path, run: Run, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    target = tmp_path / "audit.xlsx"
    result = run("audit", "--as-of", AS_OF, "--format", "xlsx", "--output", str(target))
    assert result.exit_code == ExitCode.FINDINGS
    assert result.stdout == ""
    sheet = load_workbook(target)["Audit"]
    header = [cell.value for cell in sheet[1]]
    assert header[:3] == ["Reg. no", "Name", "Status"]
    assert {"Points had", "Points required", "Points short", "Years had", "Hours short",
            "Basisprofiel", "Supervisor"} <= set(header)
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref.startswith("A1:")
    assert [sheet.cell(row, 1).value for row in range(2, 8)] == list(EXPECTED)
    assert sheet.cell(2, 3).fill.start_color.rgb.endswith("FFEB9C")  # due
    # the at-risk coach's "10 of 15 (short 5)" as three numbers staff can sort and filter by
    at_risk = {name: sheet.cell(3, index).value for index, name in enumerate(header, start=1)}
    assert (at_risk["Points had"], at_risk["Points required"], at_risk["Points short"]) == (
        10, 15, 5)
    assert (at_risk["Years had"], at_risk["Years short"], at_risk["Hours short"]) == (2, 1, 0)
    assert all(sheet.cell(3, header.index(name) + 1).data_type == "n"
               for name in ("Points had", "Points required", "Points short", "Years had"))


def test_xlsx_needs_output(register: Path, run: Run) -> None:
    result = run("audit", "--as-of", AS_OF, "--format", "xlsx")
    assert result.exit_code == ExitCode.USAGE
    assert "--output" in result.stderr


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_output_file_is_written_and_stdout_stays_empty(register: Path, run: Run,
                                                       tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"audit.{fmt}"
    result = run("audit", "--as-of", AS_OF, "--format", fmt, "--output", str(target))
    assert (result.exit_code, result.stdout) == (ExitCode.FINDINGS, "")
    text = target.read_text(encoding="utf-8")
    assert "100002" in text
    assert not list(tmp_path.glob(".audit*.tmp"))


def test_status_and_due_within_filters(register: Path, run: Run) -> None:
    document = audit_json(run, "--status", "at-risk,due")
    assert [c["reg_no"] for c in document["coaches"]] == ["100001", "100002"]
    within = audit_json(run, "--due-within", "31")
    assert [c["reg_no"] for c in within["coaches"]] == ["100001"]
    assert within["selection"]["due_within_days"] == 31
    assert [c["reg_no"] for c in audit_json(run, "--due-within", "61")["coaches"]] == [
        "100001", "100002"]


def test_unknown_status_is_a_usage_error(register: Path, run: Run) -> None:
    result = run("audit", "--status", "late")
    assert result.exit_code == ExitCode.USAGE
    assert "--status" in result.stderr


def test_as_of_a_past_date_uses_the_rules_and_data_of_that_date(register: Path,
                                                                run: Run) -> None:
    document = audit_json(run, "--as-of", "01-06-2022")
    assert document["rules_version"] == "2013.1"  # the basisprofiel rules began 2022-09-01
    statuses = {c["reg_no"]: c["status"] for c in document["coaches"]}
    # 100001 and 100002 started in 2022 (no whole year passed yet); 100004 started 2021-06-01
    # and had 5 points, 100 hours and 1 year with points after a year: the pace asks 3, 20, 0.
    assert statuses == {"100001": "on-track", "100002": "on-track", "100004": "on-track"}


# ---- one coach -----------------------------------------------------------------------------

def test_one_coach_tree_shows_every_rule_with_its_sentence(register: Path, run: Run) -> None:
    result = run("audit", "100002", "--as-of", AS_OF)
    assert result.exit_code == ExitCode.FINDINGS
    out = result.stdout
    assert "Coach 100002 A. Coach2: at-risk on 01-12-2026 (rules 2022.1)" in out
    for rule in ("points", "spread", "hours", "practice", "basisprofiel", "supervision"):
        assert f" {rule} " in out
    assert "You have 10 of the 15 points required" in out
    assert "counted: 15-03-2022 C1" in out


def test_one_behind_coach_exits_zero(register: Path, run: Run) -> None:
    assert run("audit", "100003", "--as-of", AS_OF).exit_code == ExitCode.OK


def test_one_coach_json_gives_that_coachs_findings(register: Path, run: Run) -> None:
    document = audit_json(run, "100005")
    (coach,) = document["coaches"]
    basis = next(f for f in coach["findings"] if f["rule"] == "basisprofiel")
    assert (coach["status"], basis["met"], basis["blocking"]) == ("non-compliant", False, True)
    assert basis["sentence"].startswith("You registered on 01-01-2023, after the basisprofiel")


@pytest.mark.parametrize(("reg_no", "as_of"), [("999999", AS_OF), ("100003", "31-12-2023")])
def test_unknown_or_not_yet_registered_coach_is_not_found(register: Path, run: Run,
                                                          reg_no: str, as_of: str) -> None:
    result = run("audit", reg_no, "--as-of", as_of)
    assert result.exit_code == ExitCode.REGISTER
    assert reg_no in result.stderr


def test_registration_number_and_filters_do_not_mix(register: Path, run: Run) -> None:
    assert run("audit", "100001", "--status", "due").exit_code == ExitCode.USAGE


# ---- what-if -------------------------------------------------------------------------------

def proposed_rules(tmp_path: Path, min_points: str = "20", effective_from: str = "2026-06-01") \
        -> Path:
    """The packaged rules plus a later version with other minimum points."""
    text = default_rules_path().read_text(encoding="utf-8")
    version = (text[text.rindex("[[version]]"):]
               .replace('id = "2022.1"', 'id = "2026.2"')
               .replace("effective_from = 2022-09-01", f"effective_from = {effective_from}")
               .replace('min_points = { value = "15"', f'min_points = {{ value = "{min_points}"'))
    path = tmp_path / "proposed-rules.toml"
    path.write_text(f"{text}\n{version}", encoding="utf-8")
    return path


def test_compare_rules_lists_who_would_change_status_and_why(register: Path, run: Run,
                                                             tmp_path: Path) -> None:
    path = proposed_rules(tmp_path)
    result = run("audit", "--as-of", AS_OF, "--compare-rules", str(path))
    assert result.exit_code == ExitCode.FINDINGS
    assert "100001" in result.stdout and "due" in result.stdout and "at-risk" in result.stdout
    assert "1 coach would change status" in result.stderr
    document = audit_json(run, "--compare-rules", str(path))
    assert document["kind"] == "compare"
    assert document["proposed_rules_version"] == "2026.2"
    (change,) = document["coaches"]
    assert (change["reg_no"], change["status"], change["proposed_status"]) == (
        "100001", "due", "at-risk")
    (points,) = [c for c in change["changes"] if c["rule"] == "points"]
    assert (points["current"]["required"], points["proposed"]["required"]) == ("15", "20")
    assert points["proposed"]["shortfall"] == "5"
    assert document["summary"] == {"changed": 1, "changes": {"due -> at-risk": 1}}


def test_compare_rules_before_the_proposed_date_changes_nothing(register: Path, run: Run,
                                                                tmp_path: Path) -> None:
    path = proposed_rules(tmp_path, effective_from="2027-01-01")
    result = run("audit", "--as-of", AS_OF, "--compare-rules", str(path))
    assert result.exit_code == ExitCode.OK
    assert "0 coaches would change status" in result.stderr
    said = " ".join(result.stderr.split())
    assert ("The proposed rules 2026.2 take effect on 01-01-2027; as of 01-12-2026 they do "
            "not apply yet, so nobody changes. Compare as of that date: --as-of 01-01-2027"
            ) in said
    document = audit_json(run, "--compare-rules", str(path))
    assert document["proposal"] == {"version": "2026.2", "effective_from": "2027-01-01",
                                    "applies": False}


def test_compare_rules_as_of_the_proposed_date(register: Path, run: Run,
                                               tmp_path: Path) -> None:
    path = proposed_rules(tmp_path, effective_from="2027-01-01")
    result = run("audit", "--as-of", "01-01-2027", "--compare-rules", str(path), "-f", "json")
    document = json.loads(result.stdout)
    assert document["proposed_rules_version"] == "2026.2"
    assert document["proposal"]["applies"] is True
    assert "take effect on 01-01-2027: compared as of 01-01-2027" in " ".join(
        result.stderr.split())


def test_compare_rules_names_every_missing_value(register: Path, run: Run,
                                                 tmp_path: Path) -> None:
    path = tmp_path / "proposed-rules.toml"
    path.write_text('schema_version = 1\n[[version]]\nid = "2027.1"\n'
                    'effective_from = 2027-01-01\n[version.values]\n'
                    'min_points = { value = "20", reference = "besluit 2026" }\n',
                    encoding="utf-8")
    result = run("audit", "--compare-rules", str(path))
    assert result.exit_code == ExitCode.INPUT
    said = " ".join(result.stderr.split())
    for key in ("period_years", "min_distinct_years", "min_hours", "max_supervisees",
                "supervisor_min_years", "annual_fee", "notice_days", "retention_years",
                "pace_share"):
        assert key in said
    assert "9 of 10 required values" in said


def test_compare_rules_with_a_broken_file_names_it(register: Path, run: Run,
                                                   tmp_path: Path) -> None:
    path = tmp_path / "proposed-rules.toml"
    path.write_text("schema_version = 1\n[[version]]\nid = 3\n", encoding="utf-8")
    result = run("audit", "--compare-rules", str(path))
    assert result.exit_code == ExitCode.INPUT
    assert "proposed-rules.toml" in result.stderr


# ---- sample --------------------------------------------------------------------------------

def test_sample_is_reproducible_with_its_seed(db_path: Path, run: Run) -> None:
    build_register(db_path, ("100001", "100002"))
    first = audit_json(run, "--sample", "50", "--seed", "2026", "--status", "due,at-risk")
    again = audit_json(run, "--sample", "50", "--seed", "2026", "--status", "due,at-risk")
    assert first["coaches"] == again["coaches"]
    assert len(first["coaches"]) == 1
    assert first["sample"] == {"percent": "50", "seed": 2026, "statuses": ["at-risk", "due"],
                               "population": 2, "size": 1}


def test_sample_takes_the_coaches_due_by_default(register: Path, run: Run) -> None:
    result = run("audit", "--as-of", AS_OF, "--sample", "10", "--seed", "7")
    assert result.exit_code == ExitCode.FINDINGS
    assert "Sample of 10% (seed 7): 1 of 1 coach." in result.stderr
    assert "100001" in result.stdout and "100002" not in result.stdout


def test_sample_of_the_same_population_is_the_same_for_the_same_seed() -> None:
    people = [Assessment(reg_no=str(n), name="", as_of=date(2026, 12, 1),
                               rules_id="x", status=Status.DUE, state="active",
                               period=None, first_registered=None, notice_from=None,
                               findings=()) for n in range(100, 200)]
    chosen = [a.reg_no for a in audit.sample(people, Decimal(10), 2026)]
    assert chosen == [a.reg_no for a in audit.sample(reversed(people), Decimal(10), 2026)]
    assert len(chosen) == 10 and chosen == sorted(chosen)


@pytest.mark.parametrize("percent", ["0", "101", "tien"])
def test_sample_percentage_must_be_sensible(register: Path, run: Run, percent: str) -> None:
    assert run("audit", "--sample", percent).exit_code == ExitCode.USAGE
