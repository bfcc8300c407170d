"""Who an announcement reaches (`workshops.announcements`): everyone, a room, a group, the facilitators; never another workshop."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from tests import factories as f
from workshops.access import person_user_ensure
from workshops.announcements import (
    announcement_create,
    announcement_dismiss,
    announcement_withdraw,
    announcements_for_user,
    announcements_history,
    announcements_reach,
)
from workshops.models import Announcement

pytestmark = pytest.mark.django_db

Audience = Announcement.Audience


def _login(person):
    person_user_ensure(person=person)
    person.refresh_from_db()
    return person.user


@pytest.fixture
def event():
    """Workshop A: groups A and B in their rooms; Fay visits A, Gus visits B, Hal visits nobody; and workshop B."""
    workshop = f.workshop()
    group_a, group_b = f.group(workshop, name="A"), f.group(workshop, name="B")
    session = f.session(workshop)
    fay, gus, hal = (f.facilitator(workshop, name=name) for name in ("Fay", "Gus", "Hal"))
    f.assignment(fay, session, group_a)
    f.assignment(gus, session, group_b)
    other = f.workshop()
    other_group = f.group(other, name="A")
    return {
        "workshop": workshop,
        "group_a": group_a,
        "group_b": group_b,
        "ann": _login(f.participant(workshop, group=group_a, name="Ann")),
        "bob": _login(f.participant(workshop, group=group_b, name="Bob")),
        "cy": _login(f.participant(workshop, name="Cy")),  # not placed yet
        "fay": _login(fay),
        "gus": _login(gus),
        "hal": _login(hal),
        "other": other,
        "outsider": _login(f.participant(other, group=other_group, name="Olga")),
        "outside_facilitator": _login(f.facilitator(other, name="Otto")),
    }


def _announce(workshop, audience, text="Lunch is at one.", **kwargs):
    return announcement_create(workshop=workshop, audience=audience, messages={"en": text}, **kwargs)


def _who_sees(event, announcement):
    people = ("ann", "bob", "cy", "fay", "gus", "hal", "outsider", "outside_facilitator")
    return [name for name in people if announcement in announcements_for_user(user=event[name])]


def test_announcement_to_everyone_reaches_the_workshop_only(event):
    announcement = _announce(event["workshop"], Audience.EVERYONE)
    assert _who_sees(event, announcement) == ["ann", "bob", "cy", "fay", "gus", "hal"]


def test_announcement_to_a_group_reaches_its_participants_and_visiting_facilitators(event):
    announcement = _announce(event["workshop"], Audience.GROUP, group=event["group_a"])
    assert _who_sees(event, announcement) == ["ann", "fay"]


def test_announcement_to_a_room_reaches_the_group_in_it_and_its_facilitators(event):
    announcement = _announce(event["workshop"], Audience.ROOM, room=event["group_b"].room)
    assert _who_sees(event, announcement) == ["bob", "gus"]


def test_announcement_to_the_facilitators_reaches_no_participant(event):
    announcement = _announce(event["workshop"], Audience.FACILITATORS)
    assert _who_sees(event, announcement) == ["fay", "gus", "hal"]


def test_announcement_of_another_workshop_reaches_nobody_here(event):
    announcement = _announce(event["other"], Audience.EVERYONE)
    assert _who_sees(event, announcement) == ["outsider", "outside_facilitator"]


def test_announcement_withdrawn_reaches_nobody(event):
    announcement = _announce(event["workshop"], Audience.EVERYONE)
    assert announcement_withdraw(announcement=announcement) is True
    assert _who_sees(event, announcement) == []
    assert announcement_withdraw(announcement=announcement) is False


def test_announcement_dismissed_hides_for_that_person_only(event):
    announcement = _announce(event["workshop"], Audience.EVERYONE)
    assert announcement_dismiss(user=event["ann"], announcement_id=announcement.pk) is True
    assert announcement_dismiss(user=event["ann"], announcement_id=announcement.pk) is True  # twice: harmless
    assert _who_sees(event, announcement) == ["bob", "cy", "fay", "gus", "hal"]


def test_announcement_dismiss_refused_for_someone_it_is_not_for(event):
    announcement = _announce(event["workshop"], Audience.GROUP, group=event["group_a"])
    assert announcement_dismiss(user=event["bob"], announcement_id=announcement.pk) is False
    assert announcement_dismiss(user=event["outsider"], announcement_id=announcement.pk) is False
    assert announcement.dismissals.count() == 0


def test_announcement_placed_later_sees_the_groups_announcement(event):
    announcement = _announce(event["workshop"], Audience.GROUP, group=event["group_a"])
    cy = event["cy"].participant
    cy.group = event["group_a"]
    cy.save()
    assert announcement in announcements_for_user(user=event["cy"])


def test_announcement_message_in_the_readers_language_else_english(event):
    _announce(event["workshop"], Audience.EVERYONE)
    announcement_create(
        workshop=event["workshop"], audience=Audience.EVERYONE, messages={"en": "Coffee", "es": "Café", "fr": ""}
    )
    with translation.override("es"):
        assert [a.message for a in announcements_for_user(user=event["ann"])] == ["Café", "Lunch is at one."]
    with translation.override("fr"):
        assert [a.message for a in announcements_for_user(user=event["ann"])] == ["Coffee", "Lunch is at one."]


def test_announcements_for_user_is_one_query_at_any_size(event):
    workshop = event["workshop"]
    for _ in range(3):
        _announce(workshop, Audience.EVERYONE)
        _announce(workshop, Audience.GROUP, group=event["group_a"])
        _announce(workshop, Audience.ROOM, room=event["group_a"].room)
    for name in ("ann", "fay"):
        with CaptureQueriesContext(connection) as ctx:
            shown = list(announcements_for_user(user=event[name]))
        assert len(shown) == 9
        assert len(ctx.captured_queries) == 1


def test_announcements_reach_counts_the_people_it_is_for(event):
    workshop = event["workshop"]
    everyone = _announce(workshop, Audience.EVERYONE)
    group = _announce(workshop, Audience.GROUP, group=event["group_a"])
    room = _announce(workshop, Audience.ROOM, room=event["group_b"].room)
    facilitators = _announce(workshop, Audience.FACILITATORS)
    announcement_dismiss(user=event["ann"], announcement_id=group.pk)
    history = announcements_history(workshop=workshop)
    announcements_reach(workshop=workshop, announcements=history)
    assert [(a.pk, a.reach, a.dismissed) for a in history] == [
        (facilitators.pk, 3, 0),
        (room.pk, 2, 0),
        (group.pk, 2, 1),
        (everyone.pk, 6, 0),
    ]
