"""The folding behind `coach list`'s order and search: pure functions, the same on every
database, so tested here in one line each."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from smr_register.domain.values import _NO_DECOMPOSITION, fold, search_text, sort_name


def test_fold_takes_off_accents_and_case_and_collapses_spaces() -> None:
    assert fold("  Öztürk ") == "ozturk"
    assert fold("OZTURK") == "ozturk"
    assert fold("Søren  Ærø") == "soren aero"
    assert fold("van der  Berg") == "van der berg"
    assert fold(None) == ""


def test_sort_name_files_a_name_under_the_last_name_without_its_prefix() -> None:
    assert sort_name("Berg", "van der", "J.M.") == "berg jm vander"
    assert sort_name("Öztürk", None, "A.") == "ozturk a "
    assert sort_name("O'Neil-Smit", None, None) == "oneilsmit  "


def test_search_text_keeps_each_field_on_its_own_line() -> None:
    assert search_text("Berg", None, "Den Haag", "") == "berg\nden haag"


def _unicode_fold(text: str) -> str:
    """The general path of `fold`, which names in plain ASCII skip."""
    plain = unicodedata.normalize("NFKD", text.translate(_NO_DECOMPOSITION))
    bare = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_the_ascii_shortcut_folds_as_the_unicode_path_does(text: str) -> None:
    assert fold(text) == _unicode_fold(text)
    alphanumeric = "".join(ch for ch in _unicode_fold(text) if ch.isalnum())
    assert sort_name(text, None, None) == f"{alphanumeric}  "
