"""A large registration file checked and imported by background jobs, with progress (`workshops.jobs`).

Over `IMPORT_IN_PAGE_MAX_ROWS` rows, the preview (the dry run) and "Apply" would hold the web
request for seconds; they run as `Job.Kind.IMPORT_PREVIEW` and `IMPORT_APPLY` jobs instead, their
row loops reporting progress. A job's parameters name the upload (`uploads.py`) with its SHA-256,
its uploader, and the column choices and defaults it runs with; the apply job checks them all again
before it writes, and releases the upload's claim (taken by the request: two applies never both
run) when it ends. The job's result is the report as JSON, in the database, so any app server
shows the preview or the done page from it. It is made in the language of the organiser who
started it, since its reasons are words (`report_loads` gives back the `ImportReport` the preview
page shows). `import_preview_task`'s and `import_apply_task`'s import paths are stored in queued
rows (django-tasks-db): keep them.
"""

import json

import tablib
from django.conf import settings
from django.tasks import task
from django.utils.translation import gettext as _

from ..jobs import JobFailed, JobProgress, JobResult, job_create, job_execute, jobs_fail_stale, task_enqueue
from ..models import ImportUpload, Job
from .files import ImportFile, ImportFileError
from .services import ImportReport, ImportRow, people_import
from .shapes import SkippedRow
from .uploads import StaleUpload, import_upload_get, import_upload_release

IMPORT_JOB_KINDS = (Job.Kind.IMPORT_PREVIEW, Job.Kind.IMPORT_APPLY)


def import_in_background(row_count: int) -> bool:
    """Whether a file of this many rows is checked and imported by a background job."""
    return row_count > settings.IMPORT_IN_PAGE_MAX_ROWS


def _params(upload: ImportUpload, language: str, **extra) -> dict:
    return {
        "upload": str(upload.pk),
        "user": upload.user_id,
        "sha256": upload.sha256,
        "filename": upload.filename,
        "mapping": upload.mapping,
        "defaults": upload.defaults,
        "language": language,
        **extra,
    }


def import_preview_job_start(*, upload: ImportUpload, user, language: str) -> Job:
    """Queue the dry run of this upload with its current column choices; nothing is written.

    The check already queued, running or done for this upload as it is now, in this language, is
    given back instead of a new one (back from its page, a reload: each was thousands of rows again).
    """
    candidates = list(
        Job.objects.without_result()
        .filter(workshop=upload.workshop, kind=Job.Kind.IMPORT_PREVIEW, params__upload=str(upload.pk))
        .exclude(state=Job.State.FAILED)
        .order_by("-pk")[:1]
    )
    jobs_fail_stale(jobs=candidates)
    for job in candidates:
        if job.state != Job.State.FAILED and not job.expired and preview_job_matches(job, upload, language):
            return job
    job = job_create(
        workshop=upload.workshop, kind=Job.Kind.IMPORT_PREVIEW, user=user, params=_params(upload, language)
    )
    task_enqueue(task=import_preview_task, job_id=job.pk)
    return job


def import_apply_job_start(
    *, upload: ImportUpload, user, language: str, skip_refused: bool, expected_valid: int | None
) -> Job:
    """Queue the import of an upload the caller has claimed (`import_upload_claim`); the job releases it."""
    params = _params(upload, language, skip_refused=skip_refused, expected_valid=expected_valid)
    job = job_create(workshop=upload.workshop, kind=Job.Kind.IMPORT_APPLY, user=user, params=params)
    task_enqueue(task=import_apply_task, job_id=job.pk)
    return job


def preview_job_matches(job: Job, upload: ImportUpload, language: str) -> bool:
    """Whether a preview job's report is this upload's as it is now (same file and choices), in this language."""
    params = job.params
    return (
        params.get("upload") == str(upload.pk)
        and params.get("sha256") == upload.sha256
        and params.get("mapping") == upload.mapping
        and params.get("defaults") == upload.defaults
        and params.get("language") == language
    )


@task
def import_preview_task(job_id: int) -> str:
    return job_execute(job_id=job_id, work=_preview).state


@task
def import_apply_task(job_id: int) -> str:
    return job_execute(job_id=job_id, work=_apply).state


def _upload(job: Job) -> ImportUpload:
    params = job.params
    return import_upload_get(
        upload_id=params["upload"], workshop=job.workshop, user=params["user"], sha256=params["sha256"]
    )


def _preview(job: Job, progress: JobProgress) -> JobResult:
    """The dry run, in the language of whoever started it (`job_execute` works in it)."""
    params = job.params
    try:
        upload = _upload(job)
        report = people_import(
            workshop=job.workshop,
            content=upload.content,
            kind=upload.kind,
            dry_run=True,
            mapping=params["mapping"],
            defaults=params["defaults"],
            on_progress=progress,
        )
    except (StaleUpload, ImportFileError) as error:
        raise JobFailed(str(error)) from None
    return _result(report)


def _apply(job: Job, progress: JobProgress) -> JobResult:
    """As "Apply" in the page: the upload unchanged (its SHA-256, its column choices), all rows or the valid ones."""
    params = job.params
    applied = False
    try:
        upload = _upload(job)
        if upload.mapping != params["mapping"] or upload.defaults != params["defaults"]:
            raise StaleUpload(_("This preview is not valid: upload the file again."))
        report = people_import(
            workshop=job.workshop,
            content=upload.content,
            kind=upload.kind,
            dry_run=False,
            mapping=params["mapping"],
            defaults=params["defaults"],
            skip_refused=params["skip_refused"],
            expected_valid=params["expected_valid"],
            on_progress=progress,
        )
        applied = report.applied
    except (StaleUpload, ImportFileError) as error:
        raise JobFailed(str(error)) from None
    finally:
        # Applied: kept (not appliable) for the refused rows' download; otherwise free to apply again.
        import_upload_release(upload=ImportUpload(pk=params["upload"]), applied=applied)
    return _result(report)


def _result(report: ImportReport) -> JobResult:
    return JobResult(content=report_dumps(report), name="import-report.json", content_type="application/json")


def report_dumps(report: ImportReport) -> bytes:
    """The report as the preview page reads it (rows, columns, skipped rows, the file's headers), as JSON."""
    file = report.file
    data = {
        "kind": report.kind,
        "kind_detected": report.kind_detected,
        "rows": [
            [row.line, row.status, row.name, row.email, row.details, row.problems, row.changes] for row in report.rows
        ],
        "columns": report.columns,
        "ignored": report.ignored,
        "problems": report.problems,
        "applied": report.applied,
        "encoding": report.encoding,
        "skipped": [[row.line, row.reason, row.name, row.email] for row in report.skipped],
        "headers": file.headers if file else [],
        "roles": file.roles if file else [],
        "defaults": file.defaults if file else {},
        # The refused rows' cells as the file had them: their download needs no second check.
        "cells": {str(row.line): file.cells.get(row.line, []) for row in report.refused} if file else {},
    }
    return json.dumps(data, ensure_ascii=False).encode()


def report_loads(content: bytes) -> ImportReport:
    """The `ImportReport` of `report_dumps`; its file has no rows (the page shows the report's), only the refused ones' cells."""
    data = json.loads(content)
    columns = [tuple(column) for column in data["columns"]]
    skipped = [SkippedRow(*row) for row in data["skipped"]]
    file = ImportFile(
        kind=data["kind"],
        kind_detected=data["kind_detected"],
        dataset=tablib.Dataset(),
        columns=columns,
        ignored=data["ignored"],
        encoding=data["encoding"],
        headers=data["headers"],
        roles=[tuple(role) for role in data["roles"]],
        skipped=skipped,
        defaults=data["defaults"],
        cells={int(line): cells for line, cells in data.get("cells", {}).items()},
    )
    rows = [
        ImportRow(line, status, name, email, [tuple(d) for d in details], problems, changes)
        for line, status, name, email, details, problems, changes in data["rows"]
    ]
    return ImportReport(
        kind=data["kind"],
        kind_detected=data["kind_detected"],
        rows=rows,
        columns=columns,
        ignored=data["ignored"],
        problems=data["problems"],
        applied=data["applied"],
        encoding=data["encoding"],
        skipped=skipped,
        file=file,
    )
