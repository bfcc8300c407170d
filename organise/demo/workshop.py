"""The 2005 demo event: IOM's Intersessional Workshop "Developing Capacity to Manage Migration".

Facts from the seed (shared/seeds/000): 27–28 September 2005; five groups A–E, each in its
own room for the whole workshop; rooms A–C tri-lingual (English/Spanish/French with
interpretation), D–E English only; two co-facilitated break-out sessions, 11:00–13:00
Migration and Labour (EMM 2.6) and 15:00–17:00 Counter-Trafficking (EMM 3.12); new
facilitators come to each group for each session; around them, a plenary programme on both days
(`demo_data.PROGRAMME`). People are fictional (`demo_data`).
"""

import random
import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, time

from django.contrib.auth import get_user_model
from django.db import transaction

from curriculum.models import Section
from workshops import demo_data
from workshops.models import (
    Assignment,
    BreakoutSession,
    Facilitator,
    Group,
    LanguageMode,
    Participant,
    ProgrammeItem,
    Room,
    Workshop,
)
from workshops.scheduling.rotation import rotation_greedy
from workshops.selectors import schedule_load

SLUG = "idm-2005-capacity"
ORGANISER_PASSWORD = "emm-2005-demo"
PARTICIPANT_COUNT = 100
SEED = 2005
TZ = zoneinfo.ZoneInfo("Europe/Zurich")
TRILINGUAL = ("en", "es", "fr")


@dataclass
class DemoResult:
    workshop: Workshop
    organiser_username: str
    organiser_password: str | None  # None when someone changed the demo password since


def _t(en: str, es: str, fr: str, field: str) -> dict:
    return {f"{field}_en": en, f"{field}_es": es, f"{field}_fr": fr}


def _people(rng: random.Random) -> list[dict]:
    """~100 fictional participants, deterministic for the seed, from every region."""
    people = []
    countries = list(demo_data.COUNTRIES)
    for index in range(PARTICIPANT_COUNT):
        code, region, languages = countries[index % len(countries)]
        name_group = languages[0]
        given = rng.choice(demo_data.GIVEN_NAMES[name_group])
        family = rng.choice(demo_data.FAMILY_NAMES[name_group])
        spoken = list(languages)
        # Delegates work in English, Spanish or French; many Spanish and French speakers
        # speak no English, which is why rooms A–C have interpretation.
        if "en" not in spoken and (not set(spoken) & set(TRILINGUAL) or rng.random() < 0.45):
            spoken.append("en")
        people.append(
            {
                "email": f"participant{index + 1:03d}@example.org",
                "name": f"{given} {family}",
                "country": code,
                "region": region,
                "organisation": rng.choice(demo_data.ORGANISATIONS),
                "languages": spoken,
                "gender": rng.choice(["female", "male", "female", "male", ""]),
                "preferred_language": spoken[0] if spoken[0] in TRILINGUAL else "en",
            }
        )
    return people


def _place(participants: list[Participant], groups: dict[str, Group]) -> None:
    """Language first (non-English speakers to the tri-lingual rooms), then balanced sizes."""
    sizes = {name: 0 for name in groups}
    trilingual = [name for name in groups if name in "ABC"]
    for participant in sorted(participants, key=lambda p: ("en" in p.languages, p.email)):
        allowed = trilingual if "en" not in participant.languages else list(groups)
        target = min(allowed, key=lambda name: (sizes[name], name))
        sizes[target] += 1
        participant.group = groups[target]


@transaction.atomic
def demo_workshop_load() -> DemoResult:
    """Create or update the 2005 workshop. Idempotent: a second run changes nothing."""
    rng = random.Random(SEED)
    workshop, _ = Workshop.objects.update_or_create(
        slug=SLUG,
        defaults={
            **_t(
                "Developing Capacity to Manage Migration",
                "Desarrollo de la capacidad para gestionar la migración",
                "Renforcer les capacités de gestion des migrations",
                "title",
            ),
            **_t(
                "International Dialogue on Migration – Intersessional Workshop",
                "Diálogo Internacional sobre la Migración – Taller entre reuniones",
                "Dialogue international sur la migration – Atelier intersessions",
                "series",
            ),
            **_t(
                "New capacity-building tools on migration management: the Berne Initiative's International "
                "Agenda for Migration Management (IAMM) and IOM's Essentials of Migration Management (EMM), "
                "with two co-facilitated break-out sessions. (Demonstration data; participants are fictional.)",
                "Nuevas herramientas de fortalecimiento de capacidades en gestión de la migración: la Agenda "
                "Internacional para la Gestión de la Migración (AIGM) de la Iniciativa de Berna y los Fundamentos "
                "de Gestión de la Migración (EMM) de la OIM, con dos sesiones de grupo cofacilitadas. "
                "(Datos de demostración; los participantes son ficticios.)",
                "Nouveaux outils de renforcement des capacités en gestion des migrations\u00a0: l'Agenda "
                "international pour la gestion des migrations (AIGM) de l'Initiative de Berne et les Notions "
                "essentielles de gestion des migrations (EMM) de l'OIM, avec deux sessions en groupes "
                "co-animées. (Données de démonstration\u00a0; les participants sont fictifs.)",
                "description",
            ),
            **_t("Geneva", "Ginebra", "Genève", "venue"),
            "start_date": date(2005, 9, 27),
            "end_date": date(2005, 9, 28),
            "timezone": "Europe/Zurich",
            "is_published": True,
            "worksheets_open": True,
            # The demo is replayed long after 2005: its personal links must keep working.
            "links_valid_until": date(2099, 12, 31),
        },
    )

    organiser_password = None
    User = get_user_model()
    organiser, created = User.objects.get_or_create(
        username=demo_data.ORGANISER["username"],
        defaults={
            "email": demo_data.ORGANISER["email"],
            "first_name": demo_data.ORGANISER["name"].split()[0],
            "last_name": demo_data.ORGANISER["name"].split()[-1],
            "is_staff": True,
        },
    )
    if created:
        organiser.set_password(ORGANISER_PASSWORD)
        organiser.save(update_fields=["password"])
    if organiser.check_password(ORGANISER_PASSWORD):
        organiser_password = ORGANISER_PASSWORD
    workshop.organisers.add(organiser)

    trilingual, _ = LanguageMode.objects.update_or_create(
        workshop=workshop,
        name_en="Tri-lingual",
        defaults={
            **_t("Tri-lingual", "Trilingüe", "Trilingue", "name"),
            "languages": list(TRILINGUAL),
            "interpretation": True,
        },
    )
    english_only, _ = LanguageMode.objects.update_or_create(
        workshop=workshop,
        name_en="English only",
        defaults={
            **_t("English only", "Solo inglés", "Anglais uniquement", "name"),
            "languages": ["en"],
            "interpretation": False,
        },
    )
    groups: dict[str, Group] = {}
    for letter in "ABCDE":
        room, _ = Room.objects.update_or_create(
            workshop=workshop,
            name=f"Room {letter}",
            defaults={
                "capacity": 25 if letter in "ABC" else 22,
                "language_mode": trilingual if letter in "ABC" else english_only,
                **_t(f"Room {letter}", f"Sala {letter}", f"Salle {letter}", "name"),
                **_t(
                    f"Ground floor, corridor {letter}",
                    f"Planta baja, pasillo {letter}",
                    f"Rez-de-chaussée, couloir {letter}",
                    "directions",
                ),
            },
        )
        groups[letter], _ = Group.objects.update_or_create(workshop=workshop, name=letter, defaults={"room": room})

    sections = {s.number: s for s in Section.objects.filter(number__in=["2.6", "3.12"])}
    for start, end, titles, number in (
        (11, 13, ("Migration and Labour", "Migración y trabajo", "Migrations et travail"), "2.6"),
        (
            15,
            17,
            ("Counter-Trafficking", "Lucha contra la trata de personas", "Lutte contre la traite des personnes"),
            "3.12",
        ),
    ):
        BreakoutSession.objects.update_or_create(
            workshop=workshop,
            title_en=titles[0],
            defaults={
                **_t(*titles, "title"),
                "start": datetime(2005, 9, 27, start, tzinfo=TZ),
                "end": datetime(2005, 9, 27, end, tzinfo=TZ),
                "section": sections.get(number),
                "facilitators_required": 2,
            },
        )

    for day, start, end, kind, titles, places in demo_data.PROGRAMME:
        ProgrammeItem.objects.update_or_create(
            workshop=workshop,
            title_en=titles[0],
            start=datetime.combine(date(2005, 9, day), time.fromisoformat(start), tzinfo=TZ),
            defaults={
                **_t(*titles, "title"),
                **_t(*places, "place"),
                "kind": kind,
                "end": datetime.combine(date(2005, 9, day), time.fromisoformat(end), tzinfo=TZ),
            },
        )

    for spec in demo_data.FACILITATORS:
        facilitator, _ = Facilitator.objects.update_or_create(
            workshop=workshop,
            email=spec["email"],
            defaults={
                "name": spec["name"],
                "organisation": spec["organisation"],
                "languages": spec["languages"],
                "preferred_language": next((code for code in spec["languages"] if code != "en"), "en")
                if spec["languages"][0] != "en"
                else "en",
            },
        )
        facilitator.expertise.set(Section.objects.filter(number__in=spec["expertise"]))

    existing = {p.email: p for p in Participant.objects.filter(workshop=workshop)}
    participants = []
    for spec in _people(rng):
        participant = existing.get(spec["email"]) or Participant(workshop=workshop, email=spec["email"])
        for field, value in spec.items():
            setattr(participant, field, value)
        participants.append(participant)
    # Place only on first load: an organiser's later moves are theirs to keep.
    if not existing:
        _place(participants, groups)
    for participant in participants:
        participant.save()

    if not Assignment.objects.filter(session__workshop=workshop).exists():
        # The solver's greedy rotation (no solver run: the same on every machine). Should it ever
        # get stuck, load_demo's rule check names what the demo's people lack.
        for spec in rotation_greedy(schedule_load(workshop=workshop)) or []:
            Assignment.objects.create(
                facilitator_id=spec.facilitator_id, session_id=spec.session_id, group_id=spec.group_id
            )

    return DemoResult(workshop=workshop, organiser_username=organiser.username, organiser_password=organiser_password)
