"""The organiser's live progress: per session and group, worksheets not started / in progress / submitted."""

from django.contrib.admin.views.decorators import staff_member_required
from django.db.models import Count, Q
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone

from workshops.models import BreakoutSession, Facilitator, Group, Participant
from workshops.permissions import workshop_organised_or_404

from .enums import WorksheetStatus
from .models import Worksheet


def _cell(*, participants: int, in_progress: int, submitted: int) -> dict:
    return {
        "participants": participants,
        # Not started: no worksheet yet (a worksheet exists from its first opening or save).
        "not_started": max(0, participants - in_progress - submitted),
        "in_progress": in_progress,
        "submitted": submitted,
    }


def cell_key(session_id: int, group_id: int | None) -> str:
    return f"{session_id}:{group_id if group_id is not None else 'none'}"


def dashboard_progress(*, workshop) -> dict:
    """Worksheet progress of every (session, group), session totals, and who has not opened their link.

    Five queries whatever the size: sessions, groups, group sizes, worksheet counts, facilitators.
    Participants not in a group get their own row when there are any.
    """
    sessions = list(BreakoutSession.objects.filter(workshop=workshop).select_related("section").order_by("start", "pk"))
    groups = list(Group.objects.filter(workshop=workshop).select_related("room").order_by("name", "pk"))
    sizes, unopened_participants = {}, 0
    for row in (
        Participant.objects.filter(workshop=workshop)
        .values("group")
        .annotate(size=Count("pk"), unopened=Count("pk", filter=Q(link_opened_at__isnull=True)))
        .order_by()
    ):
        sizes[row["group"]] = row["size"]
        unopened_participants += row["unopened"]
    worksheets = {
        (row["session"], row["participant__group"]): row
        for row in Worksheet.objects.filter(session__workshop=workshop, participant__workshop=workshop)
        .values("session", "participant__group")
        .annotate(
            in_progress=Count("pk", filter=Q(status=WorksheetStatus.DRAFT)),
            submitted=Count("pk", filter=Q(status=WorksheetStatus.SUBMITTED)),
        )
        .order_by()
    }
    unopened_facilitators = Facilitator.objects.filter(workshop=workshop, link_opened_at__isnull=True).count()

    rows = [(group.pk, group) for group in groups]
    if sizes.get(None) or any(group_id is None for _session, group_id in worksheets):
        rows.append((None, None))  # participants not (yet) in a group
    result_sessions = []
    for session in sessions:
        cells = []
        for group_id, group in rows:
            counts = worksheets.get((session.pk, group_id), {})
            cell = _cell(
                participants=sizes.get(group_id, 0),
                in_progress=counts.get("in_progress", 0),
                submitted=counts.get("submitted", 0),
            )
            cells.append({"key": cell_key(session.pk, group_id), "group": group, **cell})
        totals = _cell(
            participants=sum(c["participants"] for c in cells),
            in_progress=sum(c["in_progress"] for c in cells),
            submitted=sum(c["submitted"] for c in cells),
        )
        result_sessions.append({"session": session, "cells": cells, "totals": totals})
    return {
        "sessions": result_sessions,
        "unopened": {
            "participants": unopened_participants,
            "facilitators": unopened_facilitators,
            "total": unopened_participants + unopened_facilitators,
        },
    }


def _as_json(progress: dict) -> dict:
    counts = ("participants", "not_started", "in_progress", "submitted")
    return {
        "cells": {
            cell["key"]: {name: cell[name] for name in counts}
            for entry in progress["sessions"]
            for cell in entry["cells"]
        },
        "totals": {str(entry["session"].pk): entry["totals"] for entry in progress["sessions"]},
        "unopened": progress["unopened"],
        "updated_at": timezone.now().replace(microsecond=0).isoformat(),  # <time datetime> takes no microseconds
    }


@staff_member_required
def dashboard(request, slug):
    workshop = workshop_organised_or_404(request, slug)
    return render(
        request,
        "worksheets/dashboard/index.html",
        {"workshop": workshop, "now": timezone.now().replace(microsecond=0), **dashboard_progress(workshop=workshop)},
    )


@staff_member_required
def dashboard_status(request, slug):
    """The same counts as the page, polled by it every few seconds."""
    workshop = workshop_organised_or_404(request, slug)
    return JsonResponse(_as_json(dashboard_progress(workshop=workshop)))
