"""The day's records in the page benchmark's world (issues 16 and 17): what the new pages show.

Attendance of every placed participant in every session (one in ten absent, some late), the
certificates that follows (rule: every session), anonymous evaluations from a third of the
participants and a knowledge check in the first session (`tests.worksheets.evaluation_data`,
rows in bulk), the plenary programme, a report-back summary per group of the first session, an
announcement to everyone and a proposed repair: one of each object the matrix's URLs name.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from tests.worksheets.evaluation_data import evaluation_grow
from worksheets.models import GroupSummary
from workshops.certificates import certificates_issue_all
from workshops.enums import AttendanceSource, AttendanceStatus, ProgrammeKind
from workshops.models import (
    Announcement,
    Attendance,
    Certificate,
    Participant,
    ProgrammeItem,
    RotationRepair,
    Workshop,
)


def day_records_make(*, workshop: Workshop, organiser) -> dict:
    """Everything above, in bulk; returns the objects the matrix's URLs name and the figures."""
    sessions = list(workshop.sessions.order_by("start", "pk"))
    people = list(Participant.objects.filter(workshop=workshop, group__isnull=False).order_by("pk"))
    statuses = [AttendanceStatus.PRESENT] * 7 + [AttendanceStatus.LATE, AttendanceStatus.LEFT_EARLY]
    marks = Attendance.objects.bulk_create(
        Attendance(
            session=session,
            participant=person,
            group_id=person.group_id,
            status=AttendanceStatus.ABSENT if (index + s_index) % 10 == 9 else statuses[index % len(statuses)],
            source=AttendanceSource.ROSTER,
            updated_by=organiser,
        )
        for s_index, session in enumerate(sessions)
        for index, person in enumerate(people)
    )
    certificates = certificates_issue_all(workshop=workshop)
    evaluation_grow(workshop=workshop, sessions=sessions, people=people[::3])
    zone = ZoneInfo(workshop.timezone)
    day = workshop.start_date
    items = ProgrammeItem.objects.bulk_create(
        ProgrammeItem(
            workshop=workshop,
            kind=kind,
            title_en=title,
            start=datetime.combine(day, time(hour, minute), tzinfo=zone),
            end=datetime.combine(day, time(hour, minute), tzinfo=zone) + timedelta(minutes=length),
        )
        for kind, title, hour, minute, length in [
            (ProgrammeKind.OPENING, "Opening", 9, 0, 30),
            (ProgrammeKind.BREAK, "Coffee", 10, 30, 30),
            (ProgrammeKind.MEAL, "Lunch", 13, 0, 60),
            (ProgrammeKind.REPORT_BACK, "Report-back", 17, 0, 45),
        ]
    )
    first = sessions[0]
    GroupSummary.objects.bulk_create(
        GroupSummary(session=first, group=group, text=f"What group {group.name} concluded.", revision=1)
        for group in workshop.groups.all()
    )
    announcement = Announcement.objects.create(
        workshop=workshop, message_en="Lunch is served on the terrace.", created_by=organiser
    )
    assignment = first.assignments.select_related("facilitator").order_by("pk").first()
    repair = RotationRepair.objects.create(
        workshop=workshop,
        facilitator=assignment.facilitator,
        frozen_at=first.start,
        changes=[[assignment.facilitator_id, first.pk, assignment.group_id, None]],
        state_fingerprint="-",
    )
    return {
        "objects": {
            "announcement": announcement,
            "programmeitem": items[0],
            "certificate": Certificate.objects.filter(participant__workshop=workshop).order_by("pk").first(),
            "repair": repair,
        },
        "figures": {"attendance": len(marks), "certificates": certificates},
    }
