"""Published versions never change: the fingerprints in rules.lock."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from smr_register.domain import ruleset, sealing
from smr_register.domain.ruleset import default_rules_path, load_rules, seal_states
from smr_register.errors import ExitCode, RulesFileError

PACKAGED = default_rules_path()
NEW_VERSION = """
[[version]]
id = "2027.1"
effective_from = 2027-01-01
applies_to = "starting"
description = "Proposal: 20 points for periods that start from 2027."
[version.values]
""" + PACKAGED.read_text(encoding="utf-8").split("[version.values]")[-1].split(
    "\n\n#")[0].replace('min_points = { value = "15"', 'min_points = { value = "20"')


@pytest.fixture
def rules(tmp_path: Path) -> Path:
    """A copy of the packaged rules file with its lock."""
    shutil.copy(PACKAGED, tmp_path / "rules.toml")
    shutil.copy(sealing.lock_path(PACKAGED), tmp_path / "rules.lock")
    return tmp_path / "rules.toml"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_every_packaged_version_is_sealed_and_unchanged() -> None:
    seals = seal_states()
    assert [(s.version, s.state) for s in seals.states] == [("2013.1", "sealed"),
                                                            ("2022.1", "sealed")]
    assert seals.lock == PACKAGED.with_name("rules.lock")


def test_a_copy_with_its_lock_loads(rules: Path) -> None:
    assert [v.id for v in load_rules(rules).versions] == ["2013.1", "2022.1"]


@pytest.mark.parametrize(("old", "new"), [
    ('min_hours = { value = "100", reference = "Unchanged from 2013.1" }',
     'min_hours = { value = "90", reference = "Unchanged from 2013.1" }'),
    ('reference = "regels-2013: annual fee EUR 60"', 'reference = "annual fee"'),
    ("effective_from = 2022-09-01", "effective_from = 2022-10-01"),
    ('applies_to = "running"\n\n[version.values]\nperiod_years = { value = 5, reference = '
     '"Unchanged', 'applies_to = "ending"\n\n[version.values]\nperiod_years = { value = 5, '
     'reference = "Unchanged'),
])
def test_a_sealed_version_edited_in_place_is_refused(rules: Path, old: str, new: str) -> None:
    edit(rules, old, new)
    with pytest.raises(RulesFileError) as caught:
        load_rules(rules)
    message = str(caught.value)
    assert "version '2022.1' was changed after it was sealed" in message or (
        "version '2013.1' was changed after it was sealed" in message)
    assert str(rules) in message and str(rules.with_suffix(".lock")) in message
    assert caught.value.exit_code == ExitCode.INPUT


def test_comments_and_layout_may_change(rules: Path) -> None:
    edit(rules, "schema_version = 1\n", "schema_version = 1   # the file's format\n\n\n")
    edit(rules, "[version.values]\n", "[version.values]  # values with their sources\n")
    assert len(load_rules(rules).versions) == 2


def test_a_sealed_version_removed_is_refused(rules: Path) -> None:
    text = rules.read_text(encoding="utf-8")
    rules.write_text(text[:text.rindex("[[version]]")], encoding="utf-8")
    with pytest.raises(RulesFileError, match="version '2022.1' is sealed in .* but no longer"):
        load_rules(rules)


def test_a_new_version_must_be_sealed_before_it_loads(rules: Path) -> None:
    rules.write_text(rules.read_text(encoding="utf-8") + NEW_VERSION, encoding="utf-8")
    with pytest.raises(RulesFileError, match="version '2027.1' is not sealed .* 'smr rules "
                                             "seal'"):
        load_rules(rules)
    seals = seal_states(rules)
    text, new = sealing.sealed(seals.states, str(rules), str(seals.lock))
    assert [s.version for s in new] == ["2027.1"]
    seals.lock.write_text(text, encoding="utf-8")
    assert [v.id for v in load_rules(rules).versions] == ["2013.1", "2022.1", "2027.1"]


def test_sealing_again_after_an_edit_is_refused(rules: Path) -> None:
    edit(rules, 'min_points = { value = "15", reference = "Unchanged from 2013.1" }',
         'min_points = { value = "12", reference = "Unchanged from 2013.1" }')
    seals = seal_states(rules)
    with pytest.raises(RulesFileError, match="'2022.1' was changed after it was sealed"):
        sealing.sealed(seals.states, str(rules), str(seals.lock))


def test_a_file_without_a_lock_is_a_draft(tmp_path: Path) -> None:
    draft = tmp_path / "proposed.toml"
    draft.write_text(PACKAGED.read_text(encoding="utf-8") + NEW_VERSION, encoding="utf-8")
    assert load_rules(draft).versions[-1].id == "2027.1"


def test_the_packaged_file_needs_its_lock(tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copy(PACKAGED, tmp_path / "rules.toml")
    monkeypatch.setattr(ruleset, "default_rules_path", lambda: tmp_path / "rules.toml")
    with pytest.raises(RulesFileError, match="rules.lock is missing"):
        load_rules()


def test_a_broken_lock_names_the_lock_file(rules: Path) -> None:
    rules.with_suffix(".lock").write_text("schema_version = 1\n[fingerprints]\n"
                                          '"2013.1" = "md5:1"\n', encoding="utf-8")
    with pytest.raises(RulesFileError, match=r"rules\.lock: expected a \[fingerprints\] table"):
        load_rules(rules)


def test_the_fingerprint_covers_the_content_not_the_order_of_keys() -> None:
    digest = sealing.version_digest
    assert digest({"a": 1, "b": [2]}) == digest({"b": [2], "a": 1})
    assert digest({"a": 1}) != digest({"a": 2})
