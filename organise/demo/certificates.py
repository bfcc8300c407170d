"""The demo event's certificates (issue 16): the rule is "every session" (both), and those who qualify
hold one, after the demo's attendance (`organise.demo.attendance`)."""

from django.db import transaction

from workshops.certificates import certificates_issue_all
from workshops.enums import CertificateRule
from workshops.models import Workshop


@transaction.atomic
def demo_certificates_load(*, workshop: Workshop) -> int:
    """The 2005 rule (both sessions, no evaluation needed), and a certificate for each who qualifies. Idempotent."""
    Workshop.objects.filter(pk=workshop.pk).update(
        certificate_rule=CertificateRule.EVERY_SESSION,
        certificate_min_sessions=None,
        certificate_needs_evaluation=False,
    )
    workshop.refresh_from_db(fields=["certificate_rule", "certificate_min_sessions", "certificate_needs_evaluation"])
    return certificates_issue_all(workshop=workshop)
