"""The organiser's import (upload, preview with its columns, apply, done), templates and exports.

Between the preview and "Apply" the uploaded file waits in the database (`ImportUpload`, see
`workshops.imports.uploads`), so any app server can show its preview or apply it; the page
carries a signed token naming the upload, its workshop, its uploader and its SHA-256. A token that
is tampered with, older than `TOKEN_MAX_AGE`, for another workshop or person, or whose file changed
or is gone is refused: upload the file again.
"""

from pathlib import PurePath

from django.core import signing
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import gettext as _

from workshops.imports.exports import EXPORT_FORMATS, dataset_render, participants_table, schedule_table
from workshops.imports.files import ImportFileError, MissingColumns
from workshops.imports.headers import COLUMNS, ImportKind
from workshops.imports.jobs import (
    IMPORT_JOB_KINDS,
    import_apply_job_start,
    import_in_background,
    import_preview_job_start,
    preview_job_matches,
    report_loads,
)
from workshops.imports.services import people_import
from workshops.imports.uploads import (
    IGNORE,
    StaleUpload,
    columns_template,
    file_columns,
    import_columns_choose,
    import_upload_claim,
    import_upload_get,
    import_upload_release,
    import_upload_store,
    importable_columns,
    refused_rows,
    roles_by_position,
)
from workshops.jobs import job_result
from workshops.models import Job

from ..decorators import organiser_post_required, organiser_required
from ..forms import ImportUploadForm

TOKEN_SALT = "workshops.import.upload"
SUMMARY_SALT = "workshops.import.summary"
TOKEN_MAX_AGE = 60 * 60  # seconds between the upload and "Apply"
MAX_DEFAULT_LENGTH = 200
ROWS_PER_PAGE = 100  # rows of the file in one page of the preview's table
REFUSED_LISTED = 50  # refused rows named above the table (every one is in the refused rows' CSV)


def _token(upload) -> str:
    return _token_for(upload_id=upload.pk, workshop_id=upload.workshop_id, user_id=upload.user_id, sha256=upload.sha256)


def _token_for(*, upload_id, workshop_id, user_id, sha256) -> str:
    return signing.dumps(
        {"id": str(upload_id), "workshop": workshop_id, "user": user_id, "sha256": sha256}, salt=TOKEN_SALT
    )


def _upload_load(token: str, *, workshop, user, applied_ok: bool = False):
    try:
        data = signing.loads(token or "", salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.SignatureExpired:
        raise StaleUpload(_("This preview has expired: upload the file again.")) from None
    except signing.BadSignature:
        raise StaleUpload(_("This preview is not valid: upload the file again.")) from None
    if data.get("workshop") != workshop.pk or data.get("user") != user.pk:
        raise StaleUpload(_("This preview is not valid: upload the file again."))
    return import_upload_get(
        upload_id=data["id"], workshop=workshop, user=user, sha256=data["sha256"], applied_ok=applied_ok
    )


def _upload_page(request, workshop, form, *, status=200, error=None):
    return render(
        request,
        "organise/imports/upload.html",
        {"workshop": workshop, "form": form, "error": error},
        status=status,
    )


def _stale(request, workshop, error, status=400):
    return _upload_page(request, workshop, ImportUploadForm(), status=status, error=str(error))


@organiser_required
def import_upload(request, slug):
    workshop = request.workshop
    if request.method != "POST":
        return _upload_page(request, workshop, ImportUploadForm())
    form = ImportUploadForm(request.POST, request.FILES)
    if form.is_valid():
        file = form.cleaned_data["file"]
        try:
            upload = import_upload_store(
                workshop=workshop,
                user=request.user,
                content=file.read(),
                filename=file.name,
                kind=form.cleaned_data["kind"],
            )
        except ImportFileError as error:
            form.add_error("file", str(error))
        else:
            return redirect(_preview_url(upload))
    return _upload_page(request, workshop, form, status=400)


def _preview_url(upload) -> str:
    return f"{reverse('organise:import_preview', args=[upload.workshop.slug])}?{urlencode({'token': _token(upload)})}"


def _column_labels() -> dict[str, str]:
    return {key: label for key, label in importable_columns(ImportKind.AUTO)}


def _rows_shown(request, upload, report, job) -> dict:
    """The page of the rows table this preview shows, and the refused rows listed above it.

    At 3,000 rows the whole table was 2.4 MB of HTML and 7 s to show: it shows `ROWS_PER_PAGE` rows
    of the file at a time (?rows_page=N), and the list of refused rows names the first
    `REFUSED_LISTED`, each linking to its row on its page (the rest are in the refused rows' CSV).
    """
    rows = report.rows if report is not None else []
    pages = max(1, -(-len(rows) // ROWS_PER_PAGE))
    try:
        page = min(max(1, int(request.GET.get("rows_page", 1))), pages)
    except ValueError:
        page = 1
    base = _preview_url(upload) + (f"&job={job.pk}" if job is not None else "")

    def href(number: int) -> str:
        return f"{base}&rows_page={number}"

    refused = [(index, row) for index, row in enumerate(rows) if row.status == "refused"]
    return {
        "rows": rows[(page - 1) * ROWS_PER_PAGE : page * ROWS_PER_PAGE],
        "first": (page - 1) * ROWS_PER_PAGE + 1,
        "last": min(page * ROWS_PER_PAGE, len(rows)),
        "page": page,
        "pages": [(number, href(number)) for number in range(1, pages + 1)] if pages > 1 else [],
        "refused": [
            (
                row,
                ("" if index // ROWS_PER_PAGE + 1 == page else href(index // ROWS_PER_PAGE + 1)) + f"#line-{row.line}",
            )
            for index, row in refused[:REFUSED_LISTED]
        ],
        "refused_more": max(0, len(refused) - REFUSED_LISTED),
    }


def _preview_page(request, upload, *, report=None, missing=None, status=200, error=None, job=None):
    """The preview: the rows (when the file can be read), and every column with what it fills."""
    file = report.file if report is not None else None
    headers, roles, kind = (
        (file.headers, file.roles, file.kind) if file else (missing.headers, missing.roles, missing.kind)
    )
    roles = roles_by_position(roles)
    labels = _column_labels()
    options = importable_columns(upload.kind)
    present = set(roles.values())
    if {"given_name", "family_name"} & present:
        present.add("name")
    defaults_shown = [
        (column.key, labels[column.key], upload.defaults.get(column.key, ""))
        for column in COLUMNS
        if kind in column.kinds and column.key not in present
    ]
    applied_defaults = [(labels[key], value) for key, value in (file.defaults if file else {}).items()]
    unused_defaults = [labels.get(key, key) for key in upload.defaults if key in present]
    return render(
        request,
        "organise/imports/preview.html",
        {
            "workshop": upload.workshop,
            "report": report,
            "counts": report.counts if report is not None else None,
            "missing": str(missing) if missing is not None else "",
            "token": _token(upload),
            "filename": upload.filename,
            "mapping_rows": [(header, roles.get(position, IGNORE)) for position, header in enumerate(headers)],
            "column_options": options,
            "defaults_shown": defaults_shown,
            "applied_defaults": applied_defaults,
            "unused_defaults": unused_defaults,
            "remembered": upload.mapping_remembered,
            "error": error,
            "job": job,  # the report's, when a background job made it (the refused rows' download reads it)
            "shown": _rows_shown(request, upload, report, job),
        },
        status=status,
    )


def _dry_run(upload, file=None):
    """(report, None), or (None, the missing columns); other `ImportFileError`s propagate. `file`: already read."""
    try:
        report = people_import(
            workshop=upload.workshop,
            content=upload.content,
            kind=upload.kind,
            dry_run=True,
            mapping=upload.mapping,
            defaults=upload.defaults,
            file=file,
        )
    except MissingColumns as missing:
        return None, missing
    return report, None


@organiser_required
def import_preview(request, slug):
    """The dry run: every row with its status and problems, every column with what it fills; nothing is written.

    A file of more than `IMPORT_IN_PAGE_MAX_ROWS` rows is checked by a background job: this page
    starts it and sends the organiser to its progress, which sends them back here (`job=`) with
    the job's report once it is done; an apply job refused comes back here the same way.
    """
    workshop = request.workshop
    try:
        upload = _upload_load(request.GET.get("token", ""), workshop=workshop, user=request.user)
        if request.GET.get("job"):
            return _preview_from_job(request, upload, request.GET["job"])
        file, missing = file_columns(upload.content, kind=upload.kind, mapping=upload.mapping, defaults=upload.defaults)
        if file is not None and import_in_background(file.dataset.height):
            job = import_preview_job_start(upload=upload, user=request.user, language=translation.get_language())
            return redirect("organise:job", slug=slug, job_id=job.pk)
        report, missing = _dry_run(upload, file=file) if file is not None else (None, missing)
    except (StaleUpload, ImportFileError) as error:
        return _stale(request, workshop, error)
    return _preview_page(request, upload, report=report, missing=missing)


def _preview_from_job(request, upload, job_id):
    """The preview from a finished job's report: this upload's, as it is now, in the reader's language.

    A job of another workshop or upload is not found; one whose report is out of date (the columns
    were chosen again, the reader's language differs) is made again.
    """
    job = _import_job(upload, job_id)
    content = job_result(job=job)
    if job.kind == Job.Kind.IMPORT_PREVIEW and not preview_job_matches(job, upload, translation.get_language()):
        content = None
    if content is None:  # running, failed, expired or out of date: its own page, or a new check
        if not job.finished:
            return redirect("organise:job", slug=upload.workshop.slug, job_id=job.pk)
        return redirect(_preview_url(upload))
    report = report_loads(content)
    error = None
    if job.kind == Job.Kind.IMPORT_APPLY:  # refused: nothing was written
        error = _changed_since_preview(report, job.params.get("expected_valid"))
    return _preview_page(request, upload, report=report, error=error, job=job)


def _import_job(upload, job_id) -> Job:
    """An import job of this upload (so of its workshop and uploader), or 404."""
    return get_object_or_404(
        Job.objects.without_result().filter(
            workshop=upload.workshop, kind__in=IMPORT_JOB_KINDS, params__upload=str(upload.pk)
        ),
        pk=job_id if str(job_id).isdigit() else 0,
    )


def import_job_next_url(job) -> str | None:
    """Where a finished import job's page sends the organiser: its preview, or the done page once applied."""
    if job.state != Job.State.DONE:
        return None
    params = job.params
    token = _token_for(
        upload_id=params["upload"], workshop_id=job.workshop_id, user_id=params["user"], sha256=params["sha256"]
    )
    if job.kind == Job.Kind.IMPORT_APPLY:
        content = job_result(job=job)
        report = report_loads(content) if content is not None else None
        if report is not None and report.applied:
            return _done_url(job.workshop, report, params["filename"], token, job=job)
    query = urlencode({"token": token, "job": job.pk})
    return f"{reverse('organise:import_preview', args=[job.workshop.slug])}?{query}"


@organiser_post_required
def import_columns(request, slug):
    """The organiser's choice of what each column fills and of defaults; remembered for files with these headers."""
    workshop = request.workshop
    try:
        upload = _upload_load(request.POST.get("token", ""), workshop=workshop, user=request.user)
        file, missing = file_columns(upload.content, kind=upload.kind, mapping=upload.mapping, defaults=upload.defaults)
    except (StaleUpload, ImportFileError) as error:
        return _stale(request, workshop, error)
    headers = file.headers if file is not None else missing.headers
    allowed = {key for key, _label in importable_columns(upload.kind)}
    mapping = dict(upload.mapping)
    for position in range(len(headers)):
        chosen = request.POST.get(f"column-{position}")
        if chosen is None:
            continue
        if chosen != IGNORE and chosen not in allowed:
            return _refuse_columns(
                request, upload, _("“%(value)s” is not a column that can be imported.") % {"value": chosen}
            )
        mapping[str(position)] = chosen
    labels = _column_labels()
    taken = [key for key in mapping.values() if key]
    twice = sorted({key for key in taken if taken.count(key) > 1})
    if twice:
        return _refuse_columns(
            request,
            upload,
            _("Two columns cannot both be taken for %(columns)s: choose one.")
            % {"columns": ", ".join(f"“{labels[key]}”" for key in twice)},
        )
    defaults = {}
    for column in COLUMNS:
        value = " ".join(request.POST.get(f"default-{column.key}", upload.defaults.get(column.key, "")).split())
        if value:
            defaults[column.key] = value[:MAX_DEFAULT_LENGTH]
    import_columns_choose(upload=upload, mapping=mapping, defaults=defaults)
    return redirect(_preview_url(upload))


def _refuse_columns(request, upload, message):
    try:
        report, missing = _dry_run(upload)
    except ImportFileError as error:
        return _stale(request, upload.workshop, error)
    return _preview_page(request, upload, report=report, missing=missing, status=400, error=message)


@organiser_post_required
def import_apply(request, slug):
    """All rows or none; or, when the organiser chose it, the valid rows alone (as many as the preview showed).

    When the rows differ now (the workshop changed since the preview), nothing is written and the preview returns.
    """
    workshop = request.workshop
    skip_refused = request.POST.get("skip_refused") == "1"
    expected_valid = None
    if skip_refused:
        try:
            expected_valid = int(request.POST.get("valid", ""))
        except ValueError:
            return _stale(request, workshop, _("This preview is not valid: upload the file again."))
    try:
        upload = _upload_load(request.POST.get("token", ""), workshop=workshop, user=request.user)
        # Claim the upload first: a double click or a second tab finds it taken instead of importing twice.
        import_upload_claim(upload=upload)
    except StaleUpload as error:
        return _stale(request, workshop, error)
    try:
        rows = file_columns(upload.content, kind=upload.kind, mapping=upload.mapping, defaults=upload.defaults)[0]
    except ImportFileError:
        rows = None  # refused below, as the file is read again
    if rows is not None and import_in_background(rows.dataset.height):
        job = import_apply_job_start(
            upload=upload,
            user=request.user,
            language=translation.get_language(),
            skip_refused=skip_refused,
            expected_valid=expected_valid,
        )
        return redirect("organise:job", slug=slug, job_id=job.pk)
    applied = False
    try:
        report = people_import(
            workshop=workshop,
            content=upload.content,
            kind=upload.kind,
            dry_run=False,
            mapping=upload.mapping,
            defaults=upload.defaults,
            skip_refused=skip_refused,
            expected_valid=expected_valid,
        )
        applied = report.applied
    except ImportFileError as error:
        return _stale(request, workshop, error)
    finally:
        # Applied: kept (not appliable) for the refused rows' download; otherwise free to apply again once corrected.
        import_upload_release(upload=upload, applied=applied)
    if not applied:
        changed = _changed_since_preview(report, expected_valid)
        return _preview_page(request, upload, report=report, status=409, error=changed)
    return redirect(_done_url(workshop, report, upload.filename, _token(upload)))


def _changed_since_preview(report, expected_valid) -> str | None:
    """Why the valid rows alone were not imported, when their number differs from the preview's."""
    if expected_valid is None or report.problems or report.valid == expected_valid:
        return None
    return _("The file now has %(now)d valid rows, not %(then)d as in the preview: nothing was imported.") % {
        "now": report.valid,
        "then": expected_valid,
    }


def _done_url(workshop, report, filename: str, token: str, job=None) -> str:
    counts = report.counts
    summary = signing.dumps(
        {
            "workshop": workshop.pk,
            "kind": report.kind,
            "name": filename,
            "new": counts["new"],
            "update": counts["update"],
            "unchanged": counts["unchanged"],
            "refused": counts["refused"],
            "token": token if counts["refused"] else "",
            "job": job.pk if job is not None and counts["refused"] else None,  # its report has the refused rows
        },
        salt=SUMMARY_SALT,
    )
    return f"{reverse('organise:import_done', args=[workshop.slug])}?{urlencode({'summary': summary})}"


@organiser_required
def import_done(request, slug):
    workshop = request.workshop
    try:
        summary = signing.loads(request.GET.get("summary", ""), salt=SUMMARY_SALT, max_age=24 * 60 * 60)
    except signing.BadSignature:
        return redirect("organise:import", slug=slug)
    if summary.get("workshop") != workshop.pk:
        raise Http404
    return render(
        request,
        "organise/imports/done.html",
        {"workshop": workshop, "summary": summary, "kind_label": ImportKind(summary["kind"]).label},
    )


@organiser_required
def import_refused(request, slug):
    """The refused rows as the file had them, with a reason column: to fix and upload again.

    With `job=`, from that import job's report (a large file is not checked a second time).
    """
    workshop = request.workshop
    try:
        upload = _upload_load(request.GET.get("token", ""), workshop=workshop, user=request.user, applied_ok=True)
        job = _import_job(upload, request.GET["job"]) if request.GET.get("job") else None
        if job is not None and job.kind == Job.Kind.IMPORT_PREVIEW:
            job = job if preview_job_matches(job, upload, job.params.get("language")) else None  # columns chosen since
        content = job_result(job=job) if job is not None else None
        report, missing = (report_loads(content), None) if content is not None else _dry_run(upload)
    except (StaleUpload, ImportFileError) as error:
        return _stale(request, workshop, error)
    if report is None:
        return _stale(request, workshop, missing)
    response = HttpResponse(dataset_render(refused_rows(report), "csv"), content_type=EXPORT_FORMATS["csv"])
    stem = slugify(PurePath(upload.filename).stem) or "import"
    response["Content-Disposition"] = f'attachment; filename="{stem}-refused.csv"'
    return response


@organiser_required
def import_template(request, slug, kind, fmt):
    """A blank participants or facilitators file, headers in the page's language."""
    if kind not in (ImportKind.PARTICIPANTS, ImportKind.FACILITATORS) or fmt not in EXPORT_FORMATS:
        raise Http404
    response = HttpResponse(dataset_render(columns_template(kind=kind), fmt), content_type=EXPORT_FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{kind}-template.{fmt}"'
    return response


def _download(dataset, fmt: str, *, workshop, what: str) -> HttpResponse:
    response = HttpResponse(dataset_render(dataset, fmt), content_type=EXPORT_FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{slugify(workshop.slug)}-{what}.{fmt}"'
    return response


@organiser_required
def export_participants(request, slug, fmt):
    workshop = request.workshop
    if fmt not in EXPORT_FORMATS:
        raise Http404
    return _download(participants_table(workshop=workshop), fmt, workshop=workshop, what="participants")


@organiser_required
def export_schedule(request, slug, fmt):
    workshop = request.workshop
    if fmt not in EXPORT_FORMATS:
        raise Http404
    return _download(schedule_table(workshop=workshop), fmt, workshop=workshop, what="schedule")
