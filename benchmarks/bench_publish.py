"""Benchmark: `smr publish` at the register's size and ten times it — page weight and time.

    .venv/bin/python benchmarks/bench_publish.py [--coaches 2000 20000] [--rebuild] [--browser]

Builds (once; reused when present) a register of N coaches under benchmarks/out/ (gitignored)
with the builder of bench_audit.py (periods, states, basisprofielen, the training agenda of 2,000
courses), then gives every coach what the website shows: a Dutch name (some with a prefix), a
practice, a real postcode and place (from the demo register), extra profiles and interventions
in about the demo's proportions. Then runs `smr publish` end to end as a child process and
prints its time and the weight of each page: the HTML plus site.css and site.js, raw and as a
web server sends it gzip-compressed (level 6, nginx's usual). With --browser it also opens
index.html in headless Chromium (Debian's, through Playwright) and times loading until the
search is ready and one search as you type, so "usable at 20,000 coaches" is a number.
"""

from __future__ import annotations

import argparse
import csv
import functools
import gzip
import http.server
import os
import random
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_audit import AS_OF, OUT, ROOT, SMR, build  # noqa: E402

DEMO = ROOT / "data" / "demo"
PAGES = ("index.html", "interventies.html", "scholingsagenda.html")
LAST_NAMES = ("Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser",
              "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters",
              "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits",
              "de Graaf", "van der Meer", "van der Linden", "Kok", "Jacobs", "de Haan",
              "Vermeulen", "van den Heuvel", "van der Veen", "van den Broek", "de Bruijn",
              "de Jong", "el Amrani", "Yilmaz", "Öztürk", "Bouzid", "Nijland", "IJzerman")
PRACTICES = ("Rookvrij Coaching {city}", "Praktijk Stoppen met Roken {city}",
             "Leefstijlpraktijk {name}", "Gezondheidscentrum {city}", "Longzorg {city}",
             "Huisartsenpraktijk {name}", "Stoppen met Roken Praktijk {name}")


def enrich(path: Path, seed: int = 2026) -> None:
    """Give the built register's coaches the public details the website shows."""
    rng = random.Random(seed)
    with (DEMO / "coaches.csv").open(encoding="utf-8") as handle:
        places = [(row["postcode"], row["city"]) for row in csv.DictReader(handle)]
    with (DEMO / "interventions.csv").open(encoding="utf-8") as handle:
        interventions = list(csv.DictReader(handle))
    conn = sqlite3.connect(path)
    with conn:
        coach_ids = [row[0] for row in conn.execute("SELECT id FROM coach ORDER BY id")]
        updates, delivers, profiles = [], [], []
        for coach_id in coach_ids:
            prefix, _, last = rng.choice(LAST_NAMES).rpartition(" ")
            postcode, city = rng.choice(places)
            postcode = postcode[:5] + rng.choice("ABCDEGHJKLMNPRSTVWXZ") + postcode[6]
            practice = rng.choice(PRACTICES).format(city=city, name=last)
            initials = "".join(f"{rng.choice('ABCDEFGHIJKLMNPRSTW')}."
                               for _ in range(rng.randint(1, 3)))
            updates.append((initials, prefix or None, last, practice, postcode, city, coach_id))
            chosen = rng.sample(range(1, len(interventions) + 1), rng.choice((0, 0, 1, 1, 2)))
            delivers.extend((coach_id, item) for item in chosen)
            for profile, share in (("pregnancy", 0.07), ("psychiatric", 0.02),
                                   ("smr-extra", 0.01)):
                if rng.random() < share:
                    profiles.append((coach_id, profile, "2024-01-15"))
        conn.executemany("UPDATE coach SET initials = ?, prefix = ?, last_name = ?, "
                         "practice = ?, postcode = ?, city = ? WHERE id = ?", updates)
        conn.executemany("INSERT INTO intervention (id, name, description, listed_since, "
                         "listed_until) VALUES (?, ?, ?, ?, ?)",
                         [(i, row["name"], row["description"], row["listed_since"],
                           row["listed_until"] or None)
                          for i, row in enumerate(interventions, 1)])
        conn.executemany("INSERT INTO coach_intervention (coach_id, intervention_id) "
                         "VALUES (?, ?)", delivers)
        conn.executemany("INSERT INTO profile_held (coach_id, profile, attained_on) "
                         "VALUES (?, ?, ?)", profiles)
    conn.close()


def register_for(coaches: int, rebuild: bool) -> Path:
    path = OUT / f"publish-{coaches}.sqlite"
    if rebuild or not path.exists():
        raw = OUT / f"publish-{coaches}.raw.sqlite"
        build(raw, coaches)
        enrich(raw)
        raw.replace(path)
    return path


def publish(path: Path, site: Path) -> float:
    """Seconds of one end-to-end `smr publish`, as a child process."""
    env = {**os.environ, "SMR_ACTOR": "bench"}
    started = time.perf_counter()
    done = subprocess.run([str(SMR), "--db", str(path), "publish", "--output", str(site),
                           "--as-of", AS_OF.strftime("%d-%m-%Y")], capture_output=True,
                          text=True, env=env)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"smr publish failed ({done.returncode}): {done.stderr}")
    return elapsed


def weights(site: Path) -> dict[str, tuple[int, int]]:
    """Per page: (bytes, gzip-compressed bytes) of the page with its stylesheet and script."""
    shared = [site / "site.css", site / "site.js"]
    result = {}
    for name in (*PAGES, "register.json", "register.csv"):
        parts = [site / name, *(shared if name in PAGES else [])]
        raw = sum(part.stat().st_size for part in parts)
        packed = sum(len(gzip.compress(part.read_bytes(), 6, mtime=0)) for part in parts)
        result[name] = (raw, packed)
    return result


BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"]


# One search in the page: set the field, fire `input` as typing does, and time until the count
# changed and the next frame is drawn (measured inside the page: the driver's own round trips
# would dominate otherwise). The debounce of the script is included.
_SEARCH = """(query) => new Promise((done) => {
  const field = document.getElementById("zoek"), count = document.getElementById("aantal");
  field.value = query;
  const started = performance.now();
  const seen = new MutationObserver(() => {
    seen.disconnect();
    requestAnimationFrame(() => done(performance.now() - started));
  });
  seen.observe(count, {childList: true, characterData: true, subtree: true});
  field.dispatchEvent(new Event("input", {bubbles: true}));
})"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        """No access log on the benchmark's output."""


def browser_times(site: Path) -> tuple[float, float]:
    """(seconds until the search is ready, slowest of a few searches) in headless Chromium."""
    from playwright.sync_api import sync_playwright

    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                                 args=BROWSER_ARGS)
            page = browser.new_page()
            started = time.perf_counter()
            page.goto(f"http://127.0.0.1:{server.server_port}/index.html")
            page.wait_for_selector("#zoeken:not([hidden])")
            ready = time.perf_counter() - started
            search = max(page.evaluate(_SEARCH, query) / 1000
                         for query in ("u", "utrecht", "jansen", "3511", ""))
            browser.close()
    finally:
        server.shutdown()
    return ready, search


def main() -> None:
    from bytecode import compile_package  # beside this script, as `python benchmarks/...` runs it

    compile_package()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--coaches", type=int, nargs="+", default=[2000, 20000])
    parser.add_argument("--rebuild", action="store_true", help="rebuild the registers")
    parser.add_argument("--browser", action="store_true",
                        help="also time loading and searching in headless Chromium")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    for coaches in args.coaches:
        path = register_for(coaches, args.rebuild)
        site = OUT / f"site-{coaches}"
        publish(path, site)  # warm the page cache
        seconds = min(publish(path, site) for _ in range(2))
        listed = (site / "register.csv").read_text(encoding="utf-8").count("\n") - 1
        print(f"{coaches:>7,} coaches in the register, {listed:,} on the site: "
              f"smr publish {seconds:5.2f} s")
        for name, (raw, packed) in weights(site).items():
            with_assets = " (with site.css and site.js)" if name in PAGES else ""
            print(f"    {name:<22} {raw / 1024:8.1f} KiB, gzip {packed / 1024:7.1f} KiB"
                  f"{with_assets}")
        if args.browser:
            ready, search = browser_times(site)
            print(f"    Chromium: index.html ready to search in {ready:.2f} s; a search as "
                  f"you type is drawn within {search * 1000:.0f} ms (slowest of 5)")


if __name__ == "__main__":
    main()
