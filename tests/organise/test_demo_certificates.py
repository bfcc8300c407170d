"""The 2005 demo event: the rule is "both sessions", and those who attended both hold a certificate."""

from io import StringIO

import pytest
from django.core.management import call_command

from workshops.attendance import attended_sessions
from workshops.certificates import certificate_standings
from workshops.models import Certificate, Workshop

pytestmark = pytest.mark.django_db


def test_demo_certificates_for_those_who_attended_both_sessions():
    call_command("load_demo", stdout=StringIO())
    workshop = Workshop.objects.get(slug="idm-2005-capacity")
    assert (workshop.certificate_rule, workshop.certificate_needs_evaluation) == ("every_session", False)
    attended = attended_sessions(workshop)
    both = {person for person, sessions in attended.items() if len(sessions) == 2}
    holders = set(Certificate.objects.filter(participant__workshop=workshop).values_list("participant_id", flat=True))
    assert holders == both
    assert 0 < len(both) < workshop.participants.count()  # some missed a session: told why, no certificate
    missed = [s for s in certificate_standings(workshop=workshop) if not s.qualifies]
    assert missed[0].reasons == ["You attended 1 of 2 sessions; a certificate needs both."]
    codes = list(Certificate.objects.values_list("code", flat=True))
    call_command("load_demo", stdout=StringIO())  # a second run issues none again
    assert list(Certificate.objects.values_list("code", flat=True)) == codes
