"""`smr fee ...` on a real register: charge once a year, payments add up, arrears as of a date,
and arrears block a renewal only under rules that say so."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smr_register.domain.ruleset import default_rules_path
from smr_register.errors import ExitCode
from tests.fixtures import Run, dump
from tests.fixtures.audit import AS_OF, build_register


@pytest.fixture
def register(db_path: Path) -> Path:
    build_register(db_path)
    return db_path


def charge(run: Run, *extra: str) -> dict:  # type: ignore[type-arg]
    result = run("fee", "charge", "--year", "2026", "--on", "01-02-2026", "-f", "json", *extra)
    assert result.exit_code == ExitCode.OK, result.stderr
    return json.loads(result.stdout)


def test_charge_once_per_registered_coach_with_history(register: Path, run: Run) -> None:
    first = charge(run)
    charged = [d["reg_no"] for d in first["decisions"] if d["outcome"] == "charged"]
    assert charged and first["amount"] == "60" and first["due_on"] == "2026-03-03"
    assert first["rules_version"] == "2022.1"
    again = charge(run)
    assert {d["outcome"] for d in again["decisions"]} == {"already-charged"}
    history = json.loads(run("history", charged[0], "--format", "json").stdout)
    assert (history[-1]["entity"], history[-1]["action"]) == ("fee_charge", "charge")
    assert history[-1]["after"]["amount"] == "60.00"


def test_a_dry_run_charges_nobody(register: Path, run: Run) -> None:
    before = dump(register)
    result = run("fee", "charge", "--year", "2026", "--on", "01-02-2026", "--dry-run")
    assert result.exit_code == ExitCode.OK
    assert "Would charge" in result.stderr
    assert dump(register) == before


def test_a_charge_dated_in_another_year_is_refused(register: Path, run: Run) -> None:
    before = dump(register)
    result = run("fee", "charge", "--year", "2020", "--on", "01-02-2026")
    assert result.exit_code == ExitCode.USAGE
    assert "--on: '01-02-2026' is not within a year of 2020" in result.stderr
    assert dump(register) == before


def test_supervisees_are_not_charged(register: Path, run: Run) -> None:
    assigned = run("supervisor", "assign", "100003", "--supervisor", "100001")
    assert assigned.exit_code == ExitCode.OK, assigned.stderr
    decided = {d["reg_no"]: d["outcome"] for d in charge(run)["decisions"]}
    assert decided["100003"] == "supervisee"
    assert decided["100001"] == "charged"


def test_payments_add_up_and_never_exceed_the_charge(register: Path, run: Run) -> None:
    charge(run)
    paid = run("fee", "pay", "100001", "--year", "2026", "--amount", "30,50", "--date",
               "10-03-2026", "--reference", "bank 123")
    assert paid.exit_code == ExitCode.OK, paid.stderr
    assert "still owed: EUR 29.50" in paid.stderr
    before = dump(register)
    too_much = run("fee", "pay", "100001", "--year", "2026", "--amount", "30", "--date",
                   "11-03-2026")
    assert too_much.exit_code == ExitCode.REGISTER
    assert "more than" in too_much.stderr and "29.50" in too_much.stderr
    assert dump(register) == before
    rest = run("fee", "pay", "100001", "--year", "2026", "--amount", "29.50", "--date",
               "11-03-2026")
    assert rest.exit_code == ExitCode.OK, rest.stderr
    listed = json.loads(run("fee", "list", "100001", "--as-of", "01-04-2026", "-f",
                            "json").stdout)["charges"]
    assert [(c["paid"], c["outstanding"]) for c in listed] == [("60", "0")]


@pytest.mark.parametrize(("args", "code", "words"), [
    (["--year", "2025", "--amount", "60", "--date", "01-03-2026"], ExitCode.REGISTER,
     "no contribution charged for 2025"),
    (["--year", "2026", "--amount", "0,00", "--date", "01-03-2026"], ExitCode.USAGE,
     "--amount: '0' must be more than zero"),
    (["--year", "2026", "--amount", "10", "--date", "01-03-2099"], ExitCode.USAGE,
     "--date: '01-03-2099' is in the future"),
])
def test_refused_payments_write_nothing(register: Path, run: Run, args: list[str],
                                        code: ExitCode, words: str) -> None:
    charge(run)
    before = dump(register)
    result = run("fee", "pay", "100001", *args)
    assert result.exit_code == code
    assert words in result.stderr
    assert dump(register) == before


def test_arrears_as_of_a_date_the_day_before_on_and_after_the_due_date(register: Path,
                                                                       run: Run) -> None:
    charge(run)
    run("fee", "pay", "100001", "--year", "2026", "--amount", "60", "--date", "01-03-2026")
    on_due = run("fee", "arrears", "--as-of", "03-03-2026", "-f", "json")
    assert on_due.exit_code == ExitCode.OK
    assert json.loads(on_due.stdout)["arrears"] == []
    after = run("fee", "arrears", "--as-of", "04-03-2026", "-f", "json")
    assert after.exit_code == ExitCode.FINDINGS
    document = json.loads(after.stdout)
    owing = {row["reg_no"]: row for row in document["arrears"]}
    assert "100001" not in owing
    assert owing["100002"]["days_overdue"] == 1
    assert owing["100002"]["outstanding"] == "60"
    assert document["summary"]["coaches"] == len(owing)
    assert "past their due date" in after.stderr


def test_arrears_as_csv_and_xlsx(register: Path, run: Run, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    charge(run)
    csv_text = run("fee", "arrears", "--as-of", "01-04-2026", "-f", "csv").stdout
    assert csv_text.splitlines()[0].startswith("reg_no,name,year,amount")
    out = tmp_path / "achterstand.xlsx"
    result = run("fee", "arrears", "--as-of", "01-04-2026", "-f", "xlsx", "-o", str(out))
    assert result.exit_code == ExitCode.FINDINGS
    sheet = load_workbook(out)["Arrears"]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = values[0]
    first = dict(zip(header, values[1], strict=True))
    assert isinstance(first[header[5]], (int, float))  # outstanding: a number, not text


def _blocking_rules(tmp_path: Path) -> Path:
    text = default_rules_path().read_text(encoding="utf-8")
    path = tmp_path / "rules.toml"
    path.write_text(text.replace('arrears_block_renewal = { value = false, reference = '
                                 '"Unchanged from 2013.1 (policy not set)" }',
                                 'arrears_block_renewal = { value = true, reference = '
                                 '"Test: arrears block" }'), encoding="utf-8")
    return path


def test_arrears_block_a_renewal_only_under_rules_that_say_so(register: Path, run: Run,
                                                              tmp_path: Path) -> None:
    charge(run)
    rules = _blocking_rules(tmp_path)
    before = dump(register)
    refused = run("--rules", str(rules), "renew", "100001", "--as-of", AS_OF)
    assert refused.exit_code == ExitCode.FINDINGS
    assert "contributions in arrears: EUR 60.00" in refused.stdout + refused.stderr
    assert dump(register) == before
    run("fee", "pay", "100001", "--year", "2026", "--amount", "60", "--date", "01-06-2026")
    renewed = run("--rules", str(rules), "renew", "100001", "--as-of", AS_OF)
    assert renewed.exit_code == ExitCode.OK, renewed.stderr


def test_arrears_do_not_block_a_renewal_by_default(register: Path, run: Run) -> None:
    charge(run)
    assert run("renew", "100001", "--as-of", AS_OF).exit_code == ExitCode.OK
