"""Announcements on the people's pages: the banners each page renders, the poll their script calls, dismissing one."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from tests import factories as f
from workshops.access import personal_link_path
from workshops.announcements import announcement_create
from workshops.models import Announcement

pytestmark = pytest.mark.django_db

Audience = Announcement.Audience


@pytest.fixture
def event():
    workshop = f.workshop()
    group_a, group_b = f.group(workshop, name="A"), f.group(workshop, name="B")
    session = f.session(workshop)
    fay = f.facilitator(workshop, name="Fay")
    f.assignment(fay, session, group_a)
    return {
        "workshop": workshop,
        "group_a": group_a,
        "group_b": group_b,
        "session": session,
        "ann": f.participant(workshop, group=group_a, name="Ann"),
        "bob": f.participant(workshop, group=group_b, name="Bob"),
        "fay": fay,
    }


def _sign_in(client, person, language="en"):
    with translation.override(language):
        response = client.get(personal_link_path(person=person))
    assert response.status_code == 302


def _announce(event, audience=Audience.EVERYONE, **kwargs):
    messages = kwargs.pop("messages", {"en": "Lunch is at one.", "es": "El almuerzo es a la una.", "fr": ""})
    return announcement_create(workshop=event["workshop"], audience=audience, messages=messages, **kwargs)


def _poll(client, language="en"):
    with translation.override(language):
        return client.get(reverse("worksheets:announcements"))


def test_poll_shows_the_persons_announcements_in_their_language(client, event):
    to_group_b = _announce(event, Audience.GROUP, group=event["group_b"], messages={"en": "Group B: room change."})
    everyone = _announce(event)
    _sign_in(client, event["ann"], "es")
    response = _poll(client, "es")
    assert response.status_code == 200
    assert [(a["id"], a["message"]) for a in response.json()["announcements"]] == [
        (everyone.pk, "El almuerzo es a la una.")
    ]
    assert to_group_b.pk not in [a["id"] for a in _poll(client, "fr").json()["announcements"]]
    assert [a["message"] for a in _poll(client, "fr").json()["announcements"]] == ["Lunch is at one."]  # no French


def test_poll_answers_signed_out_to_a_visitor_and_nothing_to_an_organiser(client, event):
    _announce(event)
    response = _poll(client)
    assert (response.status_code, response.json()["signed_out"]) == (403, True)
    client.force_login(f.user(is_superuser=True))
    response = _poll(client)
    assert (response.status_code, response.json()["announcements"]) == (403, [])


def _poll_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        response = _poll(client)
    assert response.status_code == 200
    return len(ctx.captured_queries), len(response.json()["announcements"])


@pytest.mark.parametrize("who", ["ann", "fay"])
def test_poll_queries_constant_as_announcements_grow(client, event, who):
    _announce(event)
    _sign_in(client, event[who])
    _poll(client)  # the session's one-off queries
    small, shown_small = _poll_queries(client)
    for _ in range(10):
        _announce(event)
        _announce(event, Audience.GROUP, group=event["group_a"])
        _announce(event, Audience.ROOM, room=event["group_a"].room)
        _announce(event, Audience.FACILITATORS)
        f.participant(event["workshop"], group=event["group_a"])
    large, shown_large = _poll_queries(client)
    assert shown_large > shown_small
    assert large == small <= 3  # the session, the user, the announcements


def test_banner_rendered_on_my_day_and_dismissed_without_script(client, event):
    announcement = _announce(event)
    _sign_in(client, event["ann"])
    page = client.get(reverse("worksheets:my_day")).content.decode()
    assert 'role="status"' in page and "Lunch is at one." in page
    dismiss = reverse("worksheets:announcement_dismiss", args=[announcement.pk])
    worksheet = reverse("worksheets:worksheet", args=[event["session"].pk])
    response = client.post(dismiss, {"next": worksheet})
    assert (response.status_code, response["Location"]) == (302, worksheet)
    assert "Lunch is at one." not in client.get(worksheet).content.decode()
    assert "Lunch is at one." not in client.get(reverse("worksheets:my_day")).content.decode()
    assert _poll(client).json()["announcements"] == []


def test_dismiss_from_the_script_answers_json_and_hides_it_for_that_person_only(client, event):
    announcement = _announce(event)
    _sign_in(client, event["fay"])
    dismiss = reverse("worksheets:announcement_dismiss", args=[announcement.pk])
    response = client.post(dismiss, headers={"accept": "application/json"})
    assert response.json() == {"dismissed": announcement.pk}
    assert _poll(client).json()["announcements"] == []
    _sign_in(client, event["bob"])
    assert [a["id"] for a in _poll(client).json()["announcements"]] == [announcement.pk]


def test_dismiss_refused_for_an_announcement_not_for_the_person(client, event):
    announcement = _announce(event, Audience.GROUP, group=event["group_a"])
    _sign_in(client, event["bob"])
    response = client.post(reverse("worksheets:announcement_dismiss", args=[announcement.pk]))
    assert response.status_code == 404
    assert announcement.dismissals.count() == 0


def test_dismiss_does_not_follow_a_next_to_another_site(client, event):
    announcement = _announce(event)
    _sign_in(client, event["ann"])
    response = client.post(
        reverse("worksheets:announcement_dismiss", args=[announcement.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("worksheets:my_day")


def test_dismiss_queries_constant(client, event):
    first, second = _announce(event), _announce(event)
    _sign_in(client, event["ann"])
    _poll(client)

    def count(announcement):
        with CaptureQueriesContext(connection) as ctx:
            client.post(
                reverse("worksheets:announcement_dismiss", args=[announcement.pk]),
                headers={"accept": "application/json"},
            )
        return len(ctx.captured_queries)

    small = count(first)
    for _ in range(10):
        _announce(event)
        f.participant(event["workshop"], group=event["group_a"])
    assert count(second) == small


def test_banner_on_the_facilitators_pages_for_their_group(client, event):
    _announce(event, Audience.GROUP, group=event["group_a"], messages={"en": "Group A starts late."})
    _announce(event, Audience.GROUP, group=event["group_b"], messages={"en": "Group B starts early."})
    _sign_in(client, event["fay"])
    for url in (reverse("worksheets:my_day"), reverse("worksheets:assignment", args=[event["session"].pk])):
        page = client.get(url).content.decode()
        assert "Group A starts late." in page
        assert "Group B starts early." not in page


def test_no_banner_for_a_withdrawn_announcement_or_on_public_pages(client, event):
    announcement = _announce(event)
    announcement.withdrawn_at = announcement.created_at
    announcement.save()
    _sign_in(client, event["ann"])
    assert "Lunch is at one." not in client.get(reverse("worksheets:my_day")).content.decode()
    _announce(event, messages={"en": "Second news."})
    client.logout()
    assert "Second news." not in client.get(reverse("workshops:home")).content.decode()
