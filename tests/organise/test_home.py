"""The organisers' home: after signing in, the list of one's own workshops, each with its state and a
link to its board; new workshops start unpublished, with the default worksheet questions."""

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests import factories as f
from workshops.models import Invitation, Workshop

pytestmark = pytest.mark.django_db

HOME = "/organise/"


def test_home_lists_only_the_organisers_workshops_with_their_board(client, organiser, other_organiser):
    mine = f.workshop(organisers=[organiser], title="Mine")
    f.workshop(organisers=[other_organiser], title="Not mine")
    client.force_login(organiser)
    body = client.get(HOME).content.decode()
    assert "Mine" in body and "Not mine" not in body
    assert reverse("organise:board", kwargs={"slug": mine.slug}) in body
    assert reverse("organise:copy", kwargs={"slug": mine.slug}) in body


def test_home_is_for_staff_only(client):
    assert client.get(HOME).status_code == 302  # to the sign-in page
    client.force_login(f.user(is_staff=False))
    response = client.get(HOME)
    assert response.status_code == 302 and "login" in response.url


def test_home_says_each_workshops_state(client, organiser):
    today = timezone.localdate()
    held = f.workshop(
        organisers=[organiser], title="Held", start_date=today - timedelta(days=30), end_date=today - timedelta(days=29)
    )
    running = f.workshop(
        organisers=[organiser],
        title="Running",
        start_date=today - timedelta(days=1),
        end_date=today + timedelta(days=1),
    )
    invited = f.workshop(
        organisers=[organiser],
        title="Invited",
        start_date=today + timedelta(days=20),
        end_date=today + timedelta(days=21),
    )
    Invitation.objects.create(
        workshop=invited,
        participant=f.participant(invited),
        to_email="p@example.org",
        language="en",
        batch=uuid.uuid4(),
        status=Invitation.Status.SENT,
    )
    f.workshop(
        organisers=[organiser],
        title="Being set up",
        start_date=today + timedelta(days=40),
        end_date=today + timedelta(days=41),
    )
    client.force_login(organiser)
    response = client.get(HOME)
    states = {row["workshop"].title: str(row["state_label"]) for row in response.context["rows"]}
    assert states == {"Held": "Held", "Running": "Running", "Invited": "Invited", "Being set up": "Being set up"}
    assert held.slug in response.content.decode() and running.slug in response.content.decode()


def test_the_state_follows_the_workshops_own_calendar_day(client, organiser, settings, monkeypatch):
    """At 11:00 in Zurich on 1 December it is still 30 November in Pago Pago: a one-day workshop there on
    30 November is running, not held."""
    settings.TIME_ZONE = "Europe/Zurich"
    instant = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    monkeypatch.setattr(timezone, "now", lambda: instant)
    day = date(2026, 11, 30)
    f.workshop(organisers=[organiser], title="Samoa", timezone="Pacific/Pago_Pago", start_date=day, end_date=day)
    client.force_login(organiser)
    rows = client.get(HOME).context["rows"]
    assert [str(row["state_label"]) for row in rows] == ["Running"]


def test_home_answers_in_spanish(client, organiser):
    f.workshop(organisers=[organiser], start_date=date(2001, 1, 1), end_date=date(2001, 1, 2))
    client.force_login(organiser)
    body = client.get("/es" + HOME).content.decode()
    assert "Sus talleres" in body and "Celebrado" in body


def test_home_query_count_does_not_grow_with_workshops(client, organiser):
    def count():
        client.force_login(organiser)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(HOME).status_code == 200
        return len(queries)

    f.workshop(organisers=[organiser])
    small = count()
    for _ in range(6):
        workshop = f.workshop(organisers=[organiser])
        Invitation.objects.create(
            workshop=workshop,
            participant=f.participant(workshop),
            to_email="x@example.org",
            language="en",
            batch=uuid.uuid4(),
            status=Invitation.Status.SENT,
        )
    assert count() == small


def test_sign_in_without_a_destination_lands_on_the_home(client, organiser):
    page = client.get(reverse("admin:login")).content.decode()
    assert 'name="next" value="/organise/"' in page
    response = client.post(
        reverse("admin:login"), {"username": organiser.username, "password": "pw", "next": "/organise/"}
    )
    assert response.status_code == 302 and response.url == HOME
    client.logout()
    response = client.post(reverse("admin:login"), {"username": organiser.username, "password": "pw"})
    assert response.status_code == 302 and response.url == HOME


def test_sign_in_asked_for_by_a_page_goes_back_to_it(client, organiser):
    board = "/organise/some-workshop/"
    page = client.get(reverse("admin:login") + "?next=" + board).content.decode()
    assert f'name="next" value="{board}"' in page


def test_a_workshop_added_in_the_admin_is_unpublished_and_has_the_default_questions(client, organiser):
    assert Workshop._meta.get_field("is_published").default is False
    client.force_login(organiser)
    data = {
        "title_en": "Dakar 2031",
        "slug": "dakar-2031",
        "start_date": "2031-03-10",
        "end_date": "2031-03-11",
        "timezone": "Africa/Dakar",
    }
    for prefix in ("language_modes", "rooms", "groups", "sessions"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    response = client.post(reverse("admin:workshops_workshop_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    workshop = Workshop.objects.get(slug="dakar-2031")
    assert not workshop.is_published
    texts = list(workshop.questions.values_list("text_es", flat=True))
    assert len(texts) >= 4 and all(texts)
