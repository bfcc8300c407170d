"""The organiser's feedback report: what participants shared, per session and question; CSV and Excel."""

from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render

from worksheets.report import (
    ReportFilters,
    feedback_report,
    report_csv,
    report_groups,
    report_language_modes,
    report_xlsx,
)

from ..decorators import organiser_required
from ..forms import ReportFilterForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _report(request, slug):
    """The workshop, the bound filter form and the report it asks for."""
    workshop = request.workshop
    groups, modes = report_groups(workshop=workshop), report_language_modes(workshop=workshop)
    form = ReportFilterForm(request.GET or None, groups=groups, language_modes=modes)
    if form.is_bound and not form.is_valid():
        return workshop, form, None
    filters = form.filters() if form.is_bound else ReportFilters()
    return workshop, form, feedback_report(workshop=workshop, filters=filters, groups=groups, language_modes=modes)


@organiser_required
def report_index(request, slug):
    workshop, form, report = _report(request, slug)
    return render(
        request,
        "organise/report/index.html",
        {
            "workshop": workshop,
            "form": form,
            "report": report,
            "query": request.GET.urlencode(),
            "min_anonymous_sharers": settings.REPORT_MIN_ANONYMOUS_SHARERS,
        },
        status=200 if report is not None else 400,
    )


def _download(request, slug, *, extension: str, content_type: str, build):
    workshop, form, report = _report(request, slug)
    if report is None:
        # Plain text: the messages quote what was typed in the address, which must never become markup.
        return HttpResponseBadRequest(
            " ".join(" ".join(errors) for errors in form.errors.values()), content_type="text/plain; charset=utf-8"
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
