"""Announcements: write one (three languages, to whom), confirm before it reaches many or goes by e-mail,
read the history (reach, dismissed, e-mailed), and withdraw one after confirming."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from workshops.announcement_mail import announcement_email_start
from workshops.announcements import (
    announcement_create,
    announcement_recipients,
    announcement_withdraw,
    announcements_history,
    announcements_reach,
)
from workshops.models import Announcement

from ..announcement_forms import AnnouncementForm
from ..decorators import organiser_required

# More people than this, or any e-mail, and the organiser is asked to confirm first.
CONFIRM_ABOVE = 20


def _page(request, workshop, form, *, confirm=None, status=200):
    history = announcements_history(workshop=workshop)
    announcements_reach(workshop=workshop, announcements=history)
    return render(
        request,
        "organise/announcements/index.html",
        {"workshop": workshop, "form": form, "history": history, "confirm": confirm},
        status=status,
    )


def _reach(workshop, data) -> int:
    draft = Announcement(
        workshop=workshop,
        audience=data["audience"],
        room=data.get("room"),
        group=data.get("group"),
    )
    participants, facilitators = announcement_recipients(announcement=draft)
    return participants.count() + facilitators.count()


@organiser_required
def announcements(request, slug):
    workshop = request.workshop
    if request.method != "POST":
        return _page(request, workshop, AnnouncementForm(workshop=workshop))
    form = AnnouncementForm(request.POST, workshop=workshop)
    if not form.is_valid():
        return _page(request, workshop, form, status=400)
    data = form.cleaned_data
    reach = _reach(workshop, data)
    if (data["by_email"] or reach > CONFIRM_ABOVE) and request.POST.get("confirmed") != "1":
        return _page(request, workshop, form, confirm={"reach": reach, "by_email": data["by_email"]})
    announcement = announcement_create(
        workshop=workshop,
        audience=data["audience"],
        room=data.get("room"),
        group=data.get("group"),
        messages=form.messages(),
        by_email=data["by_email"],
        user=request.user,
    )
    announcement_email_start(announcement=announcement)
    messages.success(
        request,
        _("Announcement sent to %(audience)s: it shows on their pages within a minute.")
        % {"audience": announcement.audience_display},
    )
    return redirect("organise:announcements", slug=slug)


@organiser_required
def announcement_withdraw_view(request, slug, announcement_id):
    workshop = request.workshop
    announcement = get_object_or_404(
        Announcement.objects.select_related("room", "group"), pk=announcement_id, workshop=workshop
    )
    if request.method == "POST":
        if announcement_withdraw(announcement=announcement, user=request.user):
            messages.success(request, _("Announcement withdrawn: it leaves everyone's pages within a minute."))
        else:
            messages.info(request, _("This announcement was withdrawn already."))
        return redirect("organise:announcements", slug=slug)
    return render(request, "organise/announcements/withdraw.html", {"workshop": workshop, "announcement": announcement})
