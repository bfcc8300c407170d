"""Repair the day: withdraw a facilitator, preview the fewest changes that keep every rule, apply or not."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import ngettext

from workshops.models import RotationRepair
from workshops.repair import (
    RepairRefused,
    repair_apply,
    repair_discard,
    repair_is_stale,
    repair_now,
    repair_preview,
    repair_propose,
)
from workshops.timezones import workshop_timezone_activate

from ..decorators import organiser_post_required, organiser_required
from ..repair_forms import RepairForm


def _repair(request, repair_id) -> RotationRepair:
    return get_object_or_404(
        RotationRepair.objects.select_related("workshop", "facilitator", "room"),
        pk=repair_id,
        workshop=request.workshop,
    )


@organiser_required
def repair(request, slug):
    """The form (GET), or a repair proposed for what it says (POST), shown on its own page."""
    workshop = request.workshop
    workshop_timezone_activate(workshop=workshop)
    form = RepairForm(request.POST or None, workshop=workshop)
    if request.method == "POST" and form.is_valid():
        room = form.cleaned_data["room"]
        proposed = repair_propose(
            workshop=workshop,
            facilitator=form.cleaned_data["facilitator"],
            start=None if room else form.start(),
            sessions=[] if room else list(form.cleaned_data["sessions"]),
            room=room,
            by=request.user,
        )
        return redirect("organise:repair_detail", slug=slug, repair_id=proposed.pk)
    recent = RotationRepair.objects.filter(workshop=workshop).select_related("facilitator", "room")[:10]
    return render(
        request,
        "organise/repair/repair.html",
        {"workshop": workshop, "form": form, "recent": recent, "now": repair_now()},
        status=400 if request.method == "POST" else 200,
    )


@organiser_required
def repair_detail(request, slug, repair_id):
    repair = _repair(request, repair_id)
    workshop_timezone_activate(workshop=repair.workshop)
    stale = repair_is_stale(repair=repair)
    return render(
        request,
        "organise/repair/detail.html",
        {
            "workshop": repair.workshop,
            "repair": repair,
            "preview": repair_preview(repair=repair),
            "stale": stale,
            "sessions": repair.sessions.all(),
        },
    )


@organiser_post_required
def repair_apply_view(request, slug, repair_id):
    repair = _repair(request, repair_id)
    if request.POST.get("confirm") != "yes":
        messages.error(request, RepairRefused.CONFIRM)
        return redirect("organise:repair_detail", slug=slug, repair_id=repair.pk)
    try:
        changed = repair_apply(repair=repair, by=request.user, accept_broken=request.POST.get("accept") == "yes")
    except RepairRefused as error:
        messages.error(request, str(error))
        return redirect("organise:repair_detail", slug=slug, repair_id=repair.pk)
    repair.refresh_from_db(fields=["notified"])
    told = len(repair.notified)
    messages.success(
        request,
        ngettext("Repaired: %(count)d change.", "Repaired: %(count)d changes.", changed) % {"count": changed}
        + " "
        + ngettext(
            "%(told)d facilitator whose rotation changed is told by e-mail.",
            "%(told)d facilitators whose rotation changed are told by e-mail.",
            told,
        )
        % {"told": told},
    )
    return redirect("organise:board", slug=slug)


@organiser_post_required
def repair_discard_view(request, slug, repair_id):
    repair = _repair(request, repair_id)
    repair_discard(repair=repair)
    return redirect("organise:repair", slug=slug)
