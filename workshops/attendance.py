"""Reading attendance (issue 16): who attended which session, in one query for a whole workshop.

Marking it (the facilitator's roster, self check-in, the organiser's corrections) writes through
the services that keep `AttendanceChange`; everything that counts attendance reads it here.
"""

from collections import defaultdict

from .enums import ATTENDED_STATUSES
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
