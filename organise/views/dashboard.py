"""The organiser's live progress: per session and group, worksheets not started / in progress / submitted."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone

from worksheets.selectors import dashboard_progress

from ..decorators import organiser_required


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


@organiser_required
def dashboard(request, slug):
    workshop = request.workshop
    return render(
        request,
        "organise/dashboard/index.html",
        {"workshop": workshop, "now": timezone.now().replace(microsecond=0), **dashboard_progress(workshop=workshop)},
    )


@organiser_required
def dashboard_status(request, slug):
    """The same counts as the page, polled by it every few seconds."""
    return JsonResponse(_as_json(dashboard_progress(workshop=request.workshop)))
