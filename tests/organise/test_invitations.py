"""Invitations: the right link to the right person in their language, resumable batches, no second copies."""

import re
import smtplib
import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from tests import factories as f
from workshops.invitations import (
    invitation_batch_counts,
    invitation_batch_resume,
    invitation_batch_send,
    invitation_message,
)
from workshops.models import Invitation

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://testserver(/(?:es/|fr/)?link/(?!lost/)[^/\s\"<]+/)")
Status = Invitation.Status


@pytest.fixture
def world(organiser):
    today = timezone.localdate()
    workshop = f.workshop(organisers=[organiser], start_date=today, end_date=today + timedelta(days=1))
    group = f.group(workshop, name="A")
    people = {
        "ana": f.participant(workshop, name="Ana Ruiz", email="ana@example.org", preferred_language="es", group=group),
        "hugo": f.participant(workshop, name="Hugo Petit", email="hugo@example.org", preferred_language="fr"),
        "kofi": f.participant(workshop, name="Kofi Mensah", email="kofi@example.org", preferred_language="en"),
        "awa": f.facilitator(workshop, name="Awa Sissoko", email="awa@example.org", preferred_language="fr"),
    }
    # Someone of another workshop, who must never be e-mailed from this one.
    stranger = f.participant(f.workshop(), name="Stranger", email="stranger@example.org")
    return {"workshop": workshop, "stranger": stranger, **people}


def url(name, workshop, **kwargs):
    return reverse(f"organise:{name}", kwargs={"slug": workshop.slug, **kwargs})


def send(client, workshop, *, audience="everyone", selection="not_invited", batch=None, capture=None):
    batch = batch or uuid.uuid4()
    data = {"audience": audience, "selection": selection, "batch": str(batch)}
    with capture(execute=True):
        response = client.post(url("invitations_send", workshop), data)
    return batch, response


def link_in(message) -> str:
    paths = set(LINK.findall(message.body))
    html = message.alternatives[0].content
    assert set(LINK.findall(html)) == paths
    assert len(paths) == 1
    return paths.pop()


def test_batch_sends_each_person_their_own_link_in_their_language(
    client, organiser, world, django_capture_on_commit_callbacks
):
    client.force_login(organiser)
    batch, response = send(client, world["workshop"], capture=django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"] == url("invitation_batch", world["workshop"], batch=batch)

    by_address = {message.to[0]: message for message in mail.outbox}
    assert sorted(by_address) == ["ana@example.org", "awa@example.org", "hugo@example.org", "kofi@example.org"]
    greetings = {"es": "Estimado/a {}:", "fr": "Bonjour {},", "en": "Hello {},"}
    for key in ("ana", "hugo", "kofi", "awa"):
        person = world[key]
        person.refresh_from_db()
        message = by_address[person.email]
        language = person.preferred_language
        assert message.extra_headers["Content-Language"] == language
        assert message.body.startswith(greetings[language].format(person.name))
        with translation.override(language):
            expected_subject = translation.gettext("Your personal link for %(workshop)s") % {
                "workshop": world["workshop"].title
            }
        assert message.subject == expected_subject
        path = link_in(message)
        assert path.startswith("/link/" if language == "en" else f"/{language}/link/")

        # The link logs exactly this person in, in their language.
        visitor = Client()
        opened = visitor.get(path)
        assert opened.status_code == 302
        assert opened["Location"] == ("/me/" if language == "en" else f"/{language}/me/")
        assert visitor.session["_auth_user_id"] == str(person.user_id)

    assert "rotation" in by_address["awa@example.org"].body  # facilitators are told about their rotation
    rows = Invitation.objects.filter(batch=batch).order_by("to_email")
    assert [(r.to_email, r.language, r.kind, r.status) for r in rows] == [
        ("ana@example.org", "es", "invitation", "sent"),
        ("awa@example.org", "fr", "invitation", "sent"),
        ("hugo@example.org", "fr", "invitation", "sent"),
        ("kofi@example.org", "en", "invitation", "sent"),
    ]
    assert all(r.sent_at is not None and r.created_by == organiser for r in rows)
    assert [r.facilitator for r in rows if r.facilitator_id] == [world["awa"]]


def test_audience_participants_only_leaves_facilitators_out(
    client, organiser, world, django_capture_on_commit_callbacks
):
    client.force_login(organiser)
    send(client, world["workshop"], audience="participants", capture=django_capture_on_commit_callbacks)
    assert sorted(m.to[0] for m in mail.outbox) == ["ana@example.org", "hugo@example.org", "kofi@example.org"]


def failing_once_on(monkeypatch, address, error):
    """The mail backend fails once when it reaches `address`; every other message goes through."""
    original = EmailBackend.send_messages
    state = {"failed": False}

    def send_messages(self, messages):
        if not state["failed"] and any(address in m.to for m in messages):
            state["failed"] = True
            raise error
        return original(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", send_messages)


def test_failure_part_way_leaves_the_rest_queued_and_resuming_sends_only_what_was_not_sent(
    client, organiser, monkeypatch, django_capture_on_commit_callbacks
):
    workshop = f.workshop(organisers=[organiser])
    people = [f.participant(workshop, name=f"Person {i:03}", email=f"person{i:03}@example.org") for i in range(60)]
    failing_once_on(monkeypatch, people[56].email, smtplib.SMTPServerDisconnected("Connection unexpectedly closed"))
    client.force_login(organiser)

    batch, _ = send(client, workshop, capture=django_capture_on_commit_callbacks)
    assert [m.to[0] for m in mail.outbox] == [p.email for p in people[:56]]
    counts = invitation_batch_counts(batch=batch)
    assert (counts["sent"], counts["failed"], counts["queued"]) == (56, 1, 3)
    assert counts["stopped"] is True and counts["finished"] is True  # the page stops polling and offers to resume
    failed = Invitation.objects.get(batch=batch, status=Status.FAILED)
    assert failed.participant == people[56]
    assert failed.error == "SMTPServerDisconnected: Connection unexpectedly closed"
    page = client.get(url("invitation_batch", workshop, batch=batch)).content.decode()
    assert "Send what is left" in page and "Connection unexpectedly closed" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("invitation_batch_resume", workshop, batch=batch))
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)  # each exactly once
    assert [m.to[0] for m in mail.outbox[56:]] == [p.email for p in people[56:]]
    assert invitation_batch_counts(batch=batch)["sent"] == 60


def test_an_address_the_server_refuses_fails_alone(
    client, organiser, world, monkeypatch, django_capture_on_commit_callbacks
):
    refused = smtplib.SMTPRecipientsRefused({"hugo@example.org": (550, b"No such user")})
    failing_once_on(monkeypatch, "hugo@example.org", refused)
    client.force_login(organiser)
    batch, _ = send(client, world["workshop"], capture=django_capture_on_commit_callbacks)
    assert sorted(m.to[0] for m in mail.outbox) == ["ana@example.org", "awa@example.org", "kofi@example.org"]
    assert list(Invitation.objects.filter(status=Status.FAILED).values_list("to_email", flat=True)) == [
        "hugo@example.org"
    ]

    # The organiser corrects the address; resuming sends to the corrected one and records it.
    world["hugo"].refresh_from_db()
    world["hugo"].email = "hugo.petit@example.org"
    world["hugo"].save()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("invitation_batch_resume", world["workshop"], batch=batch))
    assert mail.outbox[-1].to == ["hugo.petit@example.org"]
    assert len(mail.outbox) == 4
    assert Invitation.objects.get(participant=world["hugo"]).to_email == "hugo.petit@example.org"


def test_running_a_batch_twice_sends_nobody_two_copies(client, organiser, world):
    client.force_login(organiser)
    batch = uuid.uuid4()
    client.post(
        url("invitations_send", world["workshop"]), {"audience": "everyone", "selection": "all", "batch": batch}
    )
    assert mail.outbox == []  # on-commit callbacks not run: everything is queued
    assert invitation_batch_counts(batch=batch)["queued"] == 4

    invitation_batch_send(batch=batch, base_url="http://testserver")
    invitation_batch_send(batch=batch, base_url="http://testserver")
    invitation_batch_resume(workshop=world["workshop"], batch=batch, base_url="http://testserver")
    invitation_batch_send(batch=batch, base_url="http://testserver")
    assert sorted(m.to[0] for m in mail.outbox) == [
        "ana@example.org",
        "awa@example.org",
        "hugo@example.org",
        "kofi@example.org",
    ]


def test_a_row_claimed_by_another_run_is_not_sent_again(world):
    batch = uuid.uuid4()
    kofi = Invitation.objects.create(
        workshop=world["workshop"], participant=world["kofi"], language="en", to_email="kofi@example.org", batch=batch
    )
    Invitation.objects.create(
        workshop=world["workshop"], participant=world["ana"], language="es", to_email="ana@example.org", batch=batch
    )
    # Another worker claimed Kofi's a moment ago and is sending it.
    Invitation.objects.filter(pk=kofi.pk).update(status=Status.SENDING, attempted_at=timezone.now())
    counts = invitation_batch_send(batch=batch, base_url="http://testserver")
    assert [m.to[0] for m in mail.outbox] == ["ana@example.org"]
    assert (counts["sent"], counts["sending"], counts["finished"]) == (1, 1, False)


def test_an_interrupted_send_is_never_repeated_automatically(client, organiser, world):
    batch = uuid.uuid4()
    Invitation.objects.create(
        workshop=world["workshop"],
        participant=world["kofi"],
        language="en",
        to_email="kofi@example.org",
        batch=batch,
        status=Status.SENDING,
        attempted_at=timezone.now() - timedelta(hours=1),
    )
    invitation_batch_resume(workshop=world["workshop"], batch=batch, base_url="http://testserver")
    invitation_batch_send(batch=batch, base_url="http://testserver")
    assert mail.outbox == []
    counts = invitation_batch_counts(batch=batch)
    assert (counts["interrupted"], counts["finished"]) == (1, True)
    client.force_login(organiser)
    page = client.get(url("invitation_batch", world["workshop"], batch=batch)).content.decode()
    assert "1 e-mail was interrupted while being sent" in page


def test_the_same_form_submitted_twice_sends_once(client, organiser, world, django_capture_on_commit_callbacks):
    client.force_login(organiser)
    batch, _ = send(client, world["workshop"], capture=django_capture_on_commit_callbacks)
    _, again = send(client, world["workshop"], batch=batch, capture=django_capture_on_commit_callbacks)
    assert again["Location"] == url("invitation_batch", world["workshop"], batch=batch)
    assert len(mail.outbox) == 4
    assert Invitation.objects.count() == 4


def test_not_invited_selection_sends_only_to_newcomers(client, organiser, world, django_capture_on_commit_callbacks):
    client.force_login(organiser)
    send(client, world["workshop"], capture=django_capture_on_commit_callbacks)
    mail.outbox.clear()
    _, response = send(client, world["workshop"], capture=django_capture_on_commit_callbacks)
    assert response["Location"] == url("invitations", world["workshop"])
    assert mail.outbox == []
    late = f.participant(world["workshop"], name="Late Comer", email="late@example.org")
    send(client, world["workshop"], capture=django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [[late.email]]


def test_unopened_selection_reminds_only_those_who_never_opened_their_link(
    client, organiser, world, django_capture_on_commit_callbacks
):
    client.force_login(organiser)
    send(client, world["workshop"], capture=django_capture_on_commit_callbacks)
    ana_link = link_in(next(m for m in mail.outbox if m.to == ["ana@example.org"]))
    Client().get(ana_link)  # Ana opens hers
    mail.outbox.clear()

    batch, _ = send(client, world["workshop"], selection="unopened", capture=django_capture_on_commit_callbacks)
    assert sorted(m.to[0] for m in mail.outbox) == ["awa@example.org", "hugo@example.org", "kofi@example.org"]
    assert set(Invitation.objects.filter(batch=batch).values_list("kind", flat=True)) == {"reminder"}
    kofi = next(m for m in mail.outbox if m.to == ["kofi@example.org"])
    assert kofi.subject == f"Reminder: your personal link for {world['workshop'].title}"
    assert "you have not opened your personal link" in kofi.body


def test_resend_one_person_makes_a_new_record_and_a_double_click_sends_once(
    client, organiser, world, django_capture_on_commit_callbacks
):
    client.force_login(organiser)
    send(client, world["workshop"], capture=django_capture_on_commit_callbacks)
    mail.outbox.clear()
    page_batch = uuid.uuid4()
    data = {"person": f"participant:{world['hugo'].pk}", "batch": str(page_batch)}
    for _click in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url("invitation_resend", world["workshop"]), data)
        assert response["Location"] == url("invitation_people", world["workshop"])
    assert [m.to for m in mail.outbox] == [["hugo@example.org"]]
    assert [r.status for r in Invitation.objects.filter(participant=world["hugo"]).order_by("pk")] == ["sent", "sent"]
    visitor = Client()
    visitor.get(link_in(mail.outbox[0]))
    world["hugo"].refresh_from_db()
    assert visitor.session["_auth_user_id"] == str(world["hugo"].user_id)


def test_resending_to_someone_of_another_workshop_is_404(client, organiser, world):
    client.force_login(organiser)
    response = client.post(
        url("invitation_resend", world["workshop"]),
        {"person": f"participant:{world['stranger'].pk}", "batch": str(uuid.uuid4())},
    )
    assert response.status_code == 404
    assert Invitation.objects.count() == 0 and mail.outbox == []


def test_people_page_lists_who_never_opened_their_link(client, organiser, world):
    Invitation.objects.create(
        workshop=world["workshop"],
        participant=world["kofi"],
        language="en",
        to_email="kofi@example.org",
        batch=uuid.uuid4(),
        status=Status.FAILED,
        error="SMTPRecipientsRefused: no such user",
    )
    world["ana"].link_opened_at = timezone.now()
    world["ana"].save()
    client.force_login(organiser)
    page = client.get(url("invitation_people", world["workshop"]) + "?unopened=1").content.decode()
    assert [name for name in ("Ana Ruiz", "Hugo Petit", "Kofi Mensah", "Awa Sissoko", "Stranger") if name in page] == [
        "Hugo Petit",
        "Kofi Mensah",
        "Awa Sissoko",
    ]
    assert "SMTPRecipientsRefused: no such user" in page
    everyone = client.get(url("invitation_people", world["workshop"])).content.decode()
    assert "Ana Ruiz" in everyone and "Stranger" not in everyone


def test_overview_counts_who_was_sent_and_who_opened(client, organiser, world, django_capture_on_commit_callbacks):
    client.force_login(organiser)
    send(client, world["workshop"], audience="participants", capture=django_capture_on_commit_callbacks)
    world["ana"].link_opened_at = timezone.now()
    world["ana"].save()
    response = client.get(url("invitations", world["workshop"]))
    summary = response.context["summary"]
    assert summary == {
        "participants": {"total": 3, "sent": 3, "opened": 1, "unopened": 2},
        "facilitators": {"total": 1, "sent": 0, "opened": 0, "unopened": 1},
    }
    assert [(b["total"], b["sent"], b["failed"]) for b in response.context["batches"]] == [(3, 3, 0)]


def test_status_json_reports_the_counts(client, organiser, world):
    batch = uuid.uuid4()
    for key, status in (("ana", Status.SENT), ("hugo", Status.FAILED), ("kofi", Status.QUEUED)):
        Invitation.objects.create(
            workshop=world["workshop"],
            participant=world[key],
            language="en",
            to_email=world[key].email,
            batch=batch,
            status=status,
        )
    client.force_login(organiser)
    data = client.get(url("invitation_batch_status", world["workshop"], batch=batch)).json()
    assert data == {
        "total": 3,
        "queued": 1,
        "sending": 0,
        "sent": 1,
        "failed": 1,
        "interrupted": 0,
        "stopped": False,
        "finished": False,
        "no_worker": False,
    }


def test_another_workshops_organiser_gets_404_everywhere(
    client, organiser, other_organiser, world, django_capture_on_commit_callbacks
):
    client.force_login(organiser)
    batch = uuid.uuid4()
    client.post(
        url("invitations_send", world["workshop"]), {"audience": "everyone", "selection": "all", "batch": batch}
    )
    assert Invitation.objects.filter(batch=batch, status=Status.QUEUED).count() == 4

    client.force_login(other_organiser)
    f.workshop(organisers=[other_organiser])  # they organise something, just not this
    workshop = world["workshop"]
    for name, kwargs in (
        ("invitations", {}),
        ("invitation_people", {}),
        ("invitation_batch", {"batch": batch}),
        ("invitation_batch_status", {"batch": batch}),
    ):
        assert client.get(url(name, workshop, **kwargs)).status_code == 404, name
    posts = (
        ("invitations_send", {}, {"audience": "everyone", "selection": "all", "batch": str(uuid.uuid4())}),
        ("invitation_batch_resume", {"batch": batch}, {}),
        ("invitation_resend", {}, {"person": f"participant:{world['ana'].pk}", "batch": str(uuid.uuid4())}),
    )
    for name, kwargs, data in posts:
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(url(name, workshop, **kwargs), data).status_code == 404, name
    assert mail.outbox == []
    assert Invitation.objects.count() == 4


def test_a_batch_id_of_another_workshop_is_404_in_this_one(client, organiser, world):
    other = f.workshop(organisers=[organiser])
    batch = uuid.uuid4()
    Invitation.objects.create(
        workshop=world["workshop"], participant=world["ana"], language="es", to_email="ana@example.org", batch=batch
    )
    client.force_login(organiser)
    assert client.get(url("invitation_batch", other, batch=batch)).status_code == 404
    assert client.get(url("invitation_batch_status", other, batch=batch)).status_code == 404


def test_pages_require_a_staff_login(client, world):
    response = client.get(url("invitations", world["workshop"]))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_an_invitation_is_for_exactly_one_person(world):
    fields = {"workshop": world["workshop"], "language": "en", "to_email": "x@example.org", "batch": uuid.uuid4()}
    with pytest.raises(IntegrityError), transaction.atomic():
        Invitation.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Invitation.objects.create(participant=world["ana"], facilitator=world["awa"], **fields)
    Invitation.objects.create(participant=world["ana"], **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Invitation.objects.create(participant=world["ana"], **fields)  # the same batch twice


def test_message_html_escapes_names(world):
    world["kofi"].name = "<b>Kofi</b>"
    world["kofi"].save()
    invitation = Invitation.objects.create(
        workshop=world["workshop"],
        participant=world["kofi"],
        language="en",
        to_email="kofi@example.org",
        batch=uuid.uuid4(),
    )
    message = invitation_message(invitation=invitation, base_url="http://testserver")
    assert "&lt;b&gt;Kofi&lt;/b&gt;" in message.alternatives[0].content
    assert message.body.startswith("Hello <b>Kofi</b>,")


def populated(organiser, size):
    workshop = f.populated_workshop(participants=size, groups=2, sessions=1, facilitators=2, organisers=[organiser])
    batch = uuid.uuid4()
    Invitation.objects.bulk_create(
        Invitation(
            workshop=workshop,
            participant=p,
            language="en",
            to_email=p.email,
            batch=batch,
            status=Status.SENT if i % 2 else Status.FAILED,
        )
        for i, p in enumerate(workshop.participants.all())
    )
    Invitation.objects.create(
        workshop=workshop,
        participant=workshop.participants.first(),
        language="en",
        to_email="x@example.org",
        batch=uuid.uuid4(),
    )
    return workshop, batch


@pytest.mark.parametrize(
    "name",
    ["invitations", "invitation_people", "invitation_people?unopened=1", "invitation_batch", "invitation_batch_status"],
)
def test_queries_constant(client, organiser, name):
    client.force_login(organiser)
    small, large = populated(organiser, 4), populated(organiser, 60)
    name, _sep, query = name.partition("?")

    def count(workshop, batch):
        kwargs = {"batch": batch} if name.startswith("invitation_batch") else {}
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url(name, workshop, **kwargs) + (f"?{query}" if query else "")).status_code == 200
        return len(ctx.captured_queries)

    count(*small)
    assert count(*large) == count(*small)


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_each_invitation_once(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite's test database serialises them)")
    import threading
    import time

    from django.db import connections

    workshop = f.workshop()
    batch = uuid.uuid4()
    people = [f.participant(workshop, email=f"concurrent{i:02}@example.org") for i in range(30)]
    Invitation.objects.bulk_create(
        Invitation(workshop=workshop, participant=p, language="en", to_email=p.email, batch=batch) for p in people
    )
    original = EmailBackend.send_messages

    def slow(self, messages):
        time.sleep(0.005)  # let the other run catch up
        return original(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", slow)
    start = threading.Barrier(2)

    def run():
        start.wait()
        try:
            invitation_batch_send(batch=batch, base_url="http://testserver")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(m.to[0] for m in mail.outbox) == [p.email for p in people]
    assert invitation_batch_counts(batch=batch)["sent"] == 30


# --- A batch no worker picked up -------------------------------------------------------------

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
NO_WORKER = "No task worker has picked this batch up yet: nothing has been sent."


def later(monkeypatch, seconds: float) -> None:
    """Move the clock on: every `timezone.now()` from here reads `seconds` later."""
    moved = timezone.now() + timedelta(seconds=seconds)
    monkeypatch.setattr(timezone, "now", lambda: moved)


def test_batch_queued_without_a_worker_says_so_after_the_wait(
    client, organiser, world, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DATABASE_TASKS
    settings.TASKS_QUEUE_WAIT_SECONDS = 120
    client.force_login(organiser)
    batch, _response = send(client, world["workshop"], capture=django_capture_on_commit_callbacks)
    assert DBTaskResult.objects.filter(status="READY").count() == 1  # queued for a worker that never comes
    later(monkeypatch, 100)
    page = client.get(url("invitation_batch", world["workshop"], batch=batch)).content.decode()
    assert NO_WORKER not in page
    assert client.get(url("invitation_batch_status", world["workshop"], batch=batch)).json()["no_worker"] is False
    later(monkeypatch, 121)
    page = client.get(url("invitation_batch", world["workshop"], batch=batch)).content.decode()
    assert NO_WORKER in page
    assert "is <code>manage.py db_worker</code> running?" in page
    data = client.get(url("invitation_batch_status", world["workshop"], batch=batch)).json()
    assert (data["no_worker"], data["finished"], data["queued"], data["sent"]) == (True, False, 4, 0)
    assert sorted(Invitation.objects.values_list("status", "sent_at")) == [(Status.QUEUED, None)] * 4
    assert mail.outbox == []


def test_batch_queued_without_a_worker_reads_in_the_pages_language(
    client, organiser, world, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.TASKS = DATABASE_TASKS
    settings.TASKS_QUEUE_WAIT_SECONDS = 120
    client.force_login(organiser)
    batch, _response = send(client, world["workshop"], capture=django_capture_on_commit_callbacks)
    later(monkeypatch, 121)
    with translation.override("fr"):
        page_url = url("invitation_batch", world["workshop"], batch=batch)
    assert "Aucun processus de tâches n’a encore pris ce lot en charge" in client.get(page_url).content.decode()


def test_batch_resumed_waits_again_before_saying_no_worker_took_it(
    client, organiser, world, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.TASKS = DATABASE_TASKS
    settings.TASKS_QUEUE_WAIT_SECONDS = 120
    client.force_login(organiser)
    batch, _response = send(client, world["workshop"], capture=django_capture_on_commit_callbacks)
    later(monkeypatch, 121)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("invitation_batch_resume", world["workshop"], batch=batch))
    assert invitation_batch_counts(batch=batch)["no_worker"] is False
    later(monkeypatch, 121 + 121)
    assert invitation_batch_counts(batch=batch)["no_worker"] is True


def test_batch_being_sent_is_not_said_to_lack_a_worker(world, settings, monkeypatch):
    """A worker sending slowly (each e-mail claimed in turn) has picked the batch up."""
    settings.TASKS_QUEUE_WAIT_SECONDS = 120
    batch = uuid.uuid4()
    for key in ("ana", "kofi"):
        Invitation.objects.create(
            workshop=world["workshop"], participant=world[key], language="en", to_email=world[key].email, batch=batch
        )
    later(monkeypatch, 300)
    Invitation.objects.filter(participant=world["ana"]).update(status=Status.SENT, attempted_at=timezone.now())
    assert invitation_batch_counts(batch=batch)["no_worker"] is False


def test_overview_marks_a_batch_no_worker_picked_up(
    client, organiser, world, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.TASKS = DATABASE_TASKS
    settings.TASKS_QUEUE_WAIT_SECONDS = 120
    client.force_login(organiser)
    send(client, world["workshop"], capture=django_capture_on_commit_callbacks)
    response = client.get(url("invitations", world["workshop"]))
    assert [(b["queued"], b["no_worker"]) for b in response.context["batches"]] == [(4, False)]
    assert "No task worker has picked it up" not in response.content.decode()
    later(monkeypatch, 121)
    response = client.get(url("invitations", world["workshop"]))
    assert [(b["queued"], b["no_worker"]) for b in response.context["batches"]] == [(4, True)]
    assert response.content.decode().count("No task worker has picked it up") == 1
