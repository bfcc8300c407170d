"""The organiser's board: rooms × sessions, with groups, language modes, facilitators and problems."""

from collections import defaultdict

from django.db.models import Count

from .models import Assignment, BreakoutSession, Facilitator, Participant, Room, ScheduleRun, Workshop
from .selectors import facilitators_by_cell
from .services import workshop_check


def board_load(*, workshop: Workshop) -> dict:
    """Everything the board shows, in a fixed number of queries."""
    sessions = list(BreakoutSession.objects.filter(workshop=workshop).select_related("section").order_by("start"))
    rooms = list(
        Room.objects.filter(workshop=workshop)
        .select_related("language_mode", "group")
        .annotate(size=Count("group__participants"))
        .order_by("name")
    )
    by_cell = facilitators_by_cell(assignments=Assignment.objects.filter(session__workshop=workshop))
    problems = workshop_check(workshop=workshop)
    problems_by_cell = defaultdict(list)
    general = []
    for problem in problems:
        if problem.group_id and problem.session_id:
            problems_by_cell[(problem.session_id, problem.group_id)].append(problem)
        elif problem.group_id:
            for session in sessions:
                problems_by_cell[(session.pk, problem.group_id)].append(problem)
        else:
            general.append(problem)
    participants = list(
        Participant.objects.filter(workshop=workshop)
        .only("pk", "workshop_id", "name", "email", "group_id", "group_locked")
        .order_by("name", "pk")
    )
    members = defaultdict(list)
    for participant in participants:
        members[participant.group_id].append(participant)
    rows = []
    for room in rooms:
        group = getattr(room, "group", None)  # a room may have no group yet
        cells = []
        for session in sessions:
            key = (session.pk, group.pk) if group else None
            assignments = by_cell.get(key, []) if key else []
            cells.append(
                {
                    "session": session,
                    "assignments": assignments,
                    "problems": problems_by_cell.get(key, []) if key else [],
                    "short": bool(group) and len(assignments) < session.facilitators_required,
                }
            )
        rows.append({"room": room, "group": group, "cells": cells, "members": members[group.pk] if group else []})
    # Each facilitator's places (session, group, kept), in session order: what their picker label says.
    group_names = {row["group"].pk: row["group"].name for row in rows if row["group"]}
    assignments_of = defaultdict(list)
    for session in sessions:
        for (session_id, group_id), assignments in by_cell.items():
            if session_id == session.pk:
                for a in assignments:
                    assignments_of[a.facilitator_id].append((session.title, group_names.get(group_id, "—"), a.locked))
    return {
        "sessions": sessions,
        "rows": rows,
        "problems": problems,
        "general_problems": general,
        "participants": participants,
        "unplaced": members[None],
        "group_places": {row["group"].pk: (row["group"].name, row["room"].name) for row in rows if row["group"]},
        "assignments_of": assignments_of,
        "facilitators": list(Facilitator.objects.filter(workshop=workshop).order_by("name")),
        "groups": [row["group"] for row in rows if row["group"]],
        "runs": list(ScheduleRun.objects.filter(workshop=workshop).order_by("-created_at")[:5]),
    }
