"""Reusable read queries, with the joins and prefetches the pages and services need."""

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count, QuerySet

from .models import Assignment, BreakoutSession, Facilitator, Group, Participant, Room, Workshop
from .scheduling.data import (
    AssignmentSpec,
    FacilitatorSpec,
    GroupSpec,
    ParticipantSpec,
    RoomSpec,
    Schedule,
    SessionSpec,
)


def facilitators_by_cell(*, assignments: Iterable[Assignment]) -> defaultdict[tuple[int, int], list[Assignment]]:
    """Who facilitates each group in each session: these assignments keyed by (session id, group id).

    Given a queryset, it is read here in one query, with each facilitator, in facilitator name
    order; given assignments already read (with their facilitator), they keep their order and no
    query is made. A cell nobody facilitates reads as an empty list.
    """
    if isinstance(assignments, QuerySet):
        assignments = assignments.select_related("facilitator").order_by("facilitator__name", "facilitator__pk")
    cells = defaultdict(list)
    for assignment in assignments:
        cells[(assignment.session_id, assignment.group_id)].append(assignment)
    return cells


def workshop_list_upcoming(*, today) -> QuerySet[Workshop]:
    return (
        Workshop.objects.published()
        .filter(end_date__gte=today)
        .annotate(session_count=Count("sessions", distinct=True), group_count=Count("groups", distinct=True))
        .order_by("start_date", "title")
    )


def workshop_list_past(*, today) -> QuerySet[Workshop]:
    return (
        Workshop.objects.published()
        .filter(end_date__lt=today)
        .annotate(session_count=Count("sessions", distinct=True), group_count=Count("groups", distinct=True))
        .order_by("-start_date", "title")
    )


def workshop_programme(*, workshop: Workshop) -> dict:
    """Sessions (with their section) and rooms (with language mode, group and group size)."""
    sessions = BreakoutSession.objects.filter(workshop=workshop).select_related("section").order_by("start")
    rooms = (
        Room.objects.filter(workshop=workshop)
        .select_related("language_mode", "group")
        .annotate(participant_count=Count("group__participants"))
        .order_by("name")
    )
    return {"sessions": list(sessions), "rooms": list(rooms)}


def schedule_load(*, workshop: Workshop) -> Schedule:
    """The workshop as plain data for the checker and the solver, in a fixed number of queries."""
    rooms = [
        RoomSpec(id=r.id, name=r.name, capacity=r.capacity, languages=frozenset(r.language_mode.languages))
        for r in Room.objects.filter(workshop=workshop).select_related("language_mode")
    ]
    groups = [GroupSpec(id=g.id, name=g.name, room_id=g.room_id) for g in Group.objects.filter(workshop=workshop)]
    participants = [
        ParticipantSpec(
            id=p.id,
            name=p.name,
            languages=frozenset(p.languages),
            group_id=p.group_id,
            country=str(p.country),
            region=p.region,
            organisation=p.organisation,
            gender=p.gender,
            locked=p.group_locked,
        )
        for p in Participant.objects.filter(workshop=workshop)
    ]
    facilitators = [
        FacilitatorSpec(
            id=f.id,
            name=f.name,
            languages=frozenset(f.languages),
            availability=tuple((a.start, a.end) for a in f.availability.all()),
            expertise=frozenset(s.number for s in f.expertise.all()),
        )
        for f in Facilitator.objects.filter(workshop=workshop).prefetch_related("availability", "expertise")
    ]
    sessions = [
        SessionSpec(
            id=s.id,
            title=s.title,
            start=s.start,
            end=s.end,
            required=s.facilitators_required,
            section=s.section.number if s.section else None,
        )
        for s in BreakoutSession.objects.filter(workshop=workshop).select_related("section")
    ]
    assignments = [
        AssignmentSpec(facilitator_id=a.facilitator_id, session_id=a.session_id, group_id=a.group_id, locked=a.locked)
        for a in Assignment.objects.filter(session__workshop=workshop).order_by("pk")
    ]
    return Schedule(
        rooms=rooms,
        groups=groups,
        participants=participants,
        facilitators=facilitators,
        sessions=sessions,
        assignments=assignments,
    )
