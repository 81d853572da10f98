"""The import report's slugs: one enum each for outcomes and reasons, each with its text."""

from __future__ import annotations

import json
import re

from smr_register.importer.reasons import (
    OUTCOME_TEXTS,
    OUTCOMES,
    PLAIN,
    REASON_TEXTS,
    Outcome,
    Reason,
)


def test_every_outcome_and_reason_has_a_text() -> None:
    assert set(OUTCOME_TEXTS) == set(Outcome)
    assert set(REASON_TEXTS) == set(Reason)
    assert all(member.text for member in (*Outcome, *Reason))


def test_slugs_are_lower_case_words_joined_by_hyphens() -> None:
    assert all(re.fullmatch(r"[a-z]+(-[a-z]+)*", member) for member in (*Outcome, *Reason))


def test_a_member_is_written_as_its_slug() -> None:
    """So the report, the summary and the database read as before the slugs were enums."""
    assert f"{Reason.NEAR_MATCH} {Outcome.HELD}" == "near-match held"
    assert json.dumps({Outcome.HELD: [Reason.NEAR_MATCH]}) == '{"held": ["near-match"]}'
    assert {"held": 1}[Outcome.HELD] == 1


def test_plain_gives_each_slug_as_an_exact_str_for_the_driver() -> None:
    assert PLAIN[None] is None
    assert all(type(PLAIN[m]) is str and PLAIN[m] == m for m in (*Outcome, *Reason))


def test_totals_follow_the_outcomes_order() -> None:
    assert [str(o) for o in OUTCOMES] == ["credited", "added", "held", "rejected",
                                          "duplicate", "skipped"]
