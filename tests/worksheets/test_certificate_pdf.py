"""A participant's certificate from "my day": the PDF in their language, read back, its QR code decoded back."""

import io
import re

import pypdf
import pytest
import zxingcpp
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image, ImageDraw

from tests import factories as f
from workshops.access import personal_link_path
from workshops.enums import AttendanceSource, AttendanceStatus
from workshops.models import Attendance, Certificate

pytestmark = pytest.mark.django_db


def attend(person, *sessions):
    for session in sessions:
        Attendance.objects.create(
            session=session, participant=person, group=person.group, status=AttendanceStatus.PRESENT,
            source=AttendanceSource.ROSTER,
        )  # fmt: skip


@pytest.fixture
def event():
    workshop = f.workshop(
        title="Developing Capacity to Manage Migration",
        title_fr="Renforcer les capacités de gestion des migrations",
        venue="Geneva",
        venue_fr="Genève",
        timezone="America/Mexico_City",
    )
    morning = f.session(
        workshop, start_hour=11, title="Migration and Labour", title_fr="Migration et travail", section=f.section("2.6")
    )
    afternoon = f.session(workshop, start_hour=15, title="Counter-Trafficking", title_fr="Lutte contre la traite")
    return {"workshop": workshop, "sessions": [morning, afternoon]}


def sign_in(client, person):
    assert client.get(personal_link_path(person=person)).status_code == 302


def pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text().replace("\x00", "") for page in reader.pages)


def pdf_qr_codes(content: bytes) -> list[str]:
    """Each page's QR code, decoded: its rectangles are drawn from the page's content stream onto an image."""
    reader = pypdf.PdfReader(io.BytesIO(content))
    found = []
    for page in reader.pages:
        stream = page.get_contents().get_data().decode("latin-1")
        drawn = re.search(r"q 0 g (.*?) f Q", stream, re.S)
        if drawn is None:  # a page that goes on with the sessions has no code
            continue
        path = drawn.group(1)
        height = float(page.mediabox.height)
        scale = 4
        image = Image.new("L", (int(float(page.mediabox.width)) * scale, int(height) * scale), 255)
        draw = ImageDraw.Draw(image)
        for x, y, w, h in re.findall(r"([\d.-]+) ([\d.-]+) ([\d.-]+) ([\d.-]+) re", path):
            x, y, w, h = (float(v) for v in (x, y, w, h))
            left, right = sorted((x, x + w))
            bottom, top = sorted((y, y + h))
            draw.rectangle(
                [left * scale, (height - top) * scale, right * scale - 1, (height - bottom) * scale - 1], fill=0
            )
        found += [result.text for result in zxingcpp.read_barcodes(image)]
    return found


def test_my_certificate_in_my_language_names_me_the_workshop_dates_venue_and_sessions(client, event):
    morning, afternoon = event["sessions"]
    me = f.participant(event["workshop"], name="Amadou Diallo", preferred_language="fr")
    attend(me, morning, afternoon)
    sign_in(client, me)
    response = client.get(reverse("worksheets:certificate"), follow=True)  # to /fr/me/certificate.pdf
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    certificate = Certificate.objects.get(participant=me)
    for expected in (
        "Certificat de participation",
        "Amadou Diallo",
        "Renforcer les capacités de gestion des migrations",
        "vendredi 27 septembre 2030 au samedi 28 septembre 2030",
        "Genève",
        "Migration et travail",
        "Lutte contre la traite",
        "Section 2.6 de l'EMM",  # the curriculum section, in French
        certificate.code_display,
    ):
        assert expected in text, expected
    # Session times in the workshop's time zone (Mexico City), not the server's.
    assert "03:00–05:00" in text  # 11:00 in Zurich, where the factory sets the session
    assert "Certificate of participation" not in text
    assert pypdf.PdfReader(io.BytesIO(response.content)).pages and certificate.language == "fr"


def test_my_certificate_qr_code_leads_to_its_verification_page(client, event):
    me = f.participant(event["workshop"], preferred_language="es")
    attend(me, *event["sessions"])
    sign_in(client, me)
    content = client.get(reverse("worksheets:certificate"), follow=True).content
    certificate = Certificate.objects.get(participant=me)
    assert pdf_qr_codes(content) == [f"http://testserver/certificates/{certificate.code}/"]
    assert "Certificado de participación" in pdf_text(content)
    client.logout()
    assert client.get(f"/certificates/{certificate.code}/").status_code == 200


def test_only_sessions_attended_are_listed(client, event):
    workshop = event["workshop"]
    workshop.certificate_rule, workshop.certificate_min_sessions = "at_least", 1
    workshop.save()
    me = f.participant(workshop)
    attend(me, event["sessions"][1])
    sign_in(client, me)
    text = pdf_text(client.get(reverse("worksheets:certificate")).content)
    assert "Counter-Trafficking" in text and "Migration and Labour" not in text


def test_not_qualifying_is_told_why_on_my_day(client, event):
    me = f.participant(event["workshop"])
    attend(me, event["sessions"][0])
    sign_in(client, me)
    day = client.get(reverse("worksheets:my_day")).content.decode()
    assert "You attended 1 of 2 sessions; a certificate needs both." in day
    assert reverse("worksheets:certificate") not in day
    response = client.get(reverse("worksheets:certificate"), follow=True)
    assert response.redirect_chain == [(reverse("worksheets:my_day"), 302)]
    assert "You attended 1 of 2 sessions; a certificate needs both." in response.content.decode()
    assert not Certificate.objects.exists()


def test_qualifying_sees_the_download_on_my_day(client, event):
    me = f.participant(event["workshop"])
    attend(me, *event["sessions"])
    sign_in(client, me)
    day = client.get(reverse("worksheets:my_day")).content.decode()
    assert reverse("worksheets:certificate") in day and "Download my certificate (PDF)" in day


def test_a_revoked_certificate_is_not_downloadable(client, event, organiser):
    me = f.participant(event["workshop"])
    attend(me, *event["sessions"])
    Certificate.objects.create(participant=me, revoked_at="2030-09-29T10:00Z", revoked_by=organiser)
    sign_in(client, me)
    assert "The organisers revoked your certificate." in client.get(reverse("worksheets:my_day")).content.decode()
    response = client.get(reverse("worksheets:certificate"))
    assert response.status_code == 302


def test_each_gets_only_their_own_certificate(client, event):
    mine, theirs = f.participant(event["workshop"], name="Ana Mine"), f.participant(event["workshop"], name="Bo Theirs")
    attend(mine, *event["sessions"])
    attend(theirs, *event["sessions"])
    Certificate.objects.create(participant=theirs)
    sign_in(client, mine)
    text = pdf_text(client.get(reverse("worksheets:certificate")).content)
    assert "Ana Mine" in text and "Bo Theirs" not in text
    facilitator = f.facilitator(event["workshop"])
    sign_in(client, facilitator)
    assert client.get(reverse("worksheets:certificate")).status_code == 404


def test_my_certificate_download_queries_do_not_grow(client, event):
    me = f.participant(event["workshop"])
    attend(me, *event["sessions"])
    sign_in(client, me)
    client.get(reverse("worksheets:certificate"))

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("worksheets:certificate")).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    for hour in (17, 19):
        session = f.session(event["workshop"], start_hour=hour, section=f.section(f"3.{hour}"))
        attend(me, session)
    for _ in range(5):
        attend(f.participant(event["workshop"]), *event["sessions"])
    assert count() == small


def test_a_long_list_of_sessions_goes_on_over_a_second_page_and_keeps_the_code(client, event):
    me = f.participant(event["workshop"])
    sessions = [*event["sessions"]] + [f.session(event["workshop"], start_hour=8, day=1) for _ in range(30)]
    attend(me, *sessions[2:])
    attend(me, *event["sessions"])
    sign_in(client, me)
    content = client.get(reverse("worksheets:certificate")).content
    pages = [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages]
    assert len(pages) == 2
    text = "\n".join(pages)
    assert all(session.title in text for session in sessions)
    certificate = Certificate.objects.get(participant=me)
    assert certificate.code_display in pages[1]
    assert pdf_qr_codes(content) == [f"http://testserver/certificates/{certificate.code}/"]
