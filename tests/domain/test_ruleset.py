"""The rules file: versions picked at their effective dates, broken files named by key."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from smr_register.domain.ruleset import default_rules_path, load_rules, parse_rules
from smr_register.errors import ExitCode, RulesFileError

VALID = """
schema_version = 1

[[version]]
id = "a"
effective_from = 2013-01-01
[version.values]
period_years = { value = 5, reference = "r" }
min_points = { value = "15", reference = "r" }
min_distinct_years = { value = 3, reference = "r" }
min_hours = { value = "100", reference = "r" }
max_supervisees = { value = 10, reference = "r" }
supervisor_min_years = { value = 2, reference = "r" }
annual_fee = { value = "60.00", reference = "r" }
notice_days = { value = [42, 182, 84], reference = "r" }
retention_years = { value = 6, reference = "r" }
pace_share = { value = "1", reference = "r" }
"""

LATER = """
[[version]]
id = "b"
effective_from = 2022-09-01
[version.values]
period_years = { value = 5, reference = "r" }
min_points = { value = "17.5", reference = "r" }
min_distinct_years = { value = 3, reference = "r" }
min_hours = { value = "100", reference = "r" }
max_supervisees = { value = 10, reference = "r" }
supervisor_min_years = { value = 2, reference = "r" }
annual_fee = { value = "60.00", reference = "r" }
notice_days = { value = [182, 84, 42], reference = "r" }
retention_years = { value = 6, reference = "r" }
pace_share = { value = "1", reference = "r" }
basisprofiel_required_from = { value = 2022-09-01, reference = "r" }
transition_ends = { value = 2025-09-01, reference = "r" }
"""


def test_packaged_rules_file_loads() -> None:
    book = load_rules()
    current = book.in_force(date(2026, 11, 22))
    assert current.id == "2022.1"
    assert current.min_points == Decimal("15")
    assert current.transition_ends == date(2025, 9, 1)
    assert current.notice_days == (182, 84, 42)
    assert all(current.references[key] for key in ("period_years", "min_points"))


def test_version_in_force_at_the_boundary() -> None:
    book = parse_rules(VALID + LATER.replace('"17.5"', '"20"'), "test.toml")
    assert book.in_force(date(2022, 8, 31)).id == "a"
    assert book.in_force(date(2022, 9, 1)).id == "b"
    assert book.in_force(date(2022, 9, 2)).id == "b"
    assert book.in_force(date(2022, 8, 31)).basisprofiel_required_from is None
    assert book.in_force(date(2022, 9, 1)).min_points == Decimal("20")


def test_before_the_first_version_is_an_error() -> None:
    book = parse_rules(VALID, "test.toml")
    with pytest.raises(RulesFileError, match="no rules in force on 31-12-2012"):
        book.in_force(date(2012, 12, 31))


def test_notice_days_are_sorted_longest_first() -> None:
    assert parse_rules(VALID, "t").versions[0].notice_days == (182, 84, 42)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not toml [", "not valid TOML: Expected '=' after a key in a key/value pair "
                       "(at line 1, column 5)"),
        (VALID.replace("schema_version = 1", "schema_version = 2"),
         "schema_version must be 1, got 2"),
        (VALID.replace('min_points = { value = "15", reference = "r" }\n', ""),
         "version 'a'.values: missing min_points (1 of 10 required values; each is written "
         "key = { value = ..., reference = \"...\" })"),
        (VALID.replace('reference = "r" }\nmin_distinct', 'reference = "" }\nmin_distinct'),
         "version 'a'.values.min_points.reference: "
         "every value needs its source"),
        (VALID.replace('value = "15"', 'value = 15.5'),
         "version 'a'.values.min_points: expected a number written as a string or integer "
         "(no floats: they are not exact), got 15.5"),
        (VALID.replace('value = "15"', 'value = "vijftien"'),
         "version 'a'.values.min_points: 'vijftien' is not a number"),
        (VALID.replace("effective_from = 2013-01-01", 'effective_from = "2013"'),
         "version 'a'.effective_from: expected an ISO date like 2025-09-01, got '2013'"),
        (VALID.replace("period_years = { value = 5", "period_years = { value = 0"),
         "version 'a'.values.period_years: must be at least 1"),
        (VALID + "\n[version.values.extra]\nvalue = 1\nreference = 'r'\n",
         "version 'a'.values: unknown key extra"),
        (VALID + LATER.replace("2022-09-01\n[version.values]", "2012-01-01\n[version.values]"),
         "version 'b'.effective_from must be later than that of 'a' (versions are listed "
         "oldest first)"),
        (VALID.replace("period_years = { value = 5, reference = \"r\" }",
                       "period_years = { value = 5, reference = \"r\" }\n"
                       "period_years = { value = 6, reference = \"r\" }"),
         "not valid TOML: Cannot overwrite a value (at line 9, column 46)"),
        (VALID + "\n[version.practice_minimums]\nflights = { value = 1, reference = 'r' }\n",
         "version 'a'.practice_minimums.flights: unknown practice count (known: hours, clients, "
         "clients_low_literacy, intakes, integral_trajectories, pharmacotherapy_trajectories, "
         "referrals_somatic, referrals_psychiatric, referrals_pregnancy, referrals_medication)"),
    ],
)
def test_broken_files_are_named_with_the_key(text: str, message: str) -> None:
    with pytest.raises(RulesFileError) as caught:
        parse_rules(text, "proposed.toml")
    assert caught.value.message == f"proposed.toml: {message}"  # the whole line
    assert caught.value.exit_code == ExitCode.INPUT


def test_every_missing_value_is_named_at_once() -> None:
    """A proposal written by hand lacks several values: one error names them all."""
    text = (VALID.replace('min_points = { value = "15", reference = "r" }\n', "")
            .replace('annual_fee = { value = "60.00", reference = "r" }\n', ""))
    with pytest.raises(RulesFileError) as caught:
        parse_rules(text, "proposed.toml")
    assert "missing min_points, annual_fee (2 of 10 required values" in caught.value.message


def test_practice_minimums_are_read() -> None:
    text = VALID + "\n[version.practice_minimums]\nintakes = { value = 10, reference = 'EPA' }\n"
    version = parse_rules(text, "t").versions[0]
    assert version.practice_minimums == {"intakes": Decimal("10")}


def test_missing_rules_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(RulesFileError, match="cannot read the rules file"):
        load_rules(tmp_path / "nope.toml")


def test_cli_rejects_a_broken_rules_file(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    broken = tmp_path / "rules.toml"
    broken.write_text(VALID.replace("schema_version = 1", ""), encoding="utf-8")
    result = run("--rules", str(broken), "coach", "add", "--reg-no", "1", "--last-name", "X",
                 "--registered", "01-01-2024")
    assert result.exit_code == ExitCode.INPUT
    assert str(broken) in result.stderr and "schema_version" in result.stderr


def test_no_rule_number_is_written_in_the_code() -> None:
    """Policy numbers live in data/rules.toml only (DOMAIN.md): look for the tell-tale ones."""
    package = default_rules_path().parent.parent / "smr_register"
    suspicious = ("2025, 9, 1", "2022, 9, 1", "= 15\n", "= 100\n", "182", "max_supervisees = 10")
    for source in package.rglob("*.py"):
        text = source.read_text(encoding="utf-8")
        for needle in suspicious:
            assert needle not in text, f"{source.name} holds a policy literal {needle!r}"
