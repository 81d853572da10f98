"""The Dutch catalog covers every message, is compiled, and --lang / SMR_LANG switch the tool."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from smr_register.errors import ExitCode
from tests.fixtures import Run

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import catalogs  # noqa: E402


def _translated(message: Any) -> bool:
    """A message has its Dutch text; a plural message every one of its forms."""
    if isinstance(message.string, tuple | list):
        return all(message.string)
    return bool(message.string)


def test_every_message_has_a_dutch_translation() -> None:
    catalog = catalogs.updated()
    missing = [message.id for message in catalog if message.id and not _translated(message)]
    assert missing == [], "translate them in smr.po, then run: python tools/catalogs.py"


def test_compiled_catalog_is_current() -> None:
    import gettext

    with catalogs.MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for message in catalogs.updated():
        if isinstance(message.id, tuple):
            singular, plural = message.id
            assert (compiled.ngettext(singular, plural, 1),
                    compiled.ngettext(singular, plural, 2)) == tuple(message.string), (
                f"{message.id!r}: run python tools/catalogs.py")
        elif message.id and message.context:
            assert compiled.pgettext(message.context, str(message.id)) == message.string, (
                f"{message.id!r}: run python tools/catalogs.py")
        elif message.id:
            assert compiled.gettext(str(message.id)) == message.string, (
                f"{message.id!r}: run python tools/catalogs.py")


def test_placeholders_survive_translation() -> None:
    import re

    for message in catalogs.updated():
        if message.id and message.string:
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = (message.string if isinstance(message.string, tuple | list)
                       else (message.string,))
            for index, string in enumerate(strings):  # Dutch and English: one, then other
                names = set(re.findall(r"{(\w+)[!:}]", ids[min(index, len(ids) - 1)]))
                assert names == set(re.findall(r"{(\w+)[!:}]", string)), message.id


def test_tables_and_sentences_speak_dutch(run: Run, demo_db: Path) -> None:
    english = run("audit", "103627", "--as-of", "01-12-2026", db=demo_db).stdout
    dutch = run("--lang", "nl", "audit", "103627", "--as-of", "01-12-2026", db=demo_db).stdout
    assert "You have 9 of the 15 points" in english
    assert "U heeft 9 van de 15 vereiste punten" in dutch
    # the tree around the sentences too: its marks, numbers and credits
    assert "not met yet points 9 of 15 (short 6)" in english
    assert "nog niet voldaan punten 9 van 15 (tekort 6)" in dutch
    assert "telt mee: 16-11-2022 ARZ-110" in dutch and "per jaar: 2022: 3" in dutch
    for english_word in ("not met", "counted:", "per year", "days left", " on 01-12-2026"):
        assert english_word not in dutch
    table = run("--lang", "nl", "coach", "list", db=demo_db).stdout
    assert "Reg.nr." in table and "Geldig tot" in table


def test_smr_lang_environment_variable(runner, demo_db: Path) -> None:  # type: ignore[no-untyped-def]
    from smr_register.cli import app

    result = runner.invoke(app, ["--db", str(demo_db), "agenda", "list"],
                           env={"SMR_LANG": "nl"})
    assert "Aanbieder" in result.stdout


def test_language_does_not_leak_between_invocations(run: Run, demo_db: Path) -> None:
    run("--lang", "nl", "coach", "list", db=demo_db)
    assert "Reg. no" in run("coach", "list", db=demo_db).stdout


def test_unknown_language_is_a_usage_error(run: Run) -> None:
    result = run("--lang", "fr", "coach", "list")
    assert result.exit_code == ExitCode.USAGE
    assert "--lang" in result.stderr


def test_the_language_of_an_invocation_ends_with_it(run: Run, demo_db: Path) -> None:
    """A Dutch command leaves the process in English: code that builds help or messages after
    it (a test, a long-lived caller of the app) must not inherit its language."""
    from smr_register.cli import load_group
    from smr_register.domain.i18n import language

    assert run("--lang", "nl", "coach", "list", db=demo_db).exit_code == 0
    assert language() == "en"
    assert load_group("coach").help.startswith("Register coaches")
