"""Attendance for the demo event (issue 16): most present, a few late or left early, some absent.

Deterministic by the participants' e-mail order, created once (a workshop with marks is left
alone). The first two participants missed both sessions: the certificates have someone to refuse.
"""

from django.db import transaction

from workshops.enums import AttendanceSource, AttendanceStatus
from workshops.models import Attendance, AttendanceChange, Workshop


def _status(index: int, session_number: int) -> str:
    if index < 2:
        return AttendanceStatus.ABSENT  # missed the whole workshop
    if session_number == 0:
        if index % 9 == 3:
            return AttendanceStatus.ABSENT
        if index % 7 == 2:
            return AttendanceStatus.LATE
    else:
        if index % 11 == 5:
            return AttendanceStatus.ABSENT
        if index % 13 == 4:
            return AttendanceStatus.LEFT_EARLY
    return AttendanceStatus.PRESENT


@transaction.atomic
def demo_attendance(*, workshop: Workshop) -> int:
    """Mark every placed participant in every session, as the facilitators' rosters would; returns how many marks."""
    if Attendance.objects.filter(session__workshop=workshop).exists():
        return 0
    sessions = list(workshop.sessions.order_by("start", "pk"))
    participants = list(workshop.participants.filter(group__isnull=False).order_by("email"))
    marks = Attendance.objects.bulk_create(
        Attendance(
            session=session,
            participant=participant,
            group_id=participant.group_id,
            status=_status(index, number),
            source=AttendanceSource.ROSTER,
            updated_at=session.start,
        )
        for number, session in enumerate(sessions)
        for index, participant in enumerate(participants)
    )
    AttendanceChange.objects.bulk_create(
        AttendanceChange(attendance=mark, before="", after=mark.status, source=mark.source, changed_at=mark.updated_at)
        for mark in marks
    )
    return len(marks)
