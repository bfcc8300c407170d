"""Copy a past workshop for its next edition: the frame, none of the people.

What is copied: the workshop's details (in every language) and team, its language modes, rooms, groups,
break-out sessions (moved to the new dates at the same times on the workshop's clock) and worksheet
questions. What is not: participants, facilitators, assignments, worksheets, answers, notes, invitations,
solver runs. The copy is unpublished until its organisers publish it.

It lives here because it crosses apps (workshops and worksheets), like backup and restore.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Model
from django.utils.text import slugify
from django.utils.translation import gettext as _
from modeltranslation.translator import NotRegistered, translator

from worksheets.models import Question
from workshops.models import BreakoutSession, Group, LanguageMode, Room, Workshop
from workshops.models.workshop import RESERVED_SLUGS

LANGUAGES = ("en", "es", "fr")


def _fields(obj: Model, **overrides) -> dict:
    """Every stored column of `obj` but its id, with `overrides` applied.

    A translated field is copied through its columns per language (`title_en`, `title_es`, …): its plain
    name (`title`) reads and writes whichever language is active, so it is left out.
    """
    try:
        translated = set(translator.get_options_for_model(type(obj)).all_fields)
    except NotRegistered:
        translated = set()
    data = {
        field.attname: getattr(obj, field.attname)
        for field in obj._meta.concrete_fields
        if not field.primary_key and field.name not in translated
    }
    data.update(overrides)
    return data


def _same_wall_clock(moment: datetime, *, zone: ZoneInfo, days: int) -> datetime:
    """`moment` moved by `days` calendar days, at the same time on the workshop's clock (across DST)."""
    local = moment.astimezone(zone)
    return datetime.combine(local.date() + timedelta(days=days), local.time(), tzinfo=zone)


def workshop_slug_problem(slug: str) -> str | None:
    """What is wrong with `slug` as a new workshop's short name, in words, or None."""
    if not slug or slugify(slug) != slug:
        return _("A short name uses only lower-case letters, digits and hyphens, such as idm-2031.")
    if slug in RESERVED_SLUGS:
        return _("“%(slug)s” names a page of the back office: choose another short name.") % {"slug": slug}
    if Workshop.objects.filter(slug=slug).exists():
        return _("A workshop already has the short name “%(slug)s”.") % {"slug": slug}
    return None


@transaction.atomic
def workshop_copy(*, source: Workshop, slug: str, start_date: date, title: str = "", by=None) -> Workshop:
    """A new, unpublished workshop with `source`'s frame, starting on `start_date`.

    `title`, when given, replaces the title in every language (a translation of last year's title
    would otherwise still show in Spanish or French). `by`, a user, joins the copy's team.
    Raises ValueError, in words, when `slug` is unusable.
    """
    problem = workshop_slug_problem(slug)
    if problem:
        raise ValueError(problem)
    shift = (start_date - source.start_date).days
    titles = {f"title_{language}": None for language in LANGUAGES} | {"title_en": title} if title else {}
    copy = Workshop.objects.create(
        **_fields(
            source,
            slug=slug,
            start_date=start_date,
            end_date=source.end_date + timedelta(days=shift),
            links_valid_until=source.links_valid_until + timedelta(days=shift) if source.links_valid_until else None,
            is_published=False,
            # The invitations' own message is last year's venue and logistics, not the frame.
            **{f"invitation_note_{language}": "" for language in LANGUAGES},
            **titles,
        )
    )
    copy.organisers.set(source.organisers.all())
    if by is not None:
        copy.organisers.add(by)

    modes = {
        mode.pk: LanguageMode.objects.create(**_fields(mode, workshop_id=copy.pk))
        for mode in LanguageMode.objects.filter(workshop=source)
    }
    rooms = {
        room.pk: Room.objects.create(
            **_fields(room, workshop_id=copy.pk, language_mode_id=modes[room.language_mode_id].pk)
        )
        for room in Room.objects.filter(workshop=source)
    }
    Group.objects.bulk_create(
        Group(**_fields(group, workshop_id=copy.pk, room_id=rooms[group.room_id].pk))
        for group in Group.objects.filter(workshop=source)
    )
    zone = ZoneInfo(source.timezone)
    sessions = {}
    for session in BreakoutSession.objects.filter(workshop=source):
        sessions[session.pk] = BreakoutSession.objects.create(
            **_fields(
                session,
                workshop_id=copy.pk,
                start=_same_wall_clock(session.start, zone=zone, days=shift),
                end=_same_wall_clock(session.end, zone=zone, days=shift),
            )
        )
    Question.objects.bulk_create(
        Question(
            **_fields(
                question,
                workshop_id=copy.pk,
                session_id=sessions[question.session_id].pk if question.session_id else None,
            )
        )
        for question in Question.objects.filter(workshop=source)
    )
    return copy
