"""Lost my link: one e-mail whether the address is known or not, the same answer in the same time, no 500."""

import re
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from tests import factories as f
from tests.mail_backends import FailingBackend, use_mailer, use_refused_smtp
from workshops.models import RateLimit

pytestmark = pytest.mark.django_db

NOT_SENT = (
    "No e-mail could be sent just now. Please try again in a few minutes, "
    "or ask the organisers at the registration desk."
)


@pytest.fixture
def participant():
    today = timezone.localdate()
    workshop = f.workshop(title="EMM Workshop", start_date=today, end_date=today + timedelta(days=1))
    return f.participant(workshop, email="ana@example.org", preferred_language="es", group=f.group(workshop))


def ask(client, email, *, language="en"):
    with translation.override(language):
        url = reverse("workshops:lost_link")
    return client.post(url, {"email": email})


def page(response) -> str:
    return re.sub(r'value="[^"]+"', "", response.content.decode())  # without the CSRF token


def in_language(language, text):
    with translation.override(language):
        translated = translation.gettext(text)
    assert translated != text
    return translated


def test_lost_link_unknown_address_gets_one_email_saying_so(client, participant):
    known = ask(client, "ANA@example.org")
    unknown = ask(client, "nobody@example.org")
    assert known.status_code == unknown.status_code == 200
    assert page(known) == page(unknown)
    assert [m.to for m in mail.outbox] == [["ana@example.org"], ["nobody@example.org"]]
    assert "/es/link/once/" in mail.outbox[0].body  # the one-time link, in her language
    assert "/link/once/" not in mail.outbox[1].body
    assert "EMM Workshop" not in mail.outbox[1].body  # nothing about anyone's registration
    assert mail.outbox[1].body.startswith("Hello,\n\nSomeone, probably you, asked for a link")


def test_lost_link_one_email_lists_every_registration_of_the_address(client, participant):
    other = f.workshop(title="Council session")
    f.facilitator(other, email="ana@example.org", preferred_language="es")
    ask(client, "ana@example.org")
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert body.count("/es/link/once/") == 2
    assert "EMM Workshop" in body and "Council session" in body


@pytest.mark.parametrize("error", ["smtp", "refused"])
def test_lost_link_mail_error_is_the_same_clear_answer_for_known_and_unknown(client, settings, participant, error):
    use_mailer(settings, "FailingBackend", error=error)
    FailingBackend.attempts = 0
    known = ask(client, "ana@example.org", language="fr")
    unknown = ask(client, "nobody@example.org", language="fr")
    assert known.status_code == unknown.status_code == 503
    assert page(known) == page(unknown)
    assert in_language("fr", NOT_SENT) in page(known)
    assert FailingBackend.attempts == 2  # the unknown address was tried too: nothing to tell them apart


def test_lost_link_refused_smtp_connection_is_a_clear_answer(client, settings, participant):
    use_refused_smtp(settings)
    known = ask(client, "ana@example.org", language="es")
    unknown = ask(client, "nobody@example.org", language="es")
    assert known.status_code == unknown.status_code == 503
    assert page(known) == page(unknown)
    assert in_language("es", NOT_SENT) in page(known)


def test_lost_link_takes_the_same_time_for_known_and_unknown_addresses(client, settings, participant):
    # A mailer as slow as a distant SMTP server: if only known addresses were e-mailed, they would
    # take DELAY longer. Each side's fastest of several tries is compared, so that a busy machine
    # slowing one request down cannot make the test fail.
    delay = 0.4
    use_mailer(settings, "SlowBackend", delay=delay)

    def duration(email):
        RateLimit.objects.all().delete()  # the rate limit is not what is measured here
        start = time.perf_counter()
        response = ask(client, email)
        assert response.status_code == 200
        return time.perf_counter() - start

    duration("ana@example.org"), duration("nobody@example.org")  # warm up (templates, her login)
    known = min(duration("ana@example.org") for _ in range(4))
    unknown = min(duration("nobody@example.org") for _ in range(4))
    assert known >= delay and unknown >= delay  # both sent one e-mail
    assert abs(known - unknown) < delay / 2


def test_lost_link_workshop_title_with_a_line_break_still_sends(client, participant):
    participant.workshop.title = "EMM Workshop\r\nGeneva"
    participant.workshop.save()
    response = ask(client, "ana@example.org")
    assert response.status_code == 200
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == in_language("es", "Your link for %(workshop)s") % {
        "workshop": "EMM Workshop Geneva"
    }


def test_lost_link_subject_collapses_runs_of_whitespace(client, participant):
    participant.workshop.title = "EMM \t Workshop\u2028\u2028Geneva"
    participant.workshop.save()
    ask(client, "ana@example.org")
    assert mail.outbox[0].subject == in_language("es", "Your link for %(workshop)s") % {
        "workshop": "EMM Workshop Geneva"
    }


def test_lost_link_email_is_automatic_on_the_sites_domain(client, settings, participant):
    settings.SITE_DOMAIN = "workshops.example.org"
    ask(client, "ana@example.org")
    ask(client, "nobody@example.org", language="fr")
    for message, language in zip(mail.outbox, ("es", "fr"), strict=True):
        headers = message.message()
        assert headers["Auto-Submitted"] == "auto-generated"
        assert headers["Content-Language"] == language
        assert headers["Message-ID"].endswith("@workshops.example.org>")


def test_lost_link_invalid_address_is_refused_without_sending(client, participant):
    response = ask(client, "not an address")
    assert response.status_code == 400
    assert mail.outbox == []
    assert "Enter a valid email address." in response.content.decode()


def ask_from(client, email, address):
    return client.post(reverse("workshops:lost_link"), {"email": email}, REMOTE_ADDR=address)


def test_lost_link_notes_to_unknown_addresses_stop_at_the_sites_hourly_cap(client, settings, participant, caplog):
    # Many clients, each under its own limit, typing strangers' addresses: the site mails at most
    # LOST_LINK_UNKNOWN_PER_HOUR of them, and says so in the log once.
    settings.LOST_LINK_UNKNOWN_PER_HOUR = 3
    responses = [ask_from(client, f"stranger{n}@example.org", f"198.51.100.{n}") for n in range(4)]
    assert [response.status_code for response in responses] == [200, 200, 200, 200]
    assert len({page(response) for response in responses}) == 1  # the same answer beyond the cap
    assert [m.to for m in mail.outbox] == [[f"stranger{n}@example.org"] for n in range(3)]
    warnings = [record for record in caplog.records if record.levelname == "WARNING"]
    assert [record.name for record in warnings] == ["workshops.lost_link"]
    assert "LOST_LINK_UNKNOWN_PER_HOUR" in warnings[0].getMessage()
    # A registered person still gets their link.
    assert ask_from(client, "ana@example.org", "198.51.100.50").status_code == 200
    assert [m.to for m in mail.outbox][-1] == ["ana@example.org"]


def test_lost_link_runs_as_many_queries_for_a_known_as_for_an_unknown_address(client, participant):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(email, address):
        ask_from(client, email, address)  # first of the hour: counters' rows created
        with CaptureQueriesContext(connection) as captured:
            assert ask_from(client, email, address).status_code == 200
        return len(captured)

    known = queries("ana@example.org", "198.51.100.1")
    unknown = queries("nobody@example.org", "198.51.100.2")
    assert known == unknown
    # As many with two registrations: nobody's number of workshops shows either.
    f.facilitator(f.workshop(title="Council session"), email="ana@example.org", preferred_language="es")
    assert queries("ana@example.org", "198.51.100.3") == unknown


def test_lost_link_for_a_person_without_a_login_yet_creates_it_once(client, participant):
    assert participant.user_id is None
    ask(client, "ana@example.org")
    participant.refresh_from_db()
    user_id = participant.user_id
    assert user_id is not None
    ask(client, "ana@example.org")
    participant.refresh_from_db()
    assert participant.user_id == user_id
    assert mail.outbox[1].body.count("/es/link/once/") == 1
