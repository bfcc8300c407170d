"""The organiser's import (upload, preview, apply, done) and exports (participants, schedule).

Between the preview and "Apply" the uploaded file waits in a private temporary folder, named by
a random id; the page carries a signed token naming that file, its workshop, its uploader and
its SHA-256. A token that is tampered with, older than `TOKEN_MAX_AGE`, for another workshop or
person, or whose file changed or is gone is refused: upload the file again.
"""

import hashlib
import os
import secrets
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import gettext as _

from workshops.imports.exports import EXPORT_FORMATS, dataset_render, participants_table, schedule_table
from workshops.imports.files import ImportFileError, import_file_read
from workshops.imports.headers import ImportKind
from workshops.imports.services import people_import

from ..decorators import organiser_post_required, organiser_required
from ..forms import ImportUploadForm

TOKEN_SALT = "workshops.import.upload"
SUMMARY_SALT = "workshops.import.summary"
TOKEN_MAX_AGE = 60 * 60  # seconds between the upload and "Apply"


class StaleUpload(Exception):
    """The token does not name a usable upload; the message says so in words."""


def _upload_dir() -> Path:
    folder = Path(getattr(settings, "IMPORT_UPLOAD_DIR", "") or Path(tempfile.gettempdir()) / "breakouts-imports")
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _upload_store(*, workshop, user, content: bytes, filename: str, kind: str) -> str:
    """Keep the file until it is applied (or expires) and return the signed token naming it."""
    folder = _upload_dir()
    now = time.time()
    for old in [*folder.glob("*.upload"), *folder.glob("*.applying")]:  # forgotten previews, interrupted applies
        try:
            if now - old.stat().st_mtime > TOKEN_MAX_AGE:
                old.unlink()
        except FileNotFoundError:
            pass
    file_id = secrets.token_hex(16)
    path = folder / f"{file_id}.upload"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(content)
    return signing.dumps(
        {
            "id": file_id,
            "workshop": workshop.pk,
            "user": user.pk,
            "kind": kind,
            "name": filename,
            "sha256": hashlib.sha256(content).hexdigest(),
        },
        salt=TOKEN_SALT,
    )


def _upload_load(token: str, *, workshop, user) -> tuple[dict, bytes, Path]:
    try:
        data = signing.loads(token or "", salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.SignatureExpired:
        raise StaleUpload(_("This preview has expired: upload the file again.")) from None
    except signing.BadSignature:
        raise StaleUpload(_("This preview is not valid: upload the file again.")) from None
    if data.get("workshop") != workshop.pk or data.get("user") != user.pk:
        raise StaleUpload(_("This preview is not valid: upload the file again."))
    path = _upload_dir() / f"{data['id']}.upload"
    try:
        content = path.read_bytes()
    except (FileNotFoundError, OSError):
        raise StaleUpload(_("This preview has expired or was already applied: upload the file again.")) from None
    if hashlib.sha256(content).hexdigest() != data["sha256"]:
        raise StaleUpload(_("This preview is not valid: upload the file again."))
    return data, content, path


def _upload_page(request, workshop, form, *, status=200, error=None):
    return render(
        request,
        "organise/imports/upload.html",
        {"workshop": workshop, "form": form, "error": error},
        status=status,
    )


@organiser_required
def import_upload(request, slug):
    workshop = request.workshop
    if request.method != "POST":
        return _upload_page(request, workshop, ImportUploadForm())
    form = ImportUploadForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            import_file_read(content=content, kind=form.cleaned_data["kind"])
        except ImportFileError as error:
            form.add_error("file", str(error))
        else:
            token = _upload_store(
                workshop=workshop,
                user=request.user,
                content=content,
                filename=upload.name,
                kind=form.cleaned_data["kind"],
            )
            return redirect(f"{reverse('organise:import_preview', args=[slug])}?{urlencode({'token': token})}")
    return _upload_page(request, workshop, form, status=400)


def _preview_page(request, workshop, report, *, token, filename, status=200):
    return render(
        request,
        "organise/imports/preview.html",
        {"workshop": workshop, "report": report, "counts": report.counts, "token": token, "filename": filename},
        status=status,
    )


@organiser_required
def import_preview(request, slug):
    """The dry run: every row with its status and problems; nothing is written."""
    workshop = request.workshop
    token = request.GET.get("token", "")
    try:
        data, content, _path = _upload_load(token, workshop=workshop, user=request.user)
        report = people_import(workshop=workshop, content=content, kind=data["kind"], dry_run=True)
    except (StaleUpload, ImportFileError) as error:
        return _upload_page(request, workshop, ImportUploadForm(), status=400, error=str(error))
    return _preview_page(request, workshop, report, token=token, filename=data["name"])


@organiser_post_required
def import_apply(request, slug):
    """All rows or none: when a row is refused now (the workshop changed since the preview), the preview returns."""
    workshop = request.workshop
    token = request.POST.get("token", "")
    try:
        data, content, path = _upload_load(token, workshop=workshop, user=request.user)
        # Claim the upload first: a double click or a second tab finds it gone instead of importing twice.
        claimed = path.with_suffix(".applying")
        try:
            path.rename(claimed)
        except FileNotFoundError:
            raise StaleUpload(_("This preview has expired or was already applied: upload the file again.")) from None
    except StaleUpload as error:
        return _upload_page(request, workshop, ImportUploadForm(), status=400, error=str(error))
    applied = False
    try:
        report = people_import(workshop=workshop, content=content, kind=data["kind"], dry_run=False)
        applied = report.applied
    except ImportFileError as error:
        return _upload_page(request, workshop, ImportUploadForm(), status=400, error=str(error))
    finally:
        if applied:
            claimed.unlink(missing_ok=True)
        else:
            claimed.rename(path)  # nothing was written: once corrected, the workshop may take it again
    if not applied:
        return _preview_page(request, workshop, report, token=token, filename=data["name"], status=409)
    counts = report.counts
    summary = signing.dumps(
        {
            "workshop": workshop.pk,
            "kind": report.kind,
            "name": data["name"],
            "new": counts["new"],
            "update": counts["update"],
            "unchanged": counts["unchanged"],
        },
        salt=SUMMARY_SALT,
    )
    return redirect(f"{reverse('organise:import_done', args=[slug])}?{urlencode({'summary': summary})}")


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
