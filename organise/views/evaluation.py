"""The evaluation in the back office: its questions and closing time, each session's knowledge check, the figures."""

from django.contrib import messages
from django.db import transaction
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from worksheets.evaluation import evaluation_closes_at, evaluation_prepare, evaluation_questions_create_defaults
from worksheets.evaluation_report import evaluation_summary, knowledge_summary
from worksheets.models import EvaluationAnswer, EvaluationQuestion, KnowledgeQuestion
from workshops.models import BreakoutSession

from ..decorators import organiser_required
from ..evaluation_forms import EvaluationClosingForm, EvaluationQuestionFormSet, KnowledgeQuestionFormSet


def _renumber(queryset) -> None:
    """Positions as typed, then numbered 1, 2, 3… (ties keep their former order)."""
    for position, pk in enumerate(queryset.order_by("order", "pk").values_list("pk", flat=True), start=1):
        queryset.filter(pk=pk).exclude(order=position).update(order=position)


def _page(request, *, window, closing_form, formset, to_delete=(), status=200):
    workshop = request.workshop
    answers = dict(
        EvaluationQuestion.objects.filter(workshop=workshop).annotate(n=Count("answers")).values_list("pk", "n")
    )
    sessions = BreakoutSession.objects.filter(workshop=workshop).annotate(knowledge=Count("knowledge_questions"))
    return render(
        request,
        "organise/evaluation/index.html",
        {
            "workshop": workshop,
            "closes_at": evaluation_closes_at(workshop=workshop, window=window),
            "closing_form": closing_form,
            "formset": formset,
            "rows": [{"form": form, "answers": answers.get(form.instance.pk, 0)} for form in formset.forms],
            "to_delete": to_delete,
            "to_delete_answers": sum(answers.get(q.pk, 0) for q in to_delete),
            "sessions": sessions.order_by("start", "pk"),
        },
        status=status,
    )


@organiser_required
def evaluation_index(request, slug):
    workshop = request.workshop
    window = evaluation_prepare(workshop=workshop)
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "defaults":
        created = (
            [] if workshop.evaluation_questions.exists() else evaluation_questions_create_defaults(workshop=workshop)
        )
        messages.success(
            request,
            ngettext("%(count)d ready-made question added.", "%(count)d ready-made questions added.", len(created))
            % {"count": len(created)},
        )
        return redirect("organise:evaluation", slug=slug)
    if action == "closing":
        closing_form = EvaluationClosingForm(request.POST, workshop=workshop)
        if closing_form.is_valid():
            window.closes_at = closing_form.closes_at()
            window.save(update_fields=["closes_at"])
            messages.success(request, _("The closing time is saved."))
            return redirect("organise:evaluation", slug=slug)
        return _page(
            request,
            window=window,
            closing_form=closing_form,
            formset=EvaluationQuestionFormSet(workshop=workshop),
            status=400,
        )
    closing_form = EvaluationClosingForm(workshop=workshop, closes_at=window.closes_at)
    if request.method != "POST":
        return _page(
            request, window=window, closing_form=closing_form, formset=EvaluationQuestionFormSet(workshop=workshop)
        )
    formset = EvaluationQuestionFormSet(request.POST, workshop=workshop)
    if not formset.is_valid():
        messages.error(request, _("Nothing was saved: correct what is marked below."))
        return _page(request, window=window, closing_form=closing_form, formset=formset, status=400)
    to_delete = [form.instance for form in formset.deleted_forms if form.instance.pk]
    answered = [q for q in to_delete if EvaluationAnswer.objects.filter(question=q).exists()]
    if answered and not request.POST.get("confirm_delete"):
        return _page(request, window=window, closing_form=closing_form, formset=formset, to_delete=answered)
    with transaction.atomic():
        for question in formset.save(commit=False):
            question.workshop = workshop
            question.save()
        for question in formset.deleted_objects:
            question.delete()
        for scope in ("session", "workshop"):
            _renumber(EvaluationQuestion.objects.filter(workshop=workshop, scope=scope))
    messages.success(request, _("The evaluation questions are saved."))
    return redirect("organise:evaluation", slug=slug)


@organiser_required
def knowledge_questions(request, slug, session_id):
    workshop = request.workshop
    session = get_object_or_404(BreakoutSession, pk=session_id, workshop=workshop)
    formset = KnowledgeQuestionFormSet(request.POST or None, session=session)
    status = 200
    if request.method == "POST":
        if formset.is_valid():
            with transaction.atomic():
                for question in formset.save(commit=False):
                    question.session = session
                    question.save()
                for question in formset.deleted_objects:
                    question.delete()
                _renumber(KnowledgeQuestion.objects.filter(session=session))
            messages.success(request, _("The knowledge check is saved."))
            return redirect("organise:knowledge_questions", slug=slug, session_id=session.pk)
        messages.error(request, _("Nothing was saved: correct what is marked below."))
        status = 400
    return render(
        request,
        "organise/evaluation/knowledge.html",
        {"workshop": workshop, "session": session, "formset": formset},
        status=status,
    )


@organiser_required
def evaluation_report(request, slug):
    workshop = request.workshop
    return render(
        request,
        "organise/evaluation/report.html",
        {
            "workshop": workshop,
            "evaluation": evaluation_summary(workshop=workshop),
            "knowledge": knowledge_summary(workshop=workshop),
            "closes_at": evaluation_closes_at(workshop=workshop),
        },
    )
