"""The tool's language: English messages, Dutch from the gettext catalog `locale/nl/smr.po`.

`--lang nl` or `SMR_LANG=nl` makes the whole tool speak Dutch: table headers, audit sentences and
the notices. Messages are marked in code with `_()` (translated where used) or `N_()` (marked for
the catalog, translated later, for module-level constants). The root command sets the language
on every invocation, so nothing carries over between calls.
"""

from __future__ import annotations

import gettext
from pathlib import Path

from smr_register.errors import InvalidValue

DOMAIN = "smr"
LOCALE_DIR = Path(__file__).parent.parent / "locale"
LANGUAGES = ("en", "nl")

_translations: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def use_language(language: str | None) -> None:
    """Switch the catalog; `None` means English (the source language)."""
    global _translations, _language  # noqa: PLW0603 - one process, one language at a time
    chosen = (language or "en").lower()
    if chosen not in LANGUAGES:
        raise InvalidValue("--lang", language, f"must be one of {', '.join(LANGUAGES)}")
    _language = chosen
    _translations = (gettext.NullTranslations() if chosen == "en" else
                     gettext.translation(DOMAIN, LOCALE_DIR, languages=[chosen]))


def language() -> str:
    """The language messages are in now (en or nl)."""
    return _language


def _(message: str) -> str:
    """Translate `message` into the current language."""
    return _translations.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural form of a message for `count`, in the language chosen."""
    return _translations.ngettext(singular, plural, count)


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "mark, translate later"
    """Mark a string for the catalog without translating it here."""
    return message
