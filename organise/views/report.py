"""The organiser's feedback report: what participants shared, per session and question; CSV and Excel.

The page summarises every shown answer and lists the text of a few per question; one question's
answers are read page by page (`?session=…&question=…&page=…`). The files hold every one: a POST
to their address (the filters in its query) starts a background job (`worksheets.report_files`),
whose page shows the progress, then the download; a GET only shows the button.
"""

from django.conf import settings
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from worksheets.report import (
    ReportFilters,
    report_filter_labels,
    report_groups,
    report_language_modes,
    report_questions,
    report_sessions,
)
from worksheets.report_files import REPORT_FILE_KINDS, report_file_job_start
from worksheets.report_page import REPORT_ANSWERS_LISTED, feedback_report_page
from workshops.models import Job

from ..decorators import organiser_required
from ..forms import ReportFilterForm

RECENT_JOBS = 5


def _recent_jobs(workshop) -> list[Job]:
    """The workshop's latest report files, made or being made (one query)."""
    return list(Job.objects.without_result().filter(workshop=workshop, kind__in=REPORT_FILE_KINDS)[:RECENT_JOBS])


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
            "report_jobs": _recent_jobs(workshop),
        },
        status=200 if report is not None else 400,
    )


def _report_file(request, slug, *, kind: str):
    """GET: the page with the button (the filters in words); POST: start the file's job, then show its page."""
    workshop = request.workshop
    form, lists = _filter_form(request)
    filters = _filters(form)
    if filters is None:
        # Plain text: the messages quote what was typed in the address, which must never become markup.
        return HttpResponseBadRequest(
            " ".join(" ".join(errors) for errors in form.errors.values()), content_type="text/plain; charset=utf-8"
        )
    if request.method == "POST":
        job = report_file_job_start(workshop=workshop, kind=kind, filters=filters, user=request.user)
        return redirect("organise:job", slug=slug, job_id=job.pk)
    query = request.GET.urlencode()
    return render(
        request,
        "organise/report/file.html",
        {
            "workshop": workshop,
            "kind_label": Job.Kind(kind).label,
            "action": request.path + (f"?{query}" if query else ""),
            "report_query": query,
            "filter_labels": report_filter_labels(
                filters=filters,
                groups=lists["groups"],
                language_modes=lists["language_modes"],
                sessions=lists["sessions"],
            ),
            "report_jobs": _recent_jobs(workshop),
        },
    )


@organiser_required
@require_http_methods(["GET", "HEAD", "POST"])
def report_csv_file(request, slug):
    return _report_file(request, slug, kind=Job.Kind.REPORT_CSV)


@organiser_required
@require_http_methods(["GET", "HEAD", "POST"])
def report_xlsx_file(request, slug):
    return _report_file(request, slug, kind=Job.Kind.REPORT_XLSX)
