"""`interventies.html` and `scholingsagenda.html`: what the register lists besides its coaches."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote_plus

from smr_register.render.site.layout import (
    PROFILE_LABELS,
    h,
    nl_date,
    nl_list,
    nl_number,
    nl_time,
    page,
)
from smr_register.services.publish import Site, SiteCourse, SiteIntervention


def _intervention(item: SiteIntervention, on: date) -> str:
    listed = (f"Opgenomen in het register sinds {nl_time(item.listed_since)}"
              if item.listed_until is None else f"Opgenomen in het register van "
              f"{nl_time(item.listed_since)} tot en met {nl_time(item.listed_until)}")
    parts = [f"<h3>{h(item.name)}</h3>"]
    if item.description:
        parts.append(f"<p>{h(item.description)}</p>")
    parts.append(f"<p class=\"meta\">{listed}.</p>")
    if item.listed_on(on) and item.coaches:
        noun = "coach biedt" if item.coaches == 1 else "coaches bieden"
        phrase = quote_plus(f'"{item.name}"')  # found as a whole on the coach page
        parts.append(f'<p><a href="index.html?zoek={h(phrase)}">'
                     f"{item.coaches} {noun} deze interventie aan</a></p>")
    return f"<li>{''.join(parts)}</li>"


def interventions_page(site: Site) -> str:
    """The whole `interventies.html`: listed interventions, then those no longer listed."""
    on = site.as_of
    listed = [item for item in site.interventions if item.listed_on(on)]
    ended = [item for item in site.interventions if not item.listed_on(on)]
    body = [f"""<h1>Interventies</h1>
<p class="lead">Stoppen-met-roken-interventies waarvan onderzoek heeft laten zien dat ze werken,
en die het register op {nl_time(on)} erkent. Bij elke interventie ziet u hoeveel geregistreerde
coaches haar aanbieden.</p>
<h2>Opgenomen in het register ({len(listed)})</h2>"""]
    body.append('<ul class="items">' + "\n".join(_intervention(i, on) for i in listed) + "</ul>"
                 if listed else "<p>Het register erkent op deze datum geen interventies.</p>")
    if ended:
        body.append(f"<h2>Niet meer opgenomen ({len(ended)})</h2>\n<p>Deze interventies "
                    "stonden eerder in het register, maar nu niet meer.</p>")
        body.append('<ul class="items ended">' + "\n".join(_intervention(i, on) for i in ended)
                    + "</ul>")
    return page(file_name="interventies.html", title="Interventies", on=on,
                body="\n".join(body), description="De stoppen-met-roken-interventies die het "
                "Kwaliteitsregister Stoppen met Roken erkent.")


def _dates(days: list[date]) -> str:
    """Dates of runs as a list, each kept whole when the list wraps."""
    return '<ul class="dates">' + "".join(f"<li>{nl_date(day)}</li>" for day in days) + "</ul>"


def _course(course: SiteCourse, on: date) -> str:
    points = f"{nl_number(course.points)} {'punt' if course.points == 1 else 'punten'}"
    period = f"{nl_time(course.accredited_from)} tot en met {nl_time(course.accredited_until)}"
    if course.accredited_until < on:
        status = f'<p class="status ended">Accreditatie verlopen: geaccrediteerd van {period}.</p>'
    elif course.accredited_from > on:
        status = f'<p class="status">Geaccrediteerd vanaf {period}.</p>'
    else:
        status = f'<p class="status ok">Geaccrediteerd van {period}.</p>'
    parts = [f"<h3>{h(course.code)} {h(course.title)}</h3>",
             f"<p>Aanbieder: {h(course.provider)}</p>", status]
    counts = (f" · telt voor {nl_list(PROFILE_LABELS[p] for p in course.profiles).lower()}"
              if course.profiles else "")
    parts.append(f"<p>{points}{counts}</p>")
    coming = [day for day in course.runs if day >= on]
    past = [day for day in course.runs if day < on]
    if coming:
        parts.append(f"<p>Komende uitvoeringen:</p>{_dates(coming)}")
    elif course.accredited_until >= on:
        parts.append("<p>Nog geen komende uitvoeringen in de agenda.</p>")
    if past:
        parts.append(f"<details><summary>Eerdere uitvoeringen ({len(past)})</summary>"
                     f"{_dates(past)}</details>")
    ended = ' class="ended"' if course.accredited_until < on else ""
    return f'<li id="{h(course.code)}"{ended}>{"".join(parts)}</li>'


def agenda_page(site: Site) -> str:
    """The whole `scholingsagenda.html`, searchable by code, title and provider."""
    on = site.as_of
    count = len(site.courses)
    noun = "scholing" if count == 1 else "scholingen"
    courses = "\n".join(_course(course, on) for course in site.courses)
    body = f"""<h1>Scholingsagenda</h1>
<p class="lead">Alleen scholingen uit deze agenda leveren accreditatiepunten op, en alleen op een
uitvoering binnen de accreditatieperiode. Staat een scholing hier niet, dan telt zij niet mee –
ook niet als de aanbieder zegt dat zij in het register geaccrediteerd is. Controleer het dus
voordat u zich inschrijft.</p>
<form id="agenda-zoeken" class="filters" role="search" aria-label="Scholingen zoeken" hidden>
<div class="field wide"><label for="zoek">Zoek op code, titel of aanbieder</label>
<input id="zoek" name="zoek" type="search" autocomplete="off" spellcheck="false"
 aria-describedby="aantal"></div>
<div class="field actions"><button type="reset" class="secondary">Wis zoekopdracht</button></div>
</form>
<section class="results" aria-labelledby="lijst-kop">
<h2 id="lijst-kop">Scholingen</h2>
<p id="aantal" class="count" role="status">{count} {noun}, op code.</p>
<ul id="scholingen" class="items courses">
{courses}
</ul>
<p id="geen" class="note" hidden>Geen scholing gevonden. Staat een scholing niet in de agenda, dan
levert zij geen accreditatiepunten op.</p>
</section>"""
    return page(file_name="scholingsagenda.html", title="Scholingsagenda", on=on, body=body,
                script=True, description="De geaccrediteerde scholingen van het "
                "Kwaliteitsregister Stoppen met Roken, met hun uitvoeringen en punten.")
