"""A session's guide, written by its organisers over the curriculum section's, in three languages."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from curriculum.models import SectionItem
from workshops.models import BreakoutSession

from ..decorators import organiser_required
from ..forms import SessionGuideForm

KINDS = (("guide_questions", "guiding_question"), ("guide_messages", "key_message"), ("guide_exercises", "exercise"))


@organiser_required
def session_guide(request, slug, session_id):
    session = get_object_or_404(
        BreakoutSession.objects.select_related("section"), pk=session_id, workshop=request.workshop
    )
    form = SessionGuideForm(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The guide of “%(title)s” is saved.") % {"title": session.title})
        return redirect("organise:session_guide", slug=slug, session_id=session.pk)
    items = (
        list(SectionItem.objects.filter(section_id=session.section_id).order_by("order", "pk"))
        if session.section_id
        else []
    )
    parts = [
        {
            "fields": [form[f"{field}_{language}"] for language in ("en", "es", "fr")],
            "section_items": [item.text for item in items if item.kind == kind],
            "kind": kind,
        }
        for field, kind in KINDS
    ]
    return render(
        request,
        "organise/guide/session.html",
        {"workshop": request.workshop, "session": session, "form": form, "parts": parts},
    )
