"""Invitations when mail fails: the batch stops, the organiser reads why, nothing is marked sent that was not."""

import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from tests import factories as f
from tests.mail_backends import HtmlHead, use_mailer, use_refused_smtp
from workshops.invitations import invitation_batch_counts
from workshops.mail import MailNotSent, mail_connection_open
from workshops.models import Invitation

pytestmark = pytest.mark.django_db
Status = Invitation.Status


@pytest.fixture
def workshop(organiser):
    today = timezone.localdate()
    workshop = f.workshop(organisers=[organiser], start_date=today, end_date=today + timedelta(days=1))
    f.participant(workshop, name="Ana Ruiz", email="ana@example.org", preferred_language="es")
    f.participant(workshop, name="Hugo Petit", email="hugo@example.org", preferred_language="fr")
    f.participant(workshop, name="Kofi Mensah", email="kofi@example.org", preferred_language="en")
    return workshop


def url(name, workshop, *, language="en", **kwargs):
    with translation.override(language):
        return reverse(f"organise:{name}", kwargs={"slug": workshop.slug, **kwargs})


def send(client, organiser, workshop, capture):
    client.force_login(organiser)
    batch = uuid.uuid4()
    with capture(execute=True):
        client.post(url("invitations_send", workshop), {"audience": "everyone", "selection": "all", "batch": batch})
    return batch


def in_language(language, text):
    with translation.override(language):
        translated = translation.gettext(text)
    assert translated != text
    return translated


def test_invitation_batch_misconfigured_mailer_stops_and_says_why(
    client, settings, organiser, workshop, django_capture_on_commit_callbacks
):
    use_mailer(settings, "django.core.mail.backends.filebased.EmailBackend")  # no file_path: InvalidMailer
    batch = send(client, organiser, workshop, django_capture_on_commit_callbacks)
    counts = invitation_batch_counts(batch=batch)
    assert (counts["sent"], counts["failed"], counts["queued"]) == (0, 1, 2)
    assert counts["stopped"] is True and counts["finished"] is True  # not "waiting" for ever
    failed = Invitation.objects.get(batch=batch, status=Status.FAILED)
    assert failed.error == "InvalidMailer: MAILERS['default']: OPTIONS must define 'file_path'."
    assert failed.stopped_run is True
    page = client.get(url("invitation_batch", workshop, language="fr", batch=batch)).content.decode()
    assert in_language("fr", "The e-mail settings are wrong (EMAIL_BACKEND and its options).") in page
    assert "OPTIONS must define &#x27;file_path&#x27;." in page


def test_invitation_batch_refused_smtp_connection_stops_and_says_why(
    client, settings, organiser, workshop, django_capture_on_commit_callbacks
):
    use_refused_smtp(settings)
    batch = send(client, organiser, workshop, django_capture_on_commit_callbacks)
    counts = invitation_batch_counts(batch=batch)
    assert (counts["sent"], counts["failed"], counts["queued"], counts["stopped"]) == (0, 1, 2, True)
    assert Invitation.objects.get(batch=batch, status=Status.FAILED).error.startswith("ConnectionRefusedError: ")
    page = client.get(url("invitation_batch", workshop, language="es", batch=batch)).content.decode()
    reason = "The mail server could not be reached or stopped answering (EMAIL_HOST, EMAIL_PORT)."
    assert in_language("es", reason) in page


def test_mail_connection_open_misconfigured_mailer_raises_mail_not_sent_and_logs(settings, caplog):
    use_mailer(settings, "django.core.mail.backends.filebased.EmailBackend")  # no file_path
    with pytest.raises(MailNotSent) as raised:
        mail_connection_open()
    assert type(raised.value.error).__name__ == "InvalidMailer"
    errors = [record for record in caplog.records if record.levelname == "ERROR"]
    assert [record.name for record in errors] == ["workshops.mail"]
    assert errors[0].exc_info is not None


def test_mail_connection_open_refused_server_raises_mail_not_sent(settings):
    use_refused_smtp(settings)
    with pytest.raises(MailNotSent) as raised:
        mail_connection_open()
    assert isinstance(raised.value.error, ConnectionRefusedError)


@pytest.mark.parametrize("mailer", ["misconfigured", "refused"])
def test_invitation_batch_mailer_that_cannot_open_goes_through_the_mail_modules_mapping(
    client, settings, organiser, workshop, django_capture_on_commit_callbacks, caplog, mailer
):
    if mailer == "refused":
        use_refused_smtp(settings)
    else:
        use_mailer(settings, "django.core.mail.backends.filebased.EmailBackend")
    batch = send(client, organiser, workshop, django_capture_on_commit_callbacks)
    counts = invitation_batch_counts(batch=batch)
    assert (counts["sent"], counts["failed"], counts["queued"], counts["stopped"]) == (0, 1, 2, True)
    # Logged once, by the mail module, as every other mail failure is (not as an unexpected error).
    errors = [record for record in caplog.records if record.levelname == "ERROR"]
    assert [record.name for record in errors] == ["workshops.mail"]


def test_invitation_batch_backend_taking_nothing_marks_nothing_sent(
    client, settings, organiser, workshop, django_capture_on_commit_callbacks
):
    use_mailer(settings, "AcceptsNothingBackend")
    batch = send(client, organiser, workshop, django_capture_on_commit_callbacks)
    counts = invitation_batch_counts(batch=batch)
    assert (counts["sent"], counts["failed"], counts["queued"], counts["stopped"]) == (0, 1, 2, True)
    assert Invitation.objects.get(batch=batch, status=Status.FAILED).error == (
        "NothingAccepted: the mailer accepted no message"
    )
    assert Invitation.objects.filter(batch=batch, sent_at__isnull=False).count() == 0


def test_invitation_batch_workshop_title_with_a_line_break_is_sent(
    client, organiser, workshop, django_capture_on_commit_callbacks
):
    workshop.title = "EMM Workshop\nGeneva"
    workshop.save()
    batch = send(client, organiser, workshop, django_capture_on_commit_callbacks)
    assert invitation_batch_counts(batch=batch)["sent"] == 3
    assert all("\n" not in m.subject and "EMM Workshop Geneva" in m.subject for m in mail.outbox)


def test_invitation_email_is_automatic_on_the_sites_domain_with_a_titled_html_part(
    client, settings, organiser, workshop, django_capture_on_commit_callbacks
):
    settings.SITE_DOMAIN = "workshops.example.org"
    send(client, organiser, workshop, django_capture_on_commit_callbacks)
    languages = {"ana@example.org": "es", "hugo@example.org": "fr", "kofi@example.org": "en"}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(languages)
    for message in mail.outbox:
        headers = message.message()
        assert headers["Auto-Submitted"] == "auto-generated"
        assert headers["Message-ID"].endswith("@workshops.example.org>")
        html = HtmlHead()
        html.feed(message.alternatives[0].content)
        assert html.lang == languages[message.to[0]]
        assert html.title == message.subject
