"""Printables: room signs, group rosters, facilitator itineraries and badges, in the page's language.

Each set is one page whose print stylesheet puts every sign, roster, itinerary or eight badges
on a sheet of its own: one click on "Print" prints the whole set, or, for a set longer than
`SHEETS_PER_PART` sheets, the part the page shows (?part=N). Badges for more than
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
from workshops.checkin import checkin_url
from workshops.models import Group, Job, Participant
from workshops.qr import qr_svg

from ..decorators import organiser_post_required, organiser_required

# Above this many badges, the page of every badge is refused for the PDF (at 3,000 it was 7.8 MB of
# HTML, 4.7 s to make and ~11 s for the browser to print); one group's badges stay a page.
BADGES_IN_PAGE_MAX = 400


# A set longer than this many sheets prints in parts, one page each (at 3,000 participants every
# roster was 0.4 MB and every itinerary 0.7 MB of HTML in one page, 1-3 s to make on a loaded machine).
SHEETS_PER_PART = {"room_signs": 100, "rosters": 25, "itineraries": 50}


def _part(request, items: list, kind: str) -> tuple[list, dict]:
    """The part of a long set this page shows (?part=N, from 1) and what the page says of the parts."""
    size = SHEETS_PER_PART[kind]
    count = max(1, -(-len(items) // size))
    try:
        part = min(max(1, int(request.GET.get("part", 1))), count)
    except ValueError:
        part = 1
    shown = items[(part - 1) * size : part * size]
    return shown, {"part": part, "parts": range(1, count + 1), "count": count, "total": len(items)}


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
    shown, parts = _part(request, printable_room_signs(workshop=workshop), "room_signs")
    # Each sign's QR code: self check-in for that room and session (a signed token, nobody's login).
    base_url = request.build_absolute_uri("/").rstrip("/")
    for sign in shown:
        sign["checkin_url"] = checkin_url(room=sign["room"], session=sign["session"], base_url=base_url)
        sign["checkin_qr"] = qr_svg(sign["checkin_url"], scale=4, mask=0)
    return render(
        request,
        "organise/printables/room_signs.html",
        {"workshop": workshop, "signs": shown, "parts": parts},
    )


@organiser_required
def rosters(request, slug):
    workshop = request.workshop
    shown, parts = _part(request, printable_rosters(workshop=workshop), "rosters")
    return render(
        request,
        "organise/printables/rosters.html",
        {"workshop": workshop, "rosters": shown, "parts": parts},
    )


@organiser_required
def itineraries(request, slug):
    workshop = request.workshop
    shown, parts = _part(request, printable_itineraries(workshop=workshop), "itineraries")
    return render(
        request,
        "organise/printables/itineraries.html",
        {"workshop": workshop, "itineraries": shown, "parts": parts},
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
