"""`index.html`: Vind een coach, and Controleer een registratie.

Every registered coach is in the page itself, in Dutch name order, so the list works without
JavaScript and with the browser's own find; `site.js` adds search as you type, the filters and
the check, reading the cards. A card is kept small (the page must stay light at 20,000 coaches):
its province and profiles ride along as short codes (`data-p="ut"`, `data-f="bz"`) for the
filters, and its id (`c` + registration number) serves the check and links.
"""

from __future__ import annotations

from datetime import date

from smr_register.render.site.layout import (
    PROFILE_CODES,
    PROFILE_LABELS,
    PROFILE_SLUGS,
    PROVINCES,
    h,
    nl_count,
    nl_date,
    nl_list,
    nl_time,
    page,
)
from smr_register.services.publish import Site, SiteCoach


def card(coach: SiteCoach) -> str:
    """One coach: name, practice and place, registration, profiles, interventions."""
    attributes = f' id="c{h(coach.reg_no)}"'
    province = PROVINCES.get(coach.province or "")
    if province is not None:
        attributes += f' data-p="{province[1]}"'
    if coach.profiles:
        attributes += f' data-f="{"".join(PROFILE_CODES[p] for p in coach.profiles)}"'
    place = " ".join(h(part) for part in (coach.postcode, coach.city) if part)
    where = "<br>".join(part for part in (h(coach.practice), place) if part)
    if province is not None:  # in a span: the search leaves the province to its filter
        where += f"<span>{' · ' if where else ''}{h(coach.province)}</span>"
    lines = [f"<h3>{h(coach.name)}</h3>"]
    if where:
        lines.append(f"<p>{where}</p>")
    lines.append(f"<p>Registratienummer {h(coach.reg_no)}<br>"
                 f"Geregistreerd tot en met {nl_date(coach.registered_until)}"
                 + (f", verlengd tot en met {nl_date(coach.renewed_until)}"
                    if coach.renewed_until else "") + "</p>")
    if coach.profiles:
        label = "Profiel" if len(coach.profiles) == 1 else "Profielen"
        lines.append(f"<p>{label}: {nl_list(PROFILE_LABELS[p] for p in coach.profiles)}</p>")
    if coach.interventions:
        label = "Interventie" if len(coach.interventions) == 1 else "Interventies"
        lines.append(f"<p>{label}: {h(nl_list(coach.interventions))}</p>")
    return f"<li{attributes}>{''.join(lines)}</li>"


def _options(first: str, choices: list[tuple[str, str]]) -> str:
    return f'<option value="">{first}</option>' + "".join(
        f'<option value="{value}">{label}</option>' for value, label in choices)


def _finder(count: int, on: date) -> str:
    """The search form (shown by the script) and the registration check."""
    provinces = [(slug, name) for name, (slug, _code) in PROVINCES.items()]
    profiles = [(PROFILE_SLUGS[p], PROFILE_LABELS[p]) for p in PROFILE_LABELS]
    province_map = ",".join(f"{slug}:{code}" for slug, code in PROVINCES.values())
    profile_map = ",".join(f"{PROFILE_SLUGS[p]}:{PROFILE_CODES[p]}" for p in PROFILE_LABELS)
    return f"""<noscript><p class="note">Zoeken, filteren en controleren werken met JavaScript.
Zonder JavaScript staat hieronder de volledige lijst van {nl_count(count)} coaches; zoek erin met de
zoekfunctie van uw browser (Ctrl+F of Zoeken op pagina).</p></noscript>
<div class="finder">
<form id="zoeken" class="filters" role="search" aria-label="Coaches zoeken"
 data-provincies="{province_map}" data-profielen="{profile_map}" hidden>
<div class="field wide">
<label for="zoek">Zoek op naam, plaats, postcode of registratienummer</label>
<input id="zoek" name="zoek" type="search" autocomplete="off" spellcheck="false"
 aria-describedby="aantal"></div>
<div class="field"><label for="provincie">Provincie</label>
<select id="provincie" name="provincie">{_options("Alle provincies", provinces)}</select></div>
<div class="field"><label for="profiel">Profiel</label>
<select id="profiel" name="profiel">{_options("Alle profielen", profiles)}</select></div>
<div class="field actions"><button type="reset" class="secondary">Wis zoekopdracht</button></div>
</form>
<section id="controleer" class="check" aria-labelledby="controleer-kop">
<h2 id="controleer-kop">Controleer een registratie</h2>
<p>Vul een registratienummer in. U ziet of die persoon op {nl_time(on)} geregistreerd is, en
tot wanneer.</p>
<form id="controle" hidden>
<label for="nummer">Registratienummer</label>
<div class="row"><input id="nummer" name="nummer" inputmode="numeric" autocomplete="off"
 spellcheck="false"><button type="submit">Controleer</button></div>
</form>
<div id="uitkomst" class="outcome" role="status" data-datum="{nl_date(on)}"></div>
</section>
</div>"""


def index_page(site: Site) -> str:
    """The whole `index.html`."""
    count = len(site.coaches)
    noun = "coach" if count == 1 else "coaches"
    cards = "\n".join(card(coach) for coach in site.coaches)
    on = nl_time(site.as_of)
    listed = (f"Op {on} staan er {nl_count(count)} in het register." if count > 1 else
              f"Op {on} staat er {'één' if count else 'geen enkele'} in het register.")
    body = f"""<h1>Vind een coach</h1>
<p class="lead">Stoppen-met-rokencoaches begeleiden rokers intensief bij het stoppen. {listed}
Zoek op naam, plaats, postcode of registratienummer, en kies zo nodig een provincie of een
profiel.</p>
{_finder(count, site.as_of)}
<section class="results" aria-labelledby="lijst-kop">
<h2 id="lijst-kop">Coaches</h2>
<p id="aantal" class="count" role="status">{nl_count(count)} {noun}, op achternaam.</p>
<ul id="coaches" class="cards">
{cards}
</ul>
<p><button type="button" id="meer" class="secondary" hidden>Toon meer</button></p>
<p id="geen" class="note" hidden>Geen coach gevonden. Probeer een andere zoekterm, of kies een
andere provincie of ander profiel.</p>
</section>"""
    return page(file_name="index.html", title="Vind een coach", on=site.as_of, body=body,
                script=True, description="Zoek een geregistreerde stoppen-met-rokencoach op "
                "naam, plaats, postcode of registratienummer, of controleer een registratie.")
