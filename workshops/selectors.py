"""Reusable read queries, with the joins and prefetches the pages and services need."""

import zoneinfo
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from .models import Assignment, BreakoutSession, Facilitator, Group, Invitation, Participant, Room, Workshop
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
    # Plain values, not model instances: at 3,000 participants building instances was most of the load.
    participants = [
        ParticipantSpec(
            id=pk,
            name=name,
            languages=frozenset(languages or ()),
            group_id=group_id,
            country=country or "",
            region=region,
            organisation=organisation,
            gender=gender,
            locked=locked,
        )
        for pk, name, languages, group_id, country, region, organisation, gender, locked in Participant.objects.filter(
            workshop=workshop
        ).values_list(
            "pk", "name", "languages", "group_id", "country", "region", "organisation", "gender", "group_locked"
        )
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


class WorkshopState:
    """Where a workshop stands, for its organisers' list (in the order an event goes through them)."""

    SETTING_UP = "setting_up"
    INVITED = "invited"
    RUNNING = "running"
    HELD = "held"

    LABELS = {
        SETTING_UP: _("Being set up"),
        INVITED: _("Invited"),
        RUNNING: _("Running"),
        HELD: _("Held"),
    }


def workshop_list_organised(*, user, now) -> list[dict]:
    """The workshops `user` organises, newest first, each with its state (one query).

    "Running" and "held" are read on the workshop's own calendar (its time zone), not the server's:
    late on the last day in Santiago it is already tomorrow in Zurich. "Invited": someone was sent
    their personal link; otherwise the workshop is still being set up.
    """
    sent = Invitation.objects.filter(workshop=OuterRef("pk"), status=Invitation.Status.SENT)
    workshops = (
        Workshop.objects.organised_by(user)
        .annotate(invited=Exists(sent), participant_count=Count("participants", distinct=True))
        .order_by("-start_date", "title")
    )
    rows = []
    for workshop in workshops:
        today = now.astimezone(zoneinfo.ZoneInfo(workshop.timezone)).date()
        if today > workshop.end_date:
            state = WorkshopState.HELD
        elif today >= workshop.start_date:
            state = WorkshopState.RUNNING
        elif workshop.invited:
            state = WorkshopState.INVITED
        else:
            state = WorkshopState.SETTING_UP
        rows.append({"workshop": workshop, "state": state, "state_label": WorkshopState.LABELS[state]})
    return rows
