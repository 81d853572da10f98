"""The competence catalogue and the basisprofiel's parts, as pure rules (no database)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from smr_register.domain.competences import (
    Result,
    RoleAssessment,
    load_catalogue,
    parse_catalogue,
    progress,
)
from smr_register.domain.eligibility import profile_refusal
from smr_register.domain.ruleset import load_rules
from smr_register.errors import RulesFileError
from smr_register.rules import assess
from tests.domain.test_rules import coach

BOOK = load_rules()
ROLES = tuple(range(1, 8))
DAY = timedelta(days=1)


def test_the_packaged_catalogue_is_the_2022_profile() -> None:
    catalogue = load_catalogue().in_force(date(2026, 12, 1))
    assert catalogue.id == "2.2"
    assert [len(r.requirements) for r in catalogue.roles] == [10, 6, 4, 1, 2, 2, 2]
    assert catalogue.role(4).name == "Kennis en wetenschap"  # type: ignore[union-attr]
    assert catalogue.role(8) is None


@pytest.mark.parametrize(("text", "words"), [
    ("schema_version = 2", "schema_version"),
    ("schema_version = 1\n[[version]]\nid='x'\neffective_from=2022-09-01\nsource='s'\n"
     "[[version.role]]\nnumber=1\nname='a'\nname_en='a'\n[[version.role.requirement]]\n"
     "id='2.1'\ntext='t'\n", "is not a requirement of role 1"),
    ("schema_version = 1\n[[version]]\nid='x'\neffective_from='soon'\nsource='s'\n",
     "effective_from"),
])
def test_a_bad_catalogue_is_refused_naming_the_key(text: str, words: str) -> None:
    with pytest.raises(RulesFileError, match=words):
        parse_catalogue(text, "competences.toml")


def verdicts(*items: tuple[int, date, Result]) -> list[RoleAssessment]:
    return [RoleAssessment(role, day, result) for role, day, result in items]


def test_attained_on_the_last_of_training_and_assessments() -> None:
    items = verdicts(*((r, date(2023, 3, r), Result.MET) for r in ROLES))
    done = progress(ROLES, items, [date(2023, 4, 1)], date(2023, 12, 1))
    assert (done.attained_on, done.unassessed) == (date(2023, 4, 1), ())
    assert progress(ROLES, items, [date(2023, 4, 1)], date(2023, 3, 31)).attained_on is None


def test_the_latest_verdict_of_a_role_counts() -> None:
    items = verdicts((1, date(2023, 3, 1), Result.MET), (1, date(2023, 5, 1), Result.NOT_MET),
                     (2, date(2023, 3, 1), Result.NOT_MET), (2, date(2023, 6, 1), Result.MET))
    assert progress(ROLES, items, [], date(2023, 4, 1)).unassessed == (2, 3, 4, 5, 6, 7)
    assert progress(ROLES, items, [], date(2023, 7, 1)).unassessed == (1, 3, 4, 5, 6, 7)


def test_without_the_training_the_roles_alone_do_not_attain() -> None:
    items = verdicts(*((r, date(2023, 3, 1), Result.MET) for r in ROLES))
    done = progress(ROLES, items, [], date(2023, 12, 1))
    assert (done.attained_on, done.training_on, done.unassessed) == (None, None, ())


def test_the_audit_names_what_is_missing_of_the_basisprofiel() -> None:
    facts = replace(coach(start=date(2023, 1, 2)), profiles={}, roles=ROLES,
                    role_assessments=tuple(verdicts((1, date(2023, 3, 1), Result.MET))),
                    trainings=(date(2023, 2, 1),))
    basis = assess(facts, BOOK.in_force(date(2024, 1, 1)), date(2024, 1, 1)).finding(
        "basisprofiel")
    assert (basis.met, basis.blocking) == (False, True)
    assert basis.details["unassessed_roles"] == (2, 3, 4, 5, 6, 7)
    assert "roles 2, 3, 4, 5, 6, 7 (the basic training is recorded on 01-02-2023)" in (
        basis.sentence)


@pytest.mark.parametrize(("on", "refused"), [
    (date(2022, 8, 31), False), (date(2022, 9, 1), True), (date(2022, 9, 2), True)])
def test_additional_profiles_need_the_basisprofiel_from_2022_09_01(on: date,
                                                                   refused: bool) -> None:
    for profile in ("pregnancy", "psychiatric", "smr-extra"):
        why = profile_refusal(profile, None, on, BOOK.in_force(on))
        assert (why is not None) is refused
        assert profile_refusal(profile, on, on, BOOK.in_force(on)) is None  # held that day
        assert profile_refusal(profile, on + DAY, on, BOOK.in_force(on)) == why


def test_the_entry_requirements_of_the_additional_profiles_are_policy_not_yet_set() -> None:
    rules = BOOK.in_force(date(2026, 12, 1))
    assert set(rules.not_set) >= {"pregnancy_entry", "psychiatric_entry", "smr_extra_entry",
                                  "smr_extra_min_education", "epa_minimums"}
    assert "Bovenop het basisprofiel" in rules.references["profiles_on_top_of_basisprofiel"]
    assert rules.supervisor_requires_basisprofiel
    assert "Assumption" in rules.references["supervisor_requires_basisprofiel"]
    assert "X-aantal jaar" in rules.references["supervisor_min_years"]
    assert not BOOK.in_force(date(2022, 8, 31)).profiles_on_top_of_basisprofiel
