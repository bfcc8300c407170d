"""E-mail me a copy: in my language (the PDF too), marked automatic, and never a crash when mail fails."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from tests import factories as f
from tests.mail_backends import FailingBackend, HtmlHead, use_mailer, use_refused_smtp
from workshops.access import personal_link_path

pytestmark = pytest.mark.django_db


@pytest.fixture
def me():
    today = timezone.localdate()
    workshop = f.workshop(title="EMM Workshop", start_date=today, end_date=today + timedelta(days=1))
    session = f.session(workshop, title="Counter-Trafficking")
    question = f.question(workshop, text="What is your response to the substance?")
    participant = f.participant(workshop, name="Ana Me", preferred_language="es", group=f.group(workshop))
    f.answer(f.worksheet(participant, session), question, text="Mi respuesta")
    return participant


def sign_in(client, person):
    assert client.get(personal_link_path(person=person)).status_code == 302


def ask_for_a_copy(client, *, language):
    with translation.override(language):
        url = reverse("worksheets:email_copy")
    return client.post(url, follow=True)


def in_language(language, text):
    with translation.override(language):
        translated = translation.gettext(text)
    assert translated != text  # the catalogue has it
    return translated


NOT_SENT = (
    "The e-mail could not be sent just now: the mail server did not take it. Nothing was sent. "
    "Please try again in a few minutes, or download the PDF instead."
)


@pytest.mark.parametrize("error", ["smtp", "refused"])
def test_email_copy_mail_error_is_a_clear_message_in_my_language(client, settings, me, error):
    use_mailer(settings, "FailingBackend", error=error)
    FailingBackend.attempts = 0
    sign_in(client, me)
    response = ask_for_a_copy(client, language="es")
    assert response.status_code == 200
    assert response.redirect_chain == [("/es/me/", 302)]
    page = response.content.decode()
    assert in_language("es", NOT_SENT) in page
    assert "está en camino" not in page  # no "on its way" for a copy that did not leave
    assert FailingBackend.attempts == 1


def test_email_copy_refused_smtp_connection_is_a_clear_message(client, settings, me):
    use_refused_smtp(settings)
    sign_in(client, me)
    response = ask_for_a_copy(client, language="es")
    assert response.status_code == 200
    assert in_language("es", NOT_SENT) in response.content.decode()


def test_email_copy_backend_taking_nothing_is_not_reported_sent(client, settings, me):
    use_mailer(settings, "AcceptsNothingBackend")
    sign_in(client, me)
    response = ask_for_a_copy(client, language="es")
    assert in_language("es", NOT_SENT) in response.content.decode()


def test_email_copy_pdf_is_in_the_recipients_language_not_the_pages(client, me):
    me.preferred_language = "fr"
    me.save()
    sign_in(client, me)
    ask_for_a_copy(client, language="en")  # the page in English, the e-mail in French
    assert len(mail.outbox) == 1
    reader = PdfReader(io.BytesIO(mail.outbox[0].attachments[0][1]))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert in_language("fr", "Worksheets") in text
    assert in_language("fr", "Draft") in text
    assert "Worksheets" not in text
    assert reader.trailer["/Root"]["/Lang"] == "fr"


def test_email_copy_is_automatic_on_the_sites_domain_with_a_titled_html_part(client, settings, me):
    settings.SITE_DOMAIN = "workshops.example.org"
    sign_in(client, me)
    ask_for_a_copy(client, language="es")
    message = mail.outbox[0].message()
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Content-Language"] == "es"
    assert message["Message-ID"].endswith("@workshops.example.org>")
    html = HtmlHead()
    html.feed(mail.outbox[0].alternatives[0].content)
    assert html.lang == "es"
    assert html.title == mail.outbox[0].subject
    assert "EMM Workshop" in html.title


def test_email_copy_workshop_title_with_a_line_break_still_sends(client, me):
    me.workshop.title = "EMM Workshop\r\nGeneva"
    me.workshop.save()
    sign_in(client, me)
    response = ask_for_a_copy(client, language="es")
    assert response.status_code == 200
    assert len(mail.outbox) == 1
    assert "\n" not in mail.outbox[0].subject and "EMM Workshop Geneva" in mail.outbox[0].subject
