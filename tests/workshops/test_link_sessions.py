"""Personal links on shared computers: signing out, sessions that end with the link, no caching,
one-time links that a mail scanner's GET does not spend."""

import json
import re
from datetime import datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests import factories as f
from worksheets.models import Worksheet
from workshops.access import lost_link_path, personal_link_path, personal_link_revoke

pytestmark = pytest.mark.django_db


@pytest.fixture
def participant():
    today = timezone.localdate()
    workshop = f.workshop(start_date=today, end_date=today, links_valid_until=today)
    return f.participant(workshop, preferred_language="en", group=f.group(workshop))


@pytest.fixture
def facilitator(participant):
    person = f.facilitator(participant.workshop)
    f.assignment(person, f.session(participant.workshop), participant.group)
    return person


def _directives(response) -> set[str]:
    return {part.strip() for part in response["Cache-Control"].split(",")}


def test_sign_out_ends_the_session(client, participant):
    assert client.get(personal_link_path(person=participant)).status_code == 302
    assert client.get(reverse("worksheets:my_day")).status_code == 200
    response = client.post(reverse("worksheets:sign_out"))
    assert response.status_code == 200
    assert "You are signed out" in response.content.decode()
    assert client.get(reverse("worksheets:my_day")).status_code == 403


def test_sign_out_by_get_is_refused(client, participant):
    client.get(personal_link_path(person=participant))
    assert client.get(reverse("worksheets:sign_out")).status_code == 405
    assert client.get(reverse("worksheets:my_day")).status_code == 200


def test_sign_out_needs_the_csrf_token(participant):
    strict = Client(enforce_csrf_checks=True)
    strict.get(personal_link_path(person=participant))
    assert strict.post(reverse("worksheets:sign_out")).status_code == 403
    assert strict.get(reverse("worksheets:my_day")).status_code == 200


def test_sign_out_page_lists_this_participants_kept_text(client, participant):
    session = f.session(participant.workshop)
    worksheet = f.worksheet(participant, session)
    other = f.participant(participant.workshop, group=participant.group)
    f.worksheet(other, session)
    client.get(personal_link_path(person=participant))
    response = client.post(reverse("worksheets:sign_out"))
    keys = json.loads(
        re.search(r'<script id="kept-keys" type="application/json">(.*?)</script>', response.content.decode()).group(1)
    )
    assert keys == [f"worksheet-{worksheet.pk}"]
    assert Worksheet.objects.count() == 2


def test_sign_out_page_lists_this_facilitators_notes(client, facilitator):
    assignment = facilitator.assignments.get()
    client.get(personal_link_path(person=facilitator))
    response = client.post(reverse("worksheets:sign_out"))
    keys = json.loads(
        re.search(r'<script id="kept-keys" type="application/json">(.*?)</script>', response.content.decode()).group(1)
    )
    assert keys == [f"notes-{assignment.session_id}-{assignment.group_id}"]


def test_every_personal_page_has_sign_out_and_my_day(client, facilitator, participant):
    session = participant.group.assignments.get().session
    client.get(personal_link_path(person=participant))
    for url in (
        reverse("worksheets:my_day"),
        reverse("worksheets:worksheet", args=[session.pk]),
        reverse("workshops:home"),
    ):
        page = client.get(url).content.decode()
        assert f'action="{reverse("worksheets:sign_out")}"' in page, url
        assert f'href="{reverse("worksheets:my_day")}"' in page, url
    client.logout()
    client.get(personal_link_path(person=facilitator))
    for url in (reverse("worksheets:my_day"), reverse("worksheets:assignment", args=[session.pk])):
        page = client.get(url).content.decode()
        assert f'action="{reverse("worksheets:sign_out")}"' in page, url


def test_anonymous_pages_have_no_sign_out(client, participant):
    page = client.get(reverse("workshops:home")).content.decode()
    assert reverse("worksheets:sign_out") not in page


def test_personal_pages_pdf_and_ical_are_not_cached(client, facilitator, participant):
    session = participant.group.assignments.get().session
    client.get(personal_link_path(person=participant))
    for url in (
        reverse("worksheets:my_day"),
        reverse("worksheets:worksheet", args=[session.pk]),
        reverse("worksheets:download"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert _directives(response) >= {"private", "no-store"}, url
    client.logout()
    client.get(personal_link_path(person=facilitator))
    for url in (
        reverse("worksheets:my_day"),
        reverse("worksheets:rotation_ical"),
        reverse("worksheets:assignment", args=[session.pk]),
        reverse("worksheets:assignment_progress", args=[session.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert _directives(response) >= {"private", "no-store"}, url


def test_open_session_ends_when_the_link_expires(client, monkeypatch, participant):
    client.get(personal_link_path(person=participant))
    assert client.get(reverse("worksheets:my_day")).status_code == 200
    tomorrow = timezone.localdate() + timedelta(days=1)
    later = timezone.make_aware(datetime(tomorrow.year, tomorrow.month, tomorrow.day, 0, 1))
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert client.get(reverse("worksheets:my_day")).status_code == 403


def test_open_session_ends_when_the_link_is_revoked(client, participant):
    session = f.session(participant.workshop)
    client.get(personal_link_path(person=participant))
    assert client.get(reverse("worksheets:my_day")).status_code == 200
    personal_link_revoke(person=participant)
    assert client.get(reverse("worksheets:my_day")).status_code == 403
    response = client.post(
        reverse("worksheets:autosave", args=[session.pk]),
        json.dumps({"question": 1, "text": "x", "revision": 0}),
        content_type="application/json",
    )
    assert response.status_code == 404


def test_one_time_link_is_not_spent_by_get(client, participant):
    path = lost_link_path(person=participant)
    for _ in range(3):  # a mail system's link scanner, then the person
        page = client.get(path)
        assert page.status_code == 200
        assert f'<form method="post" action="{path}"' in page.content.decode()
    assert client.get(reverse("worksheets:my_day")).status_code == 403
    response = client.post(path)
    assert response.status_code == 302
    assert response["Location"] == "/me/"
    assert client.get(reverse("worksheets:my_day")).status_code == 200
    client.logout()
    assert client.post(path).status_code == 410
    assert client.get(path).status_code == 410


def test_one_time_link_bad_token_says_so_on_get(client, participant):
    assert client.get(reverse("workshops:one_time_link", args=["nonsense"])).status_code == 410


def test_open_session_ends_soon_after_the_organisers_shorten_the_links_validity(client, monkeypatch, participant):
    client.get(personal_link_path(person=participant))
    workshop = participant.workshop
    workshop.links_valid_until = timezone.localdate() - timedelta(days=1)
    workshop.save(update_fields=["links_valid_until"])
    later = timezone.now() + timedelta(minutes=6)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert client.get(reverse("worksheets:my_day")).status_code == 403


def test_open_session_follows_a_longer_links_validity(client, monkeypatch, participant):
    client.get(personal_link_path(person=participant))
    workshop = participant.workshop
    workshop.links_valid_until = timezone.localdate() + timedelta(days=3)
    workshop.save(update_fields=["links_valid_until"])
    tomorrow = timezone.localdate() + timedelta(days=1)
    later = timezone.make_aware(datetime(tomorrow.year, tomorrow.month, tomorrow.day, 0, 1))
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert client.get(reverse("worksheets:my_day")).status_code == 200
