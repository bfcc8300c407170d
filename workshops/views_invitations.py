"""Invitations: send everyone their personal link, watch the batch go out, resend one, chase the unopened."""

import uuid

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from .invitations import (
    Audience,
    BatchExists,
    Selection,
    invitation_batch_counts,
    invitation_batch_create,
    invitation_batch_resume,
    invitation_batch_rows,
    invitation_batches,
    invitation_people,
    invitation_resend,
    invitation_summary,
    person_of_workshop,
)
from .permissions import workshop_organised_or_404


class InvitationBatchForm(forms.Form):
    audience = forms.ChoiceField(
        label=gettext_lazy("Send to"), choices=Audience.choices, initial=Audience.EVERYONE, widget=forms.RadioSelect
    )
    selection = forms.ChoiceField(
        label=gettext_lazy("Who"), choices=Selection.choices, initial=Selection.NOT_INVITED, widget=forms.RadioSelect
    )
    # Generated when the form is shown: the same form submitted twice sends nothing twice.
    batch = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["batch"].initial = uuid.uuid4()
        self.helper = FormHelper()
        self.helper.form_tag = False


def _base_url(request) -> str:
    return request.build_absolute_uri("/")


def _batch_or_404(workshop, batch):
    counts = invitation_batch_counts(batch=batch, workshop=workshop)
    if not counts["total"]:
        raise Http404
    return counts


@staff_member_required
def invitations(request, slug):
    workshop = workshop_organised_or_404(request, slug)
    return render(
        request,
        "workshops/invitations/index.html",
        {
            "workshop": workshop,
            "form": InvitationBatchForm(),
            "summary": invitation_summary(workshop=workshop),
            "batches": invitation_batches(workshop=workshop),
        },
    )


@staff_member_required
@require_POST
def invitations_send(request, slug):
    workshop = workshop_organised_or_404(request, slug)
    form = InvitationBatchForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose who to send the links to."))
        return redirect("workshops:invitations", slug=slug)
    batch = form.cleaned_data["batch"]
    try:
        queued = invitation_batch_create(
            workshop=workshop,
            audience=form.cleaned_data["audience"],
            selection=form.cleaned_data["selection"],
            batch=batch,
            user=request.user,
            base_url=_base_url(request),
        )
    except BatchExists:
        return redirect("workshops:invitation_batch", slug=slug, batch=batch)  # submitted twice: show the first
    if not queued:
        messages.info(request, _("Nobody to send to: everyone you chose has been sent their link already."))
        return redirect("workshops:invitations", slug=slug)
    return redirect("workshops:invitation_batch", slug=slug, batch=batch)


@staff_member_required
def invitation_batch(request, slug, batch):
    workshop = workshop_organised_or_404(request, slug)
    counts = _batch_or_404(workshop, batch)
    return render(
        request,
        "workshops/invitations/batch.html",
        {
            "workshop": workshop,
            "batch": batch,
            "counts": counts,
            "rows": invitation_batch_rows(workshop=workshop, batch=batch),
        },
    )


@staff_member_required
def invitation_batch_status(request, slug, batch):
    """The batch's counts, polled by its page while it is being sent."""
    workshop = workshop_organised_or_404(request, slug)
    return JsonResponse(_batch_or_404(workshop, batch))


@staff_member_required
@require_POST
def invitation_batch_resume_view(request, slug, batch):
    workshop = workshop_organised_or_404(request, slug)
    _batch_or_404(workshop, batch)
    invitation_batch_resume(workshop=workshop, batch=batch, base_url=_base_url(request))
    return redirect("workshops:invitation_batch", slug=slug, batch=batch)


@staff_member_required
def people(request, slug):
    workshop = workshop_organised_or_404(request, slug)
    unopened = request.GET.get("unopened") == "1"
    return render(
        request,
        "workshops/invitations/people.html",
        {
            "workshop": workshop,
            "unopened": unopened,
            "resend_batch": uuid.uuid4(),
            **invitation_people(workshop=workshop, unopened_only=unopened),
        },
    )


@staff_member_required
@require_POST
def resend(request, slug):
    workshop = workshop_organised_or_404(request, slug)
    person = person_of_workshop(workshop=workshop, reference=request.POST.get("person", ""))
    try:
        batch = uuid.UUID(request.POST.get("batch", ""))
    except ValueError:
        batch = None
    if person is None or batch is None:
        raise Http404
    try:
        invitation_resend(person=person, batch=batch, user=request.user, base_url=_base_url(request))
    except BatchExists:
        pass  # clicked twice: the first click's e-mail is the one
    messages.success(
        request, _("%(name)s’s link is on its way to %(email)s.") % {"name": person.name, "email": person.email}
    )
    url = reverse("workshops:invitation_people", kwargs={"slug": slug})
    return redirect(url + "?unopened=1" if request.POST.get("unopened") == "1" else url)
