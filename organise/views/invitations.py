"""Invitations: send everyone their personal link, watch the batch go out, resend one, chase the unopened."""

import uuid

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from workshops.invitations import (
    BatchExists,
    invitation_batch_counts,
    invitation_batch_create,
    invitation_batch_resume,
    invitation_batch_rows,
    invitation_batch_stops,
    invitation_batches,
    invitation_people,
    invitation_resend,
    invitation_summary,
    person_of_workshop,
)

from ..decorators import organiser_post_required, organiser_required
from ..forms import InvitationBatchForm


def _base_url(request) -> str:
    return request.build_absolute_uri("/")


def _batch_or_404(workshop, batch):
    counts = invitation_batch_counts(batch=batch, workshop=workshop)
    if not counts["total"]:
        raise Http404
    return counts


@organiser_required
def invitations(request, slug):
    workshop = request.workshop
    return render(
        request,
        "organise/invitations/index.html",
        {
            "workshop": workshop,
            "form": InvitationBatchForm(),
            "summary": invitation_summary(workshop=workshop),
            "batches": invitation_batches(workshop=workshop),
        },
    )


@organiser_post_required
def invitations_send(request, slug):
    workshop = request.workshop
    form = InvitationBatchForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose who to send the links to."))
        return redirect("organise:invitations", slug=slug)
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
        return redirect("organise:invitation_batch", slug=slug, batch=batch)  # submitted twice: show the first
    if not queued:
        messages.info(request, _("Nobody to send to: everyone you chose has been sent their link already."))
        return redirect("organise:invitations", slug=slug)
    return redirect("organise:invitation_batch", slug=slug, batch=batch)


@organiser_required
def invitation_batch(request, slug, batch):
    workshop = request.workshop
    counts = _batch_or_404(workshop, batch)
    return render(
        request,
        "organise/invitations/batch.html",
        {
            "workshop": workshop,
            "batch": batch,
            "counts": counts,
            "progress_text": _("%(done)s of %(total)s")
            % {
                "done": number_format(counts["sent"], force_grouping=True),
                "total": number_format(counts["total"], force_grouping=True),
            },
            "rows": invitation_batch_rows(workshop=workshop, batch=batch, page=request.GET.get("page")),
            "stops": invitation_batch_stops(workshop=workshop, batch=batch),
        },
    )


@organiser_required
def invitation_batch_status(request, slug, batch):
    """The batch's counts, polled by its page while it is being sent."""
    workshop = request.workshop
    return JsonResponse(_batch_or_404(workshop, batch))


@organiser_post_required
def invitation_batch_resume_view(request, slug, batch):
    workshop = request.workshop
    _batch_or_404(workshop, batch)
    invitation_batch_resume(workshop=workshop, batch=batch, base_url=_base_url(request))
    return redirect("organise:invitation_batch", slug=slug, batch=batch)


@organiser_required
def people(request, slug):
    workshop = request.workshop
    unopened = request.GET.get("unopened") == "1"
    search = request.GET.get("q", "")[:100]
    return render(
        request,
        "organise/invitations/people.html",
        {
            "workshop": workshop,
            "unopened": unopened,
            "search": search,
            "resend_batch": uuid.uuid4(),
            **invitation_people(
                workshop=workshop,
                unopened_only=unopened,
                search=search,
                page=request.GET.get("page"),
                facilitators_page=request.GET.get("fpage"),
            ),
        },
    )


@organiser_post_required
def resend(request, slug):
    workshop = request.workshop
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
    url = reverse("organise:invitation_people", kwargs={"slug": slug})
    return redirect(url + "?unopened=1" if request.POST.get("unopened") == "1" else url)
