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
    rows = []
    for room in rooms:
        group = getattr(room, "group", None)  # a room may have no group yet
        cells = []
        for session in sessions:
            key = (session.pk, group.pk) if group else None
            cells.append(
                {
                    "session": session,
                    "assignments": by_cell.get(key, []) if key else [],
                    "problems": problems_by_cell.get(key, []) if key else [],
                }
            )
        rows.append({"room": room, "group": group, "cells": cells})
    return {
        "sessions": sessions,
        "rows": rows,
        "problems": problems,
        "general_problems": general,
        "participants": list(Participant.objects.filter(workshop=workshop).select_related("group").order_by("name")),
        "facilitators": list(Facilitator.objects.filter(workshop=workshop).order_by("name")),
        "groups": [row["group"] for row in rows if row["group"]],
        "runs": list(ScheduleRun.objects.filter(workshop=workshop).order_by("-created_at")[:5]),
    }
