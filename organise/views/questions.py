"""The worksheet questions of a workshop as one list: edit, add, reorder, remove, in three languages."""

from django.contrib import messages
from django.db import transaction
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from worksheets.models import Answer, Question
from worksheets.services import questions_create_defaults
from workshops.languages import language_names
from workshops.models import Room

from ..decorators import organiser_required
from ..forms import QuestionFormSet

TRANSLATED = ("en", "es", "fr")


def _needed_languages(workshop) -> list[str]:
    """The question languages the workshop's rooms need (those of their language modes we write in)."""
    needed = []
    for languages in Room.objects.filter(workshop=workshop, group__isnull=False).values_list(
        "language_mode__languages", flat=True
    ):
        for code in languages:
            if code in TRANSLATED and code not in needed:
                needed.append(code)
    return needed


def _rows(formset, *, needed: list[str], answers: dict[int, int]) -> list[dict]:
    rows = []
    for form in formset.forms:
        question = form.instance
        missing = []
        if question.pk:
            missing = [code for code in needed if code != "en" and not getattr(question, f"text_{code}")]
        rows.append(
            {
                "form": form,
                "answers": answers.get(question.pk, 0),
                "missing": language_names(missing) if missing else "",
                "missing_count": len(missing),
            }
        )
    return rows


def _page(request, workshop, formset, *, to_delete=(), status=200):
    answers = dict(Question.objects.filter(workshop=workshop).annotate(n=Count("answers")).values_list("pk", "n"))
    return render(
        request,
        "organise/questions/index.html",
        {
            "workshop": workshop,
            "formset": formset,
            "rows": _rows(formset, needed=_needed_languages(workshop), answers=answers),
            "to_delete": to_delete,
            "to_delete_answers": sum(answers.get(q.pk, 0) for q in to_delete),
        },
        status=status,
    )


@organiser_required
def questions(request, slug):
    workshop = request.workshop
    if request.method == "POST" and request.POST.get("action") == "defaults":
        created = questions_create_defaults(workshop=workshop)
        messages.success(
            request,
            ngettext("%(count)d default question added.", "%(count)d default questions added.", len(created))
            % {"count": len(created)},
        )
        return redirect("organise:questions", slug=slug)
    if request.method != "POST":
        next_position = Question.objects.filter(workshop=workshop).count() + 1
        return _page(request, workshop, QuestionFormSet(workshop=workshop, initial=[{"order": next_position}]))

    formset = QuestionFormSet(request.POST, workshop=workshop)
    if not formset.is_valid():
        messages.error(request, _("Nothing was saved: correct what is marked below."))
        return _page(request, workshop, formset, status=200)
    to_delete = [form.instance for form in formset.deleted_forms if form.instance.pk]
    answered = [q for q in to_delete if Answer.objects.filter(question=q).exists()]
    if answered and not request.POST.get("confirm_delete"):
        return _page(request, workshop, formset, to_delete=answered)
    with transaction.atomic():
        for question in formset.save(commit=False):
            question.workshop = workshop
            question.save()
        for question in formset.deleted_objects:
            question.delete()
        # Positions as typed, then numbered 1, 2, 3… (ties keep their former order).
        ordered = Question.objects.filter(workshop=workshop).order_by("order", "pk")
        for position, question in enumerate(ordered, start=1):
            if question.order != position:
                Question.objects.filter(pk=question.pk).update(order=position)
    messages.success(request, _("The worksheet questions are saved."))
    return redirect("organise:questions", slug=slug)
