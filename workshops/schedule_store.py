"""Writing a generated `Schedule` to the database as a new workshop (a service: it uses models).

`workshops.scheduling.generate` makes the plain data; this module turns it into rows in one
transaction, with one bulk insert per table, so that a 3,000-participant workshop takes seconds.
"""

from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from curriculum import emm_data
from curriculum.models import Section, Volume

from .languages import LANGUAGE_CHOICES
from .models import (
    Assignment,
    Availability,
    BreakoutSession,
    Facilitator,
    Group,
    LanguageMode,
    Participant,
    Room,
    Workshop,
)
from .scheduling.data import Schedule
from .scheduling.generate import facilitator_organisation

TIMEZONE = "Europe/Zurich"
LANGUAGES = ("en", "es", "fr")
# Names of the two usual language modes, stored in the three interface languages (as the demo does).
MODE_NAMES = {
    frozenset({"en", "es", "fr"}): ("Tri-lingual", "Trilingüe", "Trilingue"),
    frozenset({"en"}): ("English only", "Solo inglés", "Anglais uniquement"),
}
_LANGUAGE_ORDER = {code: position for position, (code, _label) in enumerate(LANGUAGE_CHOICES)}
_EMM_SECTIONS = {spec["number"]: spec for spec in emm_data.SECTIONS}
_EMM_VOLUMES = {spec["number"]: spec for spec in emm_data.VOLUMES}


def _ordered(languages) -> list[str]:
    """English, Spanish and French first, then the others, in workshops.languages order."""
    return sorted(languages, key=lambda code: (_LANGUAGE_ORDER.get(code, len(_LANGUAGE_ORDER)), code))


def _translated(field: str, values: dict) -> dict:
    return {f"{field}_{language}": values.get(language, "") for language in LANGUAGES}


def _email(name: str, kind: str, number: int) -> str:
    return f"{slugify(name).replace('-', '.')}.{kind}{number}@example.org"


def _preferred(languages) -> str:
    """The interface language of a person's pages: Spanish or French when they speak it, else English."""
    return next((code for code in ("es", "fr") if code in languages), "en")


def _sections(numbers) -> dict[str, Section]:
    """The curriculum sections with these numbers, creating missing ones (and volumes) minimally."""
    sections = {s.number: s for s in Section.objects.filter(number__in=numbers)}
    missing = sorted(set(numbers) - set(sections))
    if missing:
        volumes = {}
        for number in sorted({int(n.split(".")[0]) for n in missing}):
            spec = _EMM_VOLUMES.get(number, {"title": {"en": f"Volume {number}"}})
            volumes[number], _created = Volume.objects.get_or_create(
                number=number, defaults=_translated("title", spec["title"])
            )
        created = Section.objects.bulk_create(
            Section(
                number=number,
                volume=volumes[int(number.split(".")[0])],
                position=int(number.split(".")[1]),  # bulk_create skips Section.save(), which sets it
                **_translated("title", _EMM_SECTIONS.get(number, {"title": {"en": f"Section {number}"}})["title"]),
            )
            for number in missing
        )
        sections.update({s.number: s for s in created})
    return sections


def _session_titles(title: str, section: str | None) -> dict:
    """The session's title in the three languages when it is its EMM section's English title."""
    spec = _EMM_SECTIONS.get(section)
    if spec and spec["title"]["en"] == title:
        return _translated("title", spec["title"])
    return {"title_en": title}


@transaction.atomic
def schedule_store(*, schedule: Schedule, slug: str, title: str, organisers=()) -> Workshop:
    """Create a workshop holding everything in the schedule; ids in the schedule are not kept.

    The workshop is not published (generated workshops are for trying and measuring, not for the
    home page). Section numbers the curriculum lacks are created with a title only.
    """
    tz = ZoneInfo(TIMEZONE)
    days = [moment.astimezone(tz).date() for s in schedule.sessions for moment in (s.start, s.end)]
    workshop = Workshop.objects.create(
        slug=slug,
        title_en=title,
        start_date=min(days, default=timezone.localdate()),
        end_date=max(days, default=timezone.localdate()),
        timezone=TIMEZONE,
        is_published=False,
    )
    workshop.organisers.add(*organisers)

    mode_of = {}
    for languages in sorted({r.languages for r in schedule.rooms}, key=lambda ls: (-len(ls), _ordered(ls))):
        names = MODE_NAMES.get(languages)
        name = dict(zip(LANGUAGES, names, strict=True)) if names else {"en": ", ".join(_ordered(languages))}
        mode_of[languages] = LanguageMode(
            workshop=workshop,
            languages=_ordered(languages),
            interpretation=len(languages) > 1,
            **_translated("name", name),
        )
    LanguageMode.objects.bulk_create(mode_of.values())

    rooms = {
        spec.id: Room(workshop=workshop, name=spec.name, capacity=spec.capacity, language_mode=mode_of[spec.languages])
        for spec in schedule.rooms
    }
    Room.objects.bulk_create(rooms.values())
    groups = {spec.id: Group(workshop=workshop, name=spec.name, room=rooms[spec.room_id]) for spec in schedule.groups}
    Group.objects.bulk_create(groups.values())

    numbers = {s.section for s in schedule.sessions if s.section}
    numbers |= {number for f in schedule.facilitators for number in f.expertise}
    sections = _sections(numbers)
    sessions = {
        spec.id: BreakoutSession(
            workshop=workshop,
            start=spec.start,
            end=spec.end,
            section=sections.get(spec.section),
            facilitators_required=spec.required,
            **_session_titles(spec.title, spec.section),
        )
        for spec in schedule.sessions
    }
    BreakoutSession.objects.bulk_create(sessions.values())

    Participant.objects.bulk_create(
        Participant(
            workshop=workshop,
            name=spec.name,
            email=_email(spec.name, "p", spec.id),
            organisation=spec.organisation,
            languages=_ordered(spec.languages),
            preferred_language=_preferred(spec.languages),
            country=spec.country,
            region=spec.region,
            gender=spec.gender,
            group=groups.get(spec.group_id),
            group_locked=spec.locked and spec.group_id in groups,
        )
        for spec in schedule.participants
    )

    facilitators = {
        spec.id: Facilitator(
            workshop=workshop,
            name=spec.name,
            email=_email(spec.name, "f", spec.id),
            organisation=facilitator_organisation(spec.id),
            languages=_ordered(spec.languages),
            preferred_language=_preferred(spec.languages),
        )
        for spec in schedule.facilitators
    }
    Facilitator.objects.bulk_create(facilitators.values())
    Availability.objects.bulk_create(
        Availability(facilitator=facilitators[spec.id], start=start, end=end)
        for spec in schedule.facilitators
        for start, end in spec.availability
    )
    Expertise = Facilitator.expertise.through
    Expertise.objects.bulk_create(
        Expertise(facilitator_id=facilitators[spec.id].pk, section_id=sections[number].pk)
        for spec in schedule.facilitators
        for number in sorted(spec.expertise)
    )
    Assignment.objects.bulk_create(
        Assignment(
            facilitator=facilitators[a.facilitator_id],
            session=sessions[a.session_id],
            group=groups[a.group_id],
            locked=a.locked,
        )
        for a in schedule.assignments
    )
    return workshop
