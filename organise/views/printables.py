"""Printables: room signs, group rosters, facilitator itineraries and badges, in the page's language.

Each set is one page whose print stylesheet puts every sign, roster, itinerary or eight badges
on a sheet of its own: one click on "Print" prints the whole set. Badges for more than
`BADGES_IN_PAGE_MAX` people are one PDF built by a background job instead (`worksheets.badges`).
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from worksheets.badges import badges_job_start
from worksheets.report import (
    printable_badges,
    printable_itineraries,
    printable_room_signs,
    printable_rosters,
    printables_counts,
    report_groups,
)
from workshops.access import participant_users_ensure
from workshops.models import Group, Job, Participant

from ..decorators import organiser_post_required, organiser_required

# Above this many badges, the page of every badge is refused for the PDF (at 3,000 it was 7.8 MB of
# HTML, 4.7 s to make and ~11 s for the browser to print); one group's badges stay a page.
BADGES_IN_PAGE_MAX = 400


def _group_or_404(workshop, value) -> Group | None:
    if not value:
        return None
    try:
        return Group.objects.get(workshop=workshop, pk=int(value))
    except (ValueError, Group.DoesNotExist):
        raise Http404 from None


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
            "badges_in_page_max": BADGES_IN_PAGE_MAX,
            "badge_jobs": list(Job.objects.without_result().filter(workshop=workshop, kind=Job.Kind.BADGES)[:5]),
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
    group = _group_or_404(workshop, request.GET.get("group"))
    if group is None and Participant.objects.filter(workshop=workshop).count() > BADGES_IN_PAGE_MAX:
        messages.info(request, _("Too many badges for one page: make them as one PDF, or open one group's."))
        return redirect("organise:printables", slug=slug)
    # A badge's QR code is a personal link, which needs the participant's login: made here, in bulk,
    # before the read (which writes nothing). The only write of these pages.
    participant_users_ensure(workshop=workshop, group_id=group.pk if group else None)
    pages = printable_badges(
        workshop=workshop,
        base_url=request.build_absolute_uri("/").rstrip("/"),
        group_id=group.pk if group else None,
    )
    return render(request, "organise/printables/badges.html", {"workshop": workshop, "group": group, "pages": pages})


@organiser_post_required
def badges_pdf_start(request, slug):
    """Start the PDF of every badge (or one group's, `group`) in the background; its page shows the progress."""
    workshop = request.workshop
    group = _group_or_404(workshop, request.POST.get("group"))
    job = badges_job_start(workshop=workshop, base_url=request.build_absolute_uri("/"), user=request.user, group=group)
    return redirect("organise:job", slug=slug, job_id=job.pk)
