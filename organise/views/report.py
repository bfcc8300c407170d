"""The organiser's feedback report: what participants shared, per session and question; CSV and Excel.

The page summarises every shown answer and lists the text of a few per question; one question's
answers are read page by page (`?session=…&question=…&page=…`). The downloads hold every one.
"""

from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render

from worksheets.report import (
    ReportFilters,
    feedback_report,
    report_csv,
    report_groups,
    report_language_modes,
    report_questions,
    report_sessions,
    report_xlsx,
)
from worksheets.report_page import REPORT_ANSWERS_LISTED, feedback_report_page

from ..decorators import organiser_required
from ..forms import ReportFilterForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filter_form(request):
    """The bound filter form (choices from this workshop only) and the lists it was built from."""
    workshop = request.workshop
    lists = {
        "groups": report_groups(workshop=workshop),
        "language_modes": report_language_modes(workshop=workshop),
        "sessions": report_sessions(workshop=workshop),
        "questions": report_questions(workshop=workshop),
    }
    return ReportFilterForm(request.GET or None, **lists), lists


def _filters(form) -> ReportFilters | None:
    if form.is_bound and not form.is_valid():
        return None
    return form.filters() if form.is_bound else ReportFilters()


@organiser_required
def report_index(request, slug):
    workshop = request.workshop
    form, lists = _filter_form(request)
    filters = _filters(form)
    report, question_id = None, None
    if filters is not None:
        question_id = form.cleaned_data.get("question") if form.is_bound else None
        report = feedback_report_page(
            workshop=workshop,
            filters=filters,
            groups=lists["groups"],
            language_modes=lists["language_modes"],
            questions=lists["questions"],
            question_id=question_id,
            page=request.GET.get("page"),
        )
    filters_query = request.GET.copy()  # the filters, for the downloads and "back to every question"
    for key in ("question", "page"):
        filters_query.pop(key, None)
    others_query = filters_query.copy()  # the filters but the session, for links that name one
    others_query.pop("session", None)
    return render(
        request,
        "organise/report/index.html",
        {
            "workshop": workshop,
            "form": form,
            "report": report,
            "question_id": question_id,
            "query": filters_query.urlencode(),
            "others_query": others_query.urlencode(),
            "min_anonymous_sharers": settings.REPORT_MIN_ANONYMOUS_SHARERS,
            "answers_listed": REPORT_ANSWERS_LISTED,
        },
        status=200 if report is not None else 400,
    )


def _download(request, slug, *, extension: str, content_type: str, build):
    workshop = request.workshop
    form, lists = _filter_form(request)
    filters = _filters(form)
    if filters is None:
        # Plain text: the messages quote what was typed in the address, which must never become markup.
        return HttpResponseBadRequest(
            " ".join(" ".join(errors) for errors in form.errors.values()), content_type="text/plain; charset=utf-8"
        )
    report = feedback_report(
        workshop=workshop, filters=filters, groups=lists["groups"], language_modes=lists["language_modes"]
    )
    response = HttpResponse(build(report=report), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{workshop.slug}-feedback.{extension}"'
    return response


@organiser_required
def report_csv_download(request, slug):
    return _download(request, slug, extension="csv", content_type="text/csv; charset=utf-8", build=report_csv)


@organiser_required
def report_xlsx_download(request, slug):
    return _download(request, slug, extension="xlsx", content_type=XLSX, build=report_xlsx)
