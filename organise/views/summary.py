"""The summary for funders: one page per workshop (printable), and the same figures as PDF and Excel.

In the organiser's language (the page's), with the workshop's languages noted. The evaluation's
results and the knowledge check are rendered by `organise/summary/_evaluation.html`.
"""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.text import slugify

from workshops.certificates import workshop_dates

from ..decorators import organiser_required
from ..summary import funders_summary
from ..summary_files import summary_pdf as summary_pdf_bytes
from ..summary_files import summary_xlsx as summary_xlsx_bytes

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@organiser_required
def summary_page(request, slug):
    summary = funders_summary(workshop=request.workshop)
    return render(
        request,
        "organise/summary/index.html",
        {
            "workshop": request.workshop,
            "summary": summary,
            "dates": workshop_dates(request.workshop),
            "evaluation": summary.evaluation["evaluation"],
            "knowledge": summary.evaluation["knowledge"],
        },
    )


@organiser_required
def summary_pdf(request, slug):
    content = summary_pdf_bytes(summary=funders_summary(workshop=request.workshop))
    return _download(content, "application/pdf", f"summary-{slugify(slug)}.pdf")


@organiser_required
def summary_xlsx(request, slug):
    content = summary_xlsx_bytes(summary=funders_summary(workshop=request.workshop))
    return _download(content, XLSX_TYPE, f"summary-{slugify(slug)}.xlsx")
