"""Small factories: each makes a valid object with sensible defaults, overridable by keyword."""

import itertools
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from curriculum.models import Section, Volume
from worksheets.models import Answer, Question, Worksheet
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

_counter = itertools.count(1)
TZ = ZoneInfo("Europe/Zurich")


def n() -> int:
    return next(_counter)


def user(**kwargs):
    number = n()
    fields = {"username": f"user{number}", "email": f"user{number}@example.org", "is_staff": True}
    fields.update(kwargs)
    return get_user_model().objects.create_user(password="pw", **fields)


def workshop(*, organisers=(), **kwargs):
    number = n()
    fields = {
        "slug": f"workshop-{number}",
        "title": f"Workshop {number}",
        "start_date": date(2030, 9, 27),
        "end_date": date(2030, 9, 28),
        "is_published": True,  # a new workshop starts unpublished; most tests are about a published one
    }
    fields.update(kwargs)
    obj = Workshop.objects.create(**fields)
    obj.organisers.add(*organisers)
    return obj


def language_mode(workshop_obj, *, languages=("en", "es", "fr"), **kwargs):
    fields = {
        "name": "Tri-lingual" if len(languages) > 1 else "English only",
        "languages": list(languages),
        "interpretation": len(languages) > 1,
    }
    fields.update(kwargs)
    return LanguageMode.objects.create(workshop=workshop_obj, **fields)


def room(workshop_obj, *, capacity=25, mode=None, **kwargs):
    mode = mode or language_mode(workshop_obj)
    return Room.objects.create(
        workshop=workshop_obj, name=kwargs.pop("name", f"Room {n()}"), capacity=capacity, language_mode=mode, **kwargs
    )


def group(workshop_obj, *, room_obj=None, name=None, **kwargs):
    room_obj = room_obj or room(workshop_obj)
    return Group.objects.create(workshop=workshop_obj, name=name or f"G{n()}", room=room_obj, **kwargs)


def session(workshop_obj, *, start_hour=11, hours=2, day=0, **kwargs):
    start = datetime(2030, 9, 27, start_hour, tzinfo=TZ) + timedelta(days=day)
    fields = {"title": f"Session {n()}", "start": start, "end": start + timedelta(hours=hours)}
    fields.update(kwargs)
    return BreakoutSession.objects.create(workshop=workshop_obj, **fields)


def programme_item(workshop_obj, *, start_hour=9, minutes=30, day=0, **kwargs):
    """A plenary item on the workshop's clock (its own zone), `minutes` long."""
    start = datetime.combine(
        workshop_obj.start_date + timedelta(days=day), time(start_hour), tzinfo=ZoneInfo(workshop_obj.timezone)
    )
    fields = {"title": f"Item {n()}", "start": start, "end": start + timedelta(minutes=minutes)}
    fields.update(kwargs)
    return ProgrammeItem.objects.create(workshop=workshop_obj, **fields)


def participant(workshop_obj, **kwargs):
    number = n()
    fields = {
        "name": f"Participant {number}",
        "email": f"p{number}@example.org",
        "country": "MX",
        "region": "americas",
        "languages": ["es", "en"],
    }
    fields.update(kwargs)
    return Participant.objects.create(workshop=workshop_obj, **fields)


def facilitator(workshop_obj, **kwargs):
    number = n()
    fields = {"name": f"Facilitator {number}", "email": f"f{number}@example.org", "languages": ["en"]}
    fields.update(kwargs)
    return Facilitator.objects.create(workshop=workshop_obj, **fields)


def assignment(facilitator_obj, session_obj, group_obj, **kwargs):
    return Assignment.objects.create(facilitator=facilitator_obj, session=session_obj, group=group_obj, **kwargs)


def section(number="2.6", **kwargs):
    volume_number = int(number.split(".")[0])
    volume, _ = Volume.objects.get_or_create(number=volume_number, defaults={"title": f"Volume {volume_number}"})
    section_obj, _ = Section.objects.get_or_create(
        number=number, defaults={"volume": volume, "title": kwargs.pop("title", f"Section {number}"), **kwargs}
    )
    return section_obj


def question(workshop_obj, **kwargs):
    # After the workshop's others (the suite's counter passes a small integer's range on PostgreSQL).
    fields = {"text": f"Question {n()}"}
    if "order" not in kwargs:
        fields["order"] = workshop_obj.questions.count() + 1
    fields.update(kwargs)
    return Question.objects.create(workshop=workshop_obj, **fields)


def worksheet(participant_obj, session_obj, **kwargs):
    return Worksheet.objects.create(participant=participant_obj, session=session_obj, **kwargs)


def answer(worksheet_obj, question_obj, **kwargs):
    return Answer.objects.create(worksheet=worksheet_obj, question=question_obj, **kwargs)


def populated_workshop(*, participants=10, groups=2, sessions=2, facilitators=4, organisers=()):
    """A workshop with rooms, groups, sessions, people and assignments, for query-count tests."""
    obj = workshop(organisers=organisers)
    mode = language_mode(obj)
    group_objs = [
        group(obj, room_obj=room(obj, mode=mode, capacity=participants), name=chr(65 + i)) for i in range(groups)
    ]
    session_objs = [session(obj, start_hour=9 + 3 * i) for i in range(sessions)]
    for i in range(participants):
        participant(obj, group=group_objs[i % groups])
    facilitator_objs = [facilitator(obj) for _ in range(facilitators)]
    for s_index, session_obj in enumerate(session_objs):
        for g_index, group_obj in enumerate(group_objs):
            f = facilitator_objs[(s_index + g_index) % facilitators]
            if not Assignment.objects.filter(facilitator=f, session=session_obj).exists():
                assignment(f, session_obj, group_obj)
    q = question(obj)
    for p in obj.participants.all()[:participants]:
        for session_obj in session_objs:
            answer(worksheet(p, session_obj), q, text="Some thoughts")
    return obj
