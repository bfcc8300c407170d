"""The report-back plenary (issue 17): every group's summary of a session side by side, for a projector and for
print, and as a file. Summaries only: no personal worksheet's answer is read here."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.text import slugify

from worksheets.summaries import (
    report_back_csv,
    report_back_pdf,
    report_back_rows,
    report_back_sessions,
    report_back_xlsx,
)
from workshops.models import BreakoutSession

from ..decorators import organiser_required

REFRESH_SECONDS = 20  # late edits reach the screen while the rapporteurs speak
EXPORTS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def _session(request, session_id) -> BreakoutSession:
    return get_object_or_404(
        BreakoutSession.objects.select_related("section"), pk=session_id, workshop=request.workshop
    )


@organiser_required
def report_back_index(request, slug):
    """The workshop's sessions, each with a link to its report-back page and how many groups wrote a summary."""
    workshop = request.workshop
    return render(
        request,
        "organise/report_back/index.html",
        {"workshop": workshop, "sessions": report_back_sessions(workshop=workshop)},
    )


@organiser_required
def report_back(request, slug, session_id):
    """All groups' summaries of the session in a grid, large type, for the projector; print CSS fits one page."""
    workshop = request.workshop
    session = _session(request, session_id)
    return render(
        request,
        "organise/report_back/session.html",
        {
            "workshop": workshop,
            "session": session,
            "rows": report_back_rows(session=session),
            "refresh_seconds": REFRESH_SECONDS,
            "now": timezone.now().replace(microsecond=0),
        },
    )


@organiser_required
def report_back_export(request, slug, session_id, fmt):
    """The summaries as CSV, Excel or PDF: group, room, rapporteur and summary."""
    if fmt not in EXPORTS:
        raise Http404
    workshop = request.workshop
    session = _session(request, session_id)
    rows = report_back_rows(session=session)
    if fmt == "csv":
        body = report_back_csv(rows=rows)
    elif fmt == "xlsx":
        body = report_back_xlsx(rows=rows, title=session.title)
    else:
        body = report_back_pdf(rows=rows, session=session, workshop=workshop)
    response = HttpResponse(body, content_type=EXPORTS[fmt])
    name = slugify(f"{workshop.slug}-{session.title}")[:80] or "report-back"
    response["Content-Disposition"] = f'attachment; filename="report-back-{name}.{fmt}"'
    return response
