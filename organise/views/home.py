"""The organisers' home: their workshops, each with its state; and copying one for its next edition."""

from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from workshops.selectors import workshop_list_organised

from ..copy import workshop_copy
from ..decorators import organiser_required
from ..forms import WorkshopCopyForm


@staff_member_required
def home(request):
    rows = workshop_list_organised(user=request.user, now=timezone.now())
    return render(request, "organise/home/index.html", {"rows": rows})


@organiser_required
def copy(request, slug):
    source = request.workshop
    form = WorkshopCopyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        new = workshop_copy(
            source=source,
            slug=form.cleaned_data["slug"],
            start_date=form.cleaned_data["start_date"],
            title=form.cleaned_data["title"],
            by=request.user,
        )
        messages.success(
            request,
            _("“%(title)s” is ready for its new dates, unpublished: import its people, then schedule and invite.")
            % {"title": new.title},
        )
        return redirect("organise:board", slug=new.slug)
    return render(request, "organise/home/copy.html", {"workshop": source, "form": form})


def sign_in(request):
    """The admin's sign-in page, landing on the organisers' home when no page asked for the sign-in."""
    if REDIRECT_FIELD_NAME in request.GET or REDIRECT_FIELD_NAME in request.POST:
        return admin.site.login(request)
    return admin.site.login(request, extra_context={REDIRECT_FIELD_NAME: reverse("organisers_home")})
