"""The tool's language: English messages, Dutch from the gettext catalog `locale/nl/smr.po`.

`--lang nl` or `SMR_LANG=nl` makes the whole tool speak Dutch: table headers, audit sentences and
the notices. Messages are marked in code with `_()` (translated where used) or `N_()` (marked for
the catalog, translated later, for module-level constants). The root command sets the language
on every invocation, so nothing carries over between calls.
"""

from __future__ import annotations

import gettext
from decimal import Decimal
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
        raise InvalidValue("--lang", language, _("must be one of {allowed}").format(
            allowed=", ".join(LANGUAGES)))
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


def pgettext(context: str, message: str) -> str:
    """Translate `message` in `context`, for an English word with two Dutch ones ("held": a
    profile held is "in bezit", an import row held is "aangehouden")."""
    return _translations.pgettext(context, message)


def plural_count(amount: Decimal | int | float) -> int:
    """The count that picks a plural form for an amount: 1 only for exactly one (in English and
    Dutch "1,5 punten" is plural, as is "0 punten")."""
    return 1 if amount == 1 else 2


def number(value: Decimal | int | float) -> str:
    """A number as people read it in the current language: no trailing zeros, and a decimal
    comma in Dutch (9,5). Machine formats (JSON, CSV for scripts) never use this."""
    from smr_register.domain.values import format_decimal

    text = format_decimal(value if isinstance(value, Decimal) else Decimal(str(value)))
    return text.replace(".", ",") if _language == "nl" else text


def yes_no(value: bool) -> str:
    """yes/no, ja/nee."""
    return _("yes") if value else _("no")


def term(slug: str) -> str:
    """A word of the register's vocabularies (a status, a rule, a state, a profile, an import
    outcome or reason) as people read it. The slug itself is what JSON, CSV and the database
    keep; tools/catalogs.py puts every slug of those vocabularies in the catalog, so a new
    status only needs its translation."""
    return _translations.gettext(slug) if slug else slug


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "mark, translate later"
    """Mark a string for the catalog without translating it here."""
    return message
