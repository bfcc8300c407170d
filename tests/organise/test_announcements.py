"""The organiser's announcements page: write (three languages, to whom), confirm, e-mail, history, withdraw."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from tests import factories as f
from tests.mail_backends import use_mailer
from workshops.access import person_user_ensure
from workshops.announcement_mail import announcement_email_send
from workshops.announcements import announcement_create, announcements_for_user
from workshops.models import Announcement

pytestmark = pytest.mark.django_db

Audience = Announcement.Audience


def url(name, workshop, **kwargs):
    return reverse(f"organise:{name}", kwargs={"slug": workshop.slug, **kwargs})


@pytest.fixture
def event(organiser):
    workshop = f.workshop(organisers=[organiser], timezone="America/Bogota")
    group_a, group_b = f.group(workshop, name="A"), f.group(workshop, name="B")
    session = f.session(workshop)
    fay = f.facilitator(workshop, name="Fay", email="fay@example.org", preferred_language="fr")
    f.facilitator(workshop, name="Hal", email="hal@example.org")  # visits nobody
    f.assignment(fay, session, group_a)
    f.participant(workshop, group=group_a, name="Ana", email="ana@example.org", preferred_language="es")
    f.participant(workshop, group=group_a, name="Abe", email="abe@example.org")
    f.participant(workshop, group=group_b, name="Bob", email="bob@example.org", preferred_language="fr")
    return {"workshop": workshop, "group_a": group_a, "group_b": group_b}


def _form(**extra):
    data = {"audience": "everyone", "message_en": "Lunch is at one.", "message_es": "El almuerzo es a la una."}
    data.update(extra)
    return data


def test_announcement_to_a_few_is_sent_at_once_and_listed(client, organiser, event):
    workshop = event["workshop"]
    client.force_login(organiser)
    response = client.post(url("announcements", workshop), _form(audience="group", group=event["group_a"].pk))
    assert response.status_code == 302
    announcement = Announcement.objects.get()
    assert (announcement.audience, announcement.group, announcement.created_by) == (
        "group",
        event["group_a"],
        organiser,
    )
    assert (announcement.message_en, announcement.message_es, announcement.message_fr) == (
        "Lunch is at one.",
        "El almuerzo es a la una.",
        "",
    )
    page = client.get(url("announcements", workshop)).content.decode()
    assert "Group A" in page and "3 people, 0 dismissed" in page  # Ana, Abe and Fay
    assert mail.outbox == []


def test_announcement_needs_its_room_or_group_of_this_workshop(client, organiser, event):
    client.force_login(organiser)
    other_group = f.group(f.workshop(), name="Z")
    response = client.post(url("announcements", event["workshop"]), _form(audience="group", group=other_group.pk))
    assert response.status_code == 400
    response = client.post(url("announcements", event["workshop"]), _form(audience="room"))
    assert response.status_code == 400 and "Choose the room." in response.content.decode()
    assert Announcement.objects.count() == 0


def test_announcement_by_email_asks_first_then_mails_each_in_their_language(
    client, organiser, event, django_capture_on_commit_callbacks
):
    workshop = event["workshop"]
    client.force_login(organiser)
    response = client.post(url("announcements", workshop), _form(by_email="on"))
    assert response.status_code == 200
    assert "This announcement reaches 5 people." in response.content.decode()
    assert Announcement.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("announcements", workshop), _form(by_email="on", confirmed="1"))
    assert response.status_code == 302
    by_address = {message.to[0]: message for message in mail.outbox}
    assert sorted(by_address) == [
        "abe@example.org",
        "ana@example.org",
        "bob@example.org",
        "fay@example.org",
        "hal@example.org",
    ]
    assert "El almuerzo es a la una." in by_address["ana@example.org"].body
    assert by_address["ana@example.org"].extra_headers["Content-Language"] == "es"
    assert "Lunch is at one." in by_address["bob@example.org"].body  # no French text: the English
    assert by_address["bob@example.org"].subject.startswith("Annonce")
    announcement = Announcement.objects.get()
    assert (announcement.emailed_count, announcement.email_failed_count) == (5, 0)
    assert announcement_email_send(announcement_id=announcement.pk) == 0  # at most once
    assert len(mail.outbox) == 5
    assert "5 sent, 0 not sent" in client.get(url("announcements", workshop)).content.decode()


def test_announcement_by_email_reaches_only_its_room(event, django_capture_on_commit_callbacks):
    announcement = announcement_create(
        workshop=event["workshop"],
        audience=Audience.ROOM,
        room=event["group_b"].room,
        messages={"en": "Room B moves."},
        by_email=True,
    )
    announcement_email_send(announcement_id=announcement.pk)
    assert [message.to for message in mail.outbox] == [["bob@example.org"]]


def test_announcement_to_many_asks_first(client, organiser, event):
    for _ in range(20):
        f.participant(event["workshop"], group=event["group_b"])
    client.force_login(organiser)
    response = client.post(url("announcements", event["workshop"]), _form())
    assert "This announcement reaches 25 people." in response.content.decode()
    assert Announcement.objects.count() == 0


def test_announcement_withdraw_asks_then_takes_it_off_every_page(client, organiser, event):
    workshop = event["workshop"]
    announcement = announcement_create(workshop=workshop, audience=Audience.EVERYONE, messages={"en": "Oops."})
    client.force_login(organiser)
    withdraw = url("announcement_withdraw", workshop, announcement_id=announcement.pk)
    page = client.get(withdraw).content.decode()
    assert "Yes, withdraw it" in page and "Oops." in page
    announcement.refresh_from_db()
    assert announcement.withdrawn_at is None
    assert client.post(withdraw).status_code == 302
    announcement.refresh_from_db()
    assert announcement.withdrawn_by == organiser
    history = client.get(url("announcements", workshop)).content.decode()
    assert "Withdrawn" in history and "Oops." in history  # kept in the history
    ana = workshop.participants.get(name="Ana")
    person_user_ensure(person=ana)
    ana.refresh_from_db()
    assert list(announcements_for_user(user=ana.user)) == []


def test_announcement_of_another_team_is_404(client, other_organiser, event):
    announcement = announcement_create(workshop=event["workshop"], audience=Audience.EVERYONE, messages={"en": "x"})
    client.force_login(other_organiser)
    assert client.get(url("announcements", event["workshop"])).status_code == 404
    theirs = f.workshop(organisers=[other_organiser])
    response = client.post(url("announcement_withdraw", theirs, announcement_id=announcement.pk))
    assert response.status_code == 404
    announcement.refresh_from_db()
    assert announcement.withdrawn_at is None


def test_announcement_times_in_the_workshops_zone(client, organiser, event):
    announcement = announcement_create(workshop=event["workshop"], audience=Audience.EVERYONE, messages={"en": "x"})
    Announcement.objects.filter(pk=announcement.pk).update(
        created_at=timezone.datetime(2030, 9, 27, 15, 0, tzinfo=timezone.UTC)
    )
    client.force_login(organiser)
    page = client.get(url("announcements", event["workshop"])).content.decode()
    assert "10:00" in page  # 15:00 UTC is 10:00 in Bogotá


@pytest.mark.parametrize("language", ["es", "fr"])
def test_announcements_page_in_spanish_and_french(client, organiser, event, language):
    client.force_login(organiser)
    with translation.override(language):
        page = client.get(url("announcements", event["workshop"])).content.decode()
    expected = {"es": "Avisos", "fr": "Annonces"}[language]
    assert expected in page


def test_announcements_page_queries_constant(client, organiser, event):
    workshop = event["workshop"]
    client.force_login(organiser)
    announcement_create(workshop=workshop, audience=Audience.EVERYONE, messages={"en": "x"})

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url("announcements", workshop)).status_code == 200
        return len(ctx.captured_queries)

    client.get(url("announcements", workshop))
    small = count()
    for group in (event["group_a"], event["group_b"]):
        announcement_create(workshop=workshop, audience=Audience.GROUP, group=group, messages={"en": "g"})
        announcement_create(workshop=workshop, audience=Audience.ROOM, room=group.room, messages={"en": "r"})
    announcement_create(workshop=workshop, audience=Audience.FACILITATORS, messages={"en": "f"}, user=organiser)
    assert count() == small


def test_announcement_email_down_counts_the_rest_not_sent(event, settings):
    use_mailer(settings, "FailingBackend", error="refused")
    announcement = announcement_create(
        workshop=event["workshop"], audience=Audience.EVERYONE, messages={"en": "x"}, by_email=True
    )
    assert announcement_email_send(announcement_id=announcement.pk) == 0
    announcement.refresh_from_db()
    assert (announcement.emailed_count, announcement.email_failed_count) == (0, 5)
    assert announcement.emailed_at is not None  # not sent again by a second run of the task
