"""Printables: room signs, group rosters, facilitator itineraries and badges, in the page's language.

Each set is one page whose print stylesheet puts every sign, roster, itinerary or eight badges
on a sheet of its own: one click on "Print" prints the whole set.
"""

from django.http import Http404
from django.shortcuts import render

from worksheets.report import (
    printable_badges,
    printable_itineraries,
    printable_room_signs,
    printable_rosters,
    printables_counts,
    report_groups,
)
from workshops.access import participant_users_ensure
from workshops.models import Group

from ..decorators import organiser_required


@organiser_required
def printables_index(request, slug):
    workshop = request.workshop
    return render(
        request,
        "organise/printables/index.html",
        {
            "workshop": workshop,
            "counts": printables_counts(workshop=workshop),
            "groups": report_groups(workshop=workshop),
        },
    )


@organiser_required
def room_signs(request, slug):
    workshop = request.workshop
    return render(
        request,
        "organise/printables/room_signs.html",
        {"workshop": workshop, "signs": printable_room_signs(workshop=workshop)},
    )


@organiser_required
def rosters(request, slug):
    workshop = request.workshop
    return render(
        request,
        "organise/printables/rosters.html",
        {"workshop": workshop, "rosters": printable_rosters(workshop=workshop)},
    )


@organiser_required
def itineraries(request, slug):
    workshop = request.workshop
    return render(
        request,
        "organise/printables/itineraries.html",
        {"workshop": workshop, "itineraries": printable_itineraries(workshop=workshop)},
    )


@organiser_required
def badges(request, slug):
    """Every participant's badge, or one group's (?group=<id>, a group of this workshop only)."""
    workshop = request.workshop
    group = None
    if request.GET.get("group"):
        try:
            group = Group.objects.get(workshop=workshop, pk=int(request.GET["group"]))
        except (ValueError, Group.DoesNotExist):
            raise Http404 from None
    # A badge's QR code is a personal link, which needs the participant's login: made here, in bulk,
    # before the read (which writes nothing). The only write of these pages.
    participant_users_ensure(workshop=workshop, group_id=group.pk if group else None)
    pages = printable_badges(
        workshop=workshop,
        base_url=request.build_absolute_uri("/").rstrip("/"),
        group_id=group.pk if group else None,
    )
    return render(request, "organise/printables/badges.html", {"workshop": workshop, "group": group, "pages": pages})
