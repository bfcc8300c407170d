"""The organiser's live progress: per session and group, worksheets not started / in progress / submitted."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone

from worksheets.selectors import dashboard_progress
from workshops.attendance import attendance_cell, attendance_counts

from ..decorators import organiser_required


def _with_attendance(progress: dict, workshop) -> dict:
    """Each cell and session total gets its attendance figures (one query more, whatever the size)."""
    counts = attendance_counts(workshop=workshop)
    for entry in progress["sessions"]:
        session_id = entry["session"].pk
        for cell in entry["cells"]:
            group_id = cell["group"].pk if cell["group"] else None
            cell["attendance"] = attendance_cell(
                counts=counts.get((session_id, group_id), {}), participants=cell["participants"]
            )
        entry["attendance"] = (
            {name: sum(cell["attendance"][name] for cell in entry["cells"]) for name in entry["cells"][0]["attendance"]}
            if entry["cells"]
            else {}
        )
    return progress


def _as_json(progress: dict) -> dict:
    counts = ("participants", "not_started", "in_progress", "submitted")
    return {
        "cells": {
            cell["key"]: {name: cell[name] for name in counts}
            for entry in progress["sessions"]
            for cell in entry["cells"]
        },
        "totals": {str(entry["session"].pk): entry["totals"] for entry in progress["sessions"]},
        "attendance": {cell["key"]: cell["attendance"] for entry in progress["sessions"] for cell in entry["cells"]},
        "attendance_totals": {str(entry["session"].pk): entry["attendance"] for entry in progress["sessions"]},
        "unopened": progress["unopened"],
        "updated_at": timezone.now().replace(microsecond=0).isoformat(),  # <time datetime> takes no microseconds
    }


@organiser_required
def dashboard(request, slug):
    workshop = request.workshop
    return render(
        request,
        "organise/dashboard/index.html",
        {
            "workshop": workshop,
            "now": timezone.now().replace(microsecond=0),
            **_with_attendance(dashboard_progress(workshop=workshop), workshop),
        },
    )


@organiser_required
def dashboard_status(request, slug):
    """The same counts as the page, polled by it every few seconds."""
    progress = _with_attendance(dashboard_progress(workshop=request.workshop), request.workshop)
    return JsonResponse(_as_json(progress))
