"""Reading attendance (issue 16): who attended which session, in one query for a whole workshop.

Marking it (the facilitator's roster, self check-in, the organiser's corrections) writes through
the services that keep `AttendanceChange`; everything that counts attendance reads it here.
"""

from collections import defaultdict

from django.db.models import Count

from .enums import ATTENDED_STATUSES, AttendanceStatus
from .models import Attendance


def attended_sessions(workshop):
    """{participant id: {session ids they attended}} for a workshop (present, late or left early)."""
    attended = defaultdict(set)
    rows = Attendance.objects.filter(session__workshop=workshop, status__in=ATTENDED_STATUSES).values_list(
        "participant_id", "session_id"
    )
    for participant_id, session_id in rows:
        attended[participant_id].add(session_id)
    return dict(attended)


def participant_attended_sessions(participant):
    """The ids of the sessions one participant attended."""
    return set(
        Attendance.objects.filter(participant=participant, status__in=ATTENDED_STATUSES).values_list(
            "session_id", flat=True
        )
    )


def session_marks(*, session) -> dict:
    """{participant id: their Attendance} for one session (one query)."""
    return {mark.participant_id: mark for mark in Attendance.objects.filter(session=session)}


def attendance_counts(*, workshop) -> dict:
    """{(session id, group id at marking time): {status: count}} for a whole workshop (one query)."""
    counts = defaultdict(dict)
    rows = (
        Attendance.objects.filter(session__workshop=workshop)
        .values_list("session_id", "group_id", "status")
        .annotate(count=Count("pk"))
        .order_by()
    )
    for session_id, group_id, status, count in rows:
        counts[(session_id, group_id)][status] = count
    return dict(counts)


def attendance_cell(*, counts: dict, participants: int) -> dict:
    """One (session, group)'s figures: each status, and "not_recorded" (the group's size less the marks)."""
    cell = {status: counts.get(status, 0) for status in AttendanceStatus.values}
    cell["not_recorded"] = max(0, participants - sum(cell.values()))
    return cell
