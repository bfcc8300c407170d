"""A workshop's schedule as JSON-ready data (a selector: it reads models, in a fixed number of queries).

The schema is documented in the README ("Scheduling from the command line"); datetimes are ISO 8601
in the workshop's time zone, with their offset.
"""

from collections import defaultdict
from zoneinfo import ZoneInfo

from .models import Assignment, BreakoutSession, Facilitator, Group, Participant, Room, Workshop


def schedule_export(*, workshop: Workshop) -> dict:
    """Everything the solver and outside tools need, with database ids, in 8 queries whatever the size."""
    tz = ZoneInfo(workshop.timezone)

    def moment(value) -> str:
        return value.astimezone(tz).isoformat()

    rooms = Room.objects.filter(workshop=workshop).select_related("language_mode").order_by("pk")
    groups = Group.objects.filter(workshop=workshop).order_by("pk")
    participants = (
        Participant.objects.filter(workshop=workshop)
        .only("id", "name", "languages", "country", "region", "organisation", "gender", "group_id")
        .order_by("pk")
    )
    facilitators = (
        Facilitator.objects.filter(workshop=workshop)
        .only("id", "name", "languages")
        .prefetch_related("availability", "expertise")
        .order_by("pk")
    )
    sessions = BreakoutSession.objects.filter(workshop=workshop).select_related("section").order_by("start", "pk")
    assignments = (
        Assignment.objects.filter(session__workshop=workshop)
        .values_list("session_id", "group_id", "facilitator_id")
        .order_by("session_id", "group_id", "facilitator_id")
    )

    participant_rows = []
    members = defaultdict(list)
    for p in participants:
        members[p.group_id].append(p.id)
        participant_rows.append(
            {
                "id": p.id,
                "name": p.name,
                "languages": list(p.languages),
                "country": str(p.country),
                "region": p.region,
                "organisation": p.organisation,
                "gender": p.gender,
                "group": p.group_id,
            }
        )
    group_list = list(groups)
    team = defaultdict(list)
    for session_id, group_id, facilitator_id in assignments:
        team[(session_id, group_id)].append(facilitator_id)

    return {
        "workshop": {
            "slug": workshop.slug,
            "title": workshop.title,
            "start_date": workshop.start_date.isoformat(),
            "end_date": workshop.end_date.isoformat(),
            "timezone": workshop.timezone,
        },
        "rooms": [
            {
                "id": r.id,
                "name": r.name,
                "capacity": r.capacity,
                "languages": list(r.language_mode.languages),
                "interpretation": r.language_mode.interpretation,
            }
            for r in rooms
        ],
        "groups": [{"id": g.id, "name": g.name, "room": g.room_id, "participants": members[g.id]} for g in group_list],
        "participants": participant_rows,
        "facilitators": [
            {
                "id": f.id,
                "name": f.name,
                "languages": list(f.languages),
                "expertise": [s.number for s in f.expertise.all()],  # in curriculum order
                "availability": [[moment(a.start), moment(a.end)] for a in f.availability.all()],
            }
            for f in facilitators
        ],
        "sessions": [
            {
                "id": s.id,
                "title": s.title,
                "start": moment(s.start),
                "end": moment(s.end),
                "section": s.section.number if s.section else None,
                "required": s.facilitators_required,
                "groups": [{"group": g.id, "facilitators": team[(s.id, g.id)]} for g in group_list],
            }
            for s in sessions
        ],
    }
