"""The frame every page of the public website shares, and its Dutch words.

The website is Dutch only (it is the register's public face), so its texts live here and in the
page modules rather than in the gettext catalog of the command-line tool. Pages are built as
strings: every value from the register passes through `h()` (html.escape), and no page loads
anything from elsewhere (no CDN, fonts or scripts: `site.css` and `site.js` lie beside it).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from html import escape

from smr_register.domain.vocabulary import Profile
from smr_register.services.publish import SITE_SCHEMA_VERSION

REGISTER = "Kwaliteitsregister Stoppen met Roken"

# How a profile is named on the site, and its value in the address (`?profiel=zwangerschap`).
PROFILE_LABELS: dict[Profile, str] = {
    Profile.BASISPROFIEL: "Basisprofiel",
    Profile.PREGNANCY: "Zwangerschap en kinderwens",
    Profile.PSYCHIATRIC: "Psychiatrische comorbiditeit",
    Profile.SMR_EXTRA: "SMR-Extra",
}
PROFILE_SLUGS: dict[Profile, str] = {
    Profile.BASISPROFIEL: "basisprofiel",
    Profile.PREGNANCY: "zwangerschap",
    Profile.PSYCHIATRIC: "psychiatrie",
    Profile.SMR_EXTRA: "smr-extra",
}
# The one-letter code a coach's card carries for the profile filter (keeps the page small).
PROFILE_CODES: dict[Profile, str] = {
    Profile.BASISPROFIEL: "b", Profile.PREGNANCY: "z", Profile.PSYCHIATRIC: "p",
    Profile.SMR_EXTRA: "x",
}
# The twelve provinces (as data/provinces.toml names them), their address value and the code
# on a card (ISO 3166-2:NL, lower case).
PROVINCES: dict[str, tuple[str, str]] = {
    "Drenthe": ("drenthe", "dr"),
    "Flevoland": ("flevoland", "fl"),
    "Friesland": ("friesland", "fr"),
    "Gelderland": ("gelderland", "ge"),
    "Groningen": ("groningen", "gr"),
    "Limburg": ("limburg", "li"),
    "Noord-Brabant": ("noord-brabant", "nb"),
    "Noord-Holland": ("noord-holland", "nh"),
    "Overijssel": ("overijssel", "ov"),
    "Utrecht": ("utrecht", "ut"),
    "Zeeland": ("zeeland", "ze"),
    "Zuid-Holland": ("zuid-holland", "zh"),
}

PAGES = (
    ("index.html", "Vind een coach"),
    ("index.html#controleer", "Controleer een registratie"),
    ("interventies.html", "Interventies"),
    ("scholingsagenda.html", "Scholingsagenda"),
)


def h(value: object) -> str:
    """A value from the register, safe inside HTML text and attribute values."""
    return escape("" if value is None else str(value), quote=True)


def nl_date(value: date) -> str:
    """dd-mm-jjjj, as the register writes dates."""
    return value.strftime("%d-%m-%Y")


def nl_number(value: Decimal) -> str:
    """2,5 and 3: a decimal comma, no trailing zeros."""
    return f"{value.normalize():f}".replace(".", ",")


def nl_time(value: date) -> str:
    """A date in running text: machine-readable, and never broken over two lines."""
    return f'<time datetime="{value.isoformat()}">{nl_date(value)}</time>'


def nl_count(count: int) -> str:
    """15.572: Dutch thousands."""
    return f"{count:,}".replace(",", ".")


def nl_list(items: Iterable[str]) -> str:
    """`a, b en c`: a Dutch enumeration."""
    words = list(items)
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " en " + words[-1]


def stand_van(on: date) -> str:
    """The date every page shows, so a printed or saved page says how old it is."""
    return f"Stand van {nl_time(on)}"


def page(*, file_name: str, title: str, on: date, body: str, script: bool = False,
         description: str) -> str:
    """A whole HTML document: skip link, header with the menu, the body, the footer."""
    current = ' aria-current="page"'
    menu = "".join(f'<li><a href="{href}"{current if href == file_name else ""}>{label}</a></li>'
                   for href, label in PAGES)
    # The class tells the style sheet, before the list is drawn, that site.js will page it.
    scripts = ('<script>document.documentElement.className = "js";</script>\n'
               '<script src="site.js" defer></script>\n') if script else ""
    return f"""<!doctype html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="{h(description)}">
<title>{h(title)} – {REGISTER}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="site.css">
{scripts}</head>
<body>
<a class="skip" href="#inhoud">Naar de inhoud</a>
<header class="top">
<div class="wrap">
<p class="brand"><a href="index.html">{REGISTER}</a></p>
<nav aria-label="Hoofdmenu"><ul>{menu}</ul></nav>
</div>
</header>
<main id="inhoud" tabindex="-1">
<div class="wrap">
<p class="stand">{stand_van(on)}</p>
{body}
</div>
</main>
<footer class="bottom">
<div class="wrap">
<p>{REGISTER} · {stand_van(on)}.</p>
<p>Open data: <a href="register.json">register.json</a> en <a href="register.csv">register.csv</a>
(dezelfde openbare gegevens als deze pagina's, schemaversie {SITE_SCHEMA_VERSION}).</p>
</div>
</footer>
</body>
</html>
"""
