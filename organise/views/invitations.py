"""Invitations: send everyone their personal link, watch the batch go out, resend one, chase the unopened."""

import uuid

from django.contrib import messages
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from workshops.access import link_expires_at, personal_link_revoke, personal_link_url
from workshops.invitation_preview import own_message_missing, room_languages
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
from workshops.languages import LANGUAGE_NAMES
from workshops.models import Workshop

from ..decorators import organiser_post_required, organiser_required
from ..forms import InvitationBatchForm, InvitationNoteForm, own_message_version


def _base_url(request) -> str:
    return request.build_absolute_uri("/")


def _batch_or_404(workshop, batch):
    counts = invitation_batch_counts(batch=batch, workshop=workshop)
    if not counts["total"]:
        raise Http404
    return counts


@organiser_required
def invitations(request, slug):
    return _invitations_page(request, request.workshop)


def _invitations_page(request, workshop, *, note_form=None, status=200):
    missing = own_message_missing(workshop=workshop, languages=room_languages(workshop=workshop))
    return render(
        request,
        "organise/invitations/index.html",
        {
            "workshop": workshop,
            "form": InvitationBatchForm(),
            "note_form": note_form or InvitationNoteForm(workshop=workshop),
            "note_missing": [LANGUAGE_NAMES[code] for code in missing],
            "summary": invitation_summary(workshop=workshop),
            "batches": invitation_batches(workshop=workshop),
        },
        status=status,
    )


@organiser_post_required
def invitation_note(request, slug):
    """Save the organiser's own message; refused, with what was typed kept, when someone saved theirs meanwhile."""
    with transaction.atomic():
        # Locked while compared and written: of two saves from the same version, the second is refused.
        workshop = Workshop.objects.select_for_update().get(pk=request.workshop.pk)
        form = InvitationNoteForm(request.POST, workshop=workshop)
        if form.is_valid():
            fields = [name for name in form.cleaned_data if name.startswith("invitation_note_")]
            for name in fields:
                setattr(workshop, name, form.cleaned_data[name])
            workshop.save(update_fields=fields)
    if not form.is_valid():
        if form.has_error("__all__", "stale"):
            data = request.POST.copy()
            data["version"] = own_message_version(workshop)  # saving again replaces theirs, knowingly
            form.data = data
        return _invitations_page(request, workshop, note_form=form, status=400)
    messages.success(request, _("Your message is saved: every invitation from now on includes it."))
    return redirect(reverse("organise:invitations", kwargs={"slug": slug}) + "#own-message")


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


@organiser_post_required
def person_link(request, slug):
    """One person's current personal link, shown once in answer to a POST (it is a credential: never
    in an address, a listing or a cache); `replace` issues a new one, once the organiser confirms
    that the old one stops working."""
    workshop = request.workshop
    person = person_of_workshop(workshop=workshop, reference=request.POST.get("person", ""))
    if person is None:
        raise Http404
    replace = request.POST.get("replace") == "1"
    status, refused = 200, False
    if replace and request.POST.get("confirm") != "1":
        status, refused = 400, True
    elif replace:
        personal_link_revoke(person=person)
    response = render(
        request,
        "organise/invitations/link.html",
        {
            "workshop": workshop,
            "person": person,
            "reference": request.POST.get("person"),
            "link": None if refused else _link_in_their_language(person, request),
            "replaced": replace and not refused,
            "refused": refused,
            "expired": link_expires_at(person=person) <= timezone.now(),
            "back": reverse("organise:invitation_people", kwargs={"slug": slug}),
        },
        status=status,
    )
    patch_cache_control(response, private=True, no_store=True)
    return response


def _link_in_their_language(person, request) -> str:
    with translation.override(person.preferred_language):  # it opens their pages in their language
        return personal_link_url(person=person, base_url=_base_url(request))
