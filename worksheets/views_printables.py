"""Printables: room signs, group rosters, facilitator itineraries and badges, in the page's language.

Each set is one page whose print stylesheet puts every sign, roster, itinerary or eight badges
on a sheet of its own: one click on "Print" prints the whole set.
"""

from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404
from django.shortcuts import render

from workshops.models import Group
from workshops.permissions import workshop_organised_or_404

from .report import (
    printable_badges,
    printable_itineraries,
    printable_room_signs,
    printable_rosters,
    printables_counts,
    report_groups,
)


@staff_member_required
def printables_index(request, slug):
    workshop = workshop_organised_or_404(request, slug)
    return render(
        request,
        "worksheets/printables/index.html",
        {
            "workshop": workshop,
            "counts": printables_counts(workshop=workshop),
            "groups": report_groups(workshop=workshop),
        },
    )


@staff_member_required
def room_signs(request, slug):
    workshop = workshop_organised_or_404(request, slug)
    return render(
        request,
        "worksheets/printables/room_signs.html",
        {"workshop": workshop, "signs": printable_room_signs(workshop=workshop)},
    )


@staff_member_required
def rosters(request, slug):
    workshop = workshop_organised_or_404(request, slug)
    return render(
        request,
        "worksheets/printables/rosters.html",
        {"workshop": workshop, "rosters": printable_rosters(workshop=workshop)},
    )


@staff_member_required
def itineraries(request, slug):
    workshop = workshop_organised_or_404(request, slug)
    return render(
        request,
        "worksheets/printables/itineraries.html",
        {"workshop": workshop, "itineraries": printable_itineraries(workshop=workshop)},
    )


@staff_member_required
def badges(request, slug):
    """Every participant's badge, or one group's (?group=<id>, a group of this workshop only)."""
    workshop = workshop_organised_or_404(request, slug)
    group = None
    if request.GET.get("group"):
        try:
            group = Group.objects.get(workshop=workshop, pk=int(request.GET["group"]))
        except (ValueError, Group.DoesNotExist):
            raise Http404 from None
    pages = printable_badges(
        workshop=workshop,
        base_url=request.build_absolute_uri("/").rstrip("/"),
        group_id=group.pk if group else None,
    )
    return render(request, "worksheets/printables/badges.html", {"workshop": workshop, "group": group, "pages": pages})
