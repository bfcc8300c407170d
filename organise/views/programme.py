"""The workshop's programme: its plenary items (opening, presentations, breaks, meals, report-back,
closing) listed among the break-out sessions, each added, changed or deleted (after asking) here."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from workshops.models import BreakoutSession, ProgrammeItem
from workshops.programme import programme_public

from ..decorators import organiser_required
from ..programme_forms import ProgrammeItemForm


def _item_or_404(request, item_id) -> ProgrammeItem:
    return get_object_or_404(ProgrammeItem.objects.select_related("room"), pk=item_id, workshop=request.workshop)


@organiser_required
def programme(request, slug):
    """The whole programme in order, and the form adding an item."""
    workshop = request.workshop
    form = ProgrammeItemForm(request.POST or None, workshop=workshop)
    if request.method == "POST" and form.is_valid():
        item = form.save()
        messages.success(request, _("“%(title)s” is added to the programme.") % {"title": item.title})
        return redirect("organise:programme", slug=slug)
    sessions = BreakoutSession.objects.filter(workshop=workshop).order_by("start", "pk")
    return render(
        request,
        "organise/programme/index.html",
        {"workshop": workshop, "form": form, "programme": programme_public(workshop=workshop, sessions=sessions)},
    )


@organiser_required
def programme_item(request, slug, item_id):
    workshop = request.workshop
    item = _item_or_404(request, item_id)
    form = ProgrammeItemForm(request.POST or None, instance=item, workshop=workshop)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("“%(title)s” is saved.") % {"title": item.title})
        return redirect("organise:programme", slug=slug)
    return render(request, "organise/programme/item.html", {"workshop": workshop, "form": form, "item": item})


@organiser_required
def programme_item_delete(request, slug, item_id):
    """GET asks first; POST deletes (nothing else refers to an item)."""
    workshop = request.workshop
    item = _item_or_404(request, item_id)
    if request.method == "POST":
        title = item.title
        item.delete()
        messages.success(request, _("“%(title)s” is deleted from the programme.") % {"title": title})
        return redirect("organise:programme", slug=slug)
    return render(request, "organise/programme/delete.html", {"workshop": workshop, "item": item})
