"""Each invariant: a passing case and a failing one, in clean() and, where it can, in the database."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests import factories as f
from workshops.models import Assignment, BreakoutSession, Group, LanguageMode, Participant, Room, Workshop

pytestmark = pytest.mark.django_db


def messages_of(excinfo) -> str:
    return " ".join(str(m) for m in excinfo.value.messages)


def test_workshop_last_day_before_first_is_refused():
    ok = Workshop(slug="ok", title="Ok", start_date=date(2030, 1, 1), end_date=date(2030, 1, 1))
    ok.full_clean()
    bad = Workshop(slug="bad", title="Bad", start_date=date(2030, 1, 2), end_date=date(2030, 1, 1))
    with pytest.raises(ValidationError) as excinfo:
        bad.full_clean()
    assert "The last day cannot be before the first day." in messages_of(excinfo)
    with pytest.raises(IntegrityError), transaction.atomic():
        bad.save()


def test_workshop_unknown_timezone_is_refused():
    bad = Workshop(slug="tz", title="Tz", start_date=date(2030, 1, 1), end_date=date(2030, 1, 1), timezone="Mars/Base")
    with pytest.raises(ValidationError) as excinfo:
        bad.full_clean()
    assert "is not a time zone name" in messages_of(excinfo)


def test_room_capacity_must_be_positive():
    workshop = f.workshop()
    mode = f.language_mode(workshop)
    Room(workshop=workshop, name="Ok", capacity=1, language_mode=mode).full_clean()
    bad = Room(workshop=workshop, name="Zero", capacity=0, language_mode=mode)
    with pytest.raises(ValidationError) as excinfo:
        bad.full_clean()
    assert "A room needs at least one seat." in messages_of(excinfo)
    with pytest.raises(IntegrityError), transaction.atomic():
        bad.save()


def test_room_language_mode_of_another_workshop_is_refused():
    workshop, other = f.workshop(), f.workshop()
    bad = Room(workshop=workshop, name="X", capacity=5, language_mode=f.language_mode(other))
    with pytest.raises(ValidationError) as excinfo:
        bad.full_clean()
    assert "Choose a language mode of this workshop." in messages_of(excinfo)


def test_room_name_unique_per_workshop():
    workshop = f.workshop()
    f.room(workshop, name="Room A")
    f.room(f.workshop(), name="Room A")  # another workshop may reuse the name
    with pytest.raises(ValidationError) as excinfo:
        Room(workshop=workshop, name="Room A", capacity=3, language_mode=f.language_mode(workshop)).full_clean()
    assert "This workshop already has a room with this name." in messages_of(excinfo)


def test_group_name_unique_per_workshop():
    workshop = f.workshop()
    f.group(workshop, name="A")
    f.group(f.workshop(), name="A")
    duplicate = Group(workshop=workshop, name="A", room=f.room(workshop))
    with pytest.raises(ValidationError) as excinfo:
        duplicate.full_clean()
    assert "This workshop already has a group with this name." in messages_of(excinfo)
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_group_keeps_one_room_and_a_room_hosts_one_group():
    workshop = f.workshop()
    room = f.room(workshop)
    f.group(workshop, room_obj=room, name="A")
    with pytest.raises(IntegrityError), transaction.atomic():
        Group.objects.create(workshop=workshop, name="B", room=room)


def test_group_room_of_another_workshop_is_refused():
    workshop = f.workshop()
    bad = Group(workshop=workshop, name="A", room=f.room(f.workshop()))
    with pytest.raises(ValidationError) as excinfo:
        bad.full_clean()
    assert "Choose a room of this workshop." in messages_of(excinfo)


def test_session_must_end_after_it_starts():
    workshop = f.workshop()
    ok = f.session(workshop)
    ok.full_clean()
    bad = BreakoutSession(workshop=workshop, title="Backwards", start=ok.end, end=ok.start)
    with pytest.raises(ValidationError) as excinfo:
        bad.full_clean()
    assert "A session must end after it starts." in messages_of(excinfo)
    with pytest.raises(IntegrityError), transaction.atomic():
        bad.save()


def test_session_needs_at_least_one_facilitator():
    workshop = f.workshop()
    bad = f.session(workshop)
    bad.facilitators_required = 0
    with pytest.raises(ValidationError) as excinfo:
        bad.full_clean()
    assert "A session needs at least one facilitator per group." in messages_of(excinfo)
    with pytest.raises(IntegrityError), transaction.atomic():
        bad.save()


def test_session_defaults_to_co_facilitation():
    assert f.session(f.workshop()).facilitators_required == 2


def test_participant_email_unique_per_workshop_ignoring_case():
    workshop = f.workshop()
    f.participant(workshop, email="Ana@Example.org")
    f.participant(f.workshop(), email="ana@example.org")  # another workshop: fine
    duplicate = Participant(
        workshop=workshop, name="Ana bis", email="ana@example.ORG", country="MX", region="americas", languages=["es"]
    )
    with pytest.raises(ValidationError) as excinfo:
        duplicate.full_clean()
    assert "Another participant of this workshop has this e-mail address." in messages_of(excinfo)
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_participant_group_of_another_workshop_is_refused():
    workshop = f.workshop()
    p = f.participant(workshop)
    p.group = f.group(f.workshop())
    with pytest.raises(ValidationError) as excinfo:
        p.full_clean()
    assert "Choose a group of this workshop." in messages_of(excinfo)


def test_participant_languages_must_be_known_codes():
    p = f.participant(f.workshop())
    p.full_clean()
    p.languages = ["en", "xx"]
    with pytest.raises(ValidationError) as excinfo:
        p.full_clean()
    assert "Unknown language code(s): xx." in messages_of(excinfo)
    p.languages = []
    with pytest.raises(ValidationError) as excinfo:
        p.full_clean()
    assert "Give at least one language this person speaks." in messages_of(excinfo)


def test_language_mode_needs_languages_and_two_for_interpretation():
    workshop = f.workshop()
    LanguageMode(workshop=workshop, name="Tri", languages=["en", "es", "fr"], interpretation=True).full_clean()
    with pytest.raises(ValidationError) as excinfo:
        LanguageMode(workshop=workshop, name="None", languages=[]).full_clean()
    assert "A language mode needs at least one language." in messages_of(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        LanguageMode(workshop=workshop, name="Solo", languages=["en"], interpretation=True).full_clean()
    assert "Interpretation needs at least two languages." in messages_of(excinfo)


def test_facilitator_email_unique_per_workshop():
    workshop = f.workshop()
    f.facilitator(workshop, email="x@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        f.facilitator(workshop, email="X@example.org")


def test_assignment_one_per_facilitator_and_session():
    workshop = f.workshop()
    session, facilitator = f.session(workshop), f.facilitator(workshop)
    f.assignment(facilitator, session, f.group(workshop))
    duplicate = Assignment(facilitator=facilitator, session=session, group=f.group(workshop))
    with pytest.raises(ValidationError) as excinfo:
        duplicate.full_clean()
    assert "This facilitator already facilitates another group in this session." in messages_of(excinfo)
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
    # The same facilitator in the next session is fine.
    later = f.session(workshop, start_hour=15)
    Assignment(facilitator=facilitator, session=later, group=f.group(workshop)).full_clean()


def test_assignment_across_workshops_is_refused():
    workshop, other = f.workshop(), f.workshop()
    bad = Assignment(facilitator=f.facilitator(other), session=f.session(workshop), group=f.group(workshop))
    with pytest.raises(ValidationError) as excinfo:
        bad.full_clean()
    assert "must belong to the same workshop" in messages_of(excinfo)


def test_availability_must_end_after_start():
    from workshops.models import Availability

    facilitator = f.facilitator(f.workshop())
    start = f.session(facilitator.workshop).start
    bad = Availability(facilitator=facilitator, start=start, end=start - timedelta(hours=1))
    with pytest.raises(ValidationError) as excinfo:
        bad.full_clean()
    assert "The window must end after it starts." in messages_of(excinfo)
    with pytest.raises(IntegrityError), transaction.atomic():
        bad.save()


def test_workshop_organised_by_is_scoped_to_the_team(organiser, other_organiser):
    mine = f.workshop(organisers=[organiser])
    f.workshop(organisers=[other_organiser])
    assert list(Workshop.objects.organised_by(organiser)) == [mine]
    superuser = f.user(is_superuser=True)
    assert Workshop.objects.organised_by(superuser).count() == 2
    participant_user = f.user(is_staff=False)
    assert list(Workshop.objects.organised_by(participant_user)) == []
