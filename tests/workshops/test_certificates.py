"""Who qualifies for a certificate under the workshop's rule (and why not, in words), issuing, codes, and the public check."""

import math
import re
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from tests import factories as f
from worksheets.models import EvaluationSubmission
from workshops.certificates import (
    certificate_issue,
    certificate_revoke,
    certificate_standing,
    certificate_standings,
    certificates_issue_all,
)
from workshops.enums import AttendanceSource, AttendanceStatus, CertificateRule
from workshops.models import Attendance, Certificate
from workshops.models.certificates import certificate_code_new
from workshops.views_certificates import VERIFY_FAILURES_LIMIT

pytestmark = pytest.mark.django_db


def attend(person, session, status=AttendanceStatus.PRESENT):
    return Attendance.objects.create(
        session=session, participant=person, group=person.group, status=status, source=AttendanceSource.ROSTER
    )


@pytest.fixture
def event():
    workshop = f.workshop(title="Developing Capacity to Manage Migration", venue="Geneva")
    morning = f.session(workshop, start_hour=11, title="Migration and Labour", section=f.section("2.6"))
    afternoon = f.session(workshop, start_hour=15, title="Counter-Trafficking")
    return {"workshop": workshop, "sessions": [morning, afternoon]}


def test_every_session_rule_needs_both_and_says_so(event):
    morning, afternoon = event["sessions"]
    both, one, none = (f.participant(event["workshop"]) for _ in range(3))
    attend(both, morning)
    attend(both, afternoon, AttendanceStatus.LATE)  # late counts as attended
    attend(one, morning, AttendanceStatus.LEFT_EARLY)
    attend(one, afternoon, AttendanceStatus.ABSENT)  # absent does not
    assert certificate_standing(participant=both).reasons == []
    assert certificate_standing(participant=one).reasons == ["You attended 1 of 2 sessions; a certificate needs both."]
    assert certificate_standing(participant=none).reasons == ["You attended 0 of 2 sessions; a certificate needs both."]


def test_every_session_rule_with_three_sessions(event):
    f.session(event["workshop"], start_hour=17)
    person = f.participant(event["workshop"])
    attend(person, event["sessions"][0])
    assert certificate_standing(participant=person).reasons == [
        "You attended 1 of 3 sessions; a certificate needs all of them."
    ]


def test_at_least_rule_counts_sessions(event):
    workshop = event["workshop"]
    workshop.certificate_rule, workshop.certificate_min_sessions = CertificateRule.AT_LEAST, 1
    workshop.save()
    one, none = f.participant(workshop), f.participant(workshop)
    attend(one, event["sessions"][1])
    assert certificate_standing(participant=one).qualifies
    assert certificate_standing(participant=none).reasons == [
        "You attended 0 of 2 sessions; a certificate needs at least 1."
    ]


def test_evaluation_required_only_when_the_rule_says(event):
    workshop = event["workshop"]
    person = f.participant(workshop)
    for session in event["sessions"]:
        attend(person, session)
    # A session's evaluation is not the workshop's.
    EvaluationSubmission.objects.create(participant=person, session=event["sessions"][0])
    assert certificate_standing(participant=person).qualifies
    workshop.certificate_needs_evaluation = True
    workshop.save()
    person.refresh_from_db()
    assert certificate_standing(participant=person).reasons == ["Submit the workshop’s evaluation first."]
    EvaluationSubmission.objects.create(participant=person, session=None)
    assert certificate_standing(participant=person).qualifies


def test_both_reasons_are_given_together(event):
    workshop = event["workshop"]
    workshop.certificate_needs_evaluation = True
    workshop.save()
    person = f.participant(workshop)
    assert certificate_standing(participant=person).reasons == [
        "You attended 0 of 2 sessions; a certificate needs both.",
        "Submit the workshop’s evaluation first.",
    ]


def test_reasons_in_spanish_and_french(event):
    person = f.participant(event["workshop"])
    attend(person, event["sessions"][0])
    with translation.override("es"):
        assert certificate_standing(participant=person).reasons == [
            "Asistió a 1 de 2 sesiones; el certificado requiere ambas."
        ]
    with translation.override("fr"):
        assert certificate_standing(participant=person).reasons == [
            "Vous avez participé à 1 session sur 2\u00a0; le certificat exige les deux."
        ]


def test_attendance_in_another_workshop_does_not_count(event):
    person = f.participant(event["workshop"])
    attend(person, event["sessions"][0])
    other = f.session(f.workshop())
    Attendance.objects.create(session=other, participant=person, status="present", source="roster")
    standings = {s.participant.pk: s for s in certificate_standings(workshop=event["workshop"])}
    assert len(standings[person.pk].attended) == 1


def test_standings_of_a_workshop_in_constant_queries(event):
    workshop = event["workshop"]

    def count():
        with CaptureQueriesContext(connection) as ctx:
            standings = certificate_standings(workshop=workshop)
        return len(ctx.captured_queries), standings

    person = f.participant(workshop)
    attend(person, event["sessions"][0])
    small, _ = count()
    for _ in range(8):
        other = f.participant(workshop)
        for session in event["sessions"]:
            attend(other, session)
        EvaluationSubmission.objects.create(participant=other, session=None)
        certificate_issue(participant=other)
    large, standings = count()
    assert small == large
    assert sum(1 for s in standings if s.qualifies) == 8


def test_issue_is_idempotent_and_only_for_those_who_qualify(event):
    workshop = event["workshop"]
    yes, no = f.participant(workshop, preferred_language="fr"), f.participant(workshop)
    for session in event["sessions"]:
        attend(yes, session)
    assert certificate_issue(participant=no) is None
    first = certificate_issue(participant=yes)
    assert certificate_issue(participant=yes) == first
    assert first.language == "fr"
    assert certificates_issue_all(workshop=workshop) == 0
    assert list(Certificate.objects.all()) == [first]


def test_issue_all_issues_the_due_ones_once_and_keeps_revoked_ones_revoked(event, organiser):
    workshop = event["workshop"]
    people = [f.participant(workshop) for _ in range(3)]
    for person in people[:2]:
        for session in event["sessions"]:
            attend(person, session)
    revoked = certificate_revoke(certificate=certificate_issue(participant=people[0]), user=organiser, reason="x")
    assert certificates_issue_all(workshop=workshop) == 1
    assert certificates_issue_all(workshop=workshop) == 0
    assert sorted(Certificate.objects.values_list("participant_id", flat=True)) == sorted(p.pk for p in people[:2])
    revoked.refresh_from_db()
    assert revoked.revoked
    assert not certificate_standing(participant=people[0]).downloadable


def test_codes_are_160_random_bits_and_shown_in_groups():
    codes = [certificate_code_new() for _ in range(2000)]
    assert len(set(codes)) == len(codes)
    assert all(re.fullmatch(r"[A-Z2-7]{32}", code) for code in codes)
    assert 32 * math.log2(32) >= 128  # 32 base-32 characters: 160 bits
    # Every character is used about equally in every position: no structure to enumerate.
    first = Counter(code[0] for code in codes)
    assert len(first) == 32 and max(first.values()) < 2000 / 32 * 2
    certificate = Certificate(code="ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    assert certificate.code_display == "ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-4567"


# -- the public verification page --


@pytest.fixture
def certificate(event):
    person = f.participant(
        event["workshop"], name="Amadou Diallo", email="amadou@example.org", organisation="Ministère de l'Intérieur"
    )
    return Certificate.objects.create(participant=person)


def verify(client, code, language=""):
    prefix = f"/{language}" if language else ""
    return client.get(f"{prefix}/certificates/{code}/")


def test_verification_page_confirms_name_workshop_dates_and_nothing_else(client, certificate):
    response = verify(client, certificate.code)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Valid" in html
    fields = dict(re.findall(r'data-field="(\w+)">([^<]*)<', html))
    assert fields == {
        "name": "Amadou Diallo",
        "workshop": "Developing Capacity to Manage Migration",
        "dates": "Friday 27 September 2030 to Saturday 28 September 2030",
    }
    for private in ("amadou@example.org", "Ministère", "Mexico", "Migration and Labour"):
        assert private not in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_verification_page_reads_the_code_as_printed(client, certificate):
    assert verify(client, certificate.code_display.lower()).status_code == 200


def test_verification_page_of_a_revoked_code_says_revoked_and_when(client, certificate, organiser):
    certificate_revoke(certificate=certificate, user=organiser, reason="Never attended: a mistake")
    response = verify(client, certificate.code)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Revoked" in html and "Amadou" not in html and "mistake" not in html
    when = timezone.localtime(certificate.revoked_at, timezone=ZoneInfo("Europe/Zurich"))
    assert f"{when.day} {when:%B %Y}" in html


def test_verification_page_of_an_unknown_code_is_404_and_says_unknown(client, certificate):
    response = verify(client, certificate_code_new())
    assert response.status_code == 404
    html = response.content.decode()
    assert "Unknown code" in html and "Amadou" not in html


def test_verification_page_in_spanish_and_french(client, certificate):
    assert "Válido" in verify(client, certificate.code, "es").content.decode()
    assert "viernes, 27 de septiembre de 2030" in verify(client, certificate.code, "es").content.decode()
    assert "Valide" in verify(client, certificate.code, "fr").content.decode()
    assert "Code inconnu" in verify(client, certificate_code_new(), "fr").content.decode()


def test_verification_is_rate_limited_against_enumeration(client, certificate):
    for _ in range(VERIFY_FAILURES_LIMIT):
        assert verify(client, certificate_code_new()).status_code == 404
    # Past the limit, a known code gets the same refusal: trying codes tells nothing more.
    assert verify(client, certificate_code_new()).status_code == 429
    response = verify(client, certificate.code)
    assert response.status_code == 429
    assert "Amadou" not in response.content.decode()


def test_verification_limit_is_per_client(client, certificate):
    for _ in range(VERIFY_FAILURES_LIMIT + 1):
        verify(client, certificate_code_new())
    other = client.get(certificate.get_absolute_url(), REMOTE_ADDR="198.51.100.7")
    assert other.status_code == 200


def test_valid_lookups_do_not_count_towards_the_limit(client, certificate):
    for _ in range(VERIFY_FAILURES_LIMIT + 5):
        assert verify(client, certificate.code).status_code == 200
