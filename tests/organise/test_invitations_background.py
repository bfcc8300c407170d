"""Invitations at scale (issue 13): sent off the request whatever the task backend, with progress, and the
people page and the batch's record paginated and searchable."""

import threading
import time
import uuid

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse

from tests import factories as f
from workshops import invitations as invitations_module
from workshops.invitations import invitation_batch_counts, invitation_batch_task
from workshops.models import Invitation

pytestmark = pytest.mark.django_db

DUMMY = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def url(name, workshop, **kwargs):
    return reverse(f"organise:{name}", kwargs={"slug": workshop.slug, **kwargs})


def send(client, workshop, batch):
    return client.post(
        url("invitations_send", workshop),
        {"audience": "everyone", "selection": "not_invited", "batch": str(batch)},
    )


def test_send_returns_before_any_email_then_the_task_sends_them(
    client, organiser, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DUMMY  # a worker backend: queued, not run
    workshop = f.populated_workshop(participants=5, groups=1, sessions=1, facilitators=1, organisers=[organiser])
    client.force_login(organiser)
    batch = uuid.uuid4()
    with django_capture_on_commit_callbacks(execute=True):
        response = send(client, workshop, batch)
    assert response.status_code == 302
    assert (mail.outbox, invitation_batch_counts(batch=batch)["queued"]) == ([], 6)
    invitation_batch_task.call(batch=str(batch), base_url="http://testserver/")
    assert len(mail.outbox) == 6
    assert invitation_batch_counts(batch=batch)["sent"] == 6


@pytest.mark.django_db(transaction=True)
def test_send_with_the_immediate_backend_answers_at_once_and_sends_in_a_thread(client, settings, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("a thread writing while the test reads needs PostgreSQL (SQLite's test database locks its tables)")
    settings.TASKS = IMMEDIATE
    settings.TASKS_IMMEDIATE_IN_THREAD = True
    organiser = f.user(username="organiser-thread")
    workshop = f.populated_workshop(participants=3, groups=1, sessions=1, facilitators=1, organisers=[organiser])
    release = threading.Event()
    original = invitations_module.mail_send

    def slow_send(**kwargs):
        release.wait(10)  # a slow mail server: the request must not wait for it
        return original(**kwargs)

    monkeypatch.setattr(invitations_module, "mail_send", slow_send)
    client.force_login(organiser)
    batch = uuid.uuid4()
    started = time.monotonic()
    response = send(client, workshop, batch)
    assert response.status_code == 302
    assert time.monotonic() - started < 5
    assert mail.outbox == []
    release.set()
    deadline = time.monotonic() + 15
    while invitation_batch_counts(batch=batch)["sent"] < 4 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert invitation_batch_counts(batch=batch)["sent"] == 4
    assert len(mail.outbox) == 4
    for thread in threading.enumerate():
        if thread.name.startswith("task-"):
            thread.join(5)
    connection.close()


def batch_of(workshop, size, status=Invitation.Status.SENT):
    batch = uuid.uuid4()
    Invitation.objects.bulk_create(
        Invitation(workshop=workshop, participant=p, language="en", to_email=p.email, batch=batch, status=status)
        for p in workshop.participants.order_by("pk")[:size]
    )
    return batch


def test_batch_page_shows_progress_in_words_with_a_refresh_link_and_pages_its_record(client, organiser):
    workshop = f.populated_workshop(participants=130, groups=2, sessions=1, facilitators=1, organisers=[organiser])
    batch = batch_of(workshop, 130, status=Invitation.Status.QUEUED)
    Invitation.objects.filter(pk__in=Invitation.objects.filter(batch=batch).order_by("pk")[:42]).update(
        status=Invitation.Status.SENT
    )
    client.force_login(organiser)
    address = url("invitation_batch", workshop, batch=batch)
    page = client.get(address).content.decode()
    assert "42 of 130" in page
    assert f'href="{address}"' in page  # refresh by hand, without JavaScript
    assert page.count("<tr>") - 1 == 100  # a page of the record (one header row)
    assert 'href="?page=2"' in page
    second = client.get(address + "?page=2").content.decode()
    assert second.count("<tr>") - 1 == 30


def test_people_page_pages_participants_and_finds_one_by_name_or_email(client, organiser):
    workshop = f.populated_workshop(participants=130, groups=2, sessions=1, facilitators=1, organisers=[organiser])
    someone = f.participant(workshop, name="Zoé Quispe", email="zoe.quispe@example.org")
    client.force_login(organiser)
    address = url("invitation_people", workshop)
    page = client.get(address).content.decode()
    assert page.count('name="person" value="participant:') == 100
    assert "131" in page  # the count is of everyone, not of the page
    second = client.get(address + "?page=2").content.decode()
    assert second.count('name="person" value="participant:') == 31
    found = client.get(address + "?q=quispe").content.decode()
    assert found.count('name="person" value="participant:') == 1 and "Zoé Quispe" in found
    by_email = client.get(address + "?q=zoe.quispe@").content.decode()
    assert f'value="participant:{someone.pk}"' in by_email
    nobody = client.get(address + "?q=nobody-like-this").content.decode()
    assert 'name="person" value="participant:' not in nobody
