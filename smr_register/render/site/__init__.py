"""The public website `smr publish` writes: pages, style, script and open data, as files.

`render_site` turns the site's data (services/publish.py) into file name -> bytes, the same
bytes for the same register and date; `replace_directory` puts them in place in one step.
"""

from __future__ import annotations

from importlib.resources import files

from smr_register.render.site.coaches import index_page
from smr_register.render.site.folder import replace_directory
from smr_register.render.site.opendata import register_csv, register_json
from smr_register.render.site.pages import agenda_page, interventions_page
from smr_register.services.publish import Site

__all__ = ["render_site", "replace_directory"]

STATIC_FILES = ("site.css", "site.js")


def render_site(site: Site) -> dict[str, bytes]:
    """Every file of the website, by name."""
    static = files("smr_register.render.site") / "static"
    texts = {
        "index.html": index_page(site),
        "interventies.html": interventions_page(site),
        "scholingsagenda.html": agenda_page(site),
        "register.json": register_json(site),
        "register.csv": register_csv(site),
    }
    result = {name: text.encode("utf-8") for name, text in texts.items()}
    result.update({name: (static / name).read_bytes() for name in STATIC_FILES})
    return dict(sorted(result.items()))
