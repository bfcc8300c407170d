"""The organiser's feedback report: what participants shared, per session and question; CSV and Excel."""

from django import forms
from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workshops.enums import Region
from workshops.permissions import workshop_organised_or_404

from .report import ReportFilters, feedback_report, report_csv, report_groups, report_language_modes, report_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ReportFilterForm(forms.Form):
    """The report's filters, read from the address (GET), with choices from this workshop only."""

    group = forms.TypedChoiceField(label=gettext_lazy("Group"), required=False, coerce=int, empty_value=None)
    language_mode = forms.TypedChoiceField(
        label=gettext_lazy("Language mode"), required=False, coerce=int, empty_value=None
    )
    region = forms.ChoiceField(label=gettext_lazy("Region"), required=False)

    def __init__(self, *args, groups, language_modes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", _("All groups")), *[(g.pk, str(g)) for g in groups]]
        self.fields["language_mode"].choices = [
            ("", _("All language modes")),
            *[(m.pk, m.name) for m in language_modes],
        ]
        self.fields["region"].choices = [("", _("All regions")), *Region.choices]

    def filters(self) -> ReportFilters:
        data = self.cleaned_data
        return ReportFilters(
            group_id=data.get("group"), language_mode_id=data.get("language_mode"), region=data.get("region") or ""
        )


def _report(request, slug):
    """The workshop (404 outside its team), the bound filter form and the report it asks for."""
    workshop = workshop_organised_or_404(request, slug)
    groups, modes = report_groups(workshop=workshop), report_language_modes(workshop=workshop)
    form = ReportFilterForm(request.GET or None, groups=groups, language_modes=modes)
    if form.is_bound and not form.is_valid():
        return workshop, form, None
    filters = form.filters() if form.is_bound else ReportFilters()
    return workshop, form, feedback_report(workshop=workshop, filters=filters, groups=groups, language_modes=modes)


@staff_member_required
def report_index(request, slug):
    workshop, form, report = _report(request, slug)
    return render(
        request,
        "worksheets/report/index.html",
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


@staff_member_required
def report_csv_download(request, slug):
    return _download(request, slug, extension="csv", content_type="text/csv; charset=utf-8", build=report_csv)


@staff_member_required
def report_xlsx_download(request, slug):
    return _download(request, slug, extension="xlsx", content_type=XLSX, build=report_xlsx)
