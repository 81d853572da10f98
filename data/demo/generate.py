"""Write the demo register's CSV files, expected.csv and README.md into data/demo.

Run `.venv/bin/python data/demo/generate.py` from a checkout (or `--out DIR` to write elsewhere);
the fixed seed gives byte-identical files. The package never imports this script: `smr init
--demo` reads the CSV files it wrote (smr_register/services/demo.py), so the demo stays
reviewable data.

The script carries its own small evaluator of the audit semantics (reference date 2026-12-01,
rules version 2022.1 of data/rules.toml) to write the expected outcome of every coach. It is
deliberately independent of smr_register, so the demo checks the audit instead of echoing it.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from pathlib import Path

SEED = 20261201
AS_OF = date(2026, 12, 1)
LAST_RUN = date(2026, 11, 30)
FIRST_DATA_YEAR = 2018
D = Decimal

# Rules version 2022.1 of data/rules.toml, the one in force on AS_OF.
PERIOD_YEARS = 5
MIN_POINTS = D(15)
MIN_YEARS = 3
MIN_HOURS = D(100)
MIN_HOUR_YEARS = 5  # hours "verspreid over minimaal 5 jaar": calendar years with hours
MAX_SUPERVISEES = 10
SUPERVISOR_MIN_YEARS = 2
NOTICE_DAYS = 182
PACE_SHARE = D(1)  # before the notice window: this share of each minimum per whole year passed
# Contributions (2013.1, unchanged in 2022.1): the annual fee, charged in January to every coach
# registered and active that day, supervisees exempt; due FEE_PAYMENT_DAYS after the charge.
ANNUAL_FEE = D(60)
FEE_PAYMENT_DAYS = 30
CHARGES = ((2025, date(2025, 1, 15)), (2026, date(2026, 1, 15)))
BASIS_FROM = date(2022, 9, 1)
TRANSITION_ENDS = date(2025, 9, 1)
COMMITTEE = "Kwaliteitscommissie SMR"
BASIC = "ARZ-100"


# ---------------------------------------------------------------------------------------------
# The training agenda


@dataclass(frozen=True)
class Course:
    code: str
    title: str
    provider: str
    points: Decimal
    accredited_from: date
    accredited_until: date
    profiles: tuple[str, ...]


ARZ = "Academie Rookvrije Zorg"
SLV = "Scholingsinstituut Leefstijl & Verslaving"
KTN = "Kennispunt Tabaksontmoediging Noord"
ZDB = "Zorgopleidingen De Brug"
NSR = "Stichting Nascholing Stoppen met Roken"
PROVIDERS = (ARZ, SLV, KTN, ZDB, NSR)

Y18, Y19, Y20, Y21 = date(2018, 1, 1), date(2019, 1, 1), date(2020, 1, 1), date(2021, 1, 1)
E26, E27, E28 = date(2026, 12, 31), date(2027, 12, 31), date(2028, 12, 31)
BP, PR, PS, EX = "basisprofiel", "pregnancy", "psychiatric", "smr-extra"

COURSES = tuple(Course(c, t, p, D(pts), f, u, prof) for c, t, p, pts, f, u, prof in (
    (BASIC, "Integrale basistraining SMR-begeleider", ARZ, "8", date(2022, 1, 27), E27, (BP,)),
    ("ARZ-110", "Motiverende gespreksvoering: basis", ARZ, "3", Y18, E26, (BP,)),
    ("ARZ-111", "Motiverende gespreksvoering: verdieping", ARZ, "2.5", Y19, date(2027, 6, 30),
     (BP,)),
    ("ARZ-120", "Farmacotherapie bij stoppen met roken", ARZ, "2", Y18, E27, (BP,)),
    ("ARZ-130", "Stoppen met roken bij zwangeren en kinderwens", ARZ, "4", Y20, E28, (PR,)),
    ("ARZ-140", "Terugvalpreventie in de praktijk", ARZ, "1.5", Y18, E26, (BP,)),
    ("ARZ-150", "E-sigaret en vapen: wat zeg je tegen je cliënt?", ARZ, "1", date(2021, 3, 1),
     E27, (BP,)),
    ("ARZ-160", "Intervisie SMR-begeleiders", ARZ, "1.5", Y18, E28, (BP,)),
    ("ARZ-170", "Stoppen met roken bij ouderen", ARZ, "1.5", Y20, E27, (BP,)),
    ("SLV-201", "Psychiatrische comorbiditeit en tabaksverslaving", SLV, "4", date(2023, 1, 1),
     E28, (PS,)),
    ("SLV-202", "Stoppen met roken in de ggz", SLV, "2.5", Y18, E26, (PS, BP)),
    ("SLV-210", "Gedragsverandering: theorie en praktijk", SLV, "3", Y18, E27, (BP,)),
    ("SLV-220", "Verwijzen naar de verslavingszorg", SLV, "1.5", Y18, E26, (BP,)),
    ("SLV-230", "Stress, roken en ontspanning", SLV, "1", Y19, E27, (BP,)),
    ("SLV-240", "Gewichtstoename na het stoppen", SLV, "1", Y18, E26, (BP,)),
    ("SLV-250", "Alcohol en roken: gecombineerd stoppen", SLV, "2", Y20, E28, (BP,)),
    ("SLV-260", "Cannabis en tabak", SLV, "1.5", Y21, E27, (PS,)),
    ("KTN-301", "Lage gezondheidsvaardigheden: begrijpelijk communiceren", KTN, "2", Y18, E27,
     (BP,)),
    ("KTN-302", "Stoppen met roken bij COPD en astma", KTN, "2", Y18, E26, (BP,)),
    ("KTN-303", "Roken en hart- en vaatziekten", KTN, "1.5", Y18, E27, (BP,)),
    ("KTN-304", "Jongeren en roken: op weg naar een rookvrije generatie", KTN, "1", Y19, E26,
     (BP,)),
    ("KTN-305", "Meeroken en een rookvrij huis", KTN, "1", Y18, E27, (PR,)),
    ("KTN-306", "Het intakegesprek en de stoppoging plannen", KTN, "2.5", Y18, E27, (BP,)),
    ("KTN-307", "Een groepstraining stoppen met roken geven", KTN, "3", Y19, E28, (BP,)),
    ("KTN-308", "Cultuursensitief coachen", KTN, "2", Y20, E27, (BP,)),
    ("KTN-309", "Casuïstiekbespreking regio Noord", KTN, "1", Y18, E28, (BP,)),
    ("KTN-310", "Tweedaagse: motiverende gespreksvoering in de praktijk", KTN, "4", Y18, E27,
     (BP,)),
    ("ZDB-401", "Werken met de zorgstandaard tabaks- en nicotineverslaving", ZDB, "2", Y18, E26,
     (BP,)),
    ("ZDB-402", "Nicotinevervangers, varenicline en cytisine", ZDB, "2.5", Y18, E27, (BP,)),
    ("ZDB-403", "Digitaal coachen en e-health", ZDB, "1.5", Y20, E28, (BP,)),
    ("ZDB-404", "Stoppen met roken bij kanker", ZDB, "2", Y19, E27, (BP,)),
    ("ZDB-405", "Roken en diabetes", ZDB, "1", Y18, E26, (BP,)),
    ("ZDB-406", "Verslaglegging en registratie in het HIS", ZDB, "1", Y18, E27, (BP,)),
    # The one course whose accreditation has ended: it stays in the agenda, no new runs count.
    ("ZDB-407", "Acceptatie en commitment bij stoppen met roken", ZDB, "3", Y19,
     date(2023, 12, 31), (BP,)),
    ("ZDB-408", "Zwangerschap, roken en de partner", ZDB, "1.5", Y19, E27, (PR,)),
    ("ZDB-409", "Kinderwens en stoppen: preconceptiezorg", ZDB, "2", Y21, E28, (PR,)),
    ("ZDB-410", "Verdiepingsdag verslaving en gedrag", ZDB, "4", Y19, E28, (BP,)),
    ("NSR-501", "Extra-intensieve begeleiding (SMR-Extra), module 1", NSR, "6",
     date(2025, 1, 1), E28, (EX,)),
    ("NSR-502", "Extra-intensieve begeleiding (SMR-Extra), module 2", NSR, "6",
     date(2025, 6, 1), E28, (EX,)),
    ("NSR-510", "Landelijke nascholingsdag Stoppen met Roken", NSR, "4", Y18, E27, (BP,)),
    ("NSR-511", "Regionale refereeravond tabaksontmoediging", NSR, "1", Y18, E27, (BP,)),
    ("NSR-512", "Coachen bij lichamelijke beperkingen", NSR, "1.5", Y19, E26, (BP,)),
    ("NSR-513", "Ethiek en privacy in de stoppen-met-rokenzorg", NSR, "1", Y20, E27, (BP,)),
    ("NSR-514", "Supervisie geven aan SMR-begeleiders", NSR, "3", Y18, E28, (BP,)),
    ("NSR-515", "Motiveren bij een verstandelijke beperking", NSR, "2", Y20, E27, (BP,)),
    ("NSR-516", "Webinar: nieuwe inzichten in tabaksontmoediging", NSR, "1", date(2020, 4, 1),
     E27, (BP,)),
))
COURSE = {c.code: c for c in COURSES}
# Courses a coach does not just drop into: the basic training and the SMR-Extra modules.
SPECIAL = {BASIC, "NSR-501", "NSR-502"}

INTERVENTIONS = (
    ("Pakje Kans", date(2016, 3, 1), None,
     "Individueel stopprogramma van zes gesprekken in de eerste lijn, met een vaste stopdatum "
     "en nazorg tot drie maanden na het stoppen (fictief voorbeeld)."),
    ("SineFuma", date(2018, 9, 1), None,
     "Begeleid stoppen met roken in kleine groepen binnen de ggz, voor mensen met een "
     "psychiatrische aandoening; gedragsmatige begeleiding gecombineerd met farmacotherapie "
     "(fictief voorbeeld)."),
    ("Rookvrij Thuis", date(2019, 1, 15), None,
     "Huisbezoekprogramma voor (aanstaande) ouders: stoppen met roken en een rookvrij huis voor "
     "het kind, samen met verloskundige zorg en jeugdgezondheidszorg (fictief voorbeeld)."),
    ("Samen Sterk Stoppen", date(2020, 5, 1), None,
     "Groepstraining van zeven bijeenkomsten voor rokers met beperkte gezondheidsvaardigheden, "
     "met beeldmateriaal en een maatjessysteem (fictief voorbeeld)."),
    ("StopStart Online", date(2017, 6, 1), date(2024, 12, 31),
     "Online stopprogramma met chatbegeleiding door een SMR-begeleider; sinds 01-01-2025 niet "
     "meer in het register opgenomen (fictief voorbeeld)."),
)
LISTED_NOW = [name for name, _, until, _ in INTERVENTIONS if until is None]


# ---------------------------------------------------------------------------------------------
# People and places

FEMALE = ("Anna", "Annemarie", "Anouk", "Astrid", "Bianca", "Carla", "Chantal", "Daphne", "Els",
          "Esther", "Eva", "Fatima", "Femke", "Hanneke", "Ilse", "Inge", "Ingrid", "Jolanda",
          "Joyce", "Karin", "Khadija", "Kim", "Lieke", "Linda", "Lotte", "Manon", "Marieke",
          "Marloes", "Mirjam", "Monique", "Nadia", "Naima", "Nicole", "Noor", "Petra", "Renate",
          "Sandra", "Sanne", "Saskia", "Sevgi", "Suzanne", "Tamara", "Wendy", "Yvonne", "Zeynep",
          "Gerda", "Hilde", "Janneke", "Mariska", "Roos")
MALE = ("Ahmed", "Bart", "Bas", "Daan", "Dennis", "Erik", "Frank", "Gerard", "Hans", "Hendrik",
        "Jan", "Jeroen", "Joost", "Koen", "Marco", "Mark", "Martijn", "Michiel", "Mohamed",
        "Mustafa", "Niels", "Paul", "Pieter", "Rachid", "Rob", "Ruud", "Sander", "Stefan",
        "Thijs", "Tim", "Vincent", "Wouter", "Youssef", "Kees", "Arjen")
SECOND_F = ("Maria", "Johanna", "Elisabeth", "Cornelia", "Wilhelmina", "Hendrika", "Anna")
SECOND_M = ("Johannes", "Cornelis", "Hendrik", "Willem", "Jacobus", "Gerardus", "Petrus")
PLAIN = ("Jansen", "Bakker", "Visser", "Smit", "Meijer", "Mulder", "Bos", "Vos", "Peters",
         "Hendriks", "Dekker", "Brouwer", "Dijkstra", "Smits", "Vermeulen", "Kok", "Jacobs",
         "Willems", "Hoekstra", "Koster", "Prins", "Huisman", "Kuipers", "Postma", "Verhoeven",
         "Schouten", "Molenaar", "Timmermans", "Groen", "Veenstra", "Kramer", "Wouters",
         "Bosman", "Janssen", "Maas", "Verbeek", "Claassen", "Hermans", "Boersma", "Nijland",
         "Yilmaz", "Öztürk", "Kaya", "Demir", "Bouzid", "Benali", "Pinas", "Sitaldin", "Nguyen",
         "Koç", "Hoogendoorn", "Zwart", "Evers", "Schipper", "Lammers", "Wijnands")
PREFIXED = (("van", "Dijk"), ("van", "Leeuwen"), ("van", "Beek"), ("van", "Rijn"),
            ("van", "Vliet"), ("de", "Vries"), ("de", "Jong"), ("de", "Groot"), ("de", "Graaf"),
            ("de", "Bruijn"), ("de", "Haan"), ("de", "Wit"), ("de", "Boer"), ("de", "Lange"),
            ("van der", "Wal"), ("van der", "Meer"), ("van der", "Linden"), ("van der", "Heijden"),
            ("van den", "Berg"), ("van den", "Heuvel"), ("van den", "Bosch"), ("van de", "Velde"),
            ("van de", "Ven"), ("van de", "Kamp"), ("ter", "Horst"), ("in 't", "Veld"),
            ("van 't", "Hof"), ("el", "Amrani"), ("el", "Idrissi"), ("el", "Khatib"),
            ("el", "Bouazzaoui"), ("den", "Hartog"))

# City, province, lowest and highest four-digit postcode area of the city.
CITIES = (
    ("Amsterdam", "Noord-Holland", 1011, 1109, 9), ("Haarlem", "Noord-Holland", 2011, 2037, 3),
    ("Alkmaar", "Noord-Holland", 1811, 1834, 2), ("Hoorn", "Noord-Holland", 1621, 1628, 1),
    ("Zaandam", "Noord-Holland", 1501, 1509, 1), ("Hilversum", "Noord-Holland", 1211, 1223, 1),
    ("Almere", "Flevoland", 1311, 1363, 2), ("Lelystad", "Flevoland", 8211, 8245, 1),
    ("Den Haag", "Zuid-Holland", 2511, 2598, 6), ("Rotterdam", "Zuid-Holland", 3011, 3089, 8),
    ("Leiden", "Zuid-Holland", 2311, 2334, 2), ("Delft", "Zuid-Holland", 2611, 2629, 1),
    ("Dordrecht", "Zuid-Holland", 3311, 3329, 2), ("Gouda", "Zuid-Holland", 2801, 2809, 1),
    ("Zoetermeer", "Zuid-Holland", 2711, 2729, 1), ("Utrecht", "Utrecht", 3511, 3585, 6),
    ("Amersfoort", "Utrecht", 3811, 3829, 2), ("Veenendaal", "Utrecht", 3901, 3907, 1),
    ("Middelburg", "Zeeland", 4331, 4337, 1), ("Goes", "Zeeland", 4461, 4465, 1),
    ("Terneuzen", "Zeeland", 4531, 4538, 1), ("Breda", "Noord-Brabant", 4811, 4839, 3),
    ("Tilburg", "Noord-Brabant", 5011, 5049, 3),
    ("'s-Hertogenbosch", "Noord-Brabant", 5211, 5237, 2),
    ("Eindhoven", "Noord-Brabant", 5611, 5658, 4), ("Helmond", "Noord-Brabant", 5701, 5709, 1),
    ("Bergen op Zoom", "Noord-Brabant", 4611, 4625, 1), ("Venlo", "Limburg", 5911, 5928, 1),
    ("Roermond", "Limburg", 6041, 6046, 1), ("Sittard", "Limburg", 6131, 6137, 1),
    ("Maastricht", "Limburg", 6211, 6229, 2), ("Heerlen", "Limburg", 6411, 6422, 1),
    ("Nijmegen", "Gelderland", 6511, 6546, 3), ("Arnhem", "Gelderland", 6811, 6846, 3),
    ("Ede", "Gelderland", 6711, 6718, 1), ("Apeldoorn", "Gelderland", 7311, 7337, 2),
    ("Doetinchem", "Gelderland", 7001, 7009, 1), ("Tiel", "Gelderland", 4001, 4009, 1),
    ("Deventer", "Overijssel", 7411, 7429, 1), ("Enschede", "Overijssel", 7511, 7548, 2),
    ("Hengelo", "Overijssel", 7551, 7559, 1), ("Zwolle", "Overijssel", 8011, 8043, 2),
    ("Emmen", "Drenthe", 7811, 7826, 1), ("Assen", "Drenthe", 9401, 9408, 1),
    ("Hoogeveen", "Drenthe", 7901, 7909, 1), ("Leeuwarden", "Friesland", 8911, 8939, 2),
    ("Heerenveen", "Friesland", 8441, 8448, 1), ("Sneek", "Friesland", 8601, 8608, 1),
    ("Groningen", "Groningen", 9711, 9747, 3), ("Veendam", "Groningen", 9641, 9648, 1),
)
PROVINCE = {city: province for city, province, *_ in CITIES}
POSTCODE_LETTERS = "ABCDEGHJKLMNPRSTVWXZ"
PRACTICE_NAMES = ("De Linde", "Het Anker", "De Vaart", "Oosterpoort", "De Brink", "'t Hofje",
                  "De Es", "Zuiderpark", "De Wilgen", "Het Baken", "De Meander", "Molenhoek")


# ---------------------------------------------------------------------------------------------
# Dates


def add_years(day: date, years: int) -> date:
    """Same calendar day `years` later; 29 February becomes 28 February (as rules.py does)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def first_period(registered_on: date) -> tuple[date, date]:
    return registered_on, add_years(registered_on, PERIOD_YEARS) - timedelta(days=1)


def next_period(valid_until: date) -> tuple[date, date]:
    return valid_until + timedelta(days=1), add_years(valid_until, PERIOD_YEARS)


def iso(value: date | None) -> str:
    return "" if value is None else value.isoformat()


def num(value: Decimal | int | None) -> str:
    """1.5 as `1.5`, 8.00 as `8`: the CSV files hold what a person would type."""
    if value is None:
        return ""
    return f"{Decimal(value).normalize():f}"


def days(delta: timedelta) -> str:
    return "1 day" if delta.days == 1 else f"{delta.days} days"


def nl(value: date) -> str:
    return value.strftime("%d-%m-%Y")


# ---------------------------------------------------------------------------------------------
# One coach


@dataclass
class Credit:
    course: str
    run_date: date
    points: Decimal


@dataclass
class PracticeRow:
    hours: Decimal
    clients: int | None = None
    low_literacy: int | None = None
    intakes: int | None = None
    integral: int | None = None
    pharmaco: int | None = None
    referrals: int | None = None


REFERRAL_REASONS = ("referrals_somatic", "referrals_psychiatric", "referrals_pregnancy",
                    "referrals_medication")


def referrals_by_reason(total: int | None, year: int) -> list[int | None]:
    """A year's referrals spread over the four reasons, round robin from one the year picks."""
    if total is None:
        return [None] * 4
    counts = [0] * 4
    for i in range(total):
        counts[(year + i) % 4] += 1
    return list(counts)


@dataclass
class ProfileRow:
    profile: str
    attained_on: date
    evidence: str
    assessed_by: Spec | None


@dataclass
class ExceptionRow:
    rule: str
    value: Decimal | None
    reason: str
    decided_on: date
    valid_until: date | None


@dataclass(eq=False)
class Spec:
    """Everything the demo says about one coach, before registration numbers are handed out."""

    key: str
    registered_on: date
    renewed_on: list[date] = field(default_factory=list)
    case: str = ""
    why: str = ""
    senior: bool = False
    reg_no: str = ""
    initials: str = ""
    first_name: str = ""
    prefix: str = ""
    last_name: str = ""
    birth_date: date | None = None
    email: str = ""
    big: str = ""
    agb: str = ""
    education: str = ""
    practice: str = ""
    postcode: str = ""
    city: str = ""
    credits: list[Credit] = field(default_factory=list)
    practice_years: dict[int, PracticeRow] = field(default_factory=dict)
    profiles: list[ProfileRow] = field(default_factory=list)
    supervisor: tuple[Spec, date] | None = None
    interventions: list[str] = field(default_factory=list)
    exceptions: list[ExceptionRow] = field(default_factory=list)
    state: tuple[str, date, str] | None = None
    # The basisprofiel's parts short of the whole: (completed_on, evidence) of the basic
    # training, and (role, assessed_on, result) verdicts; their supervisor is chosen later.
    training: tuple[date, str] | None = None
    verdicts: list[tuple[int, date, str]] = field(default_factory=list)
    verdicts_by: Spec | None = None

    @property
    def periods(self) -> list[tuple[date, date, date | None]]:
        """(starts_on, valid_until, renewed_on) of every period, oldest first."""
        start, until = first_period(self.registered_on)
        out: list[tuple[date, date, date | None]] = [(start, until, None)]
        for renewed in self.renewed_on:
            start, until = next_period(until)
            out.append((start, until, renewed))
        return out

    def period_on(self, day: date) -> tuple[date, date]:
        start, until, _ = [p for p in self.periods if p[0] <= day][-1]
        return start, until

    @property
    def name(self) -> str:
        return " ".join(p for p in (self.initials, self.prefix, self.last_name) if p)

    @property
    def basis(self) -> ProfileRow | None:
        return next((p for p in self.profiles if p.profile == BP), None)


# ---------------------------------------------------------------------------------------------
# The evaluator: the audit semantics of docs/audit-json.md, written down independently.


@dataclass
class Outcome:
    state: str
    status: str
    period: tuple[date, date]
    points: Decimal
    years: list[int]
    hours: Decimal
    explanation: str
    hour_years: list[int] = field(default_factory=list)


def evaluate(spec: Spec, supervisees: Sequence[Spec], on: date = AS_OF,
             renewals: bool = True) -> Outcome:
    """The audit outcome on `on`; the rules' numbers are the same in 2013.1 and 2022.1, only
    the basisprofiel is new in 2022.1. With `renewals`, a coach who would be due but was already
    renewed (a next period decided on or before `on`) is `renewed`. Before the notice window
    the pace decides: after k whole years of the period, k/5 of each minimum (years with
    points rounded down, amounts up to a tenth) is expected; less is `behind`."""
    start, until = spec.period_on(on)
    counted = [c for c in spec.credits
               if start <= c.run_date <= min(until, on)
               and COURSE[c.course].accredited_from <= c.run_date
               <= COURSE[c.course].accredited_until]
    points = sum((c.points for c in counted), D(0))
    years = sorted({c.run_date.year for c in counted if c.points > 0})
    hours = sum((row.hours for year, row in spec.practice_years.items()
                 if start.year <= year <= min(until.year, on.year)), D(0))
    hour_years = sorted(year for year, row in spec.practice_years.items()
                        if start.year <= year <= min(until.year, on.year) and row.hours > 0)
    state = spec.state[0] if spec.state and spec.state[1] <= on else "active"
    result = Outcome(state, "", (start, until), points, years, hours, "")
    result.hour_years = hour_years
    if spec.state and state != "active":
        result.status = state
        result.explanation = f"{state} since {iso(spec.state[1])}: {spec.state[2]}"
        return result
    if on > until:
        result.status = "expired"
        result.explanation = f"period ended {iso(until)} ({days(on - until)} before {iso(on)})"
        return result
    valid_exceptions = {e.rule: e for e in spec.exceptions
                        if e.decided_on <= on and (e.valid_until is None
                                                   or on <= e.valid_until)}
    blocking: list[str] = []
    open_rules: list[str] = []
    notes: list[str] = []

    def minimum(rule: str, default: Decimal) -> Decimal | None:
        exception = valid_exceptions.get(rule)
        if exception is None:
            return default
        if exception.value is None:
            notes.append(f"{rule} rule waived by {COMMITTEE} on {iso(exception.decided_on)}")
            return None
        notes.append(f"{rule} minimum {num(exception.value)} instead of {num(default)} "
                     f"({COMMITTEE}, {iso(exception.decided_on)})")
        return exception.value

    window = on >= until - timedelta(days=NOTICE_DAYS)
    passed = on.year - start.year - ((on.month, on.day) < (start.month, start.day))
    slow: list[str] = []

    def pace(what: str, have: Decimal, need: Decimal, whole: bool = False) -> None:
        if window:
            return
        share = need * PACE_SHARE * passed / PERIOD_YEARS
        by_now = (share.to_integral_value(rounding=ROUND_FLOOR) if whole
                  else share.quantize(D("0.1"), rounding=ROUND_CEILING))
        if have < by_now:
            slow.append(f"{what} {num(have)} where {num(by_now)} are expected by now")

    need_points = minimum("points", MIN_POINTS)
    if need_points is not None and points < need_points:
        open_rules.append(f"short on points: {num(points)} of {num(need_points)}, needs "
                          f"{num(need_points - points)} more")
        pace("points", points, need_points)
    need_years = minimum("spread", D(MIN_YEARS))
    if need_years is not None and len(years) < need_years:
        shown = ", ".join(str(y) for y in years) or "none"
        open_rules.append(f"points in {len(years)} of {num(need_years)} calendar years "
                          f"({shown}), needs {num(need_years - len(years))} more")
        pace("years with points", D(len(years)), need_years, whole=True)
    need_hours = minimum("hours", MIN_HOURS)
    if need_hours is not None and hours < need_hours:
        open_rules.append(f"short on hours: {num(hours)} of {num(need_hours)}, needs "
                          f"{num(need_hours - hours)} more")
        pace("hours", hours, need_hours)
    need_hour_years = minimum("hours-spread", D(MIN_HOUR_YEARS))
    if need_hour_years is not None and len(hour_years) < need_hour_years:
        shown = ", ".join(str(y) for y in hour_years) or "none"
        open_rules.append(f"hours in {len(hour_years)} of {num(need_hour_years)} calendar "
                          f"years ({shown}), needs {num(need_hour_years - len(hour_years))} "
                          f"more")
        pace("years with hours", D(len(hour_years)), need_hour_years, whole=True)
    basis = spec.basis
    held = basis is not None and basis.attained_on <= on
    if not held and on >= BASIS_FROM and "basisprofiel" not in valid_exceptions:
        first = spec.periods[0][0]
        if first >= BASIS_FROM:
            blocking.append(f"registered {iso(first)} (on or after {iso(BASIS_FROM)}) "
                            f"without basisprofiel")
        elif on > TRANSITION_ENDS:
            blocking.append(f"no basisprofiel; the transition ended {iso(TRANSITION_ENDS)} "
                            f"({days(on - TRANSITION_ENDS)} ago)")
        else:
            open_rules.append(f"no basisprofiel yet ({days(TRANSITION_ENDS - on)} left)")
            slow.append("no basisprofiel yet")
    # Prior education of at least MBO-4 for coaches registered from 2022-09-01, unless the
    # committee made an exception; an unrecorded level is an open finding, not a blocking one.
    if spec.periods[0][0] >= BASIS_FROM and spec.education not in ("mbo4", "hbo", "wo"):
        waiver = valid_exceptions.get("education")
        if waiver is not None:
            notes.append(f"education rule waived by {COMMITTEE} on {iso(waiver.decided_on)}")
        elif not spec.education:
            open_rules.append("prior education not recorded")
            slow.append("prior education not recorded")
        else:
            blocking.append(f"prior education {spec.education} is below mbo4")
    if spec.supervisor and spec.supervisor[1] <= on and "supervision" not in valid_exceptions:
        boss = spec.supervisor[0]
        boss_state = boss.state[0] if boss.state and boss.state[1] <= on else "active"
        boss_start, boss_until = boss.period_on(on)
        if boss_state != "active":
            blocking.append(f"supervisor {boss.reg_no} is {boss_state} "
                            f"(since {iso(boss.state[1] if boss.state else None)})")
        elif not boss_start <= on <= boss_until:
            blocking.append(f"supervisor {boss.reg_no} has no valid registration")
    if len(supervisees) > MAX_SUPERVISEES:
        blocking.append(f"supervises {len(supervisees)} coaches, the limit is {MAX_SUPERVISEES}")
    left = days(until - on)
    if blocking:
        result.status = "non-compliant"
        result.explanation = "; ".join(blocking)
    elif window:
        if open_rules:
            result.status = "at-risk"
            result.explanation = f"{'; '.join(open_rules)}; period ends {iso(until)} ({left})"
        else:
            result.status = "due"
            result.explanation = f"meets every rule; period ends {iso(until)} ({left})"
            ahead = [p for p in spec.periods if p[0] > until and p[2] is not None and p[2] <= on]
            if renewals and ahead:
                result.status = "renewed"
                result.explanation = (f"meets every rule and was renewed on {iso(ahead[0][2])} "
                                      f"for {iso(ahead[0][0])} to {iso(ahead[0][1])}")
    else:
        result.status = "behind" if slow else "on-track"
        progress = "; ".join(open_rules) if open_rules else "meets every rule already"
        pace_note = (f"behind the pace after {passed} of {PERIOD_YEARS} years: "
                     f"{'; '.join(slow)}" if slow else
                     f"in step after {passed} of {PERIOD_YEARS} years")
        result.explanation = (f"{progress}; {pace_note} (period ends {iso(until)}, outside the "
                              f"notice window)")
    if notes:
        result.explanation += "; " + "; ".join(notes)
    return result


# ---------------------------------------------------------------------------------------------
# The generator


class Demo:
    def __init__(self) -> None:
        self.rng = random.Random(SEED)
        self.runs = self._make_runs()
        self.named: list[Spec] = []
        self.bulk: list[Spec] = []
        self.used_emails: set[str] = set()
        self.used_numbers: set[str] = set()
        self.seniors: list[Spec] = []
        self.supervisors: dict[str, tuple[Spec, int]] = {}

    # ---- agenda ----

    def _weekday(self, lo: date, hi: date) -> date:
        for _ in range(40):
            day = lo + timedelta(days=self.rng.randint(0, (hi - lo).days))
            if day.weekday() < 4 and day.month not in (7, 8):
                return day
        return lo

    def _make_runs(self) -> dict[str, list[date]]:
        runs: dict[str, list[date]] = {}
        for course in COURSES:
            days: set[date] = set()
            for year in range(FIRST_DATA_YEAR, 2027):
                lo = max(date(year, 1, 1), course.accredited_from)
                hi = min(date(year, 12, 31), course.accredited_until, LAST_RUN)
                if lo > hi:
                    continue
                if course.code == BASIC:  # four starts a year, first Monday of the month
                    for month in (2, 4, 9, 11):
                        first = date(year, month, 1)
                        days.add(first + timedelta(days=(7 - first.weekday()) % 7))
                    continue
                for _ in range(self.rng.choice((1, 2, 2, 3, 3))):
                    days.add(self._weekday(lo, hi))
            runs[course.code] = sorted(days)
        return runs

    def all_runs(self) -> list[tuple[str, date]]:
        return sorted((code, day) for code, days in self.runs.items() for day in days)

    def pick(self, spec: Spec, points: str, lo: date, hi: date) -> Credit:
        """A run of a course worth exactly `points` between lo and hi, new to this coach."""
        taken = {(c.course, c.run_date) for c in spec.credits}
        done = {c.course for c in spec.credits}
        options = [(day, code) for code, days in self.runs.items() for day in days
                   if code not in SPECIAL and COURSE[code].points == D(points)
                   and lo <= day <= hi and (code, day) not in taken]
        fresh = [o for o in options if o[1] not in done]
        if not options:
            raise LookupError(f"{spec.key}: no run worth {points} between {lo} and {hi}")
        day, code = self.rng.choice(sorted(fresh or options))
        credit = Credit(code, day, D(points))
        spec.credits.append(credit)
        return credit

    # ---- coaches ----

    def person(self, spec: Spec) -> None:
        rng = self.rng
        female = rng.random() < 0.78  # most cessation coaches are women (POH, nurses)
        first = rng.choice(FEMALE if female else MALE)
        initials = first[0] + "."
        if rng.random() < 0.45:
            initials += rng.choice(SECOND_F if female else SECOND_M)[0] + "."
        if rng.random() < 0.38:
            spec.prefix, spec.last_name = rng.choice(PREFIXED)
        else:
            spec.last_name = rng.choice(PLAIN)
        spec.first_name, spec.initials = first, initials
        born = spec.registered_on.year - rng.randint(26, 58)
        spec.birth_date = date(born, rng.randint(1, 12), rng.randint(1, 28))
        spec.education = rng.choices(("mbo4", "hbo", "wo"), (40, 48, 12))[0]
        if spec.education != "mbo4" and rng.random() < 0.6:
            while True:
                big = str(rng.randint(10**10, 10**11 - 1))
                if big not in self.used_numbers:
                    self.used_numbers.add(big)
                    spec.big = big
                    break
        if rng.random() < 0.55:
            spec.agb = f"{rng.choice((1, 2, 3, 4, 9))}{rng.randint(0, 9999999):07d}"
        city, _, low, high, _ = rng.choices(CITIES, [c[4] for c in CITIES])[0]
        letters = "SS"
        while letters in ("SS", "SA", "SD"):
            letters = "".join(rng.choice(POSTCODE_LETTERS) for _ in range(2))
        spec.city, spec.postcode = city, f"{rng.randint(low, high)} {letters}"
        surname = " ".join(p for p in (spec.prefix.capitalize(), spec.last_name) if p)
        spec.practice = rng.choice((
            f"Huisartsenpraktijk {rng.choice(PRACTICE_NAMES)}",
            f"Gezondheidscentrum {rng.choice(PRACTICE_NAMES)}",
            f"Rookvrij Coaching {city}",
            f"Stoppen met Roken Praktijk {surname}",
            f"Leefstijlpraktijk {surname}",
            f"Longzorg {city}",
            f"Praktijk voor leefstijl en preventie {city}",
        ))
        local = ".".join(ascii_part(p) for p in (first, spec.prefix, spec.last_name) if p)
        email, n = f"{local}@example.nl", 1
        while email in self.used_emails:
            n += 1
            email = f"{local}{n}@example.nl"
        self.used_emails.add(email)
        spec.email = email

    def coach(self, key: str, registered: date, renewed: Iterable[date] = (), *,
              case: str = "", why: str = "", senior: bool = False) -> Spec:
        spec = Spec(key=key, registered_on=registered, renewed_on=list(renewed), case=case,
                    why=why, senior=senior)
        self.person(spec)
        self.named.append(spec)
        return spec

    def credits(self, spec: Spec, items: Iterable[tuple[int, str]], period: int = -1, *,
                after: date = date.min, before: date = date.max) -> None:
        """Credits in given years, each inside the coach's period number `period`."""
        start, until, _ = spec.periods[period]
        for year, points in items:
            lo = max(date(year, 1, 1), start, after)
            hi = min(date(year, 12, 31), until, LAST_RUN, before)
            self.pick(spec, points, lo, hi)

    def hours(self, spec: Spec, per_year: dict[int, str]) -> None:
        for year, amount in per_year.items():
            spec.practice_years[year] = self.practice_row(D(amount))

    def practice_row(self, hours: Decimal) -> PracticeRow:
        row = PracticeRow(hours)
        if self.rng.random() < 0.6 and hours >= 8:
            clients = max(1, int(hours / D("3.5")))
            row.clients = clients
            row.low_literacy = self.rng.randint(0, max(0, clients // 3))
            row.intakes = max(0, clients - self.rng.randint(0, 2))
            row.integral = int(clients * 0.7)
            row.pharmaco = int(clients * 0.45)
            row.referrals = self.rng.randint(0, 3)
        return row

    def basis(self, spec: Spec, attained: date, assessor: Spec | None, *,
              credit: bool = False) -> None:
        """The basisprofiel, shown by a basic-training run that started months before."""
        start = max(day for day in self.runs[BASIC] if day <= attained - timedelta(days=110))
        spec.profiles.append(ProfileRow(
            BP, attained, f"Integrale basistraining SMR-begeleider ({BASIC}), gestart {nl(start)}; "
            f"praktijkbeoordeling door supervisor", assessor))
        if credit:
            spec.credits.append(Credit(BASIC, start, COURSE[BASIC].points))

    def assessor(self, spec: Spec, on: date) -> Spec:
        """A senior coach who may assess on `on` (registered long enough, still valid)."""
        pool = [s for s in self.seniors if s is not spec and s.state is None
                and add_years(s.registered_on, SUPERVISOR_MIN_YEARS) <= on
                and s.periods[-1][1] >= on]
        return self.rng.choice(pool)

    def may_assess(self, boss: Spec, on: date) -> bool:
        """Whether `boss` may assess a coach's competences on `on`: active with a valid
        period, 2 years a registered coach, holding the basisprofiel from 2022-09-01, and not
        non-compliant (this script's own reading of the rules, not smr_register's)."""
        if boss.state and boss.state[1] <= on:
            return False
        if boss.registered_on > on or add_years(boss.registered_on, SUPERVISOR_MIN_YEARS) > on:
            return False
        start, until = boss.period_on(on)
        if not start <= on <= until:
            return False
        if on >= BASIS_FROM and (boss.basis is None or boss.basis.attained_on > on):
            return False
        return evaluate(boss, [], on, renewals=False).status not in ("non-compliant",
                                                                     "expired")

    def check_assessors(self) -> None:
        """Every assessor may assess on the day (a separate random stream, so the rest of the
        demo stays as it was): a direct profile loses an assessor who may not, a basisprofiel
        attained by assessments gets one who may."""
        rng = random.Random(SEED + 1)
        seniors = sorted(self.seniors, key=lambda s: s.key)
        everyone = self.named + self.bulk
        rows = sorted(((p.attained_on, s.key, p.profile, s, p) for s in everyone
                       for p in s.profiles), key=lambda r: r[:3])
        for on, _, profile, spec, row in rows:
            if row.assessed_by is not None and self.may_assess(row.assessed_by, on):
                continue
            pool = [b for b in seniors if b is not spec and self.may_assess(b, on)]
            if profile == BP and spec.registered_on >= BASIS_FROM:
                if not pool:
                    raise SystemExit(f"{spec.key}: nobody may assess on {iso(on)}")
                row.assessed_by = rng.choice(pool)
            else:
                row.assessed_by = rng.choice(pool) if pool and rng.random() < 0.5 else None
        for spec in everyone:
            if spec.verdicts:
                day = spec.verdicts[0][1]
                spec.verdicts_by = rng.choice([b for b in seniors if self.may_assess(b, day)])

    # ---- the named cases ----

    def named_cases(self) -> None:
        g = self
        hist = {2018: "30", 2019: "30", 2020: "28", 2021: "30"}
        sup1 = g.coach("sup-limit", date(2013, 3, 4), [date(2017, 12, 11), date(2022, 12, 5)],
                       case="supervisor at the limit", senior=True,
                       why="supervises exactly 10 coaches (the rules' maximum)")
        sup2 = g.coach("sup-three", date(2013, 6, 17), [date(2018, 3, 19), date(2023, 3, 13)],
                       case="supervisor", senior=True, why="supervises 3 coaches")
        sup3 = g.coach("sup-one", date(2015, 1, 12), [date(2019, 10, 14), date(2024, 10, 7)],
                       case="supervisor", senior=True, why="supervises 1 coach")
        boss = g.coach("sup-suspended", date(2014, 9, 8), [date(2019, 6, 17), date(2024, 5, 13)],
                       case="suspended", senior=True,
                       why="supervisor of 2 coaches, suspended pending a complaint")
        self.seniors = [sup1, sup2, sup3, boss]
        for spec, attained, assessor in ((sup1, date(2022, 10, 11), sup2),
                                         (sup2, date(2022, 9, 20), sup1),
                                         (sup3, date(2022, 12, 13), sup1),
                                         (boss, date(2022, 11, 22), sup1)):
            g.basis(spec, attained, assessor, credit=True)
            g.healthy(spec)
        boss.state = ("suspended", date(2026, 5, 12),
                      "Klacht van een cliënt in behandeling bij de kwaliteitscommissie")

        c = g.coach("compliant-met", date(2022, 10, 3), case="on track",
                    why="registered after 2022-09-01 with basisprofiel; every rule already met")
        g.basis(c, date(2022, 9, 26), sup2)
        g.credits(c, [(2023, "4"), (2023, "2.5"), (2024, "3"), (2025, "2"), (2025, "1.5"),
                      (2026, "4")])
        g.hours(c, {2022: "8", 2023: "35", 2024: "40", 2025: "38", 2026: "32"})

        c = g.coach("compliant-transition", date(2022, 7, 1), case="on track",
                    why="registered before 2022-09-01, basisprofiel within the transition; "
                        "period ends 2027-06-30, just outside the notice window")
        g.basis(c, date(2024, 5, 21), sup1, credit=True)
        g.credits(c, [(2022, "2"), (2023, "3"), (2023, "1.5"), (2025, "2.5"), (2026, "1")])
        g.hours(c, {2022: "12", 2023: "28", 2024: "30", 2025: "26", 2026: "24"})

        c = g.coach("compliant-progress", date(2024, 9, 16), case="behind",
                    why="mid-period, not yet in the notice window: 5.5 points after 2 of 5 "
                        "years, where the pace expects 6")
        g.basis(c, date(2024, 9, 2), sup3)
        g.credits(c, [(2025, "2.5"), (2026, "3")])
        g.hours(c, {2024: "10", 2025: "30", 2026: "28"})

        c = g.coach("due-90-a", date(2022, 1, 10), case="due within 3 months",
                    why="first period, every rule met, ends 39 days after the reference date")
        g.basis(c, date(2023, 3, 14), sup2, credit=True)
        g.credits(c, [(2022, "3"), (2024, "2.5"), (2026, "2")])
        g.hours(c, {2022: "22", 2023: "25", 2024: "24", 2025: "20", 2026: "18"})

        c = g.coach("due-90-renewed", date(2017, 2, 20), [date(2021, 12, 6)],
                    case="due within 3 months",
                    why="renewed once; credits and hours of the first period do not count; "
                        "every rule met in the current one")
        g.basis(c, date(2023, 6, 20), sup1)
        g.credits(c, [(2018, "3"), (2019, "3"), (2020, "2.5"), (2021, "4"), (2021, "3")],
                  period=0, before=date(2021, 12, 6))
        g.credits(c, [(2022, "2"), (2023, "3"), (2024, "4"), (2025, "1.5"), (2026, "4"),
                      (2026, "2")])
        g.hours(c, {2018: "30", 2019: "30", 2020: "25", 2021: "28", 2022: "30", 2023: "32",
                    2024: "29", 2025: "31", 2026: "28"})

        c = g.coach("due-last-day", date(2021, 12, 2), case="due within 3 months",
                    why="last day of the period is the reference date itself (not expired)")
        g.basis(c, date(2023, 1, 17), sup3)
        g.credits(c, [(2022, "4"), (2023, "4"), (2023, "2"), (2025, "4"), (2025, "2")])
        g.hours(c, {2021: "2", 2022: "25", 2023: "22", 2024: "20", 2025: "21", 2026: "19"})

        c = g.coach("due-window", date(2022, 5, 16), case="due",
                    why="in the notice window, more than 3 months left, meets every rule")
        g.basis(c, date(2024, 2, 27), sup2, credit=True)
        g.credits(c, [(2022, "2.5"), (2024, "3"), (2025, "4"), (2026, "3")])
        g.hours(c, {2022: "18", 2023: "30", 2024: "34", 2025: "31", 2026: "27"})

        c = g.coach("renewed-ahead", date(2017, 2, 1), [date(2021, 11, 22), date(2026, 11, 16)],
                    case="renewed ahead",
                    why="renewed on 2026-11-16 for a period starting 2027-02-01: the current "
                        "period is judged (all rules met) and the renewal makes it renewed")
        g.basis(c, date(2023, 5, 9), sup1)
        g.credits(c, [(2018, "3"), (2019, "4"), (2020, "3"), (2021, "2.5"), (2021, "3")],
                  period=0, before=date(2021, 11, 22))
        g.credits(c, [(2022, "3"), (2023, "2.5"), (2024, "4"), (2025, "2"), (2026, "4")],
                  period=1, before=date(2026, 11, 16))
        g.hours(c, hist | {2022: "25", 2023: "25", 2024: "25", 2025: "25", 2026: "25"})

        c = g.coach("risk-points-a", date(2022, 2, 7), case="at-risk: points",
                    why="in the notice window with too few points")
        g.basis(c, date(2023, 10, 10), sup2)
        g.credits(c, [(2022, "3"), (2024, "2.5"), (2024, "1.5"), (2026, "2")])
        g.hours(c, {2022: "22", 2023: "25", 2024: "24", 2025: "20", 2026: "21"})

        c = g.coach("risk-points-renewed", date(2017, 4, 3), [date(2022, 2, 14)],
                    case="at-risk: points",
                    why="renewed; credits from the first period do not count")
        g.basis(c, date(2024, 11, 5), sup3)
        g.credits(c, [(2018, "3"), (2019, "4"), (2020, "4"), (2021, "2"), (2021, "2.5")],
                  period=0)
        g.credits(c, [(2022, "2")], period=0, after=date(2022, 2, 15))
        g.credits(c, [(2022, "4"), (2023, "2.5"), (2025, "3"), (2026, "3")])
        g.hours(c, hist | {2022: "26", 2023: "24", 2024: "23", 2025: "22", 2026: "21"})

        c = g.coach("risk-spread-a", date(2022, 3, 21), case="at-risk: spread",
                    why="enough points, but only in 2025 and 2026")
        g.basis(c, date(2025, 7, 15), sup1, credit=True)
        g.credits(c, [(2026, "4"), (2026, "4")])
        g.hours(c, {2022: "20", 2023: "25", 2024: "26", 2025: "24", 2026: "23"})

        c = g.coach("risk-spread-b", date(2021, 12, 13), case="at-risk: spread",
                    why="enough points, all in 2024; period ends in 11 days")
        g.basis(c, date(2024, 4, 16), sup2)
        g.credits(c, [(2024, "4"), (2024, "4"), (2024, "3"), (2024, "2.5"), (2024, "2")])
        g.hours(c, {2021: "1.5", 2022: "24", 2023: "23", 2024: "25", 2025: "22", 2026: "20"})

        c = g.coach("risk-hours-a", date(2022, 4, 25), case="at-risk: hours",
                    why="points fine, too few coaching hours")
        g.basis(c, date(2023, 5, 30), sup1, credit=True)
        g.credits(c, [(2023, "3"), (2024, "2.5"), (2025, "2"), (2026, "1.5")])
        g.hours(c, {2022: "8", 2023: "15", 2024: "17.5", 2025: "12", 2026: "20"})

        c = g.coach("risk-hours-renewed", date(2017, 1, 16), [date(2021, 11, 10)],
                    case="at-risk: hours",
                    why="renewed; the hours of 2021 and before belong to the first period")
        g.basis(c, date(2022, 12, 6), sup3)
        g.credits(c, [(2018, "4"), (2019, "3"), (2020, "3"), (2021, "3"), (2021, "2.5")],
                  period=0, before=date(2021, 11, 10))
        g.credits(c, [(2022, "3"), (2023, "4"), (2024, "2.5"), (2025, "4"), (2026, "3"),
                      (2026, "1.5")])
        g.hours(c, {2018: "30", 2019: "30", 2020: "35", 2021: "40", 2022: "18", 2023: "20",
                    2024: "16", 2025: "14", 2026: "20"})

        c = g.coach("exception-waived", date(2022, 3, 7), case="exception: points waived",
                    why="11 points would be at-risk; the committee waived the points rule")
        g.basis(c, date(2023, 11, 14), sup2)
        g.credits(c, [(2022, "3"), (2023, "2.5"), (2026, "4"), (2026, "1.5")])
        g.hours(c, {2022: "20", 2023: "22", 2024: "10", 2025: "18", 2026: "35"})
        c.exceptions.append(ExceptionRow(
            "points", None, "Langdurig ziek in 2024 en 2025 (verklaring bedrijfsarts); de "
            "commissie ziet voor deze periode af van de punteneis", date(2026, 6, 18),
            date(2027, 3, 6)))

        c = g.coach("exception-expired", date(2022, 2, 28), case="exception expired",
                    why="an exception lowering the points to 10 ended on 2025-12-31")
        g.basis(c, date(2023, 6, 6), sup1)
        g.credits(c, [(2022, "2"), (2023, "4"), (2025, "2.5"), (2025, "1"), (2026, "2.5")])
        g.hours(c, {2022: "20", 2023: "25", 2024: "25", 2025: "25", 2026: "25"})
        c.exceptions.append(ExceptionRow(
            "points", D(10), "Zwangerschapsverlof in 2023; punteneis tijdelijk verlaagd",
            date(2023, 5, 11), date(2025, 12, 31)))

        c = g.coach("exception-hours", date(2022, 5, 2), case="exception: hours lowered",
                    why="85 hours; the committee lowered the hours minimum to 80")
        g.basis(c, date(2024, 3, 19), sup3)
        g.credits(c, [(2022, "3"), (2023, "2.5"), (2024, "4"), (2025, "2"), (2026, "4")])
        g.hours(c, {2022: "10", 2023: "18", 2024: "20", 2025: "17", 2026: "20"})
        c.exceptions.append(ExceptionRow(
            "hours", D(80), "Werkt in deeltijd (0,4 fte) op de longpoli; urennorm verlaagd naar "
            "80 uur", date(2025, 10, 7), None))

        c = g.coach("transition-renewed", date(2017, 6, 12), [date(2022, 3, 28)],
                    case="non-compliant: transition ended",
                    why="renewed in 2022 under the old rules, still no basisprofiel after "
                        "2025-09-01")
        g.credits(c, [(2018, "3"), (2019, "4"), (2020, "3"), (2021, "2.5"), (2022, "3")],
                  period=0, before=date(2022, 3, 28))
        g.credits(c, [(2022, "2"), (2023, "3"), (2025, "2.5"), (2026, "2")])
        g.hours(c, dict.fromkeys(range(2018, 2027), "30"))

        c = g.coach("transition-late-reg", date(2022, 8, 15),
                    case="non-compliant: transition ended",
                    why="registered 17 days before 2022-09-01 (transition applies), no "
                        "basisprofiel")
        g.credits(c, [(2023, "3"), (2025, "2")])
        g.hours(c, {2022: "10", 2023: "30", 2024: "30", 2025: "30", 2026: "30"})

        c = g.coach("transition-window", date(2022, 1, 24),
                    case="non-compliant: transition ended",
                    why="would be due (points, spread, hours met), but has no basisprofiel")
        g.credits(c, [(2022, "4"), (2023, "3"), (2024, "4"), (2025, "2.5"), (2026, "2")])
        g.hours(c, dict.fromkeys(range(2022, 2027), "24"))

        c = g.coach("new-with-boundary", date(2022, 9, 1), case="new rules, with basisprofiel",
                    why="registered on 2022-09-01 itself, basisprofiel attained before")
        g.basis(c, date(2022, 8, 29), sup1)
        g.credits(c, [(2023, "3"), (2024, "2"), (2025, "2.5"), (2026, "4")])
        g.hours(c, {2022: "12", 2023: "30", 2024: "28", 2025: "33", 2026: "29"})

        c = g.coach("new-with", date(2024, 2, 5), case="new rules, with basisprofiel",
                    why="registered after 2022-09-01 with basisprofiel")
        g.basis(c, date(2024, 1, 22), sup2)
        g.credits(c, [(2024, "2"), (2025, "3"), (2025, "1"), (2026, "2.5")])
        g.hours(c, {2024: "25", 2025: "32", 2026: "30"})

        c = g.coach("new-without-a", date(2023, 6, 12), case="new rules, no basisprofiel",
                    why="registered after 2022-09-01 without basisprofiel: basic training "
                        "and roles 1-4 done, role 5 assessed niet-voldaan, roles 5-7 open")
        c.training = (date(2023, 5, 2), "Basisopleiding leefstijlcoach met module roken "
                      "(buitenlands diploma)")
        c.verdicts = [(role, date(2023, 9, 12), "voldaan") for role in range(1, 5)]
        c.verdicts.append((5, date(2023, 9, 12), "niet-voldaan"))
        g.credits(c, [(2023, "2"), (2024, "3"), (2025, "4"), (2026, "1.5")])
        g.hours(c, {2023: "15", 2024: "30", 2025: "28", 2026: "26"})

        c = g.coach("new-without-b", date(2025, 11, 3), case="new rules, no basisprofiel",
                    why="registered after 2022-09-01 without basisprofiel")
        g.credits(c, [(2026, "2.5")])
        g.hours(c, {2025: "3", 2026: "30"})

        c = g.coach("expired-last-day", date(2021, 12, 1), case="expired",
                    why="period ended the day before the reference date")
        g.basis(c, date(2023, 4, 18), sup2)
        g.credits(c, [(2022, "3"), (2023, "2.5"), (2024, "4"), (2025, "3"), (2026, "2")])
        g.hours(c, dict.fromkeys(range(2022, 2027), "26"))

        c = g.coach("expired-a", date(2021, 6, 14), case="expired",
                    why="not renewed after the first period")
        g.basis(c, date(2023, 9, 12), sup3)
        g.credits(c, [(2021, "2"), (2022, "3"), (2023, "2.5"), (2024, "1")])
        g.hours(c, {2021: "10", 2022: "20", 2023: "20", 2024: "15", 2025: "8"})

        c = g.coach("expired-b", date(2019, 11, 1), case="expired",
                    why="not renewed after the first period")
        g.credits(c, [(2020, "3"), (2021, "2"), (2022, "1.5")])
        g.hours(c, {2019: "4", 2020: "25", 2021: "20", 2022: "15", 2023: "10"})

        c = g.coach("suspended-fee", date(2020, 3, 9), [date(2025, 1, 20)], case="suspended",
                    why="suspended for not paying the annual fee")
        g.basis(c, date(2023, 8, 29), sup1)
        g.credits(c, [(2020, "3"), (2021, "2.5"), (2022, "4"), (2023, "2"), (2024, "4")],
                  period=0)
        g.credits(c, [(2025, "2")])
        g.hours(c, dict.fromkeys(range(2020, 2026), "28"))
        c.state = ("suspended", date(2025, 11, 20),
                   "Jaarbijdrage 2025 niet voldaan na twee herinneringen")

        c = g.coach("withdrawn-retired", date(2016, 10, 3), [date(2021, 7, 5)], case="withdrawn",
                    why="withdrawn at own request (retired)")
        g.credits(c, [(2018, "3"), (2019, "4"), (2020, "2"), (2020, "2.5"), (2021, "4")],
                  period=0, before=date(2021, 7, 5))
        g.credits(c, [(2021, "2.5"), (2022, "3"), (2023, "1.5")])
        g.hours(c, hist | {2022: "20", 2023: "12"})
        c.state = ("withdrawn", date(2024, 3, 31), "Op eigen verzoek uitgeschreven: met pensioen")

        c = g.coach("withdrawn-moved", date(2023, 2, 13), case="withdrawn",
                    why="withdrawn: stopped working as a coach")
        g.basis(c, date(2023, 1, 31), sup3)
        g.credits(c, [(2023, "2"), (2024, "3")])
        g.hours(c, {2023: "18", 2024: "22", 2025: "6"})
        c.state = ("withdrawn", date(2025, 7, 1),
                   "Werkzaamheden als SMR-begeleider beëindigd (verhuisd naar het buitenland)")

        c = g.coach("renewed-twice", date(2016, 5, 2), [date(2021, 3, 15), date(2026, 2, 20)],
                    case="renewed", why="renewed twice; the third period started 2026-05-02")
        g.basis(c, date(2023, 2, 14), sup2)
        g.credits(c, [(2018, "3"), (2019, "2"), (2019, "4"), (2020, "4"), (2020, "2.5")],
                  period=0)
        g.credits(c, [(2021, "3"), (2022, "2.5"), (2023, "4"), (2024, "2"), (2025, "3"),
                      (2025, "1.5")], period=1, before=date(2026, 2, 20))
        g.credits(c, [(2026, "2.5")])
        g.hours(c, hist | {2022: "30", 2023: "30", 2024: "30", 2025: "30", 2026: "24"})

        for key, registered, assigned, attained in (
                ("supervisee-a", date(2024, 10, 7), date(2024, 10, 21), date(2024, 9, 24)),
                ("supervisee-b", date(2025, 3, 10), date(2025, 3, 24), date(2025, 2, 25))):
            c = g.coach(key, registered, case="supervisor suspended",
                        why="supervisee of a supervisor who is suspended")
            g.basis(c, attained, boss)
            c.supervisor = (boss, assigned)
            g.credits(c, [(2025, "2"), (2026, "3")])
            g.hours(c, {registered.year: "8", 2026: "30"} | ({2025: "26"}
                                                            if registered.year < 2025 else {}))
        self.supervisors = {"sup-limit": (sup1, 10), "sup-three": (sup2, 3), "sup-one": (sup3, 1)}

    def healthy(self, spec: Spec, stop: date = AS_OF) -> None:
        """Credits and hours of an ordinary coach, every year from 2018 (or registration)."""
        rng = self.rng
        rate = D(rng.randint(44, 92)) / 2
        begin = spec.registered_on
        for year in range(max(FIRST_DATA_YEAR, begin.year), min(stop.year, 2026) + 1):
            lo, hi = max(date(year, 1, 1), begin), min(date(year, 12, 31), stop, LAST_RUN)
            if lo > hi:
                continue
            for _ in range(rng.choice((1, 1, 2, 2, 2, 3))):
                points = rng.choice(("1", "1.5", "1.5", "2", "2", "2.5", "3", "4"))
                try:
                    self.pick(spec, points, lo, hi)
                except LookupError:
                    continue
            share = D((hi - lo).days + 1) / D(365)
            amount = (rate * share * D(rng.randint(80, 120)) / 100 * 2).quantize(D(1)) / 2
            if amount >= 1:
                spec.practice_years[year] = self.practice_row(amount)

    # ---- the rest of the register ----

    def bulk_coaches(self, count: int) -> None:
        rng = self.rng
        weights = {2013: 16, 2014: 12, 2015: 14, 2016: 16, 2017: 18, 2018: 20, 2019: 20,
                   2020: 18, 2021: 24, 2022: 26, 2023: 28, 2024: 26, 2025: 22, 2026: 14}
        years = rng.choices(list(weights), list(weights.values()), k=count)
        for index, year in enumerate(sorted(years)):
            last = date(2026, 10, 15) if year == 2026 else date(year, 12, 31)
            registered = date(year, 1, 2) + timedelta(days=rng.randint(0, (last - date(
                year, 1, 2)).days))
            if registered.month == 2 and registered.day == 29:
                registered = registered.replace(day=28)
            spec = Spec(key=f"bulk-{index:03d}", registered_on=registered,
                        senior=year <= 2015)
            self.person(spec)
            stop = AS_OF
            if not spec.senior and year <= 2021 and rng.random() < 0.03:
                stop = registered + timedelta(days=rng.randint(500, 2500))
                spec.state = ("withdrawn", min(stop, date(2026, 10, 30)), rng.choice((
                    "Op eigen verzoek uitgeschreven", "Beroep niet langer uitgeoefend",
                    "Op eigen verzoek uitgeschreven: met pensioen")))
                stop = spec.state[1]
            until = first_period(registered)[1]
            while until < AS_OF:
                renewed = until - timedelta(days=rng.randint(10, 170))
                if renewed >= stop or (not spec.senior and rng.random() < 0.045):
                    stop = min(stop, until)
                    break
                spec.renewed_on.append(renewed)
                until = next_period(until)[1]
            self.healthy(spec, stop)
            self.bulk.append(spec)
        self.seniors += [s for s in self.bulk if s.senior and s.state is None]
        for spec in self.bulk:
            self.bulk_profiles(spec)

    def bulk_profiles(self, spec: Spec) -> None:
        rng = self.rng
        active_at = spec.state[1] if spec.state else spec.periods[-1][1]
        if spec.registered_on >= BASIS_FROM:
            attained = spec.registered_on - timedelta(days=rng.randint(3, 40))
        else:  # before any renewal under the new rules: renewing needs it during the transition
            lo = date(2022, 6, 1)
            hi = min([date(2025, 8, 25)] + [r - timedelta(days=1) for r in spec.renewed_on
                                             if r >= BASIS_FROM])
            attained = lo + timedelta(days=rng.randint(0, (hi - lo).days))
            if attained > active_at:
                return
        credit = spec.registered_on < attained and spec.period_on(attained)[1] >= attained
        self.basis(spec, attained, self.assessor(spec, attained), credit=credit)
        if spec.state or spec.periods[-1][1] < AS_OF:
            return
        extra = rng.random()
        later = attained + timedelta(days=rng.randint(60, 500))
        if extra < 0.09 and later < date(2026, 11, 1):
            course = rng.choice(("ARZ-130", "ZDB-409"))
            run = min((d for d in self.runs[course] if d >= later), default=None)
            if run and run < date(2026, 11, 1):
                if (course, run) not in {(c.course, c.run_date) for c in spec.credits}:
                    spec.credits.append(Credit(course, run, COURSE[course].points))
                spec.profiles.append(ProfileRow(
                    PR, run + timedelta(days=14), f"{COURSE[course].title} ({course}), "
                    f"{nl(run)}", self.assessor(spec, run + timedelta(days=14))))
        elif extra < 0.12 and later < date(2026, 11, 1):
            run = min((d for d in self.runs["SLV-201"] if d >= max(later, date(2025, 1, 1))),
                      default=None)
            if run and run < date(2026, 11, 1) and ("SLV-201", run) not in {
                    (c.course, c.run_date) for c in spec.credits}:
                spec.credits.append(Credit("SLV-201", run, COURSE["SLV-201"].points))
                spec.profiles.append(ProfileRow(
                    PS, run + timedelta(days=21), f"{COURSE['SLV-201'].title} (SLV-201), "
                    f"{nl(run)}; profiel in voorbereiding, vastgelegd als pilot",
                    self.assessor(spec, run + timedelta(days=21))))
        if rng.random() < 0.45:
            spec.interventions = sorted(rng.sample(LISTED_NOW, rng.choice((1, 1, 1, 2))))

    def smr_extra(self) -> None:
        """Two seniors carry the SMR-Extra annotation after both modules."""
        chosen = [s for s in self.bulk if s.senior and s.state is None][:2]
        for spec in chosen:
            since = spec.basis.attained_on if spec.basis else date(2025, 1, 1)
            one = min(d for d in self.runs["NSR-501"] if d > since)
            two = min(d for d in self.runs["NSR-502"] if d > one)
            spec.credits += [Credit("NSR-501", one, D(6)), Credit("NSR-502", two, D(6))]
            attained = max(one, two) + timedelta(days=30)
            spec.profiles.append(ProfileRow(
                EX, attained, "SMR-Extra modules 1 en 2 (NSR-501, NSR-502); aantekening "
                "extra-intensieve begeleiding (in ontwikkeling)", self.assessor(spec, attained)))

    def supervision(self) -> None:
        candidates = [s for s in self.bulk if s.state is None and s.periods[-1][1] >= AS_OF
                      and s.basis and date(2023, 1, 1) <= s.registered_on <= date(2025, 12, 31)]
        self.rng.shuffle(candidates)
        for boss, count in self.supervisors.values():
            for _ in range(count):
                spec = candidates.pop()
                spec.supervisor = (boss, spec.registered_on + timedelta(
                    days=self.rng.randint(7, 60)))
                spec.case = spec.case or "supervisee"

    def consistent_renewals(self) -> None:
        """Every renewal whose period lies inside the data (from 2018) was `due` on the day:
        named cases are written that way; an ordinary coach gets the missing credit or hours."""
        for spec in self.named + self.bulk:
            for index, (_, _, renewed) in enumerate(spec.periods[1:]):
                start, until, _ = spec.periods[index]
                if renewed is None or start.year < FIRST_DATA_YEAR:
                    continue
                for _ in range(8):
                    outcome = evaluate(spec, [], renewed, renewals=False)
                    if outcome.status == "due":
                        break
                    if spec in self.named:
                        raise SystemExit(f"{spec.key}: {outcome.status} on renewal "
                                         f"{iso(renewed)}: {outcome.explanation}")
                    self.top_up(spec, outcome, start, min(until, renewed))
                else:
                    raise SystemExit(f"{spec.key}: cannot make renewal {iso(renewed)} due")

    def top_up(self, spec: Spec, outcome: Outcome, start: date, end: date) -> None:
        if outcome.hours < MIN_HOURS:
            year = max(y for y in range(start.year, end.year + 1))
            row = spec.practice_years.setdefault(year, PracticeRow(D(0)))
            row.hours += MIN_HOURS - outcome.hours + 5
        missing = [y for y in range(start.year, end.year + 1) if y not in outcome.hour_years]
        for year in missing[:max(MIN_HOUR_YEARS - len(outcome.hour_years), 0)]:
            spec.practice_years.setdefault(year, PracticeRow(D(0))).hours += 8
        if outcome.points < MIN_POINTS or len(outcome.years) < MIN_YEARS:
            empty = [y for y in range(start.year, end.year + 1) if y not in outcome.years]
            year = empty[0] if empty else start.year + 1
            self.pick(spec, "3", max(date(year, 1, 1), start), min(date(year, 12, 31), end))

    def education_exception(self) -> None:
        """One registrant from 2022-09-01 below MBO-4 whom the committee admitted: the first
        ordinary coach (by number) of the new rules, on track and with a basisprofiel, is given
        a foreign diploma and the exception recorded with the registration. Chosen after the
        numbers are handed out and without the random generator, so no other coach changes."""
        spec = next(s for s in self.everyone
                    if s in self.bulk and not s.case and s.state is None and not s.exceptions
                    and s.registered_on >= BASIS_FROM and s.basis is not None
                    and evaluate(s, []).status == "on-track")
        spec.education = "other"
        spec.exceptions.append(ExceptionRow(
            "education", None, "Verpleegkundige opleiding in het buitenland, door de commissie "
            "gelijkwaardig bevonden aan mbo 4", spec.registered_on, None))
        spec.case = "exception: education"
        spec.why = ("registered after 2022-09-01 below MBO-4 (a foreign diploma); the "
                    "committee's exception to the education rule recorded with the registration")
        self.named.append(spec)

    # ---- reg numbers ----

    def number(self) -> None:
        """Sequential by registration date; 2013 registrants kept the old administrator's
        numbers, which have leading zeros."""
        everyone = sorted(self.named + self.bulk, key=lambda s: (s.registered_on, s.key))
        old, new = 4512, 100120
        for spec in everyone:
            if spec.registered_on.year == 2013:
                spec.reg_no = f"{old:06d}"
                old += self.rng.randint(7, 90)
            else:
                spec.reg_no = str(new)
                new += self.rng.randint(3, 40)
        self.everyone = sorted(everyone, key=lambda s: s.reg_no)


def ascii_part(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum())


# ---------------------------------------------------------------------------------------------
# Writing


HEADERS: dict[str, Sequence[str]] = {}


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> int:
    HEADERS[path.name] = header
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        count = 0
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def registered_active(spec: Spec, on: date) -> bool:
    """A period running on `on` and no suspension or withdrawal from before it."""
    running = any(start <= on <= until for start, until, _ in spec.periods)
    return running and not (spec.state is not None and spec.state[1] <= on)


def charged(spec: Spec, on: date) -> bool:
    """Whether the charge made on `on` reaches this coach: registered and active that day, and
    not a supervisee (exempt)."""
    return registered_active(spec, on) and spec.supervisor is None


FEE_CASES = ("unpaid", "unpaid", "unpaid", "paid in part", "paid in part",
             "unpaid two years", "paid late", "paid late")


def contributions(people: Sequence[Spec]) -> tuple[list[list[str]], list[list[str]],
                                                   dict[str, str]]:
    """(payments, expected charges, the case of each coach who does not simply pay): everyone
    charged pays in full within a month, but for eight coaches picked at random among those
    charged both years: unpaid, paid in part, two years unpaid, paid late."""
    rng = random.Random(SEED + 15)
    both = sorted((s for s in people if all(charged(s, on) for _, on in CHARGES)),
                  key=lambda s: s.reg_no)
    cases = {s.reg_no: case for s, case in zip(rng.sample(both, len(FEE_CASES)), FEE_CASES,
                                               strict=True)}
    payments: list[list[str]] = []
    expected: list[list[str]] = []
    for year, on in CHARGES:
        for spec in sorted((s for s in people if charged(s, on)), key=lambda s: s.reg_no):
            case = cases.get(spec.reg_no, "")
            paid, paid_on = ANNUAL_FEE, on + timedelta(days=rng.randint(3, 28))
            if case == "unpaid two years" or (case == "unpaid" and year == 2026):
                paid = D(0)
            elif case == "paid in part" and year == 2026:
                paid = ANNUAL_FEE / 2
            elif case == "paid late" and year == 2026:
                paid_on = date(2026, 6, 1)
            if paid:
                payments.append([spec.reg_no, str(year), num(paid), iso(paid_on),
                                 f"SMR-{year}-{spec.reg_no}"])
            owed = ANNUAL_FEE - paid
            late = on + timedelta(days=FEE_PAYMENT_DAYS) < AS_OF and owed > 0
            expected.append([spec.reg_no, str(year), num(ANNUAL_FEE), num(paid), num(owed),
                             "yes" if late else ""])
    payments.sort(key=lambda r: (r[3], r[0], r[1]))
    return payments, expected, cases


def write_all(demo: Demo, out: Path) -> dict[str, Outcome]:
    people = demo.everyone
    supervisees: dict[str, list[Spec]] = {s.reg_no: [] for s in people}
    for spec in people:
        if spec.supervisor:
            supervisees[spec.supervisor[0].reg_no].append(spec)
    outcomes = {s.reg_no: evaluate(s, supervisees[s.reg_no]) for s in people}

    write_csv(out / "providers.csv", ["name"], ([p] for p in PROVIDERS))
    write_csv(out / "courses.csv", ["code", "title", "provider", "points", "accredited_from",
                                    "accredited_until", "profiles", "basic_training"],
              ([c.code, c.title, c.provider, num(c.points), iso(c.accredited_from),
                iso(c.accredited_until), ";".join(c.profiles), "yes" if c.code == BASIC else ""]
               for c in COURSES))
    write_csv(out / "runs.csv", ["course", "run_date"],
              ([code, iso(day)] for code, day in demo.all_runs()))
    write_csv(out / "interventions.csv", ["name", "listed_since", "listed_until", "description"],
              ([n, iso(s), iso(u), d] for n, s, u, d in INTERVENTIONS))
    write_csv(out / "coaches.csv", ["reg_no", "registered_on", "initials", "first_name",
                                    "prefix", "last_name", "birth_date", "email", "big", "agb",
                                    "education", "practice", "postcode", "city"],
              ([s.reg_no, iso(s.registered_on), s.initials, s.first_name, s.prefix,
                s.last_name, iso(s.birth_date), s.email, s.big, s.agb, s.education, s.practice,
                s.postcode, s.city] for s in people))
    write_csv(out / "renewals.csv", ["reg_no", "starts_on", "valid_until", "renewed_on"],
              ([s.reg_no, iso(start), iso(until), iso(renewed)]
               for s in people for start, until, renewed in s.periods[1:]))
    write_csv(out / "credits.csv", ["reg_no", "course", "run_date", "points"],
              ([s.reg_no, c.course, iso(c.run_date), num(c.points)]
               for s in people for c in sorted(s.credits, key=lambda c: (c.run_date, c.course))))
    write_csv(out / "practice.csv", ["reg_no", "year", "hours", "clients",
                                     "clients_low_literacy", "intakes", "integral_trajectories",
                                     "pharmacotherapy_trajectories", *REFERRAL_REASONS],
              ([s.reg_no, str(y), num(r.hours), num(r.clients), num(r.low_literacy),
                num(r.intakes), num(r.integral), num(r.pharmaco),
                *(num(n) for n in referrals_by_reason(r.referrals, y))]
               for s in people for y, r in sorted(s.practice_years.items())))
    def direct(spec: Spec, row: ProfileRow) -> bool:
        return row.profile != BP or spec.registered_on < BASIS_FROM

    write_csv(out / "profiles.csv", ["reg_no", "profile", "attained_on", "evidence",
                                     "assessed_by"],
              sorted(([s.reg_no, p.profile, iso(p.attained_on), p.evidence,
                       p.assessed_by.reg_no if p.assessed_by else ""]
                      for s in people for p in s.profiles if direct(s, p)),
                     key=lambda r: (r[2], r[0], r[1])))
    # Registrants from 2022-09-01 attain the basisprofiel by the basic training (the agenda's
    # course, or evidence the committee accepted) and a supervisor's verdict on each role.
    trainings = [[s.reg_no, iso(p.attained_on), BASIC, "", ""]
                 for s in people for p in s.profiles if not direct(s, p)]
    trainings += [[s.reg_no, iso(s.training[0]), "", s.training[1], COMMITTEE]
                  for s in people if s.training]
    write_csv(out / "trainings.csv", ["reg_no", "completed_on", "course", "evidence",
                                      "accepted_by"], sorted(trainings, key=lambda r: (r[1], r[0])))
    verdicts = [[s.reg_no, str(role), p.assessed_by.reg_no if p.assessed_by else "",
                 iso(p.attained_on), "voldaan", ""]
                for s in people for p in s.profiles if not direct(s, p) for role in range(1, 8)]
    verdicts += [[s.reg_no, str(role), s.verdicts_by.reg_no if s.verdicts_by else "", iso(day),
                  result, "praktijkbeoordeling"]
                 for s in people for role, day, result in s.verdicts]
    write_csv(out / "assessments.csv", ["reg_no", "role", "supervisor", "assessed_on", "result",
                                        "note"], sorted(verdicts, key=lambda r: (r[3], r[0])))
    write_csv(out / "supervision.csv", ["reg_no", "supervisor", "assigned_on"],
              sorted(([s.reg_no, s.supervisor[0].reg_no, iso(s.supervisor[1])]
                      for s in people if s.supervisor), key=lambda r: (r[2], r[0])))
    write_csv(out / "coach_interventions.csv", ["reg_no", "intervention"],
              ([s.reg_no, name] for s in people for name in s.interventions))
    write_csv(out / "exceptions.csv", ["reg_no", "rule", "value", "reason", "decided_by",
                                       "decided_on", "valid_until"],
              ([s.reg_no, e.rule, num(e.value), e.reason, COMMITTEE, iso(e.decided_on),
                iso(e.valid_until)] for s in people for e in s.exceptions))
    write_csv(out / "states.csv", ["reg_no", "state", "state_date", "reason"],
              sorted(([s.reg_no, s.state[0], iso(s.state[1]), s.state[2]]
                      for s in people if s.state), key=lambda r: (r[2], r[0])))
    payments, charges, fee_cases = contributions(people)
    write_csv(out / "fees.csv", ["year", "charged_on"], ([str(y), iso(on)] for y, on in CHARGES))
    write_csv(out / "fee_payments.csv", ["reg_no", "year", "amount", "paid_on", "reference"],
              payments)
    write_csv(out / "expected_fees.csv", ["reg_no", "year", "amount", "paid", "outstanding",
                                          "in_arrears"], charges)
    write_csv(out / "expected.csv", ["reg_no", "name", "case", "state", "status", "starts_on",
                                     "valid_until", "points", "distinct_years", "hours",
                                     "basisprofiel", "explanation"],
              ([s.reg_no, s.name, s.case, o.state, o.status, iso(o.period[0]),
                iso(o.period[1]), num(o.points), str(len(o.years)), num(o.hours),
                iso(s.basis.attained_on) if s.basis else "", o.explanation]
               for s, o in ((s, outcomes[s.reg_no]) for s in people)))
    (out / "README.md").write_text(readme(demo, outcomes, supervisees, charges, fee_cases),
                                    encoding="utf-8")
    return outcomes


def readme(demo: Demo, outcomes: dict[str, Outcome], supervisees: dict[str, list[Spec]],
           charges: Sequence[Sequence[str]], fee_cases: dict[str, str]) -> str:
    people = demo.everyone
    named = sorted(demo.named, key=lambda s: (CASE_ORDER.index(s.case), s.reg_no))
    lines = [CASE_HEADER]
    for spec in named:
        o = outcomes[spec.reg_no]
        lines.append(f"| {spec.case} | `{spec.reg_no}` | {spec.name} | {o.state} | "
                     f"{iso(o.period[0])} to {iso(o.period[1])} | {num(o.points)} | "
                     f"{len(o.years)} | {num(o.hours)} | **{o.status}** | {spec.why} | "
                     f"{o.explanation} |")
    sup_lines = ["| Supervisor | Name | Supervisees | Count |", "| --- | --- | --- | --- |"]
    for spec in people:
        if supervisees[spec.reg_no]:
            under = supervisees[spec.reg_no]
            sup_lines.append(f"| `{spec.reg_no}` | {spec.name} | "
                             f"{', '.join(f'`{s.reg_no}`' for s in under)} | {len(under)} |")
    statuses = Counter(o.status for o in outcomes.values())
    status_lines = ["| Status | Coaches |", "| --- | --- |"]
    status_lines += [f"| {status} | {statuses[status]} |" for status in STATUS_ORDER
                     if statuses[status]]
    status_lines.append(f"| total | {len(people)} |")
    provinces = Counter(PROVINCE[s.city] for s in people)
    province_lines = ["| Province | Coaches |", "| --- | --- |"]
    province_lines += [f"| {p} | {n} |" for p, n in sorted(provinces.items())]
    zeros = sorted(s.reg_no for s in people if s.reg_no.startswith("0"))
    counts = {
        "credits": sum(len(s.credits) for s in people),
        "practice": sum(len(s.practice_years) for s in people),
        "profiles": Counter(p.profile for s in people for p in s.profiles),
        "runs": len(demo.all_runs()),
    }
    by_no = {s.reg_no: s for s in people}
    owed: Counter[str] = Counter()
    for reg_no, _year, _amount, _paid, outstanding, late in charges:
        if late:
            owed[reg_no] += D(outstanding)
    fee_lines = ["| Case | Reg. no | Name | In arrears on 2026-12-01 |",
                 "| --- | --- | --- | --- |"]
    fee_lines += [f"| {case} | `{reg_no}` | {by_no[reg_no].name} | "
                  f"{'EUR ' + num(owed[reg_no]) if owed[reg_no] else 'nothing'} |"
                  for reg_no, case in sorted(fee_cases.items(), key=lambda c: (c[1], c[0]))]
    exempt = sum(1 for s in people
                 if s.supervisor and any(registered_active(s, on) for _, on in CHARGES))
    files = ["| File | One row per | Columns |", "| --- | --- | --- |"]
    files += [f"| `{name}` | {what} | {', '.join(HEADERS[name])} |"
              for name, what in FILES.items()]
    return README_TEMPLATE.format(
        files="\n".join(files),
        coaches=len(people), courses=len(COURSES), providers=len(PROVIDERS),
        runs=counts["runs"], credits=counts["credits"], practice=counts["practice"],
        basis=counts["profiles"][BP], pregnancy=counts["profiles"][PR],
        psychiatric=counts["profiles"][PS], extra=counts["profiles"][EX],
        interventions=len(INTERVENTIONS), zeros=", ".join(f"`{z}`" for z in zeros),
        cases="\n".join(lines), supervision="\n".join(sup_lines),
        statuses="\n".join(status_lines), provinces="\n".join(province_lines),
        seed=SEED, fees="\n".join(fee_lines), exempt=exempt,
        charged_2025=sum(1 for c in charges if c[1] == "2025"),
        charged_2026=sum(1 for c in charges if c[1] == "2026"),
    )


CASE_ORDER = ["on track", "behind", "due", "due within 3 months", "renewed ahead",
              "at-risk: points", "at-risk: spread", "at-risk: hours",
              "exception: points waived", "exception: hours lowered", "exception expired",
              "exception: education",
              "non-compliant: transition ended", "new rules, with basisprofiel",
              "new rules, no basisprofiel", "supervisor at the limit", "supervisor",
              "supervisor suspended", "expired", "suspended", "withdrawn", "renewed"]
STATUS_ORDER = ["on-track", "behind", "due", "renewed", "at-risk", "non-compliant", "expired",
                "suspended", "withdrawn"]
CASE_COLUMNS = ("Case", "Reg. no", "Name", "State", "Period on 2026-12-01", "Points", "Years",
                "Hours", "Status", "What makes it this case", "Expected audit outcome")
CASE_HEADER = "\n".join(("| " + " | ".join(CASE_COLUMNS) + " |",
                         "|" + " --- |" * len(CASE_COLUMNS)))
FILES = {
    "providers.csv": "training provider",
    "courses.csv": "course in the training agenda (profiles `;`-separated; `basic_training` "
                   "`yes` marks the integral basic training)",
    "runs.csv": "dated run of a course",
    "interventions.csv": "listed intervention",
    "coaches.csv": "coach; the first period starts on `registered_on`",
    "renewals.csv": "period after the first",
    "credits.csv": "point credit for a run",
    "practice.csv": "coach and calendar year: hours and practice counts",
    "profiles.csv": "profile a coach holds, recorded directly (a basisprofiel only for "
                    "coaches registered before 2022-09-01)",
    "trainings.csv": "integral basic training: the agenda's course, or evidence the quality "
                     "committee accepted",
    "assessments.csv": "a supervisor's verdict on one role of the basisprofiel (`smr "
                       "competences`); with the training and all 7 roles `voldaan` the "
                       "basisprofiel is attained on the last date",
    "supervision.csv": "supervisee",
    "coach_interventions.csv": "intervention a coach delivers",
    "exceptions.csv": "quality-committee exception (empty value: the rule is waived)",
    "states.csv": "suspension or withdrawal (applied last)",
    "fees.csv": "annual contribution charged: the year and the day of the charge (`smr fee "
                "charge`), after the states",
    "fee_payments.csv": "payment towards a coach's contribution of a year (`smr fee pay`)",
    "expected_fees.csv": "charge: amount, paid and still owed on 2026-12-01, and whether it is "
                         "in arrears (documentation, not loaded)",
    "expected.csv": "coach: the expected audit outcome on 2026-12-01 (documentation, not loaded)",
}

README_TEMPLATE = """\
# The demo register

`smr --db demo.sqlite init --demo` builds a register of {coaches} fictional coaches from the CSV
files in this directory (`smr_register/services/demo.py` reads them through the register's own
write operations, with a history row for every change). Everyone and everything here is made up:
names, practices, e-mail addresses (all `@example.nl`), BIG numbers and AGB codes (valid in form
only), providers, courses and interventions. Postcodes and cities are real places, spread over
the provinces in proportion to roughly where people live.

The demo is built for the **reference date 2026-12-01**: audited with `--as-of 01-12-2026`, every
coach has the status listed in `expected.csv`, and the named cases below show every situation an
audit has to tell apart. No run, credit, hour, profile, decision or state change is dated after
2026-12-01; the one period that starts later (2027-02-01, case "due (renewed ahead)") must be
ignored by an audit as of 2026-12-01, and a renewal on that date must refuse it as already done.

The same files give the same register: only the timestamps of the history rows differ between two
builds (credits are stamped 14 days after their run, at the latest 2026-12-01).

## Files

All files are UTF-8, comma-separated, with a header row; dates are ISO (`2026-12-01`), decimals
use a point (`1.5`); an empty cell means "none".

{files}

In numbers: {providers} providers, {courses} courses with {runs} runs (2018 to 2026), {coaches}
coaches, {credits} point credits, {practice} coach-years of hours, {basis} basisprofielen,
{pregnancy} pregnancy and {psychiatric} psychiatric profiles, {extra} SMR-Extra annotations,
{interventions} interventions (one no longer listed). Course `ZDB-407` lost its accreditation on
2023-12-31: it stays in the agenda and its earlier runs still count. Coaches registered in 2013
kept the numbers of the former administrator, with leading zeros: {zeros}.

## How the expected outcome is worked out

Rules version 2022.1 of `data/rules.toml` is in force on 2026-12-01: a period of 5 years, at
least 15 points in at least 3 different calendar years, at least 100 coaching hours, at most 10
supervisees, a notice window of 182 days before the end of the period (2026-12-01 is in the
window when the period ends on or before 2027-06-01), the basisprofiel required from registration
for coaches registered on or after 2022-09-01 and, for the others, from the end of the transition
on 2025-09-01.

- The current period is the newest one that has started on 2026-12-01. A first period runs from
  the registration date to the same date 5 years later minus one day; a renewal adds 5 years to
  the end date.
- **Points** count for credits whose run lies inside the current period (and on or before
  2026-12-01) and inside the course's accreditation; **years** is the number of different
  calendar years among them.
- **Hours** are the hours of the calendar years from the year the period starts to 2026 (the
  whole year counts, also the year a renewed period starts in).
- Status, in this order: `suspended`/`withdrawn` (the state in force); `expired` (the period
  ended before 2026-12-01); `non-compliant` (basisprofiel missing, or the supervisor is not
  active); in the notice window `due` (every rule met, may be renewed; `renewed` once the next
  period is decided) or `at-risk` (something is still missing); before the window the pace
  (`pace_share` 1 of the rules file): after k whole years of the 5, k/5 of each minimum is
  expected (years with points rounded down, points and hours rounded up to a tenth): `on-track`
  with at least that much of every minimum, else `behind` (also while the basisprofiel of the
  transition is still missing).
- A valid exception (decided on or before 2026-12-01, not past its `valid_until`) waives a rule
  or replaces its minimum.

## The cases

Points, Years and Hours are the counted values in the period on 2026-12-01 (for expired,
suspended and withdrawn coaches they are shown for the record; the status does not depend on
them). Days are counted from 2026-12-01.

{cases}

### Supervision

{supervision}

## The whole register on 2026-12-01

`expected.csv` lists every coach. The remaining coaches are ordinary: most are on track; a few
are behind, due, at-risk, expired or withdrawn, as a real register would have.

{statuses}

Coaches per province (from the city):

{provinces}

## Contributions

The annual fee of EUR 60 (rules 2013.1, unchanged in 2022.1) is charged on 2025-01-15 and on
2026-01-15 to every coach registered and active that day: {charged_2025} and {charged_2026}
coaches. The {exempt} supervisees are exempt ("geen contributie hoeven te betalen"). A charge is
due 30 days after it is made (an assumption of the rules file). Everyone pays in full within a
month, except these coaches (`expected_fees.csv` lists every charge; `smr fee arrears --as-of
01-12-2026` lists exactly those with an amount in arrears):

{fees}

## Regenerating

The files were written by `generate.py` (seed {seed}); the package never imports it. After
changing it, run `.venv/bin/python data/demo/generate.py` and commit the script with the files it
wrote; `tests/test_demo.py` checks that the script reproduces the committed files exactly and that
the built register matches this README.
"""


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent,
                        help="directory to write to (default: next to this script)")
    args = parser.parse_args(argv)
    demo = Demo()
    demo.named_cases()
    demo.bulk_coaches(300 - len(demo.named))
    demo.smr_extra()
    demo.supervision()
    demo.consistent_renewals()
    demo.check_assessors()
    demo.number()
    demo.education_exception()
    args.out.mkdir(parents=True, exist_ok=True)
    outcomes = write_all(demo, args.out)
    statuses = Counter(o.status for o in outcomes.values())
    sys.stderr.write(f"wrote {len(outcomes)} coaches to {args.out}: {dict(statuses)}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
