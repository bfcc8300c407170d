"""The demo event's certificates (issue 16): the rule is "every session" (both), and those who qualify hold one.

`demo_certificates_attendance` is a stand-in, only for a branch without the attendance engineer's
demo attendance (`demo_attendance`): it marks nothing when the workshop has any attendance already,
and can be dropped at merge with its one call in `load_demo`.
"""

from django.db import transaction

from workshops.certificates import certificates_issue_all
from workshops.enums import AttendanceSource, AttendanceStatus, CertificateRule
from workshops.models import Attendance, BreakoutSession, Participant, Workshop

ABSENT_EVERY = 6  # one participant in six missed the afternoon session: they get no certificate


def demo_certificates_attendance(*, workshop: Workshop) -> int:
    """Stand-in attendance (to drop at merge): everyone present at both sessions, but one in six absent in the second."""
    if Attendance.objects.filter(session__workshop=workshop).exists():
        return 0
    sessions = list(BreakoutSession.objects.filter(workshop=workshop).order_by("start"))
    people = list(Participant.objects.filter(workshop=workshop, group__isnull=False).order_by("email"))
    marks = [
        Attendance(
            session=session,
            participant=person,
            group_id=person.group_id,
            status=AttendanceStatus.ABSENT
            if index % ABSENT_EVERY == ABSENT_EVERY - 1 and position == len(sessions) - 1
            else AttendanceStatus.PRESENT,
            source=AttendanceSource.ROSTER,
        )
        for position, session in enumerate(sessions)
        for index, person in enumerate(people)
    ]
    Attendance.objects.bulk_create(marks)
    return len(marks)


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
