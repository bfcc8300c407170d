"""The organiser's certificates page: the rule, who qualifies and why not, issuing, one PDF of all, revoking."""

import io

import pypdf
import pytest
from django.urls import reverse

from organise.erasure import participant_erase
from tests import factories as f
from workshops.enums import AttendanceSource, AttendanceStatus, CertificateRule
from workshops.models import Attendance, Certificate, Job

pytestmark = pytest.mark.django_db


def attend(person, *sessions):
    for session in sessions:
        Attendance.objects.create(
            session=session, participant=person, status=AttendanceStatus.PRESENT, source=AttendanceSource.ROSTER
        )


@pytest.fixture
def event(organiser):
    workshop = f.workshop(organisers=[organiser], title="Developing Capacity to Manage Migration")
    sessions = [f.session(workshop, start_hour=11), f.session(workshop, start_hour=15)]
    both = f.participant(workshop, name="Ana Both", preferred_language="es")
    one = f.participant(workshop, name="Bo One")
    attend(both, *sessions)
    attend(one, sessions[0])
    return {"workshop": workshop, "sessions": sessions, "both": both, "one": one}


def url(event, name, **kwargs):
    return reverse(f"organise:{name}", kwargs={"slug": event["workshop"].slug, **kwargs})


def test_page_lists_who_qualifies_and_who_does_not(client, organiser, event):
    client.force_login(organiser)
    html = client.get(url(event, "certificates")).content.decode()
    both = html.split(f'data-participant="{event["both"].pk}"')[1].split("</tr>")[0]
    one = html.split(f'data-participant="{event["one"].pk}"')[1].split("</tr>")[0]
    assert "2 of 2" in both and "Qualifies" in both
    assert "1 of 2" in one and "needs 2" in one and "Does not qualify yet" in one
    assert "1 qualify · 0 issued · 0 revoked · 1 to issue." in html


def test_rule_is_set_from_the_page_and_incomplete_rules_are_refused(client, organiser, event):
    client.force_login(organiser)
    refused = client.post(url(event, "certificates"), {"certificate_rule": CertificateRule.AT_LEAST})
    assert refused.status_code == 400
    assert "Say how many sessions a certificate needs." in refused.content.decode()
    saved = client.post(
        url(event, "certificates"),
        {
            "certificate_rule": CertificateRule.AT_LEAST,
            "certificate_min_sessions": 1,
            "certificate_needs_evaluation": "",
        },
    )
    assert saved.status_code == 302
    event["workshop"].refresh_from_db()
    assert (event["workshop"].certificate_rule, event["workshop"].certificate_min_sessions) == ("at_least", 1)
    html = client.get(url(event, "certificates")).content.decode()
    assert "2 qualify" in html


def test_issue_all_is_idempotent(client, organiser, event):
    client.force_login(organiser)
    client.post(url(event, "certificates_issue"))
    client.post(url(event, "certificates_issue"))
    assert list(Certificate.objects.values_list("participant__name", flat=True)) == ["Ana Both"]


def test_all_certificates_as_one_pdf_each_in_its_language(client, organiser, event, django_capture_on_commit_callbacks):
    third = f.participant(event["workshop"], name="Chloé Trois", preferred_language="fr")
    attend(third, *event["sessions"])
    client.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(event, "certificates_pdf"))
    job = Job.objects.get()
    assert response["Location"] == url(event, "job", job_id=job.pk)
    job.refresh_from_db()
    assert (job.kind, job.state, job.total) == (Job.Kind.CERTIFICATES, Job.State.DONE, 2)
    pdf = client.get(url(event, "job_download", job_id=job.pk)).content
    pages = [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]
    assert len(pages) == 2
    assert "Ana Both" in pages[0] and "Certificado de participación" in pages[0]
    assert "Chloé Trois" in pages[1] and "Certificat de participation" in pages[1]
    assert "Bo One" not in "".join(pages)


def test_revoke_asks_for_confirmation_and_a_reason(client, organiser, event):
    certificate = Certificate.objects.create(participant=event["both"])
    client.force_login(organiser)
    address = url(event, "certificate_revoke", certificate_id=certificate.pk)
    confirm = client.get(address)
    assert confirm.status_code == 200
    assert "Revoke Ana Both’s certificate?" in confirm.content.decode()
    certificate.refresh_from_db()
    assert not certificate.revoked  # the GET only asks
    assert client.post(address, {"reason": ""}).status_code == 400
    certificate.refresh_from_db()
    assert not certificate.revoked
    assert client.post(address, {"reason": "Signed in for someone else"}).status_code == 302
    certificate.refresh_from_db()
    assert (certificate.revoked, certificate.revoked_by, certificate.revoke_reason) == (
        True,
        organiser,
        "Signed in for someone else",
    )
    html = client.get(url(event, "certificates")).content.decode()
    assert "Revoked" in html and "Signed in for someone else" in html
    assert client.get(certificate.get_absolute_url()).content.decode().count("Revoked") >= 1


def test_another_teams_certificate_cannot_be_revoked(client, organiser, event):
    theirs = Certificate.objects.create(participant=f.participant(f.workshop()))
    client.force_login(organiser)
    address = url(event, "certificate_revoke", certificate_id=theirs.pk)
    assert client.get(address).status_code == 404
    assert client.post(address, {"reason": "x"}).status_code == 404
    theirs.refresh_from_db()
    assert not theirs.revoked


def test_page_in_french(client, organiser, event):
    client.force_login(organiser)
    html = client.get("/fr" + url(event, "certificates")).content.decode()
    assert "Certificats de participation" in html and "Remplit la règle" in html


def test_erasing_a_participant_removes_their_certificate(client, event):
    """The certificate names them: after an erasure its code is unknown, not a page naming "Erased participant"."""
    certificate = Certificate.objects.create(participant=event["both"])
    participant_erase(participant=event["both"])
    assert not Certificate.objects.filter(pk=certificate.pk).exists()
    assert client.get(certificate.get_absolute_url()).status_code == 404
