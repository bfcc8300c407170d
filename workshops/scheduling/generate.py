"""Realistic random workshops as plain data, for the benchmark, the tests and trying the solver.

`schedule_generate` returns a `Schedule` with rooms, groups, participants, sessions and
facilitators, no participant placed and no facilitator assigned. It is deterministic for a
seed and always feasible: every participant fits some room's languages, there are more seats
than participants (and enough tri-lingual seats for those who speak no English), and there are
enough facilitators, available often enough, for every group to get new ones each session.

Pure Python over plain data: no model is imported. People are FICTIONAL (invented name
combinations); countries are real ISO 3166-1 alpha-2 codes with IOM's four regions (`workshops.reference`).
"""

import math
import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from curriculum import emm_data

from .. import demo_data, reference
from ..languages import LANGUAGE_CODES
from .data import FacilitatorSpec, GroupSpec, ParticipantSpec, RoomSpec, Schedule, SessionSpec

TZ = ZoneInfo("Europe/Zurich")
FIRST_DAY = date(2030, 10, 7)  # a Monday; sessions skip weekends
SESSION_HOURS = 2
# Start hours used on a day holding 1, 2, 3 or 4 sessions.
SLOTS = {1: (11,), 2: (11, 14), 3: (9, 11, 14), 4: (9, 11, 14, 16)}
REQUIRED = 2  # facilitators per group and session: co-facilitation
TRILINGUAL = frozenset({"en", "es", "fr"})
ENGLISH_ONLY = frozenset({"en"})
SECTIONS = {spec["number"]: spec["title"]["en"] for spec in emm_data.SECTIONS}

# The name lists a delegate's invented name comes from, where not those of the country's first
# working language (`reference.COUNTRIES`): a Czech delegate working in English gets a Slavic name.
NAME_GROUPS = {"CZ": "pl", "SK": "pl", "AZ": "tr", "ER": "am", "NP": "hi", "LK": "hi", "TM": "tr", "LA": "th", "BT": "hi"}  # fmt: skip

# Name lists for the name groups demo_data lacks; family names are gender-neutral, as there.
MORE_GIVEN_NAMES = {
    "ko": ["Min-jun", "Seo-yeon", "Ji-hoon", "Ha-eun", "Hyun-woo", "Ji-young", "Sung-min", "Eun-ji"],
    "tr": ["Mehmet", "Ayşe", "Mustafa", "Zeynep", "Emre", "Elif", "Burak", "Esra"],
    "fa": ["Ali", "Maryam", "Reza", "Zahra", "Hossein", "Fatemeh", "Amir", "Narges"],
    "hi": ["Arjun", "Priya", "Rahul", "Anjali", "Vikram", "Sunita", "Rohan", "Kavita"],
    "sw": ["Baraka", "Amani", "Juma", "Neema", "Hamisi", "Rehema", "Salim", "Zawadi"],
    "am": ["Abebe", "Almaz", "Dawit", "Hirut", "Yonas", "Meseret", "Samuel", "Tigist"],
    "pl": ["Piotr", "Anna", "Tomasz", "Katarzyna", "Marcin", "Agnieszka", "Paweł", "Magdalena"],
    "ro": ["Ioana", "Mihai", "Raluca", "Bogdan", "Alina", "Cristian", "Roxana", "Vlad"],
    "el": ["Nikos", "Maria", "Giorgos", "Eleni", "Dimitris", "Katerina", "Yannis", "Sofia"],
    "sq": ["Arben", "Elira", "Besnik", "Mirela", "Dritan", "Anila", "Gentian", "Blerina"],
    "hy": ["Aram", "Anahit", "Tigran", "Lusine", "Armen", "Mariam", "Davit", "Nune"],
    "ka": ["Giorgi", "Nino", "Levan", "Tamar", "Irakli", "Ketevan", "Lasha", "Eka"],
    "ms": ["Ahmad", "Nurul", "Hafiz", "Aisyah", "Faizal", "Farah", "Zulkifli", "Siti Aminah"],
}
MORE_FAMILY_NAMES = {
    "ko": ["Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon"],
    "tr": ["Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Aydın", "Öztürk"],
    "fa": ["Ahmadi", "Hosseini", "Mohammadi", "Rezaei", "Moradi", "Karimi", "Rahimi", "Jafari"],
    "hi": ["Sharma", "Verma", "Gupta", "Iyer", "Patel", "Nair", "Reddy", "Menon"],
    "sw": ["Mwangi", "Njoroge", "Mushi", "Massawe", "Mbwana", "Kimaro", "Omondi", "Wekesa"],
    "am": ["Tesfaye", "Bekele", "Haile", "Alemu", "Getachew", "Tadesse", "Mengistu", "Girma"],
    "pl": ["Nowak", "Wójcik", "Kowalczyk", "Woźniak", "Mazur", "Krawczyk", "Kaczmarek", "Zając"],
    "ro": ["Popescu", "Ionescu", "Dumitru", "Stoica", "Gheorghe", "Rusu", "Munteanu", "Stan"],
    "el": ["Papadakis", "Theodorakis", "Mavroudakis", "Stavrakakis", "Papazoglou", "Michalakis", "Andreadakis"],
    "sq": ["Hoxha", "Shehu", "Krasniqi", "Gashi", "Berisha", "Dervishi", "Leka", "Basha"],
    "hy": ["Petrosyan", "Harutyunyan", "Sargsyan", "Hovhannisyan", "Grigoryan", "Avetisyan", "Karapetyan"],
    "ka": ["Beridze", "Kapanadze", "Gelashvili", "Maisuradze", "Lomidze", "Tsiklauri", "Javakhishvili"],
    "ms": ["Abdullah", "Rahman", "Ismail", "Ibrahim", "Yusof", "Osman", "Aziz", "Hamzah"],
}
GIVEN_NAMES = {**demo_data.GIVEN_NAMES, **MORE_GIVEN_NAMES}
FAMILY_NAMES = {**demo_data.FAMILY_NAMES, **MORE_FAMILY_NAMES}


def _countries() -> dict[str, tuple[str, list[str], str]]:
    """Every country a generated workshop can draw from: code -> (region, languages, name group)."""
    countries = {}
    for code, region, languages in reference.COUNTRIES:
        if not set(languages) <= LANGUAGE_CODES:
            raise AssertionError(f"{code}: a language is not in workshops.languages")
        group = NAME_GROUPS.get(code, languages[0])
        countries[code] = (region, list(languages), group if group in GIVEN_NAMES else "en")
    return countries


ALL_COUNTRIES = _countries()
FACILITATOR_UNITS = sorted({spec["organisation"] for spec in demo_data.FACILITATORS})
GENDERS = ["female", "male", "other", ""]
GENDER_WEIGHTS = [48, 48, 1, 3]


def max_countries() -> int:
    """How many distinct countries a generated workshop can have."""
    return len(ALL_COUNTRIES)


def _letters(index: int) -> str:
    """A, B, ..., Z, AA, AB, ...: the group names organisers use."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _name(rng: random.Random, group: str) -> str:
    return f"{rng.choice(GIVEN_NAMES[group])} {rng.choice(FAMILY_NAMES[group])}"


def _draw_countries(rng: random.Random, count: int) -> list[str]:
    """`count` distinct codes: the demo's 45 countries first, every region and both Spanish and
    French speakers represented whenever the count allows, then further countries."""
    demo = [code for code, _region, _languages in demo_data.COUNTRIES]
    if count > len(demo):
        more = [code for code in ALL_COUNTRIES if code not in demo]
        return demo + rng.sample(more, count - len(demo))
    chosen: list[str] = []
    must = []
    for region in ("americas", "europe", "africa_middle_east", "asia_oceania"):
        must.append([code for code in demo if ALL_COUNTRIES[code][0] == region])
    must.append([code for code in demo if ALL_COUNTRIES[code][1][0] == "es"])
    must.append([code for code in demo if ALL_COUNTRIES[code][1][0] == "fr"])
    for pool in must:
        if len(chosen) < count and not set(pool) & set(chosen):
            chosen.append(rng.choice(pool))
    rest = [code for code in demo if code not in chosen]
    return chosen + rng.sample(rest, count - len(chosen))


def _capacities(rng: random.Random, rooms: int, seats: int) -> list[int]:
    """Unequal room sizes (about ±30 %) summing to `seats`, each at least 1."""
    weights = [rng.uniform(0.7, 1.3) for _ in range(rooms)]
    total = sum(weights)
    capacities = [max(1, math.floor(seats * w / total)) for w in weights]
    order = sorted(range(rooms), key=lambda i: -weights[i])
    i = 0
    while sum(capacities) < seats:
        capacities[order[i % rooms]] += 1
        i += 1
    return capacities


def _session_times(count: int) -> list[tuple[datetime, datetime]]:
    days = math.ceil(count / 4)
    per_day = [count // days + (1 if d < count % days else 0) for d in range(days)]
    times = []
    day = FIRST_DAY
    for sessions_that_day in per_day:
        while day.weekday() >= 5:
            day += timedelta(days=1)
        for hour in SLOTS[sessions_that_day]:
            start = datetime.combine(day, time(hour), tzinfo=TZ)
            times.append((start, start + timedelta(hours=SESSION_HOURS)))
        day += timedelta(days=1)
    return times


def schedule_generate(
    *, participants: int, groups: int, sessions: int, facilitators: int, countries: int, seed: int = 0
) -> Schedule:
    """A realistic random workshop of that size as plain data, the same for the same seed.

    Raises ValueError, in words, when the sizes cannot make a feasible workshop.
    """
    if min(participants, groups, sessions, countries) < 1:
        raise ValueError(_("Participants, groups, sessions and countries must each be at least 1."))
    if countries > min(participants, max_countries()):
        raise ValueError(
            _("Choose at most %(limit)d countries: one participant each at least, from %(known)d known countries.")
            % {"limit": min(participants, max_countries()), "known": max_countries()}
        )
    needed = REQUIRED * max(groups, sessions)
    if facilitators < needed:
        raise ValueError(
            _(
                "%(groups)d groups over %(sessions)d sessions need at least %(needed)d facilitators: "
                "%(required)d per group in every session, and new ones for a group each session."
            )
            % {"groups": groups, "sessions": sessions, "needed": needed, "required": REQUIRED}
        )
    rng = random.Random(seed)

    # Participants: every country at least one delegate, then skewed delegation sizes.
    codes = _draw_countries(rng, countries)
    weights = [rng.lognormvariate(0, 1.1) for _ in codes]
    delegates = list(codes) + rng.choices(codes, weights=weights, k=participants - countries)
    rng.shuffle(delegates)
    # Delegates from Spanish- or French-speaking countries may speak no English (15–25 % of all).
    could_be_monolingual = [
        i
        for i, code in enumerate(delegates)
        if "en" not in ALL_COUNTRIES[code][1] and set(ALL_COUNTRIES[code][1]) & {"es", "fr"}
    ]
    share = rng.uniform(0.15, 0.25)
    no_english = set(rng.sample(could_be_monolingual, min(len(could_be_monolingual), round(share * participants))))
    people = []
    for i, code in enumerate(delegates):
        region, languages, name_group = ALL_COUNTRIES[code]
        spoken = set(languages)
        if i not in no_english:
            spoken.add("en")
            if rng.random() < 0.1:
                spoken.add(rng.choice(["es", "fr"]))
        people.append(
            ParticipantSpec(
                id=i + 1,
                name=_name(rng, name_group),
                languages=frozenset(spoken),
                group_id=None,
                country=code,
                region=region,
                organisation=rng.choice(demo_data.ORGANISATIONS),
                gender=rng.choices(GENDERS, weights=GENDER_WEIGHTS)[0],
            )
        )

    # Rooms: about 60 % tri-lingual (the first ones, as in 2005), seats for 115 % of the people.
    trilingual = max(1, round(0.6 * groups))
    capacities = _capacities(rng, groups, math.ceil(1.15 * participants))
    shortfall = len(no_english) - sum(capacities[:trilingual])
    if shortfall > 0:  # only with very few rooms: give the tri-lingual ones the seats they need
        for i in range(shortfall):
            capacities[i % trilingual] += 1
    rooms = [
        RoomSpec(
            id=i + 1,
            name=f"Room {_letters(i)}",
            capacity=capacities[i],
            languages=TRILINGUAL if i < trilingual else ENGLISH_ONLY,
        )
        for i in range(groups)
    ]
    group_specs = [GroupSpec(id=i + 1, name=_letters(i), room_id=i + 1) for i in range(groups)]

    # Sessions: 09:00, 11:00, 14:00, 16:00 over weekdays, each on a curriculum section.
    numbers = list(SECTIONS)
    sections = rng.sample(numbers, min(sessions, len(numbers)))
    sections += [rng.choice(numbers) for _ in range(sessions - len(sections))]
    session_specs = [
        SessionSpec(id=i + 1, title=SECTIONS[number], start=start, end=end, required=REQUIRED, section=number)
        for i, ((start, end), number) in enumerate(zip(_session_times(sessions), sections, strict=True))
    ]

    # Facilitators: all speak English, many Spanish or French; about 20 % available only for
    # some sessions, never so many that the others could not staff a cyclic rotation alone.
    restricted = set()
    if sessions > 1:
        restricted = set(rng.sample(range(facilitators), min(round(0.2 * facilitators), facilitators - needed)))
    staff = []
    for i in range(facilitators):
        _region, languages, name_group = ALL_COUNTRIES[rng.choice(list(ALL_COUNTRIES))]
        spoken = {"en", languages[0]}
        if rng.random() < 0.4:
            spoken.add("es")
        if rng.random() < 0.45:
            spoken.add("fr")
        expertise = set()
        if rng.random() < 0.7:
            expertise.add(rng.choice(sections))
        size = rng.choice([1, 2, 2, 3])
        while len(expertise) < size:
            expertise.add(rng.choice(numbers))
        availability = ()
        if i in restricted:
            length = rng.randint(1, sessions - 1)
            first = rng.randint(0, sessions - length)
            availability = ((session_specs[first].start, session_specs[first + length - 1].end),)
        staff.append(
            FacilitatorSpec(
                id=i + 1,
                name=_name(rng, name_group),
                languages=frozenset(spoken),
                availability=availability,
                expertise=frozenset(expertise),
            )
        )
    return Schedule(
        rooms=tuple(rooms),
        groups=tuple(group_specs),
        participants=tuple(people),
        facilitators=tuple(staff),
        sessions=tuple(session_specs),
    )


def facilitator_organisation(facilitator_id: int) -> str:
    """The IOM unit a generated facilitator works in (stable for an id)."""
    return FACILITATOR_UNITS[facilitator_id % len(FACILITATOR_UNITS)]
