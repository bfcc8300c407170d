"""Background jobs of a workshop: their progress page (polled, or refreshed by hand), status and download.

Without JavaScript the page of a running job refreshes itself every few seconds. An import job
(`workshops.imports.jobs`) has no file: once done, its page sends the organiser to the preview or
to the done page (`imports.import_job_next_url`).
"""

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from workshops.imports.jobs import IMPORT_JOB_KINDS
from workshops.jobs import job_progress_unwritten, job_result, jobs_fail_stale
from workshops.models import Job

from ..decorators import organiser_required
from .imports import import_job_next_url


def _job(request, job_id) -> Job:
    """The job, of this workshop only (404 otherwise), failed first if no worker serves it any more."""
    job = get_object_or_404(Job.objects.without_result(), pk=job_id, workshop=request.workshop)
    job_progress_unwritten(job=job)  # SQLite: what an import's transaction holds back, when run here
    jobs_fail_stale(jobs=[job])
    return job


def _progress_text(job: Job) -> str:
    """ "412 of 3,000", with the reader's number format."""
    return _("%(done)s of %(total)s") % {
        "done": number_format(job.done, force_grouping=True),
        "total": number_format(job.total, force_grouping=True),
    }


@organiser_required
def job_detail(request, slug, job_id):
    """The job's progress; a finished import job sends the organiser to its preview, or to the done page."""
    job = _job(request, job_id)
    if job.kind in IMPORT_JOB_KINDS and (next_url := import_job_next_url(job)):
        return redirect(next_url)
    return render(
        request,
        "organise/jobs/job.html",
        {"workshop": request.workshop, "job": job, "progress_text": _progress_text(job)},
    )


@organiser_required
def job_status(request, slug, job_id):
    """The job's progress, polled by its page while it runs."""
    job = _job(request, job_id)
    return JsonResponse(
        {
            "state": job.state,
            "state_label": job.get_state_display(),
            "done": job.done,
            "total": job.total,
            "percent": job.percent,
            "progress_text": _progress_text(job),
            "finished": job.finished,
            "message": job.message_display,
        }
    )


@organiser_required
def job_download(request, slug, job_id):
    """The job's file, once it is done and until it expires; after that, a page saying so (410)."""
    job = _job(request, job_id)
    if job.expired:
        return render(request, "organise/jobs/expired.html", {"workshop": request.workshop, "job": job}, status=410)
    content = job_result(job=job) if job.kind not in IMPORT_JOB_KINDS else None  # a report, shown as a page
    if content is None:
        raise Http404
    response = HttpResponse(content, content_type=job.result_type)
    response["Content-Disposition"] = f'attachment; filename="{job.result_name}"'
    return response
